"""Exports: HSDS JSON and tabular (schema-valid), XLSX, iCal, GeoJSON; formula injection."""

import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from wegweiser.accounts.models import Organisation
from wegweiser.hsds import exports, schemas
from wegweiser.hsds.services import import_offers
from wegweiser.offers.models import Location, Offer

from .conftest import assert_valid, make_offer, service_full_schema

pytestmark = pytest.mark.django_db

DANGEROUS = ['=HYPERLINK("http://x")', "+1+2", "-3+4", "@SUM(A1)"]


@pytest.fixture
def offers(district, org_a, org_b):
    first = make_offer(org_a, name="Sprachcafé")
    second = make_offer(org_b, name="Jobcafé", town="marl")
    second.summary = DANGEROUS[0]
    second.description = DANGEROUS[1]
    second.eligibility = DANGEROUS[2]
    second.cost_description = DANGEROUS[3]
    second.save()
    return [first, second]


def test_hsds_json_export_is_valid_and_matches_the_api(client, offers):
    services = json.loads(client.get("/api/hsds/export/services.json").content)
    assert len(services) == 2
    for service in services:
        assert_valid(service, service_full_schema())
    api = client.get("/api/hsds/services", {"full": "true"}).json()["contents"]
    assert services == api


def test_tabular_package(client, offers):
    response = client.get("/api/hsds/export/hsds-tabular.zip")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"services.csv", "organizations.csv", "locations.csv", "schedules.csv"} <= names
    assert "datapackage.json" in names
    rows = list(csv.DictReader(io.StringIO(archive.read("services.csv").decode())))
    assert len(rows) == 2
    dangerous = next(r for r in rows if r["name"] == "Jobcafé")
    assert dangerous["description"] == "'" + DANGEROUS[1]
    assert dangerous["eligibility_description"] == "'" + DANGEROUS[2]
    assert dangerous["fees_description"] == "'" + DANGEROUS[3]
    tables = exports.tabular_tables(exports.hsds_services())
    assert_valid(tables, schemas.compiled("tabular"))


def test_xlsx_escapes_formulas_and_imports_again(client, tmp_path, offers):
    response = client.get("/api/hsds/export/offers.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[0]
    assert headers[:5] == ("ID", "Name", "Kurzbeschreibung", "Beschreibung", "Träger")
    job = next(r for r in rows if r[1] == "Jobcafé")
    assert job[2] == "'" + DANGEROUS[0] and job[3] == "'" + DANGEROUS[1]
    for cell in next(sheet.iter_rows(min_row=2, max_row=3)):
        assert cell.data_type != "f"
    # The export is the import template: back into an empty database.
    Offer.objects.all().delete()
    Location.objects.all().delete()
    Organisation.objects.all().delete()
    path = tmp_path / "offers.xlsx"
    path.write_bytes(response.content)
    report = import_offers(actor=None, fmt="xlsx", path=path)
    assert report.ok and report.created == 2, report.as_text()
    assert Offer.objects.get(name="Jobcafé").summary == DANGEROUS[0]


def test_xlsx_export_survives_control_characters_in_texts(client, offers):
    # A line break pasted from a word processor is a vertical tab, which XLSX cannot hold; a
    # control character before a formula must not uncover the formula either.
    second = offers[1]
    second.description = "Erste Zeile\x0bzweite Zeile\x1b"
    second.eligibility = '\x01=HYPERLINK("http://x")'
    second.save()
    response = client.get("/api/hsds/export/offers.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    job = next(r for r in rows if r[1] == "Jobcafé")
    assert job[3] == "Erste Zeile\nzweite Zeile"
    assert job[12] == '\'=HYPERLINK("http://x")'


def test_ical_feed(client, offers):
    response = client.get("/api/hsds/export/offers.ics")
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 2
    assert "DTSTART:20260903T130000Z" in text  # 15:00 in Berlin (summer time)
    assert "SUMMARY:Sprachcafé" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_ical_organizer_name_is_one_quoted_parameter(client, offers):
    """An organisation name with `:`, `;`, `,` or quotes must not end the parameter early
    (calendar programs would read the rest of the name as the organiser's address)."""
    organisation = offers[0].organisation
    organisation.name = 'Verein "Brücke": Beratung; Kurse, Treffs'
    organisation.save(update_fields=["name"])
    text = client.get("/api/hsds/export/offers.ics").content.decode().replace("\r\n ", "")
    organizers = [line for line in text.split("\r\n") if line.startswith("ORGANIZER")]
    assert any(
        line.startswith("ORGANIZER;CN=\"Verein 'Brücke': Beratung; Kurse, Treffs\":mailto:")
        for line in organizers
    )


def test_geojson_feed(client, offers):
    body = json.loads(client.get("/api/hsds/export/offers.geojson").content)
    assert body["type"] == "FeatureCollection" and len(body["features"]) == 2
    feature = body["features"][0]
    lon, lat = feature["geometry"]["coordinates"]
    assert 6 < lon < 8 and 51 < lat < 52
    assert feature["properties"]["ags"].startswith("05562")
    assert feature["properties"]["url"].startswith("http://testserver/")


def test_unpublished_offers_are_not_exported(client, district, org_a):
    make_offer(org_a, name="Entwurf", is_published=False)
    assert json.loads(client.get("/api/hsds/export/services.json").content) == []
    assert "VEVENT" not in client.get("/api/hsds/export/offers.ics").content.decode()


def test_etag_on_exports(client, offers):
    first = client.get("/api/hsds/export/offers.geojson")
    again = client.get("/api/hsds/export/offers.geojson", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_export_command(tmp_path, offers):
    out = tmp_path / "services.json"
    call_command("export_offers", str(out), "--format", "json")
    assert len(json.loads(out.read_text())) == 2


@pytest.mark.parametrize("name", ["services.json", "offers.xlsx", "offers.ics"])
def test_downloads_are_built_once_until_the_offers_change(
    client, offers, settings, tmp_path, django_assert_max_num_queries, name
):
    """A public download is built from every published offer: the workers share the built
    file, and a change to an offer or an organisation is in the next download."""
    settings.WEGWEISER_EXPORT_CACHE_SECONDS = 300
    settings.WEGWEISER_EXPORT_CACHE_DIR = tmp_path
    url = f"/api/hsds/export/{name}"
    first = client.get(url)
    with django_assert_max_num_queries(3):  # the token and the organisations' last change
        again = client.get(url)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert len(list(tmp_path.iterdir())) == 1

    offers[0].name = "Sprachcafé am Markt"
    offers[0].save()
    assert client.get(url).content != first.content

    organisation = offers[1].organisation
    organisation.name = "Neuer Trägername"
    organisation.save()
    renamed = client.get(url).content
    assert renamed != first.content
    if name != "offers.xlsx":  # a zip file: its text is compressed
        assert "Neuer Trägername".encode() in renamed
