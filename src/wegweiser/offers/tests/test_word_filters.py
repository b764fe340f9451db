"""Filters the words of a search name ("Beratung auf Arabisch"), offered as links."""

from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import override

from wegweiser.core.models import Language
from wegweiser.offers import search_help, selectors
from wegweiser.offers.constants import Cost
from wegweiser.offers.search import offer_index
from wegweiser.offers.tests.factories import OfferFactory, location_in
from wegweiser.search.services import synonyms_load_defaults

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers(district):
    synonyms_load_defaults()
    arabic = OfferFactory(name="Sozialberatung", cost=Cost.FEE, locations=[location_in("herten")])
    arabic.languages.set(Language.objects.filter(code__in=["de", "ar"]))
    offer_index(arabic)  # the languages were set after the factory indexed it
    OfferFactory(name="Elternberatung", cost=Cost.FREE, locations=[location_in("marl")])
    OfferFactory(
        name="Deutschkurs am Abend",
        cost=Cost.FREE,
        is_online=True,
        locations=[location_in("herten")],
    )
    OfferFactory(name="Deutschkurs am Morgen", cost=Cost.FEE, locations=[location_in("marl")])


def _suggested(query: str, language: str = "de"):
    filters = selectors.offer_filters_from_query(QueryDict(query))
    with override(language):  # as the page's language is
        suggestions = search_help.offer_filters_in_words(filters=filters, language=language)
    for s in suggestions:  # each link finds as many offers as it says
        linked = selectors.offer_filters_from_query(QueryDict(s.querystring))
        assert selectors.offer_search_public(filters=linked, language=language).count() == s.count
    return [(s.label, s.count, s.params) for s in suggestions]


def test_a_language_or_a_town_in_the_words_is_offered_as_its_filter(offers):
    # The stopword before the name goes with it.
    assert _suggested("q=Beratung auf Arabisch") == [
        ("العربية", 1, {"q": "Beratung", "language": ["ar"]})
    ]
    assert _suggested("q=Deutschkurs in Herten") == [
        ("Herten", 1, {"q": "Deutschkurs", "town": ["herten"]})
    ]
    # A filter already chosen is extended (OR within a filter), not repeated.
    assert _suggested("q=Kurs in Herten&town=marl") == [
        ("Herten", 2, {"q": "Kurs", "town": ["marl", "herten"]})
    ]
    assert _suggested("q=Deutschkurs Herten&town=herten") == []
    # Read as the search read it: "Hertn" is "Herten" (did you mean).
    assert _suggested("q=Deutschkurs Hertn") == [
        ("Herten", 1, {"q": "Deutschkurs", "town": ["herten"]})
    ]


def test_names_in_every_language_and_from_the_synonym_list(offers):
    free = ("kostenlos", 1, {"q": "Deutschkurs", "cost": ["free"]})
    assert _suggested("q=Deutschkurs kostenlos") == [free]
    assert _suggested("q=gratis Deutschkurs") == [free]  # a synonym of "kostenlos"
    assert _suggested("q=ücretsiz Deutschkurs") == [free]  # the Turkish label
    # In other scripts by the stem, after an article or a preposition, which goes too.
    assert _suggested("q=Deutschkurs مجانية", language="ar")[0][1:] == free[1:]
    arabic = {"q": "Beratung", "language": ["ar"]}
    assert _suggested("q=Beratung بالعربية", language="ar") == [("العربية", 1, arabic)]
    assert _suggested("q=Beratung на арабском", language="ru") == [("العربية", 1, arabic)]
    assert _suggested("q=Beratung باللغة", language="ar") == []  # "language", not a life area
    # The label in the searcher's language; without other words, the filter alone.
    assert _suggested("q=онлайн", language="ru") == [("Онлайн", 1, {"online": "1"})]


def test_no_link_that_would_mislead_or_find_nothing(offers):
    # "Deutsch" asks for German courses, not for offers held in German, as nearly all are.
    assert _suggested("q=Deutsch lernen") == []
    # Nothing in Waltrop: no link to an empty page.
    assert _suggested("q=Beratung in Waltrop") == []
    assert _suggested("q=Beratung für alle") == []  # "alle" is a word, not the group "Alle"
    assert _suggested("") == []
    # Many names: a few links, each counted once; odd input is words like any other.
    assert [label for label, *_ in _suggested("q=" + "Herten Marl Waltrop Dorsten " * 10)] == [
        "Herten",
        "Marl",
    ]
    for odd in ("\u202eArabisch", "🙂 Herten 🙂", "Herten\u200bMarl", "ar:Arabisch*", '"Herten"'):
        _suggested(urlencode({"q": odd}))


def test_the_result_page_shows_the_links(client, offers):
    response = client.get(reverse("offers:offer-list"), {"q": "Beratung auf Arabisch"})
    html = response.content.decode()
    assert "Suchwörter als Filter verwenden:" in html
    link = reverse("offers:offer-list") + "?" + urlencode({"q": "Beratung", "language": "ar"})
    assert f'href="{link.replace("&", "&amp;")}"><bdi>العربية</bdi>: 1 Angebot</a>' in html
