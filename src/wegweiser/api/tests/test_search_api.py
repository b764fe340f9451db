import itertools
from urllib.parse import quote

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wegweiser.core.models import LifeArea, Municipality
from wegweiser.offers import services
from wegweiser.offers.tests.factories import LocationFactory, OfferFactory

pytestmark = pytest.mark.django_db
SOURCE_IDS = itertools.count()

RESULT = {
    "type": "object",
    "required": ["type", "id", "source_id", "title", "snippet", "score", "url"],
    "properties": {
        "type": {"enum": ["offer", "page"]},
        "id": {"type": "string"},
        "source_id": {"type": ["string", "null"]},
        "title": {"type": "string"},
        "snippet": {"type": "string"},
        "score": {"type": ["number", "null"]},
        "url": {"type": "string"},
        "distance_km": {"type": ["number", "null"]},
    },
    "additionalProperties": False,
}
SCHEMA = {
    "type": "object",
    "required": ["count", "results", "facets"],
    "properties": {
        "count": {"type": "integer"},
        "results": {"type": "array", "items": RESULT},
        "facets": {"type": "object"},
        "did_you_mean": {"type": ["string", "null"]},
        "by_meaning": {"type": "boolean"},
        "nearest_to": {"type": ["string", "null"]},
    },
}


def _offers(n, name="Deutschkurs für Frauen"):
    herten = Municipality.objects.get(slug="herten")
    area = LifeArea.objects.get(slug="sprache")
    return [
        OfferFactory(
            name=f"{name} {i}",
            source_id=f"hsds-{next(SOURCE_IDS)}",
            source_system="hsds",
            locations=[LocationFactory(municipality=herten)],
            life_areas=[area],
        )
        for i in range(n)
    ]


def test_search_api_contract_and_filters(client, district):
    offers = _offers(3)
    services.offer_translation_save(offer=offers[0], language="ar", name="دورة ألمانية للنساء")
    response = client.get(
        "/api/v1/search", {"q": "Deutschkurs", "type": "offer", "town": "herten", "lang": "ar"}
    )
    assert response.status_code == 200
    body = response.json()
    jsonschema.validate(body, SCHEMA)
    assert body["count"] == 3
    titles = {r["title"] for r in body["results"]}
    assert "دورة ألمانية للنساء" in titles
    assert all(r["source_id"].startswith("hsds-") for r in body["results"])
    assert "<mark>" in body["results"][0]["snippet"] or body["results"][0]["snippet"]
    assert {f["value"] for f in body["facets"]["town"] if f["count"]} == {"herten"}
    assert client.get("/api/v1/search", {"q": "Deutschkurs", "town": "marl"}).json()["count"] == 0


def test_search_api_typo_gives_did_you_mean(client, district):
    _offers(1, name="Schwimmkurs")
    body = client.get("/api/v1/search", {"q": "Schwimkurs"}).json()
    assert body["count"] == 1 and body["did_you_mean"]


@pytest.mark.parametrize(
    "params",
    [
        {"type": "person"},
        {"lang": "xx"},
        {"limit": "0"},
        {"limit": "1000"},
        {"page": "-1"},
        {"limit": "abc"},
    ],
)
def test_search_api_bad_parameters_give_problem_json(client, district, params):
    response = client.get("/api/v1/search", {"q": "x", **params})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"]


@pytest.mark.parametrize("q", ["", "x" * 10000, '"NEAR(*', "😀", "Привіт Kurs مرحبا"])
def test_search_api_odd_queries_never_error(client, district, q):
    _offers(1)
    response = client.get("/api/v1/search", {"q": q, "page": "99"})
    assert response.status_code == 200
    jsonschema.validate(response.json(), SCHEMA)


@pytest.mark.parametrize("language", ["de", "ar"])  # "ar": the translations are loaded too
def test_search_api_constant_queries(client, district, language):
    for offer in _offers(2):
        services.offer_translation_save(offer=offer, language="ar", name="دورة ألمانية")
    query = {"q": "Deutschkurs", "limit": "50", "lang": language}
    with CaptureQueriesContext(connection) as small:
        assert len(client.get("/api/v1/search", query).json()["results"]) == 2
    for offer in _offers(4, name="Deutschkurs Abend"):
        services.offer_translation_save(offer=offer, language="ar", name="دورة مسائية")
    with CaptureQueriesContext(connection) as large:
        results = client.get("/api/v1/search", query).json()["results"]
    assert len(results) == 6
    assert len(small) == len(large)
    if language == "ar":
        assert {r["title"] for r in results} == {"دورة ألمانية", "دورة مسائية"}


def test_search_api_pages_have_integreat_source_ids(client, district):
    from wegweiser.pages.services import page_create, page_translation_save

    page = page_create(actor=None, slug="miete")
    page.source_system, page.source_id = "integreat", "1234"
    page.save(update_fields=["source_system", "source_id"])
    page_translation_save(
        actor=None,
        page=page,
        language="de",
        title="Was ist die Bruttokaltmiete?",
        content="<p>Die Bruttokaltmiete ist die Miete mit Nebenkosten ohne Heizung.</p>",
    )
    body = client.get("/api/v1/search", {"q": "Bruttokaltmiete", "type": "page"}).json()
    jsonschema.validate(body, SCHEMA)
    assert body["results"][0]["source_id"] == "1234"
    assert body["results"][0]["url"].endswith(f"/ratgeber/{page.uuid}/")


def test_suggest_api(client, district):
    _offers(1, name="Wohnungssuche")
    assert client.get("/api/v1/suggest", {"q": "Wohn"}).json()["suggestions"] == ["Wohnungssuche 0"]


def test_suggestions_never_show_unpublished_or_inactive_offers(client, district):
    from wegweiser.offers.constants import OfferStatus
    from wegweiser.offers.tests.factories import OfferFactory

    OfferFactory(name="Wohnungsbörse Entwurf", is_published=False)
    OfferFactory(name="Wohnungsbörse alt", status=OfferStatus.INACTIVE)
    OfferFactory(name="Beratung zur Wohnung")
    OfferFactory(name="Wohnungsbörse")
    body = client.get("/api/v1/suggest", {"q": "wohnung"}).json()
    # Names starting with the text first.
    assert body["suggestions"] == ["Wohnungsbörse", "Beratung zur Wohnung"]


def test_suggestions_in_the_searchers_language(client, district):
    from wegweiser.offers import services
    from wegweiser.offers.tests.factories import OfferFactory

    offer = OfferFactory(name="Wohnungssuche")
    services.offer_translation_save(offer=offer, language="en", name="Flat search")
    draft = OfferFactory(name="Wohnungsentwurf", is_published=False)
    services.offer_translation_save(offer=draft, language="en", name="Flat draft")
    OfferFactory(name="Mieterverein")
    assert client.get("/api/v1/suggest", {"q": "flat", "lang": "en"}).json()["suggestions"] == [
        "Flat search"
    ]
    response = client.get("/api/v1/suggest", {"q": "flat", "lang": "xx"})
    assert response.status_code == 400


def test_page_suggestions_only_published(client, district):
    from wegweiser.pages.tests.factories import make_page

    make_page(title="Kita-Anmeldung")
    make_page(title="Kita-Entwurf", is_published=False)
    body = client.get("/api/v1/suggest", {"q": "kita", "type": "page"}).json()
    assert body["suggestions"] == ["Kita-Anmeldung"]


def test_suggestions_fold_case_and_umlauts_and_follow_saves(client, district):
    from wegweiser.offers import services
    from wegweiser.offers.tests.factories import OfferFactory

    offer = OfferFactory(name="Nähcafé am Markt")
    OfferFactory(name="Café International")

    def suggest(text):
        return client.get("/api/v1/suggest", {"q": text}).json()["suggestions"]

    assert suggest("naehcafe") == ["Nähcafé am Markt"]
    assert suggest("CAFE") == ["Café International", "Nähcafé am Markt"]  # starting first
    services.offer_update(offer=offer, name="Strickcafé am Markt")
    assert suggest("cafe") == ["Café International", "Strickcafé am Markt"]
    services.offer_update(offer=offer, is_published=False)
    assert suggest("markt") == []


# Values no form would send, in every parameter the public searches read: each is answered
# (results, no results or a 4xx problem), never with a server error, on both engines.
HOSTILE = [
    "'; DROP TABLE offers_offer;--",
    '"NEAR(*',
    "<script>alert(1)</script>",
    "-1",
    "1e999",
    "nan",
    "9" * 400,
    "%",
    "\\",
    "\u202e\u200b",
    "ä" * 3000,
]
INVALID_UTF8 = ["%ED%A0%80", "%FF%FE", "%C0%AF"]  # a lone surrogate, stray bytes, overlong
SEARCH_URLS = ["/api/v1/search", "/api/v1/suggest", "/de/angebote/", "/de/ratgeber/"]
PARAMETERS = [
    *("q", "type", "lang", "town", "life_area", "target_group", "language", "cost"),
    *("access", "open_now", "online", "near", "lat", "lon", "radius_km", "sort", "page"),
    "limit",
]


@pytest.mark.parametrize("name", PARAMETERS)
def test_hostile_parameter_values_never_error(client, district, name):
    _offers(2)
    failures = []
    base = "" if name == "q" else "q=Deutschkurs&"
    for url in SEARCH_URLS:
        for value in [*(quote(v) for v in HOSTILE), *INVALID_UTF8]:
            response = client.get(f"{url}?{base}{name}={value}")
            if response.status_code >= 500:
                failures.append((url, value[:20], response.status_code))
            elif url.startswith("/api/") and response.status_code >= 400:
                assert response["Content-Type"] == "application/problem+json"
    for value in HOSTILE:
        if client.get("/api/v1/search", {"type": "page", name: value}).status_code >= 500:
            failures.append(("type=page", value[:20]))
    assert not failures


def _published_schema(client) -> dict:
    """The search response as /api/openapi.json publishes it."""
    return client.get("/api/openapi.json").json()["components"]["schemas"]["SearchResponse"]


def test_every_parameter_the_search_reads_is_published(client, district):
    operation = client.get("/api/openapi.json").json()["paths"]["/api/v1/search"]["get"]
    published = {p["name"] for p in operation["parameters"]}
    read = {"q", "type", "lang", "limit", "page", "town", "life_area", "target_group"}
    read |= {"language", "cost", "access", "open_now", "online", "near", "lat", "lon"}
    assert published == read | {"radius_km", "sort", "help"}


def test_search_api_counts_open_now_and_online(client, district):
    _offers(2)
    OfferFactory(name="Deutschkurs online", is_online=True, life_areas=[])
    body = client.get("/api/v1/search", {"q": "Deutschkurs"}).json()
    jsonschema.validate(body, _published_schema(client))
    assert body["facets"]["online"] == [
        {"value": "1", "label": "Online", "count": 1, "selected": False}
    ]
    assert [f["label"] for f in body["facets"]["open_now"]] == ["Jetzt geöffnet"]
    assert client.get("/api/v1/search", {"q": "Deutschkurs", "online": "1"}).json()["count"] == 1


def test_search_api_offers_the_filters_its_words_name(client, district):
    _offers(3)
    params = {"q": "Deutschkurs in Herten", "lang": "de", "help": "1"}
    body = client.get("/api/v1/search", params).json()
    jsonschema.validate(body, _published_schema(client))
    [suggestion] = body["filters_in_words"]
    assert suggestion["label"] == "Herten" and suggestion["count"] == 3
    assert suggestion["params"] == {
        "lang": "de",
        "help": "1",
        "q": "Deutschkurs",
        "town": ["herten"],
    }
    followed = client.get(suggestion["url"]).json()
    assert followed["count"] == 3
    assert [f["value"] for f in followed["facets"]["town"] if f["selected"]] == ["herten"]
    # Not for a filter already chosen; only when asked, on the first page.
    chosen = {**params, "town": "herten"}
    assert client.get("/api/v1/search", chosen).json()["filters_in_words"] == []
    later = {**params, "page": "2", "limit": "1"}
    assert "filters_in_words" not in client.get("/api/v1/search", later).json()
    assert "filters_in_words" not in client.get("/api/v1/search", {"q": params["q"]}).json()


def test_search_api_helps_when_nothing_is_found(client, district):
    _offers(3)
    params = {"q": "Deutschkurs", "town": "marl", "near": "Marl", "help": "1"}
    body = client.get("/api/v1/search", params).json()
    jsonschema.validate(body, _published_schema(client))
    assert body["count"] == 0
    help_ = body["zero_result_help"]
    # Without the town (the label names the filter dropped), or in Herten, near Marl.
    assert [(s["label"], s["params"]) for s in help_["fewer_filters"]] == [
        ("Marl", {"near": "Marl", "help": "1", "q": "Deutschkurs"})
    ]
    assert [(s["label"], s["count"]) for s in help_["nearby_towns"]] == [("Herten", 3)]
    followed = client.get(help_["nearby_towns"][0]["url"]).json()
    assert followed["count"] == 3 and followed["near"] == "Marl"
    assert followed["zero_result_help"] is None
    found = client.get("/api/v1/search", {"q": "Deutschkurs", "help": "1"}).json()
    assert found["zero_result_help"] is None


def test_search_api_never_corrects_to_words_of_drafts_or_ended_offers(client, district):
    from wegweiser.offers.constants import OfferStatus

    draft = OfferFactory(name="Entwurf", description="Projekt Quarzelwumpe", is_published=False)
    OfferFactory(name="Beendet", description="Projekt Zirbelmaunz", status=OfferStatus.INACTIVE)
    OfferFactory(name="Sprachkurs", description="Deutsch lernen")
    for typo in ("Quarzelwumpf", "Zirbelmaunt"):
        body = client.get("/api/v1/search", {"q": typo, "help": "1"}).json()
        assert body["did_you_mean"] is None
        assert body["count"] == 0
        html = client.get("/de/angebote/", {"q": typo}).content.decode()
        assert "Quarzelwumpe" not in html and "Zirbelmaunz" not in html
    # Published, the draft's words are found and suggested; ended, they are gone again.
    services.offer_update(offer=draft, is_published=True)
    assert client.get("/api/v1/search", {"q": "Quarzelwumpf"}).json()["did_you_mean"] == (
        "Quarzelwumpe"
    )
    services.offer_update(offer=draft, status=OfferStatus.INACTIVE)
    assert client.get("/api/v1/search", {"q": "Quarzelwumpf"}).json()["did_you_mean"] is None


def test_search_api_never_lists_pages_below_unpublished_pages(client, district):
    from wegweiser.pages.services import page_update
    from wegweiser.pages.tests.factories import make_page

    parent = make_page(title="Interner Bereich", is_published=False)
    make_page(
        title="Wohnberechtigung beantragen",
        content="<p>Der Wohnberechtigungsschein Quarzelwumpe</p>",
        parent=parent,
    )
    body = client.get("/api/v1/search", {"q": "Wohnberechtigungsschein", "type": "page"}).json()
    assert body["count"] == 0 and body["results"] == []
    assert (
        client.get("/api/v1/search", {"q": "Quarzelwumpf", "type": "page"}).json()["did_you_mean"]
        is None
    )
    assert client.get("/api/v1/suggest", {"q": "Wohnber", "type": "page"}).json() == {
        "suggestions": []
    }
    # Publishing the parent shows the page in the search; unpublishing hides it again.
    page_update(actor=None, page=parent, is_published=True)
    body = client.get("/api/v1/search", {"q": "Wohnberechtigungsschein", "type": "page"}).json()
    assert [r["title"] for r in body["results"]] == ["Wohnberechtigung beantragen"]
    assert client.get("/api/v1/suggest", {"q": "Wohnber", "type": "page"}).json() == {
        "suggestions": ["Wohnberechtigung beantragen"]
    }
    assert (
        client.get("/api/v1/search", {"q": "Quarzelwumpf", "type": "page"}).json()["did_you_mean"]
        == "Quarzelwumpe"
    )
    page_update(actor=None, page=parent, is_published=False)
    assert (
        client.get("/api/v1/search", {"q": "Quarzelwumpf", "type": "page"}).json()["did_you_mean"]
        is None
    )
    html = client.get("/de/ratgeber/", {"q": "Wohnberechtigungsschein"}).content.decode()
    assert "Wohnberechtigung beantragen" not in html


def _is_problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"]
    return body


def test_errors_django_answers_itself_are_problem_json_under_api(client, district, monkeypatch):
    from django.test import Client

    from wegweiser.api.views import SearchApi

    _is_problem(client.get("/api/v1/unknown"), 404)
    _is_problem(client.get("/api/hsds/unknown"), 404)
    # More parameters than DATA_UPLOAD_MAX_NUMBER_FIELDS.
    many = "&".join(f"town=t{i}" for i in range(2000))
    _is_problem(client.get(f"/api/v1/search?{many}"), 400)
    # A method the read-only API does not have, also without a CSRF token.
    strict = Client(enforce_csrf_checks=True)
    for url in ("/api/v1/search", "/api/v1/suggest", "/api/hsds/services", "/api/openapi.json"):
        response = strict.post(url)
        _is_problem(response, 405)
        assert "GET" in response["Allow"] and "POST" not in response["Allow"]
    _is_problem(strict.delete("/api/hsds/export/offers.xlsx"), 405)

    def broken(self, request):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(SearchApi, "get", broken)
    quiet = Client(raise_request_exception=False)
    _is_problem(quiet.get("/api/v1/search"), 500)
    # Outside the API the site's own pages stay.
    response = client.get("/de/gibt-es-nicht/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
