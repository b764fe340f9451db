"""`GET /api/v1/search` and `GET /api/v1/suggest`: the public search as JSON.

The public pages use the same selectors, so results agree with what a visitor sees.
"""

import os
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from urllib.parse import urlencode

import numpy as np
from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db.models import F
from django.http import HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View

from wegweiser.core.access import PublicViewMixin
from wegweiser.offers import search_help
from wegweiser.offers import selectors as offer_selectors
from wegweiser.offers.constants import MAX_QUERY_LENGTH
from wegweiser.pages import selectors as page_selectors
from wegweiser.pages.services import plain_text
from wegweiser.search import geo, tokens
from wegweiser.search.selectors import search_ranked
from wegweiser.search.snippets import highlight

from .problems import ProblemApiMixin, json_response, problem

TYPES = ("offer", "page")
# A per-process cache of offer search responses, keyed by the query string and the change
# tokens of everything an offer result depends on (a save anywhere gives new tokens, so the
# next request recomputes). Popular queries ("Deutschkurs", "Kita") repeat all day; a hit
# costs the one token query instead of 10-20 ms of ranking. RESPONSE_CACHE_SIZE responses
# per process (0 switches it off), each kept at most RESPONSE_CACHE_SECONDS as a bound on
# anything the tokens might miss. Settings SEARCH_RESPONSE_CACHE and
# SEARCH_RESPONSE_CACHE_SECONDS or the WEGWEISER_… variables of the same names.
RESPONSE_CACHE_SIZE = int(
    getattr(
        settings,
        "SEARCH_RESPONSE_CACHE",
        os.environ.get("WEGWEISER_SEARCH_RESPONSE_CACHE", 512),
    )
)
RESPONSE_CACHE_SECONDS = float(
    getattr(
        settings,
        "SEARCH_RESPONSE_CACHE_SECONDS",
        os.environ.get("WEGWEISER_SEARCH_RESPONSE_CACHE_SECONDS", 60),
    )
)
_responses: OrderedDict = OrderedDict()
_responses_lock = threading.Lock()
_clock = time.monotonic
MAX_LIMIT = 50
LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _positions(ranking: "np.ndarray | None", pks: list[int]) -> dict[int, int]:
    """The positions of `pks` in `ranking` (up to MAX_RESULTS offer ids)."""
    if ranking is None or not pks:
        return {}
    found = np.flatnonzero(np.isin(ranking, pks))
    return {int(pk): int(position) for pk, position in zip(ranking[found], found, strict=True)}


_URL_PLACEHOLDER = uuid.UUID(int=0)


def _url_maker(name: str) -> Callable[[uuid.UUID], str]:
    """`reverse(name, kwargs={"uuid": …})` for the active language, resolved once for a
    whole result list (a reverse per result took 0.05 ms)."""
    prefix, _placeholder, suffix = reverse(name, kwargs={"uuid": _URL_PLACEHOLDER}).partition(
        str(_URL_PLACEHOLDER)
    )
    return lambda value: f"{prefix}{value}{suffix}"


def _int(value: str | None, default: int, low: int, high: int) -> int | None:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        return None
    return number if low <= number <= high else None


class SearchApi(ProblemApiMixin, PublicViewMixin, View):
    def get(self, request):
        # The change tokens of the snapshots are read once per request (TokensScopeMiddleware).
        params = request.GET
        kind = params.get("type", "offer")
        language = params.get("lang", settings.LANGUAGE_CODE)
        limit = _int(params.get("limit"), 10, 1, MAX_LIMIT)
        page_number = _int(params.get("page"), 1, 1, 10_000)
        if kind not in TYPES:
            return problem(
                status=400, title=_("Unknown type"), detail=_("Use type=offer or type=page.")
            )
        if language not in LANGUAGES:
            return problem(
                status=400,
                title=_("Unknown language"),
                detail=_("Use one of: %(codes)s.") % {"codes": ", ".join(sorted(LANGUAGES))},
            )
        if limit is None or page_number is None:
            return problem(
                status=400,
                title=_("Invalid paging"),
                detail=_("limit is 1 to %(max)s, page is 1 or more.") % {"max": MAX_LIMIT},
            )
        query = " ".join(params.get("q", "").split())[:MAX_QUERY_LENGTH]
        place, radius, geo_problem = self._place(params)
        if geo_problem is not None:
            return geo_problem
        cache_key = None
        if kind == "offer" and RESPONSE_CACHE_SIZE:
            cache_key = (
                request.get_full_path(),
                tuple(tokens.token_read(name) for name in tokens.ALL),
                # open_now depends on the clock
                timezone.now().strftime("%Y%m%d%H%M") if params.get("open_now") else "",
            )
            with _responses_lock:  # threaded workers share it
                cached = _responses.get(cache_key)
                if cached is not None and cached[1] > _clock():
                    _responses.move_to_end(cache_key)
                    return HttpResponse(cached[0], content_type="application/json")
        with translation.override(language):
            if kind == "offer":
                body = self._offers(params, query, language, limit, page_number, place, radius)
            else:
                body = self._pages(query, language, limit, page_number)
        response = json_response(body)
        # Not when an older snapshot answered (its successor still being built, tokens.py).
        if cache_key is not None and not tokens.served_stale():
            with _responses_lock:
                _responses[cache_key] = (
                    response.content,
                    _clock() + RESPONSE_CACHE_SECONDS,
                )
                _responses.move_to_end(cache_key)
                while len(_responses) > RESPONSE_CACHE_SIZE:
                    _responses.popitem(last=False)
        return response

    def _place(self, params: QueryDict):
        """The point to measure distances from (near= town or postcode, or lat/lon) and the
        radius; a problem response when they are given but unusable."""
        place = None
        if params.get("lat") or params.get("lon"):
            place = geo.place_from_coordinates(params.get("lat"), params.get("lon"))
            if place is None:
                return (
                    None,
                    None,
                    problem(
                        status=400,
                        title=_("Invalid position"),
                        detail=_("lat is -90 to 90 and lon is -180 to 180, both in degrees."),
                    ),
                )
        elif params.get("near"):
            place = geo.place_from_text(params["near"])
            if place is None:
                return (
                    None,
                    None,
                    problem(
                        status=400,
                        title=_("Unknown place"),
                        detail=_("near is a town of the district or one of its postcodes."),
                    ),
                )
        try:
            radius = geo.parse_radius(params.get("radius_km"))
        except (ValueError, ArithmeticError):
            return (
                None,
                None,
                problem(
                    status=400,
                    title=_("Invalid radius"),
                    detail=_("radius_km is a number of kilometres up to %(max)s.")
                    % {"max": int(geo.MAX_RADIUS_KM)},
                ),
            )
        if radius is not None and place is None:
            return (
                None,
                None,
                problem(
                    status=400,
                    title=_("Radius without a place"),
                    detail=_("Give near= (town or postcode) or lat and lon with radius_km."),
                ),
            )
        return place, radius, None

    def _offers(
        self,
        params: QueryDict,
        query: str,
        language: str,
        limit: int,
        page_number: int,
        place: geo.Place | None = None,
        radius: float | None = None,
    ) -> dict:
        cleaned = QueryDict(mutable=True)
        cleaned["q"] = query
        for key in ("town", "life_area", "target_group", "language", "cost", "access"):
            for value in params.getlist(key):
                cleaned.appendlist(key, value)
        for key in ("open_now", "online"):
            if params.get(key) == "1":
                cleaned[key] = "1"
        filters = offer_selectors.offer_filters_from_query(cleaned)
        if place is not None:
            # The radius narrows the results and the facet counts alike.
            filters.point = (place.latitude, place.longitude)
            filters.radius_km = radius
        by_distance = place is not None and (params.get("sort") == "distance" or not query)
        offers = offer_selectors.offer_search_public(
            filters=filters, language=language, sequence=not by_distance, texts_only=True
        )
        if by_distance and not isinstance(offers, offer_selectors.RankedOffers):
            # `distance_sq` is annotated by the search (filters.point), the radius applied.
            offers = offers.order_by(F("distance_sq").asc(nulls_last=True), "name")
        paginator = Paginator(offers, limit)
        paginator.count = offer_selectors.offer_count_public(filters=filters)  # no COUNT query
        try:
            page = paginator.page(page_number)
        except EmptyPage:
            page = None
        shown = page.object_list if page else []
        ranking = _positions(filters.ranking, [offer.pk for offer in shown])
        offer_url = _url_maker("offers:offer-detail")
        results = []
        for offer in shown:
            texts = offer_selectors.offer_display_texts(offer, language)
            position = ranking.get(offer.pk)
            results.append(
                {
                    "type": "offer",
                    "id": str(offer.uuid),
                    "source_id": offer.source_id or None,
                    "title": texts["name"],
                    "snippet": offer_selectors.offer_snippet(texts, query, filters.terms),
                    "score": round(1 / (1 + position), 4) if position is not None else None,
                    "url": offer_url(offer.uuid),
                }
            )
            if place is not None:
                results[-1]["distance_km"] = geo.distance_km(getattr(offer, "distance_sq", None))
        facets = offer_selectors.offer_facets_public(filters=filters, language=language)
        inactive = search_help.offer_inactive_by_name(query=query, language=language)
        body = {
            "inactive": [
                {
                    "id": str(offer.uuid),
                    "title": offer_selectors.offer_display_texts(offer, language)["name"],
                    "url": reverse("offers:offer-detail", kwargs={"uuid": offer.uuid}),
                }
                for offer in inactive
            ],
            "count": paginator.count,
            "near": place.label if place else None,
            "did_you_mean": filters.did_you_mean or None,
            "by_meaning": filters.by_meaning,
            "nearest_to": filters.nearest_to or None,
            "results": results,
            "facets": {
                name: [
                    {"value": f.value, "label": f.label, "count": f.count, "selected": f.selected}
                    for f in values
                ]
                for name, values in facets.items()
                if name in ("life_area", "town", "target_group", "language", "cost", "access")
            }
            | {
                name: [
                    {"value": f.value, "label": label, "count": f.count, "selected": f.selected}
                    for f in facets[name]
                ]
                for name, label in (("open_now", _("Open now")), ("online", _("Online")))
            },
        }
        if params.get("help") == "1" and page_number == 1:
            body |= self._help(params, filters, facets, query, language, paginator.count)
        return body

    def _help(
        self,
        params: QueryDict,
        filters: offer_selectors.OfferFilters,
        facets: dict,
        query: str,
        language: str,
        count: int,
    ) -> dict:
        """What the result page offers beside the results (help=1, first page), as further
        searches: the place, the language and the paging of this request stay, the
        suggestion's filters and words replace this one's. Asked for, since a search that
        found nothing costs three to four more."""
        kept = {k: params[k] for k in KEPT_PARAMETERS if params.get(k)}
        words = []
        if query:
            words = search_help.offer_filters_in_words(filters=filters, language=language)
        zero_help = None
        if count == 0:
            help_ = search_help.offer_zero_result_help(
                filters=filters, facets=facets, language=language
            )
            zero_help = {
                "fewer_filters": [_suggestion(s, kept) for s in help_.fewer_filters],
                "nearby_towns": [_suggestion(s, kept) for s in help_.nearby_towns],
                "life_areas": [_suggestion(s, kept) for s in help_.life_areas],
                "pages": [_page_link(page) for page in help_.pages],
            }
        guide_pages = []
        if count and filters.by_meaning:  # as the result page shows them
            guide_pages = search_help.guide_pages_for_words(query=query, language=language)
        return {
            "filters_in_words": [_suggestion(s, kept) for s in words],
            "zero_result_help": zero_help,
            "guide_pages": [_page_link(page) for page in guide_pages],
        }

    def _pages(self, query: str, language: str, limit: int, page_number: int) -> dict:
        result = search_ranked(kind="page", query=query) if query else None
        ids = [int(object_id) for object_id, _score in result.ranked] if result else []
        scores = dict(result.ranked) if result else {}
        pages = page_selectors.page_list_public_by_ids(ids=ids, language=language)
        start = (page_number - 1) * limit
        page_url = _url_maker("pages:page-detail")
        results = []
        for page in pages[start : start + limit]:
            shown = page.display.translation
            results.append(
                {
                    "type": "page",
                    "id": str(page.uuid),
                    "source_id": page.source_id or None,
                    "title": shown.title,
                    "snippet": highlight(
                        shown.excerpt or plain_text(shown.content),
                        query,
                        result.terms if result else frozenset(),
                    ),
                    "score": round(scores.get(str(page.pk), 0.0), 4),
                    "url": page_url(page.uuid),
                }
            )
        return {
            "count": len(pages),
            "did_you_mean": (result.did_you_mean or None) if result else None,
            "by_meaning": result.by_meaning if result else False,
            "results": results,
            "facets": {},
        }


# Parameters of a search that its suggestions keep (they set the filters and the words).
KEPT_PARAMETERS = ("type", "lang", "limit", "near", "lat", "lon", "sort", "help")


def _page_link(page) -> dict:
    return {
        "id": str(page.uuid),
        "title": page.display.translation.title,
        "url": reverse("pages:page-detail", kwargs={"uuid": page.uuid}),
    }


def _suggestion(suggestion: search_help.Suggestion, kept: dict[str, str]) -> dict:
    """A further search the result page offers, as its label, the number of offers it finds
    and the request that runs it."""
    params = {**kept, **suggestion.params}
    return {
        "label": suggestion.label,
        "count": suggestion.count,
        "params": params,
        "url": f"{reverse('api:search')}?{urlencode(params, doseq=True)}",
    }


class SuggestApi(ProblemApiMixin, PublicViewMixin, View):
    def get(self, request):
        kind = request.GET.get("type", "offer")
        language = request.GET.get("lang", settings.LANGUAGE_CODE)
        if kind not in TYPES:
            return problem(
                status=400, title=_("Unknown type"), detail=_("Use type=offer or type=page.")
            )
        if language not in LANGUAGES:
            return problem(
                status=400,
                title=_("Unknown language"),
                detail=_("Use one of: %(codes)s.") % {"codes": ", ".join(sorted(LANGUAGES))},
            )
        text = request.GET.get("q", "")
        if kind == "offer":
            suggestions = search_help.offer_name_suggestions(text=text, language=language)
        else:
            suggestions = page_selectors.page_title_suggestions(text=text, language=language)
        return json_response({"suggestions": suggestions})
