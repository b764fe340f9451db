import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from wegweiser.pages.constants import INTEGREAT, TranslationOrigin, TranslationState
from wegweiser.pages.models import Page, PageTranslation
from wegweiser.pages.services import integreat_import
from wegweiser.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
GERMAN = DATA / "lkaugsburg_de_pages_sample.json"
ENGLISH = DATA / "lkaugsburg_en_pages_sample.json"


def _records(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _write(tmp_path, name, records):
    target = tmp_path / name
    target.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return target


def test_import_creates_pages_tree_and_linked_translations():
    report = integreat_import(paths=[GERMAN, ENGLISH])
    assert report.committed
    assert (report.created, report.updated, report.unchanged, report.rejected) == (23, 0, 0, [])
    assert Page.objects.count() == 12
    housing = Page.objects.get(source_system=INTEGREAT, source_id="5407959")
    assert housing.parent is None
    assert housing.translations.get(language="de").title == "Wohnen"
    search = Page.objects.get(source_id="5407960")
    assert search.parent == housing
    assert search.slug == "wohnung-suchen"
    grandchild = Page.objects.get(source_id="5347157")
    assert grandchild.parent == search
    english = grandchild.translations.get(language="en")
    assert english.source_id == str(
        _records(GERMAN)[[r["id"] for r in _records(GERMAN)].index(5347157)]["available_languages"][
            "en"
        ]["id"]
    )
    assert english.origin == TranslationOrigin.IMPORT
    assert english.state == TranslationState.CURRENT
    assert english.source_hash == grandchild.translations.get(language="de").source_hash
    # The page without any translation keeps only its German text.
    assert list(
        Page.objects.get(source_id="5603265").translations.values_list("language", flat=True)
    ) == ["de"]
    # Images from the Integreat server are not carried over (CSP, privacy of visitors).
    assert not PageTranslation.objects.filter(content__contains="<img").exists()
    assert AuditEvent.objects.filter(action="pages.import.completed").count() == 1


def test_import_is_idempotent():
    integreat_import(paths=[GERMAN, ENGLISH])
    counts = (Page.objects.count(), PageTranslation.objects.count(), AuditEvent.objects.count())
    report = integreat_import(paths=[GERMAN, ENGLISH])
    assert (report.created, report.updated, report.unchanged) == (0, 0, 23)
    assert (Page.objects.count(), PageTranslation.objects.count()) == counts[:2]
    # Only the import summary event is new.
    assert AuditEvent.objects.count() == counts[2] + 1


def test_reimport_updates_changes_and_marks_english_outdated(tmp_path):
    integreat_import(paths=[GERMAN, ENGLISH])
    records = _records(GERMAN)
    changed = next(r for r in records if r["id"] == 5347160)
    changed["content"] += "<p>Neuer Absatz.</p>"
    report = integreat_import(paths=[_write(tmp_path, "de.json", records), ENGLISH])
    assert (report.created, report.updated, report.unchanged) == (0, 1, 22)
    page = Page.objects.get(source_id="5347160")
    assert "Neuer Absatz." in page.translations.get(language="de").content
    assert page.translations.get(language="en").state == TranslationState.OUTDATED


def test_english_file_alone_links_to_pages_imported_before():
    integreat_import(paths=[GERMAN])
    report = integreat_import(paths=[ENGLISH])
    assert (report.created, report.unchanged, report.committed) == (11, 0, True)


def test_broken_record_rejects_the_whole_import_with_reasons(tmp_path):
    records = _records(GERMAN)
    records[3]["title"] = ""
    records.append({**records[1], "id": 99, "parent": {"id": 12345, "path": "/x/de/nirgends/"}})
    records.append({**records[1], "id": 98, "path": "/lkaugsburg/de-si/leicht/"})
    records.append("kein Objekt")
    report = integreat_import(paths=[_write(tmp_path, "de.json", records), ENGLISH])
    assert not report.committed
    reasons = {(r.source_id, r.reason) for r in report.rejected}
    assert (str(records[3]["id"]), "missing title") in reasons
    assert ("99", "unknown parent 12345") in reasons
    assert ("98", "unsupported language code 'de-si'") in reasons
    assert ("", "not a JSON object") in reasons
    # Children of the rejected page and its English translation are rejected with it.
    assert any(
        r.reason == f"German original {records[3]['id']} was rejected" for r in report.rejected
    )
    assert Page.objects.count() == 0
    assert PageTranslation.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="pages.").exists()


def test_skip_rejected_imports_the_valid_rest(tmp_path):
    records = _records(GERMAN)
    top = next(r for r in records if r["id"] == 5407963)
    top["title"] = "   "
    report = integreat_import(paths=[_write(tmp_path, "de.json", records)], skip_rejected=True)
    assert report.committed
    rejected = {r.source_id: r.reason for r in report.rejected}
    assert rejected == {"5407963": "missing title", "5603265": "parent 5407963 was rejected"}
    assert Page.objects.count() == 10


def test_unreadable_file_raises(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{nope", encoding="utf-8")
    with pytest.raises(ValidationError):
        integreat_import(paths=[broken])
    with pytest.raises(ValidationError):
        integreat_import(paths=[_write(tmp_path, "object.json", {"id": 1})])


def test_a_file_nested_too_deeply_is_refused_with_a_reason(tmp_path):
    # json.loads recurses: 100,000 nested lists would end the command with a RecursionError.
    hostile = tmp_path / "deep.json"
    hostile.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(ValidationError, match="nested too deeply"):
        integreat_import(paths=[hostile])
    assert not Page.objects.exists()


def test_import_command_prints_the_report(tmp_path, capsys):
    call_command("import_integreat", str(GERMAN), str(ENGLISH))
    assert "23 created, 0 updated, 0 unchanged, 0 rejected" in capsys.readouterr().out
    records = _records(GERMAN)
    records[0]["title"] = ""
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_integreat", str(_write(tmp_path, "de.json", records)))
    assert "missing title" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("import_integreat", str(tmp_path / "missing.json"))


PLACEHOLDER = """
<p>
    {sentence}
</p>
<ul>
    <li><a href="https://integreat.app/lkaugsburg/ar/%D8%A7/">العربية</a></li>
    <li><a href="https://integreat.app/lkaugsburg/hr/dobrodosli/">Hrvatski</a></li>
</ul>
"""


@pytest.mark.parametrize(
    "sentence",
    [
        "Die Seite existiert nicht in der ausgewählten Sprache. Sie ist aber in diesen "
        "Sprachen verfügbar:",
        "Page unavailable here; other languages:",  # told by its shape, not its words
    ],
)
def test_integreats_placeholder_for_a_missing_language_is_no_content(tmp_path, sentence):
    records = _records(GERMAN)
    records[0]["content"] = PLACEHOLDER.format(sentence=sentence)
    records[0]["excerpt"] = sentence + " العربية Hrvatski"
    # A page of text with links to other pages is content, as is a link in its own language.
    records[1]["content"] = "<p>" + "Wohnungssuche im Landkreis. " * 10 + "</p>" + PLACEHOLDER
    records[2]["content"] = PLACEHOLDER.format(sentence="Siehe").replace("/ar/", "/de/")
    report = integreat_import(paths=[_write(tmp_path, "de.json", records)])
    assert report.committed and not report.rejected
    texts = {
        t.source_id: (t.content, t.excerpt) for t in PageTranslation.objects.filter(language="de")
    }
    assert texts[str(records[0]["id"])] == ("", "")
    assert "Wohnungssuche" in texts[str(records[1]["id"])][0]
    assert "Hrvatski" in texts[str(records[2]["id"])][0]
