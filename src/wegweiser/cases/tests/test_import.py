"""CSV import of intakes: encodings, per-row errors, all or nothing, idempotent."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from wegweiser.accounts.constants import OrganisationKind, Role
from wegweiser.accounts.tests.factories import OrganisationFactory
from wegweiser.cases.importer import intakes_import
from wegweiser.cases.models import Intake, Person
from wegweiser.core.models import Language
from wegweiser.privacy.tests.consent_factories import make_notice

HEADER = "ref;given_name;family_name;town;arrival_date;email;languages;consent;consent_language;notice_version\n"


@pytest.fixture
def office(db):
    return OrganisationFactory(name="Bürgerbüro Import", kind=OrganisationKind.TOWN)


@pytest.fixture
def clerk(make_member, office):
    return make_member(Role.REGISTRATION_CLERK, office)


@pytest.fixture
def setup(town, db):
    for code in ("ar", "uk"):
        Language.objects.get_or_create(code=code, defaults={"name": code, "native_name": code})
    make_notice(language="de", version=1)
    make_notice(language="ar", version=1)
    return town


def _csv(town, *rows):
    lines = [HEADER]
    for ref, given, family, extra in rows:
        lines.append(
            f"{ref};{given};{family};{town.name};{extra.get('date', '01.10.2026')};"
            f"{extra.get('email', '')};{extra.get('languages', 'ar')};{extra.get('consent', 'ja')};"
            f"{extra.get('lang', 'ar')};{extra.get('version', '1')}\n"
        )
    return "".join(lines)


def test_import_utf8_bom_and_idempotent(setup, clerk, office):
    raw = ("\ufeff" + _csv(setup, ("A1", "Jürgen", "Müller", {}), ("A2", "Olha", "K", {}))).encode()
    result = intakes_import(actor=clerk, office=office, raw=raw)
    assert result.ok, result.errors
    assert result.created == 2
    assert Person.objects.filter(given_name="Jürgen").exists()
    again = intakes_import(actor=clerk, office=office, raw=raw)
    assert again.ok and again.created == 0 and again.skipped == 2
    assert Intake.objects.count() == 2


def test_import_latin1(setup, clerk, office):
    raw = _csv(setup, ("L1", "Jürgen", "Größe", {})).encode("latin-1")
    result = intakes_import(actor=clerk, office=office, raw=raw)
    assert result.ok, result.errors
    assert Person.objects.get().family_name == "Größe"


def test_import_rejects_bad_rows_and_imports_nothing(setup, clerk, office):
    raw = _csv(
        setup,
        ("B1", "Gut", "Zeile", {}),
        ("B2", "", "Ohne Vorname", {}),
        ("B3", "Falsches", "Datum", {"date": "31.31.2026"}),
        ("B1", "Doppelte", "Referenz", {}),
        ("B5", "Gut", "Zeile", {}),
        ("B6", "Unbekannte", "Sprache", {"languages": "xx"}),
        ("B7", "Kaputte", "Mail", {"email": "nicht-mail"}),
        ("B8", "Komische", "Einwilligung", {"consent": "vielleicht"}),
        ("B9", "Ohne", "Text", {"version": "9"}),
    ).encode()
    result = intakes_import(actor=clerk, office=office, raw=raw)
    lines = {line for line, _reason in result.errors}
    assert lines == {3, 4, 5, 6, 7, 8, 9, 10}
    assert not Intake.objects.exists() and not Person.objects.exists()


def test_import_missing_columns(setup, clerk, office):
    result = intakes_import(actor=clerk, office=office, raw=b"ref;given_name\nA;B\n")
    assert result.errors and result.errors[0][0] == 1
    assert "family_name" in result.errors[0][1]


def test_import_empty_and_binary_files(setup, clerk, office):
    assert not intakes_import(actor=clerk, office=office, raw=b"").ok
    assert not intakes_import(actor=clerk, office=office, raw=b"\x00\xff\xfe garbage").ok
    assert not Intake.objects.exists()


def test_import_refusal_keeps_no_contact(setup, clerk, office):
    raw = _csv(setup, ("R1", "Nein", "Sager", {"consent": "nein", "email": "x@example.org"}))
    result = intakes_import(actor=clerk, office=office, raw=raw.encode())
    assert result.ok, result.errors
    person = Person.objects.get()
    assert person.email == "" and person.languages == []


def test_import_upload_page_shows_line_errors(setup, clerk, office, login):
    raw = _csv(setup, ("C1", "", "X", {})).encode()
    response = login(clerk).post(
        reverse("backoffice:intake-import"), {"file": SimpleUploadedFile("l.csv", raw)}
    )
    assert response.status_code == 400
    assert "Zeile 2: given_name ist leer" in response.content.decode()
    assert not Intake.objects.exists()
    ok = _csv(setup, ("C2", "Gut", "X", {})).encode()
    response = login(clerk).post(
        reverse("backoffice:intake-import"), {"file": SimpleUploadedFile("l.csv", ok)}
    )
    assert response.status_code == 302
    assert Intake.objects.count() == 1


def test_import_upload_refuses_a_file_too_large_for_any_list(setup, clerk, office, login):
    from wegweiser.cases.forms import INTAKE_IMPORT_MAX_BYTES

    raw = _csv(setup, ("C1", "Gut", "X", {})).encode()
    raw += b"\n" * (INTAKE_IMPORT_MAX_BYTES - len(raw) + 1)
    response = login(clerk).post(
        reverse("backoffice:intake-import"), {"file": SimpleUploadedFile("l.csv", raw)}
    )
    assert response.status_code == 400
    assert "Die Datei ist größer als 5 MB." in response.content.decode()
    assert not Intake.objects.exists()


def test_import_command(setup, clerk, office, tmp_path):
    path = tmp_path / "liste.csv"
    path.write_bytes(_csv(setup, ("D1", "Gut", "X", {})).encode())
    call_command("import_intakes", str(path), office=str(office.uuid))
    assert Intake.objects.count() == 1
    call_command("import_intakes", str(path), office=str(office.uuid))
    assert Intake.objects.count() == 1
