"""The HSDS API: every answer validated against the official compiled schemas (Draft 2020-12)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wegweiser.accounts.tests.factories import OrganisationFactory
from wegweiser.hsds import schemas
from wegweiser.hsds.constants import vocabulary_id
from wegweiser.offers.tests.factories import OfferFactory

from .conftest import assert_valid, make_offer, page_schema, service_full_schema

pytestmark = pytest.mark.django_db


def get_json(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status, response.content[:500]
    return response.json()


def test_root_names_version_profile_and_openapi(client, district):
    body = get_json(client, "/api/hsds/")
    assert body["version"] == "3.0"
    assert body["openapi_url"].endswith("/api/openapi.json")
    assert_valid(body, {"type": "object", "required": ["version", "profile", "openapi_url"]})
    assert client.get("/api/hsds/profile").json()["hsds_version"] == "3.0"


def test_services_list_basic_full_minimal_valid(client, offer):
    body = get_json(client, "/api/hsds/services")
    assert_valid(body, page_schema("service_list"))
    assert body["total_items"] == 1 and body["contents"][0]["id"] == str(offer.uuid)
    full = get_json(client, "/api/hsds/services", full="true")
    assert_valid(full, page_schema("service_full"))
    service = full["contents"][0]
    assert service["schedules"] and service["service_at_locations"] and service["attributes"]
    minimal = get_json(client, "/api/hsds/services", minimal="true")
    assert set(minimal["contents"][0]) == {"id", "name", "status", "last_modified"}
    assert_valid(minimal, page_schema("service_list"))


def test_service_detail_is_fully_nested_with_profile_fields(client, offer):
    body = get_json(client, f"/api/hsds/services/{offer.uuid}")
    assert_valid(body, service_full_schema())
    assert body["assured_date"] == "2026-05-01"
    assert body["service_areas"][0]["ags"] == "05562020"
    assert body["service_areas"][0]["uri"] == "urn:de:ags:05562020"
    assert body["translations"][0]["language"] == "ar"
    assert body["summary"] == "Sprachcafé: Kurzbeschreibung"
    location = body["service_at_locations"][0]["location"]
    assert location["addresses"][0]["state_province"] == "Nordrhein-Westfalen"
    assert {s.get("byday") for s in body["schedules"]} == {"TU", None}


def test_only_published_offers_appear(client, district, org_a):
    hidden = OfferFactory(is_published=False, organisation=org_a)
    body = get_json(client, "/api/hsds/services")
    assert body["total_items"] == 0 and body["empty"] is True
    problem = client.get(f"/api/hsds/services/{hidden.uuid}")
    assert problem.status_code == 404
    assert problem["Content-Type"] == "application/problem+json"
    assert client.get(f"/api/hsds/organizations/{org_a.uuid}").status_code == 404


def test_filters(client, offer, org_b):
    other = make_offer(org_b, name="Jobcafé", town="marl")
    other.life_areas.clear()
    term = vocabulary_id("life_area", "sprache")
    ids = [
        s["id"] for s in get_json(client, "/api/hsds/services", taxonomy_term_id=term)["contents"]
    ]
    assert ids == [str(offer.uuid)]
    ids = [
        s["id"]
        for s in get_json(client, "/api/hsds/services", organization_id=str(org_b.uuid))["contents"]
    ]
    assert ids == [str(other.uuid)]
    assert get_json(client, "/api/hsds/services", modified_after="2999-01-01")["total_items"] == 0
    assert get_json(client, "/api/hsds/services", modified_after="2000-01-01")["total_items"] == 2
    odd_offset = "0555-01-26T09:40:05-19:48"
    assert get_json(client, "/api/hsds/services", modified_after=odd_offset)["total_items"] == 2
    found = get_json(client, "/api/hsds/services", search="Jobcafé")["contents"]
    assert [s["id"] for s in found] == [str(other.uuid)]
    page = get_json(client, "/api/hsds/services", per_page=1, page=2)
    assert page["page_number"] == 2 and page["total_pages"] == 2 and page["last_page"]
    assert page["size"] == 1 and not page["first_page"]


@pytest.mark.parametrize(
    "params",
    [
        {"page": "0"},
        {"per_page": "1000"},
        {"page": "x"},
        {"full": "maybe"},
        {"modified_after": "yesterday"},
        {"modified_after": "9999-12-31T23:59:59-23:00"},
    ],
)
def test_bad_parameters_are_problems(client, district, params):
    response = client.get("/api/hsds/services", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 400


def test_organizations(client, offer, org_a):
    body = get_json(client, "/api/hsds/organizations")
    assert_valid(body, page_schema("organization_list"))
    assert [o["id"] for o in body["contents"]] == [str(org_a.uuid)]
    detail = get_json(client, f"/api/hsds/organizations/{org_a.uuid}")
    assert_valid(detail, schemas.compiled("organization"))
    assert detail["services"][0]["id"] == str(offer.uuid)
    full = get_json(client, f"/api/hsds/organizations/{org_a.uuid}", full_service="true")
    assert full["services"][0]["schedules"]
    assert client.get("/api/hsds/organizations/not-a-uuid").status_code == 404


def test_taxonomies_and_terms(client, district):
    body = get_json(client, "/api/hsds/taxonomies")
    assert_valid(body, page_schema("taxonomy"))
    assert body["total_items"] == 2
    terms = get_json(client, "/api/hsds/taxonomy_terms", per_page=100)
    assert_valid(terms, page_schema("taxonomy_term"))
    assert terms["total_items"] > 10
    only = get_json(
        client, "/api/hsds/taxonomy_terms", taxonomy_id=body["contents"][0]["id"], per_page=100
    )
    assert {t["taxonomy"] for t in only["contents"]} == {body["contents"][0]["name"]}


def test_service_at_locations_postcode_and_proximity(client, offer, org_b):
    make_offer(org_b, name="Fernes Angebot", town="haltern-am-see")
    body = get_json(client, "/api/hsds/service_at_locations")
    assert_valid(body, page_schema("service_at_location_list"))
    assert body["total_items"] == 2
    herten = get_json(client, "/api/hsds/service_at_locations", postcode="45699")
    assert [s["service"]["name"] for s in herten["contents"]] == ["Sprachcafé"]
    near = get_json(client, "/api/hsds/service_at_locations", postcode="45699", proximity="3000")
    assert near["total_items"] == 1
    wide = get_json(client, "/api/hsds/service_at_locations", postcode="45699", proximity="50000")
    assert wide["total_items"] == 2
    assert client.get("/api/hsds/service_at_locations", {"proximity": "10"}).status_code == 400
    assert client.get("/api/hsds/service_at_locations", {"postcode": "abc"}).status_code == 400


def test_etag_and_if_none_match(client, offer):
    first = client.get("/api/hsds/services")
    etag = first["ETag"]
    assert etag
    again = client.get("/api/hsds/services", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    offer.name = "Geändert"
    offer.save()
    assert client.get("/api/hsds/services", HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/hsds/services?full=true",
        "/api/hsds/services",
        "/api/hsds/organizations",
        "/api/hsds/service_at_locations",
    ],
)
def test_list_query_count_is_constant(client, district, org_a, org_b, url):
    make_offer(org_a, name="A1")
    make_offer(org_b, name="B1")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(2):
        make_offer(OrganisationFactory(), name=f"A{n + 2}")
        make_offer(OrganisationFactory(), name=f"B{n + 2}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.json()["total_items"] >= 4
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_openapi_document(client, district):
    body = get_json(client, "/api/openapi.json")
    assert body["openapi"] == "3.1.0"
    for path in (
        "/api/hsds/services",
        "/api/hsds/services/{id}",
        "/api/v1/search",
        "/api/v1/suggest",
    ):
        assert path in body["paths"]


def test_search_api_still_answers(client, district):
    assert client.get("/api/v1/search", {"q": "x"}).status_code == 200
