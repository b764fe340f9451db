import json
import re

import pytest
from django.urls import reverse

from wegweiser.core.models import Municipality
from wegweiser.offers.tests.factories import LocationFactory, OfferFactory

pytestmark = pytest.mark.django_db


def test_map_lists_matching_offers_with_coordinates(client, district):
    herten = Municipality.objects.get(slug="herten")
    OfferFactory(name="Karte Herten", locations=[LocationFactory(municipality=herten)])
    OfferFactory(
        name="Karte Marl",
        locations=[LocationFactory(municipality=Municipality.objects.get(slug="marl"))],
    )
    content = client.get(reverse("offers:offer-map"), {"town": "herten"}).content.decode()
    data = json.loads(
        re.search(
            r'<script type="application/json" id="map-data">(.*?)</script>', content, re.S
        ).group(1)
    )
    assert [p["name"] for p in data] == ["Karte Herten"]
    assert data[0]["url"].startswith("/de/angebote/")
    # The list is always there, also when no map tiles load.
    assert '<ol class="map-list">' in content and "Karte Herten" in content


def test_map_without_tile_server_loads_nothing_from_elsewhere(client, district, settings):
    response = client.get(reverse("offers:offer-map"))
    assert 'data-tile-url=""' in response.content.decode()
    # django-csp does not keep the directives in a fixed order: compare them one by one.
    directives = dict(
        part.strip().split(" ", 1)
        for part in response.headers["Content-Security-Policy"].split(";")
        if part.strip()
    )
    assert directives["img-src"] == "'self' data:"


def test_map_constant_queries(client, district):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n):
        for _ in range(n):
            OfferFactory(locations=[LocationFactory(), LocationFactory()])

    add(3)
    client.get(reverse("offers:offer-map"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("offers:offer-map"))
    add(6)
    # The first request after a change rebuilds the in-memory snapshot (a fixed number of
    # queries, whatever the number of offers).
    client.get(reverse("offers:offer-map"))
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("offers:offer-map"))
    assert len(small) == len(large)
