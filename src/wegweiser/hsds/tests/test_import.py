"""Imports: HSDS JSON (official examples, round trip), spreadsheets, Ohana; bad input."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wegweiser.accounts.models import Organisation
from wegweiser.hsds import services as import_services
from wegweiser.hsds.schemas import EXAMPLES_DIR
from wegweiser.hsds.services import import_offers
from wegweiser.offers.models import Location, Offer
from wegweiser.privacy.models import AuditEvent
from wegweiser.search.selectors import search_ranked

from .conftest import make_offer

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
OHANA_SAMPLE = DATA / "baltimore-211-sample"

HEADER = (
    "ID;Name;Kurzbeschreibung;Beschreibung;Träger;Lebensbereiche;Zielgruppen;Sprachen;Kosten;"
    "Alter von;Alter bis;Website;E-Mail;Telefon;Ort;Straße;PLZ;Stadt;Öffnungszeiten;Gültig bis;"
    "Lieblingsfarbe"
)
ROWS = [
    "A-1;Sprachcafé Herten;Deutsch üben bei Kaffee;Jeden Dienstag.;Caritas Herten;Sprache;Frauen;"
    "Deutsch, Arabisch;kostenlos;16;99;www.example.org;cafe@example.org;02366 1;Pfarrheim;"
    'Kirchstraße 1;45699;Herten;"Di 10-12 Uhr; Do 14:00-16:00";31.12.2030;blau',
    "A-2;Jobcafé Marl;Bewerbung schreiben;;AWO Marl;Arbeit und Ausbildung;;;5 € pro Termin;;;;;;"
    ";;;Marl;nach Vereinbarung;;grün",
]
BAD_ROWS = [
    ";Ohne Träger;;;;;;;;;;;;;;;;;;;",
    "B-2;Falsches Alter;;;AWO;;;;;zwölf;;;;;;;;;;;",
    "B-3;Fremde Stadt;;;AWO;;;;;;;;;;;;;Berlin;;;",
    "B-4;Falsches Datum;;;AWO;;;;;;;;;;;;;;;32.13.2020;",
    "B-5;Alter verdreht;;;AWO;;;;;60;18;;;;;;;;;;",
]


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def full_services(client):
    body = client.get("/api/hsds/services", {"full": "true", "per_page": 100}).json()
    for service in body["contents"]:
        service.pop("last_modified")
    return body["contents"]


@pytest.mark.parametrize(
    "example",
    [
        "service_full.json",
        "service_list.json",
        "organization_full.json",
        "service_at_location_full.json",
        "service_at_location_list.json",
    ],
)
def test_official_hsds_examples_import(district, example):
    report = import_offers(actor=None, fmt="hsds", path=EXAMPLES_DIR / example)
    assert report.ok, report.as_text()
    assert report.created == 1 and not report.rejected
    offer = Offer.objects.get()
    assert offer.source_system == "hsds"
    assert str(offer.uuid) == offer.source_id  # the HSDS id is kept


def test_hsds_import_is_idempotent(district):
    path = EXAMPLES_DIR / "service_full.json"
    first = import_offers(actor=None, fmt="hsds", path=path)
    second = import_offers(actor=None, fmt="hsds", path=path)
    assert (first.created, second.created, second.updated) == (1, 0, 1)
    assert Offer.objects.count() == 1 and Organisation.objects.count() == 1
    assert Location.objects.count() == 1


def test_round_trip_export_import_export_gives_the_same_services(
    client, tmp_path, district, org_a, org_b
):
    make_offer(org_a, name="Sprachcafé")
    make_offer(org_b, name="Jobcafé", town="marl")
    before = full_services(client)
    exported = json.dumps(before)
    Offer.objects.all().delete()
    Location.objects.all().delete()
    Organisation.objects.filter(pk__in=[org_a.pk, org_b.pk]).delete()
    path = tmp_path / "hsds-round-trip.json"
    path.write_text(exported, encoding="utf-8")
    report = import_offers(actor=None, fmt="hsds", path=path)
    assert report.ok and report.created == 2, report.as_text()
    after = full_services(client)
    assert after == before


def test_spreadsheet_csv_with_bom_semicolons_and_german_headers(tmp_path, district):
    path = write(tmp_path, "angebote.csv", "\ufeff" + "\n".join([HEADER, *ROWS]))
    report = import_offers(actor=None, fmt="csv", path=path)
    assert report.ok, report.as_text()
    assert report.encoding == "UTF-8 (BOM)"
    assert report.created == 2 and not report.rejected
    assert report.unknown_columns == ["Lieblingsfarbe"]
    cafe = Offer.objects.get(source_id="A-1")
    assert cafe.organisation.name == "Caritas Herten"
    assert cafe.website == "https://www.example.org"
    assert [a.slug for a in cafe.life_areas.all()] == ["sprache"]
    assert sorted(lang.code for lang in cafe.languages.all()) == ["ar", "de"]
    assert sorted((s.weekday, str(s.opens_at)) for s in cafe.schedules.all()) == [
        (1, "10:00:00"),
        (3, "14:00:00"),
    ]
    assert cafe.locations.get().municipality.slug == "herten"
    job = Offer.objects.get(source_id="A-2")
    assert job.cost == "fee" and job.schedules.get().kind == "appointment"
    again = import_offers(actor=None, fmt="csv", path=path)
    assert (again.created, again.updated) == (0, 2)
    assert Offer.objects.count() == 2


def test_latin1_file_is_read(tmp_path, district):
    text = "\n".join([HEADER, *ROWS]).replace("€", "EUR")
    path = write(tmp_path, "latin1.csv", text, encoding="latin-1")
    report = import_offers(actor=None, fmt="csv", path=path)
    assert report.ok, report.as_text()
    assert report.encoding in ("Windows-1252", "Latin-1")
    assert Offer.objects.get(source_id="A-1").summary == "Deutsch üben bei Kaffee"


def test_invalid_rows_are_reported_with_line_and_reason(tmp_path, district):
    path = write(tmp_path, "bad.csv", "\n".join([HEADER, ROWS[0], *BAD_ROWS]))
    report = import_offers(actor=None, fmt="csv", path=path)
    # All or nothing: one valid row, five rejected, nothing imported – every reason reported.
    assert not report.ok and report.failed.startswith("5 ")
    assert Offer.objects.count() == 0
    lines = {r.line: r.reason for r in report.rejected}
    assert sorted(lines) == [3, 4, 5, 6, 7]
    assert "Träger" in lines[3]
    assert "Berlin" in lines[5]
    assert "32.13.2020" in lines[6]
    text = report.as_text()
    assert "3" in text and "Berlin" in text

    # After seeing the reasons, the editor may import the valid row on purpose.
    report = import_offers(actor=None, fmt="csv", path=path, skip_rejected=True)
    assert report.ok and report.created == 1 and len(report.rejected) == 5
    assert Offer.objects.count() == 1


def test_missing_required_column_fails_clearly(tmp_path, district):
    path = write(tmp_path, "wrong.csv", "Titel;Farbe\nX;rot\n")
    report = import_offers(actor=None, fmt="csv", path=path)
    assert not report.ok and "Träger" in report.failed
    assert Offer.objects.count() == 0


def test_column_mapping_overrides_the_guess(tmp_path, district):
    path = write(tmp_path, "mapped.csv", "Veranstaltung;Verein;Stadt\nTanzkurs;TV Marl;Marl\n")
    mapping = {"Veranstaltung": "name", "Verein": "organisation", "Stadt": "town"}
    report = import_offers(actor=None, fmt="csv", path=path, mapping=mapping)
    assert report.ok and report.created == 1, report.as_text()


def test_all_or_nothing_when_writing_fails(tmp_path, district, monkeypatch):
    path = write(tmp_path, "ok.csv", "\n".join([HEADER, *ROWS]))
    original = import_services.offer_create
    calls = []

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise ValueError("disk full")
        return original(**kwargs)

    monkeypatch.setattr(import_services, "offer_create", failing)
    report = import_offers(actor=None, fmt="csv", path=path)
    assert not report.ok and "disk full" in report.failed
    assert Offer.objects.count() == 0 and Organisation.objects.count() == 0


def test_dry_run_saves_nothing(tmp_path, district):
    path = write(tmp_path, "ok.csv", "\n".join([HEADER, *ROWS]))
    report = import_offers(actor=None, fmt="csv", path=path, dry_run=True)
    assert report.created == 2 and Offer.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="hsds.import").exists()


def test_huge_file_is_refused_without_reading_it(tmp_path, district):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024 + 1)
    report = import_offers(actor=None, fmt="csv", path=path)
    assert not report.ok and "50 MB" in report.failed


def test_broken_json_and_xlsx_fail_clearly(tmp_path, district):
    json_report = import_offers(actor=None, fmt="hsds", path=write(tmp_path, "x.json", "{oops"))
    assert "JSON" in json_report.failed
    xlsx_report = import_offers(actor=None, fmt="xlsx", path=write(tmp_path, "x.xlsx", "no zip"))
    assert "xlsx" in xlsx_report.failed


def test_xlsx_that_unpacks_beyond_the_limit_is_refused_unread(tmp_path, district, monkeypatch):
    """An XLSX is a zip: a small file may unpack to gigabytes (openpyxl reads the shared
    strings whole). As for Ohana zips, the unpacked size is bounded before anything is read."""
    import openpyxl
    from openpyxl import Workbook

    from wegweiser.hsds import parsers

    workbook = Workbook()
    workbook.active.append(["Name", "Träger"])
    for i in range(10):
        workbook.active.append([f"{i}" + "a" * 30_000, "Träger"])
    path = tmp_path / "bomb.xlsx"
    workbook.save(path)
    assert path.stat().st_size < 20_000
    monkeypatch.setattr(parsers, "MAX_UNPACKED_BYTES", 100_000, raising=False)

    def unread(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", unread)
    report = import_offers(actor=None, fmt="xlsx", path=path)
    assert not report.ok and report.failed == "Die ZIP-Datei ist entpackt größer als erlaubt."
    assert Offer.objects.count() == 0


def test_hostile_json_and_csv_fail_clearly_instead_of_crashing(tmp_path, district):
    """Files from other directories are not to be trusted: JSON nested thousands deep and a
    CSV field beyond csv's limit end in a report that says why, like any unusable file (the
    back-office check would otherwise answer 500)."""
    from wegweiser.hsds.parsers import ImportFailed, table_preview

    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    report = import_offers(actor=None, fmt="hsds", path=deep)
    assert not report.ok and "JSON" in report.failed
    huge = write(tmp_path, "huge.csv", 'Name;Träger\n"' + "a" * 200_000 + '";Verein\n')
    report = import_offers(actor=None, fmt="csv", path=huge)
    assert not report.ok and report.failed.startswith("Zeile 2 lässt sich nicht als CSV lesen")
    with pytest.raises(ImportFailed):
        table_preview(huge, "csv", 5)
    assert Offer.objects.count() == 0


def test_xlsx_import(tmp_path, district):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Träger", "PLZ", "Alter von", "Website"])
    sheet.append(["Schwimmkurs", "DLRG Dorsten", 46282, 6, "'=HYPERLINK(1)"])
    path = tmp_path / "liste.xlsx"
    workbook.save(path)
    report = import_offers(actor=None, fmt="xlsx", path=path)
    assert report.ok and report.created == 1, report.as_text()
    offer = Offer.objects.get()
    assert offer.age_min == 6 and offer.locations.get().municipality.slug == "dorsten"


def test_ohana_sample_imports_and_is_searchable(district):
    report = import_offers(actor=None, fmt="ohana", path=OHANA_SAMPLE, skip_rejected=True)
    assert report.ok, report.as_text()
    assert report.created == 20
    assert [(r.line, r.name) for r in report.rejected] == [(258, "good food 4 u")]
    offer = Offer.objects.order_by("pk").first()
    assert offer.source_system == "ohana" and offer.is_published
    ranked = [int(pk) for pk, _score in search_ranked(kind="offer", query=offer.name).ranked]
    assert offer.pk in ranked
    assert AuditEvent.objects.filter(action="hsds.import.completed").count() == 1


def test_command(tmp_path, district, capsys):
    path = write(tmp_path, "ok.csv", "\n".join([HEADER, *ROWS]))
    call_command("import_offers", str(path), "--format", "csv", "--dry-run")
    assert "2" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("import_offers", str(tmp_path / "missing.csv"), "--format", "csv")


def test_possible_duplicates_from_the_editorial_app_are_reported(tmp_path, district, monkeypatch):
    import sys
    import types

    existing = make_offer(name="Sprachcafé Herten")
    calls = []

    def offer_find_duplicates(*, organisation, name, municipality):
        calls.append((organisation.name, name, municipality.slug if municipality else None))
        return [existing]

    package = types.ModuleType("wegweiser.editorial")
    selectors = types.ModuleType("wegweiser.editorial.selectors")
    selectors.offer_find_duplicates = offer_find_duplicates
    monkeypatch.setitem(sys.modules, "wegweiser.editorial", package)
    monkeypatch.setitem(sys.modules, "wegweiser.editorial.selectors", selectors)
    path = write(tmp_path, "ok.csv", "\n".join([HEADER, ROWS[0]]))
    report = import_offers(actor=None, fmt="csv", path=path)
    assert calls == [("Caritas Herten", "Sprachcafé Herten", "herten")]
    assert report.duplicates == ["Sprachcafé Herten ↔ Sprachcafé Herten"]
