"""Public pages of the offers database: search, detail, providers, good practice."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import get_language
from django.views import View

from wegweiser.core.access import PublicViewMixin

from . import selectors, services
from .constants import ACCESSIBILITY_FEATURES, PAGE_SIZE, Sort


def _language() -> str:
    return (get_language() or "de").split("-")[0]


def _results(request, filters, language):
    offers = selectors.offer_search_public(filters=filters, language=language)
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
    for offer in page.object_list:
        offer.texts = selectors.offer_display_texts(offer, language)
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


class OfferListView(PublicViewMixin, View):
    """Search form and results with facets; htmx swaps only the results."""

    def get(self, request):
        language = _language()
        filters = selectors.offer_filters_from_query(request.GET)
        page, querystring = _results(request, filters, language)
        if filters.q and page.paginator.count == 0 and page.number == 1:
            services.zero_result_search_log(
                query=filters.q, language=language, filters=filters.as_dict()
            )
        context = {
            "filters": filters,
            "page": page,
            "querystring": querystring,
            "facets": selectors.offer_facets_public(filters=filters, language=language),
            "sorts": Sort.choices,
            "access_labels": ACCESSIBILITY_FEATURES,
        }
        # htmx swaps the results and, out of band, only the counts: the checkbox the user just
        # clicked keeps its focus.
        template = "offers/partials/results_htmx.html" if request.htmx else "offers/list.html"
        return render(request, template, context)


class OfferDetailView(PublicViewMixin, View):
    def get(self, request, uuid):
        language = _language()
        offer = selectors.offer_get_public(uuid=uuid, language=language)
        response = render(
            request,
            "offers/detail.html",
            {
                "offer": offer,
                "texts": selectors.offer_display_texts(offer, language),
                "is_open": selectors.offer_is_open(offer),
                "now": timezone.localtime(),
            },
        )
        response["Last-Modified"] = http_date(offer.updated_at.timestamp())
        return response


class OrganisationPublicView(PublicViewMixin, View):
    def get(self, request, uuid):
        language = _language()
        organisation = selectors.organisation_get_public(uuid=uuid)
        filters = selectors.OfferFilters(organisation=str(organisation.uuid))
        page, querystring = _results(request, filters, language)
        return render(
            request,
            "offers/organisation.html",
            {
                "organisation": organisation,
                "page": page,
                "querystring": querystring,
            },
        )


class GoodPracticeListView(PublicViewMixin, View):
    def get(self, request):
        language = _language()
        filters = selectors.OfferFilters(good_practice=True)
        page, querystring = _results(request, filters, language)
        return render(
            request, "offers/good_practice.html", {"page": page, "querystring": querystring}
        )
