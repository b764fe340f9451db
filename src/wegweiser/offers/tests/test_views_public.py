import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wegweiser.core.models import LifeArea
from wegweiser.offers import services
from wegweiser.offers.models import ZeroResultSearch
from wegweiser.offers.tests.factories import LocationFactory, OfferFactory, ScheduleFactory

pytestmark = pytest.mark.django_db


def _offers(n):
    area = LifeArea.objects.get(slug="sprache")
    for _ in range(n):
        offer = OfferFactory(locations=[LocationFactory()], life_areas=[area])
        ScheduleFactory(offer=offer, weekday=2)
        services.offer_translation_save(offer=offer, language="en", name="Course")


def test_offer_list_shows_results_and_counts(client, district):
    _offers(3)
    response = client.get("/de/angebote/?life_area=sprache")
    content = response.content.decode()
    assert response.status_code == 200
    assert "3 Angebote gefunden" in content or "3 offers found" in content
    assert 'id="count-life_area-sprache"' in content


def test_offer_list_htmx_returns_results_and_out_of_band_counts(client, district):
    _offers(2)
    response = client.get("/de/angebote/?life_area=sprache", HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "<html" not in content
    assert 'hx-swap-oob="true"' in content


@pytest.mark.parametrize("url_name", ["offers:offer-list", "offers:good-practice-list"])
def test_offer_lists_constant_queries(client, district, url_name):
    url = reverse(url_name)
    _offers(3)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _offers(6)
    # The first search after a change rebuilds the in-memory snapshot (a fixed number of
    # queries, whatever the number of offers); the lists themselves stay constant.
    client.get(url)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small) == len(large)


def test_offer_detail_constant_queries(client, district):
    offer = OfferFactory(locations=[LocationFactory(), LocationFactory()])
    ScheduleFactory(offer=offer, weekday=1)
    url = reverse("offers:offer-detail", kwargs={"uuid": offer.uuid})
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(4):
        offer.offer_locations.create(location=LocationFactory())
        ScheduleFactory(offer=offer, weekday=3)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small) == len(large)


def test_offer_detail_arabic_falls_back_to_german_with_note(client, district):
    offer = OfferFactory(name="Deutschkurs für Frauen", phone="+49 2366 123456")
    content = client.get(f"/ar/angebote/{offer.uuid}/").content.decode()
    assert 'dir="rtl"' in content
    assert '<h1 lang="de" dir="ltr">Deutschkurs für Frauen</h1>' in content
    assert 'href="tel:+492366123456"' in content


def test_offer_detail_unknown_and_unpublished_are_404(client, district):
    hidden = OfferFactory(is_published=False)
    assert client.get(f"/de/angebote/{hidden.uuid}/").status_code == 404
    assert client.get("/de/angebote/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/de/angebote/not-a-uuid/").status_code == 404


def test_offer_detail_etag_gives_304(client, district):
    offer = OfferFactory()
    url = f"/de/angebote/{offer.uuid}/"
    first = client.get(url)
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.parametrize(
    "query", ["x" * 10000, '"*NEAR(', "'; DROP TABLE offers_offer;--", "😀 مرحبا Привіт"]
)
def test_offer_list_bad_input_never_errors(client, district, query):
    _offers(1)
    assert client.get("/de/angebote/", {"q": query, "page": "999999"}).status_code == 200


def test_zero_result_search_is_logged_without_personal_data(client, district):
    client.get("/de/angebote/", {"q": "Unterwasserrugby", "town": "herten"})
    logged = ZeroResultSearch.objects.get()
    assert logged.query == "Unterwasserrugby"
    assert logged.filters == {"towns": ["herten"]}


def test_sitemap_lists_offers_with_hreflang(client, district):
    offer = OfferFactory()
    content = client.get("/sitemap.xml").content.decode()
    assert f"/de/angebote/{offer.uuid}/" in content
    assert re.search(r'hreflang="ar"', content)


def test_offer_list_typo_shows_did_you_mean(client, district):
    OfferFactory(name="Schwimmkurs für Frauen")
    content = client.get("/de/angebote/", {"q": "Schwimmkurz"}).content.decode()
    assert "Schwimmkurs für Frauen" in content
    assert "?q=" in content and 'class="note"' in content
    # WCAG 3.1.2: the corrected German word keeps its language on an Arabic page.
    arabic = client.get("/ar/angebote/", {"q": "Schwimmkurz"}).content.decode()
    assert '<a href="?q=Schwimmkurs" lang="de" dir="ltr">Schwimmkurs</a>' in arabic
    assert '<a href="?q=Schwimmkurs">Schwimmkurs</a>' in content
