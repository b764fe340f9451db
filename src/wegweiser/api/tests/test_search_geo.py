"""Distance sort and radius filter from a town, a postcode or the browser's position."""

import pytest

from wegweiser.core.models import Municipality
from wegweiser.offers.tests.factories import LocationFactory, OfferFactory
from wegweiser.search import geo

pytestmark = pytest.mark.django_db

# Town centres of the demo district (core data): Herten, Marl, Dorsten.
PLACES = {
    "herten": ("51.595000", "7.141000"),
    "marl": ("51.656000", "7.090000"),
    "dorsten": ("51.661000", "6.965000"),
}


@pytest.fixture
def offers(district):
    made = {}
    for slug, (lat, lon) in PLACES.items():
        town = Municipality.objects.get(slug=slug)
        made[slug] = OfferFactory(
            name=f"Sprachcafé {town.name}",
            locations=[LocationFactory(municipality=town, latitude=lat, longitude=lon)],
        )
    made["online"] = OfferFactory(name="Sprachcafé online", locations=[])
    return made


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [r["title"] for r in response.json()["results"]]


def test_places_from_town_postcode_and_coordinates(district):
    assert geo.place_from_text("Herten").label == "Herten"
    assert geo.place_from_text("haltern-am-see").label == "Haltern am See"
    assert geo.place_from_text("45768").label == "45768 Marl"
    assert geo.place_from_text("99999") is None
    assert geo.place_from_text("Atlantis") is None
    # As people type them: spaces for hyphens, umlauts or not, the start of one town's
    # name, a typo, a postcode with its town.
    for typed, town in [
        ("Castrop Rauxel", "Castrop-Rauxel"),
        ("castrop", "Castrop-Rauxel"),
        ("Oer Erkenschwick", "Oer-Erkenschwick"),
        ("Haltern", "Haltern am See"),
        ("Hertn", "Herten"),
        ("Recklinghusen", "Recklinghausen"),
        ("  MARL ", "Marl"),
    ]:
        assert geo.place_from_text(typed).label == town, typed
    assert geo.place_from_text("45699 Herten").label == "45699 Herten"
    assert geo.place_from_text("He") is None  # too short to tell towns apart
    assert geo.place_from_text("Berlin") is None
    assert geo.place_from_coordinates("51.6", "7.1").latitude == 51.6
    for lat, lon in [("91", "7"), ("51", "181"), ("nan", "7"), ("x", "y"), (None, "7")]:
        assert geo.place_from_coordinates(lat, lon) is None


def test_sort_by_distance_from_a_town(client, offers):
    response = client.get(
        "/api/v1/search", {"q": "Sprachcafé", "near": "dorsten", "sort": "distance"}
    )
    assert titles(response)[:3] == ["Sprachcafé Dorsten", "Sprachcafé Marl", "Sprachcafé Herten"]
    results = response.json()["results"]
    assert results[0]["distance_km"] == 0.0
    assert 8 < results[1]["distance_km"] < 10  # Dorsten–Marl is about 8.6 km
    assert results[-1]["title"] == "Sprachcafé online" and results[-1]["distance_km"] is None
    assert response.json()["near"] == "Dorsten"


def test_radius_from_a_postcode(client, offers):
    # 45699 is Herten; Marl is ~7 km away, Dorsten ~13 km.
    response = client.get("/api/v1/search", {"q": "Sprachcafé", "near": "45699", "radius_km": "10"})
    assert sorted(titles(response)) == ["Sprachcafé Herten", "Sprachcafé Marl"]


def test_browser_position_without_query_sorts_by_distance(client, offers):
    response = client.get("/api/v1/search", {"lat": "51.66", "lon": "6.97", "radius_km": "5"})
    assert titles(response) == ["Sprachcafé Dorsten"]
    response = client.get("/api/v1/search", {"lat": "51.60", "lon": "7.14"})
    assert titles(response)[:3] == ["Sprachcafé Herten", "Sprachcafé Marl", "Sprachcafé Dorsten"]


@pytest.mark.parametrize(
    "params",
    [
        {"near": "Atlantis"},
        {"near": "12345"},
        {"lat": "100", "lon": "7"},
        {"lat": "51.6"},
        {"lat": "51.6", "lon": "7.1", "radius_km": "-3"},
        {"lat": "51.6", "lon": "7.1", "radius_km": "abc"},
        {"lat": "51.6", "lon": "7.1", "radius_km": "100000"},
        {"radius_km": "5"},
    ],
)
def test_bad_geo_parameters_give_problem_json(client, offers, params):
    response = client.get("/api/v1/search", {"q": "Sprachcafé", **params})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
