"""Distances in the public search: a town or postcode typed in `near`, or the browser's
position (lat/lon), with a radius that narrows the results and the facet counts."""

import pytest
from django.http import QueryDict

from wegweiser.core.models import Municipality
from wegweiser.offers import search_help, selectors
from wegweiser.offers.tests.factories import OfferFactory, location_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def cafes(district):
    return {
        town: OfferFactory(name=f"Sprachcafé {town}", locations=[location_in(town)])
        for town in ("herten", "marl", "waltrop")
    }


def _filters(query: str):
    return selectors.offer_filters_from_query(QueryDict(query))


def test_a_postcode_or_a_town_name_is_a_place(cafes):
    filters = _filters("near=45699&sort=distance")
    herten = Municipality.objects.get(slug="herten")
    assert filters.point == (float(herten.latitude), float(herten.longitude))
    assert filters.place_label == "45699 Herten" and filters.sort == "distance"
    assert _filters("near=Marl").place_label == "Marl"
    unknown = _filters("near=99999&sort=distance")
    assert unknown.point is None and unknown.sort == "relevance" and "near" in unknown.ignored


def test_a_place_as_people_type_it_or_a_clear_message(client, cafes):
    # A typo: the town it names, shown in the field.
    content = client.get("/de/angebote/", {"near": "Hertn", "sort": "distance"}).content.decode()
    assert 'name="near" list="near-towns" value="Herten"' in content
    # Nowhere in the district: said so, the words kept in the field to correct them.
    content = client.get("/de/angebote/", {"near": "Atlantis"}).content.decode()
    assert "„<bdi>Atlantis</bdi>“ ist kein Ort und keine Postleitzahl im Kreis" in content
    assert 'name="near" list="near-towns" value="Atlantis"' in content


def test_sorted_by_distance_from_a_postcode_with_distances_shown(client, cafes):
    content = client.get("/de/angebote/", {"near": "45699", "sort": "distance"}).content.decode()
    order = [content.index(f"Sprachcafé {town}") for town in ("herten", "marl", "waltrop")]
    assert order == sorted(order)
    assert "0.0 km entfernt" in content or "0,0 km entfernt" in content


def test_the_browsers_position_and_a_radius_narrow_results_and_counts(client, cafes):
    marl = Municipality.objects.get(slug="marl")
    params = {"lat": str(marl.latitude), "lon": str(marl.longitude), "radius_km": "5"}
    filters = _filters("&".join(f"{k}={v}" for k, v in params.items()))
    assert filters.position and filters.radius_km == 5
    results = list(selectors.offer_search_public(filters=filters, language="de"))
    assert [o.name for o in results] == ["Sprachcafé marl"]
    facets = selectors.offer_facets_public(filters=filters, language="de")
    assert {f.value: f.count for f in facets["town"] if f.count} == {"marl": 1}
    content = client.get("/de/angebote/", params).content.decode()
    assert "Entfernungen von Ihrem Standort." in content
    assert _filters("lat=abc&lon=7").ignored == ["lat"]


def test_an_empty_radius_suggests_searching_without_it(cafes):
    filters = _filters("q=Sprachcafé&near=Haltern am See&radius_km=2")
    assert not list(selectors.offer_search_public(filters=filters, language="de"))
    facets = selectors.offer_facets_public(filters=filters, language="de")
    help_ = search_help.offer_zero_result_help(filters=filters, facets=facets, language="de")
    assert [(s.label, s.count) for s in help_.fewer_filters] == [("im Umkreis von 2 km", 3)]
    assert help_.fewer_filters[0].params == {"q": "Sprachcafé", "near": "Haltern am See"}
