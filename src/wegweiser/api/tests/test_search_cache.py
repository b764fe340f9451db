"""The search API's per-process snapshots and response cache never serve stale data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wegweiser.api import views
from wegweiser.offers import services
from wegweiser.offers.tests.factories import LocationFactory, OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[0, 50], ids=["no-cache", "cache"])
def cache(request, monkeypatch):
    monkeypatch.setattr(views, "RESPONSE_CACHE_SIZE", request.param)
    views._responses.clear()
    yield request.param
    views._responses.clear()


def _search(client, **params):
    response = client.get("/api/v1/search", params)
    assert response.status_code == 200
    return response.json()


def test_a_save_is_seen_by_the_next_request(client, district, cache):
    offer = OfferFactory(name="Nähcafé", locations=[LocationFactory()])
    assert _search(client, q="Nähcafé")["count"] == 1
    assert _search(client, q="Nähcafé", town="herten")["count"] == 1
    services.offer_update(offer=offer, name="Strickcafé")
    assert _search(client, q="Nähcafé")["count"] == 0
    assert _search(client, q="Strickcafé", town="herten")["count"] == 1
    services.offer_update(offer=offer, is_published=False)
    assert _search(client, q="Strickcafé")["count"] == 0


def test_search_queries_do_not_grow_with_the_offers(client, district, cache):
    def add(n):
        for i in range(n):
            OfferFactory(name=f"Deutschkurs {i}", locations=[LocationFactory()])

    params = {"q": "Deutschkurs", "town": "herten", "limit": "20"}
    add(3)
    _search(client, **params)
    with CaptureQueriesContext(connection) as small:
        _search(client, **params)
    add(6)
    _search(client, **params)  # rebuilds the snapshots once (a fixed number of queries)
    with CaptureQueriesContext(connection) as large:
        _search(client, **params)
    assert len(small) == len(large)
    if cache:
        assert len(large) == 1  # the change tokens only


def test_the_cache_is_on_by_default_and_a_response_expires(client, district, monkeypatch):
    assert views.RESPONSE_CACHE_SIZE > 0  # the default
    OfferFactory(name="Nähcafé", locations=[LocationFactory()])
    assert _search(client, q="Nähcafé")["count"] == 1
    with CaptureQueriesContext(connection) as hit:
        assert _search(client, q="Nähcafé")["count"] == 1
    assert len(hit) == 1  # the change tokens only
    later = views._clock() + views.RESPONSE_CACHE_SECONDS + 1
    monkeypatch.setattr(views, "_clock", lambda: later)
    with CaptureQueriesContext(connection) as expired:
        assert _search(client, q="Nähcafé")["count"] == 1
    assert len(expired) > 1  # computed again


def test_the_cache_keeps_at_most_its_size(client, district, monkeypatch):
    monkeypatch.setattr(views, "RESPONSE_CACHE_SIZE", 3)
    for word in ("Kita", "Arzt", "Kurs", "Job", "Wohnung"):
        _search(client, q=word)
    assert len(views._responses) == 3
    assert [key[0] for key in views._responses] == [
        f"/api/v1/search?q={word}" for word in ("Kurs", "Job", "Wohnung")
    ]


@pytest.mark.django_db(transaction=True)
def test_an_answer_from_an_older_snapshot_is_not_kept(client, district, settings):
    """At 100,000 offers a snapshot takes seconds to build: after a save, the older one answers
    until the new one is built in the background (tokens.TokenCache). Such an answer must not
    be cached under the new tokens."""
    from wegweiser.search import tokens

    for built in tokens.TokenCache.instances:
        built.clear()  # no values of earlier tests to answer with
    settings.SEARCH_BACKGROUND_BUILD_SECONDS = 0.0  # every build counts as slow
    OfferFactory(name="Nähcafé am Montag", locations=[LocationFactory()])
    assert _search(client, q="Nähcafé")["count"] == 1  # built in the request
    assert len(views._responses) == 1
    OfferFactory(name="Nähcafé am Freitag", locations=[LocationFactory()])
    views._responses.clear()
    assert _search(client, q="Nähcafé")["count"] == 1  # the older snapshots answered ...
    assert len(views._responses) == 0  # ... and that answer was not kept
    tokens.join_all()
    assert _search(client, q="Nähcafé")["count"] == 2
    assert len(views._responses) == 1
