from datetime import datetime, time
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict

from wegweiser.core.models import Language, LifeArea
from wegweiser.editorial.services import location_save
from wegweiser.offers import selectors, services
from wegweiser.offers.constants import Cost, OfferStatus, ScheduleKind, TranslationState
from wegweiser.offers.search import offer_index
from wegweiser.offers.tests.factories import (
    LocationFactory,
    OfferFactory,
    ScheduleFactory,
    location_in,
)
from wegweiser.search.models import SearchDocument
from wegweiser.search.services import synonyms_load_defaults

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def _search(query: str, language: str = "de", now=None):
    filters = selectors.offer_filters_from_query(QueryDict(query))
    return filters, list(selectors.offer_search_public(filters=filters, language=language, now=now))


def _area(slug):
    return LifeArea.objects.get(slug=slug)


def test_search_hides_unpublished_and_inactive(district):
    shown = OfferFactory(name="Sprachcafé")
    OfferFactory(name="Sprachcafé alt", is_published=False)
    OfferFactory(name="Sprachcafé zu", status=OfferStatus.INACTIVE)
    _filters, results = _search("q=Sprachcaf")
    assert results == [shown]


def test_search_words_match_any_language_and_provider(district):
    offer = OfferFactory(name="Wohnungssuche")
    services.offer_translation_save(offer=offer, language="en", name="Finding a flat")
    assert _search("q=flat")[1] == [offer]
    assert _search(f"q={offer.organisation.name.split()[0]}")[1] == [offer]


def test_facets_or_within_and_across(district):
    herten_language = OfferFactory(
        name="A", locations=[location_in("herten")], life_areas=[_area("sprache")]
    )
    marl_language = OfferFactory(
        name="B", locations=[location_in("marl")], life_areas=[_area("sprache")]
    )
    herten_housing = OfferFactory(
        name="C", locations=[location_in("herten")], life_areas=[_area("wohnen")]
    )
    assert {o.name for o in _search("town=herten&town=marl")[1]} == {"A", "B", "C"}
    assert _search("town=herten&life_area=sprache")[1] == [herten_language]
    filters, _ = _search("town=herten&life_area=sprache")
    facets = selectors.offer_facets_public(filters=filters, language="de")
    towns = {f.value: f.count for f in facets["town"]}
    # The town facet counts with the life-area filter but without its own selection.
    assert towns["herten"] == 1 and towns["marl"] == 1
    areas = {f.value: f.count for f in facets["life_area"]}
    assert areas["sprache"] == 1 and areas["wohnen"] == 1
    assert marl_language and herten_housing


def test_unknown_filter_values_are_ignored_and_reported(district):
    OfferFactory()
    filters, results = _search("town=atlantis&life_area=%27%3B--&cost=gold&sort=evil&page=x")
    assert filters.ignored == ["cost", "life_area", "town"]
    assert filters.sort == "relevance"
    assert len(results) == 1


def test_open_now_uses_weekly_schedule(district):
    monday_morning = datetime(2026, 11, 23, 10, 0, tzinfo=BERLIN)
    open_offer = OfferFactory(name="offen")
    ScheduleFactory(offer=open_offer, weekday=0, opens_at=time(9), closes_at=time(12))
    closed_offer = OfferFactory(name="zu")
    ScheduleFactory(offer=closed_offer, weekday=1, opens_at=time(9), closes_at=time(12))
    ScheduleFactory(offer=closed_offer, kind=ScheduleKind.BY_APPOINTMENT)
    assert _search("open_now=1", now=monday_morning)[1] == [open_offer]


def test_accessibility_features_combine_with_and(district):
    both = OfferFactory(locations=[LocationFactory(step_free=True, accessible_toilet=True)])
    OfferFactory(locations=[LocationFactory(step_free=True)])
    assert _search("access=step_free&access=accessible_toilet")[1] == [both]


def test_cost_filter_and_distance_sort(district):
    near = OfferFactory(name="nah", cost=Cost.FREE, locations=[location_in("herten")])
    far = OfferFactory(name="fern", cost=Cost.FREE, locations=[location_in("dorsten")])
    OfferFactory(name="teuer", cost=Cost.FEE, locations=[location_in("herten")])
    results = _search("cost=free&sort=distance&near=herten")[1]
    assert results == [near, far]


def test_display_texts_fallback_and_outdated(district):
    offer = OfferFactory(name="Deutschkurs")
    services.offer_translation_save(offer=offer, language="ar", name="دورة ألمانية")
    shown = selectors.offer_get_public(uuid=offer.uuid, language="ar")
    assert selectors.offer_display_texts(shown, "ar")["name"] == "دورة ألمانية"
    german = selectors.offer_display_texts(
        selectors.offer_get_public(uuid=offer.uuid, language="uk"), "uk"
    )
    assert german["fallback"] is True and german["name"] == "Deutschkurs"
    services.offer_update(offer=offer, summary="Neuer Text")
    assert offer.translations.get(language="ar").state == TranslationState.OUTDATED


def test_attributes_are_found_by_their_names(district):
    synonyms_load_defaults()
    arabic = OfferFactory(name="Sozialberatung", cost=Cost.FEE)
    arabic.languages.set(Language.objects.filter(code__in=["de", "ar"]))
    german = OfferFactory(name="Elterncafé", cost=Cost.FEE)
    german.languages.set(Language.objects.filter(code="de"))
    OfferFactory(name="Deutschkurs am Abend", cost=Cost.FREE, is_online=True)
    OfferFactory(
        name="Deutschkurs am Morgen",
        cost=Cost.FEE,
        childcare=True,
        locations=[LocationFactory(step_free=True)],
    )
    for offer in (arabic, german):
        offer_index(offer)  # the languages were set after the factory indexed it

    def found(query: str) -> set[str]:
        return {offer.name for offer in _search(urlencode({"q": query}))[1]}

    for name in ("Arabisch", "arabische", "Arabic", "العربية"):
        assert found(name) == {"Sozialberatung"}, name
    assert found("Beratung Arabisch") == {"Sozialberatung"}
    # Held in German, as nearly every offer: "Deutsch" still means the German courses.
    assert found("Deutsch") == {"Deutschkurs am Abend", "Deutschkurs am Morgen"}
    assert found("Deutschkurs kostenlos") == found("gratis Deutschkurs") == {"Deutschkurs am Abend"}
    assert found("Deutschkurs online") == {"Deutschkurs am Abend"}
    assert found("Deutschkurs mit Kinderbetreuung") == {"Deutschkurs am Morgen"}
    assert found("stufenlos") == found("rollstuhlgerecht") == {"Deutschkurs am Morgen"}
    # The default list names the attributes in English too.
    assert found("wheelchair") == found("wheelchair accessible") == {"Deutschkurs am Morgen"}
    assert found("Deutschkurs free of charge") == {"Deutschkurs am Abend"}
    # Found, but neither shown as the offer's text nor embedded.
    document = SearchDocument.objects.get(kind="offer", object_id=str(arabic.pk))
    assert "Arabisch" not in document.text
    assert not document.passages.filter(text__contains="Arabisch").exists()


def test_a_location_made_step_free_makes_its_offers_findable_as_such(district):
    synonyms_load_defaults()
    location = LocationFactory()
    offer = OfferFactory(name="Sprechstunde", locations=[location])
    assert _search("q=barrierefrei")[1] == []
    location_save(actor=None, location=location, step_free=True)
    assert _search("q=barrierefrei")[1] == [offer]
