"""`GET /api/v1/search` and `GET /api/v1/suggest`: the public search as JSON.

The public pages use the same selectors, so results agree with what a visitor sees.
"""

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.http import JsonResponse, QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View

from wegweiser.core.access import PublicViewMixin
from wegweiser.offers import selectors as offer_selectors
from wegweiser.offers.constants import MAX_QUERY_LENGTH
from wegweiser.pages import selectors as page_selectors
from wegweiser.pages.services import plain_text
from wegweiser.search.selectors import search_ranked, suggest_titles

from .problems import problem
from .snippets import highlight

TYPES = ("offer", "page")
MAX_LIMIT = 50
LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _int(value: str | None, default: int, low: int, high: int) -> int | None:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        return None
    return number if low <= number <= high else None


class SearchApi(PublicViewMixin, View):
    def get(self, request):
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
        with translation.override(language):
            if kind == "offer":
                body = self._offers(params, query, language, limit, page_number)
            else:
                body = self._pages(query, language, limit, page_number)
        return JsonResponse(body, json_dumps_params={"ensure_ascii": False})

    def _offers(
        self, params: QueryDict, query: str, language: str, limit: int, page_number: int
    ) -> dict:
        cleaned = QueryDict(mutable=True)
        cleaned["q"] = query
        for key in ("town", "life_area"):
            for value in params.getlist(key):
                cleaned.appendlist(key, value)
        filters = offer_selectors.offer_filters_from_query(cleaned)
        offers = offer_selectors.offer_search_public(filters=filters, language=language)
        paginator = Paginator(offers, limit)
        try:
            page = paginator.page(page_number)
        except EmptyPage:
            page = None
        ranking = {pk: position for position, pk in enumerate(filters.ranking or [])}
        results = []
        for offer in page.object_list if page else []:
            texts = offer_selectors.offer_display_texts(offer, language)
            position = ranking.get(offer.pk)
            results.append(
                {
                    "type": "offer",
                    "id": str(offer.uuid),
                    "source_id": offer.source_id or None,
                    "title": texts["name"],
                    "snippet": highlight(f"{texts['summary']} {texts['description']}", query),
                    "score": round(1 / (1 + position), 4) if position is not None else None,
                    "url": reverse("offers:offer-detail", kwargs={"uuid": offer.uuid}),
                }
            )
        facets = offer_selectors.offer_facets_public(filters=filters, language=language)
        return {
            "count": paginator.count,
            "did_you_mean": filters.did_you_mean or None,
            "results": results,
            "facets": {
                name: [
                    {"value": f.value, "label": f.label, "count": f.count, "selected": f.selected}
                    for f in values
                ]
                for name, values in facets.items()
                if name in ("life_area", "town", "target_group", "language", "cost", "access")
            },
        }

    def _pages(self, query: str, language: str, limit: int, page_number: int) -> dict:
        result = search_ranked(kind="page", query=query) if query else None
        ids = [int(object_id) for object_id, _score in result.ranked] if result else []
        scores = dict(result.ranked) if result else {}
        pages = page_selectors.page_list_public_by_ids(ids=ids, language=language)
        start = (page_number - 1) * limit
        results = []
        for page in pages[start : start + limit]:
            shown = page.display.translation
            results.append(
                {
                    "type": "page",
                    "id": str(page.uuid),
                    "source_id": page.source_id or None,
                    "title": shown.title,
                    "snippet": highlight(shown.excerpt or plain_text(shown.content), query),
                    "score": round(scores.get(str(page.pk), 0.0), 4),
                    "url": reverse("pages:page-detail", kwargs={"uuid": page.uuid}),
                }
            )
        return {
            "count": len(pages),
            "did_you_mean": (result.did_you_mean or None) if result else None,
            "results": results,
            "facets": {},
        }


class SuggestApi(PublicViewMixin, View):
    def get(self, request):
        kind = request.GET.get("type", "offer")
        if kind not in TYPES:
            return problem(
                status=400, title=_("Unknown type"), detail=_("Use type=offer or type=page.")
            )
        return JsonResponse(
            {"suggestions": suggest_titles(kind=kind, prefix=request.GET.get("q", ""))},
            json_dumps_params={"ensure_ascii": False},
        )
