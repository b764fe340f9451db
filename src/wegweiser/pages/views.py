"""Public views of the guide (Ratgeber): the tree, a page, and its printable handout."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, get_language_info, override
from django.views import View

from wegweiser.core.access import PublicViewMixin
from wegweiser.offers.search_help import offer_count_for_words
from wegweiser.search.selectors import search_ranked

from . import selectors
from .constants import LANGUAGE_CODE_RE, SOURCE_LANGUAGE
from .handouts import UI_LANGUAGES, handout_pdf

MAX_QUERY_LENGTH = 200
MAX_PAGE_RESULTS = 30


def _current_language() -> str:
    return (get_language() or SOURCE_LANGUAGE).split("-")[0]


def _language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code


def _detail_url(page, language: str) -> str:
    with override(language):
        return reverse("pages:page-detail", kwargs={"uuid": page.uuid})


class PageListView(PublicViewMixin, View):
    """The tree of info pages, or the pages matching `?q=` (same engine as the offers search)."""

    def get(self, request):
        language = _current_language()
        query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
        if query:
            result = search_ranked(kind="page", query=query, limit=MAX_PAGE_RESULTS)
            ids = [int(object_id) for object_id, _score in result.ranked]
            results = selectors.page_list_public_by_ids(ids=ids, language=language)
            return render(
                request,
                "pages/page_list.html",
                {
                    "query": query,
                    "results": results,
                    "did_you_mean": result.did_you_mean,
                    # No page holds the words: the results are the closest by meaning.
                    "by_meaning": result.by_meaning,
                    # Offers for the same words: the other half of the answer (or the answer).
                    "offer_count": offer_count_for_words(query=query, language=language),
                },
            )
        pages = selectors.page_tree_public(language=language)
        return render(request, "pages/page_list.html", {"pages": pages})


class PageDetailView(PublicViewMixin, View):
    def get(self, request, uuid):
        language = _current_language()
        page = selectors.page_get_public(uuid=uuid)
        display = selectors.page_translation_for(page=page, language=language)
        if display is None:
            raise Http404
        languages = [
            {
                "code": t.language,
                "name": _language_name(t.language),
                "url": _detail_url(page, t.language) if t.language in UI_LANGUAGES else None,
                "handout_url": reverse("pages:page-handout", kwargs={"uuid": page.uuid})
                + f"?language={t.language}",
                "current": t.language == display.language,
            }
            for t in selectors.page_languages_public(page=page)
        ]
        return render(
            request,
            "pages/page_detail.html",
            {
                "page": page,
                "display": display,
                "translation": display.translation,
                "breadcrumbs": selectors.page_breadcrumbs_public(page=page, language=language),
                "children": selectors.page_children_public(page=page, language=language),
                "languages": languages,
                "ui_language": language,
            },
        )


class PageHandoutView(PublicViewMixin, View):
    def get(self, request, uuid):
        language = _current_language()
        page = selectors.page_get_public(uuid=uuid)
        requested = request.GET.get("language")
        if requested is not None:
            # A handout in a language the page does not have is not there: 404, no fallback.
            if not LANGUAGE_CODE_RE.match(requested):
                raise Http404
            translation = selectors.page_translation_in(page=page, language=requested)
            if translation is None:
                raise Http404
            display = selectors.DisplayTranslation(translation, requested_language=requested)
        else:
            display = selectors.page_translation_for(page=page, language=language)
            if display is None:
                raise Http404
        page_url = request.build_absolute_uri(
            reverse("pages:page-detail", kwargs={"uuid": page.uuid})
        )
        pdf = handout_pdf(page=page, display=display, page_url=page_url)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="ratgeber-{page.uuid}-{display.language}.pdf"'
        )
        return response
