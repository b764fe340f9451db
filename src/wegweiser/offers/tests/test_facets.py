"""The in-memory facet counts and filters equal the SQL reference; changes are seen at once."""

import random
from datetime import time

import pytest
from django.test import Client
from django.utils import timezone

from wegweiser.core.models import Language, LifeArea, Municipality, TargetGroup
from wegweiser.offers import facets
from wegweiser.offers.constants import ACCESSIBILITY_FEATURES, Cost, OfferStatus, ScheduleKind
from wegweiser.offers.models import Offer
from wegweiser.offers.selectors import (
    OfferFilters,
    _apply_sql,
    _facet_counts_sql,
    _published,
    offer_count_public,
    offer_search_public,
)

from .factories import LocationFactory, OfferFactory, ScheduleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers(district):
    rng = random.Random(3)
    towns = list(Municipality.objects.all()[:4])
    areas = list(LifeArea.objects.all()[:4])
    groups = list(TargetGroup.objects.all()[:3])
    languages = list(Language.objects.all()[:3])
    locations = [
        LocationFactory(
            municipality=towns[i % len(towns)],
            step_free=i % 2 == 0,
            accessible_toilet=i % 3 == 0,
            hearing_loop=i % 4 == 0,
        )
        for i in range(6)
    ]
    made = []
    for i in range(24):
        offer = OfferFactory(
            name=f"{rng.choice(['Deutschkurs', 'Beratung', 'Kita'])} {i}",
            cost=rng.choice(Cost.values),
            is_online=i % 3 == 0,
            is_good_practice=i % 5 == 0,
            is_published=i % 7 != 6,
            status=OfferStatus.INACTIVE if i == 10 else Offer._meta.get_field("status").default,
            locations=rng.sample(locations, rng.randint(0, 2)),
            life_areas=rng.sample(areas, rng.randint(0, 2)),
        )
        offer.target_groups.set(rng.sample(groups, rng.randint(0, 2)))
        offer.languages.set(rng.sample(languages, rng.randint(0, 2)))
        made.append(offer)
    now = timezone.now()
    local = timezone.localtime(now)
    ScheduleFactory(
        offer=made[1],
        kind=ScheduleKind.WEEKLY,
        weekday=local.weekday(),
        opens_at=time(0, 0),
        closes_at=time(23, 59, 59),
    )
    return {
        "now": now,
        "towns": [t.slug for t in towns],
        "areas": [a.slug for a in areas],
        "groups": [g.slug for g in groups],
        "languages": [lang.code for lang in languages],
        "organisation": str(made[2].organisation.uuid),
    }


def _cases(data):
    yield OfferFilters()
    yield OfferFilters(towns=data["towns"][:1])
    yield OfferFilters(towns=data["towns"][:2], life_areas=data["areas"][:1])
    yield OfferFilters(life_areas=data["areas"][1:3], costs=["free"], online=True)
    yield OfferFilters(target_groups=data["groups"][:1], languages=data["languages"][:2])
    yield OfferFilters(accessibility=["step_free", "accessible_toilet"])
    yield OfferFilters(accessibility=list(ACCESSIBILITY_FEATURES), towns=data["towns"][:3])
    yield OfferFilters(open_now=True)
    yield OfferFilters(good_practice=True, costs=["free", "fee"])
    yield OfferFilters(organisation=data["organisation"])
    yield OfferFilters(q="Beratung", towns=data["towns"][:2])
    yield OfferFilters(q="Deutschkurs", target_groups=data["groups"])
    yield OfferFilters(q="gibtesnicht")


def test_counts_and_results_equal_the_sql_reference(offers):
    now = offers["now"]
    arrays = facets.offer_arrays()
    for filters in _cases(offers):
        from wegweiser.offers.selectors import _masks

        _arrays, masks = _masks(filters, now)
        assert facets.facet_counts(arrays, masks, now) == _facet_counts_sql(
            filters=filters, now=now
        ), filters
        expected = set(_apply_sql(_published(), filters, now=now).values_list("pk", flat=True))
        found = {o.pk for o in offer_search_public(filters=filters, language="de", now=now)}
        assert found == expected, filters
        assert offer_count_public(filters=filters, now=now) == len(expected), filters


def test_changes_are_seen_by_the_next_search(offers):
    herten = OfferFilters(towns=["herten"])
    before = len(offer_search_public(filters=herten, language="de"))
    offer = OfferFactory(locations=[LocationFactory()])  # the factory's town is Herten
    assert len(offer_search_public(filters=OfferFilters(towns=["herten"]), language="de")) == (
        before + 1
    )
    offer.is_published = False
    offer.save()
    assert len(offer_search_public(filters=OfferFilters(towns=["herten"]), language="de")) == (
        before
    )


def test_the_api_radius_narrows_the_facet_counts(offers):
    far = LocationFactory(latitude="52.500000", longitude="13.400000")  # Berlin
    OfferFactory(name="Fernkurs", locations=[far], cost="fee")
    client = Client()
    everywhere = client.get("/api/v1/search", {"q": "Fernkurs"}).json()
    near = client.get(
        "/api/v1/search", {"q": "Fernkurs", "near": "herten", "radius_km": "20"}
    ).json()
    assert everywhere["count"] == 1
    assert near["count"] == 0
    fee = {f["value"]: f["count"] for f in everywhere["facets"]["cost"]}
    assert fee["fee"] == 1
    assert {f["value"]: f["count"] for f in near["facets"]["cost"]}["fee"] == 0


def test_ranked_pages_keep_the_sql_order(offers, monkeypatch):
    from wegweiser.offers import selectors

    monkeypatch.setattr(selectors, "RANKED_ORDER_LIMIT", 3)  # exercise the by-name tail
    for q in ("Beratung", "Deutschkurs Kita", "Kita"):
        filters = OfferFilters(q=q)
        ranked = offer_search_public(filters=filters, language="de")
        expected = list(
            selectors._ordered(_apply_sql(_published(), filters), filters).values_list(
                "pk", flat=True
            )
        )
        assert [o.pk for o in ranked] == expected
        assert len(ranked) == len(expected)
        assert [o.pk for o in ranked[2:5]] == expected[2:5]


def test_distances_of_ranked_pages_equal_the_sql_ones(offers):
    client = Client()
    params = {"q": "Beratung", "near": "herten", "limit": "50"}
    ranked = client.get("/api/v1/search", params).json()["results"]
    by_sql = client.get("/api/v1/search", {**params, "sort": "distance"}).json()["results"]
    assert ranked
    assert {r["id"]: r["distance_km"] for r in ranked} == {
        r["id"]: r["distance_km"] for r in by_sql
    }


def test_lists_without_words_keep_the_sql_order(offers):
    now = offers["now"]
    for filters in _cases(offers):
        if filters.q:
            continue
        expected = list(
            _apply_sql(_published(), filters, now=now)
            .order_by("-is_good_practice", "name", "pk")
            .values_list("pk", flat=True)
        )
        found = offer_search_public(filters=filters, language="de", now=now)
        assert [o.pk for o in found] == expected, filters
        assert [o.pk for o in found[2:5]] == expected[2:5], filters  # a page of it
