"""Public pages of the offers database: search, detail, providers, good practice."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from wegweiser.core.access import PublicViewMixin
from wegweiser.core.html import json_for_script
from wegweiser.core.selectors import life_area_get, municipality_get
from wegweiser.search import geo

from . import search_help, selectors, services
from .constants import ACCESSIBILITY_FEATURES, PAGE_SIZE, OfferStatus, Sort
from .forms import BarrierReportForm, OfferFeedbackForm, OfferSuggestionForm
from .handouts import offer_handout_pdf

# Radii (km) the search form offers around a town, a postcode or the browser's position.
RADIUS_CHOICES = [2, 5, 10, 20]


def _language() -> str:
    return (get_language() or "de").split("-")[0]


def _results(request, filters, language, params=None):
    offers = selectors.offer_search_public(filters=filters, language=language)
    paginator = Paginator(offers, PAGE_SIZE)
    paginator.count = selectors.offer_count_public(filters=filters)  # no COUNT query
    page = paginator.get_page(request.GET.get("page"))
    for offer in page.object_list:
        offer.texts = selectors.offer_display_texts(offer, language)
        offer.distance_km = geo.distance_km(getattr(offer, "distance_sq", None))
        if filters.q:
            # The words found, marked in their context (escaped by `offer_snippet`).
            snippet = selectors.offer_snippet(offer.texts, filters.q, filters.terms)
            offer.snippet = mark_safe(snippet) if "<mark>" in snippet else ""  # noqa: S308
    params = (params or request.GET).copy()
    params.pop("page", None)
    return page, params.urlencode()


class OfferListView(PublicViewMixin, View):
    """Search form and results with facets; htmx swaps only the results."""

    heading = ""

    def preset(self, request, **kwargs) -> dict:
        """Filters fixed by the URL (a town or life-area page); none for the search page."""
        return {}

    def get(self, request, **kwargs):
        language = _language()
        preset = self.preset(request, **kwargs)
        params = request.GET.copy()
        for key, value in preset.get("params", {}).items():
            if value not in params.getlist(key):
                params.appendlist(key, value)
        filters = selectors.offer_filters_from_query(params)
        page, querystring = _results(request, filters, language, params)
        if filters.q and page.number == 1 and (page.paginator.count == 0 or filters.by_meaning):
            services.zero_result_search_log(
                query=filters.q,
                language=language,
                filters=filters.as_dict(),
                by_meaning=page.paginator.count > 0,
            )
        facets = selectors.offer_facets_public(filters=filters, language=language)
        empty = page.paginator.count == 0
        context = {
            "filters": filters,
            "page": page,
            "querystring": querystring,
            "facets": facets,
            # Shown beside "Filters", which a phone folds (offers/filters.js).
            "active_filters": sum(f.selected for values in facets.values() for f in values),
            "zero_help": (
                search_help.offer_zero_result_help(
                    filters=filters, facets=facets, language=language
                )
                if empty
                else None
            ),
            "word_filters": (
                search_help.offer_filters_in_words(filters=filters, language=language)
                if filters.q and page.number == 1
                else []
            ),
            "inactive": (
                search_help.offer_inactive_by_name(query=filters.q, language=language)
                if filters.q and page.number == 1
                else []
            ),
            # No offer holds the words, the results are the closest by meaning: the guide's
            # pages may answer better (an empty result has them in zero_help).
            "guide_pages": (
                search_help.guide_pages_for_words(query=filters.q, language=language)
                if filters.by_meaning and not empty and page.number == 1
                else []
            ),
            "sorts": Sort.choices,
            "radius_choices": RADIUS_CHOICES,
            "access_labels": ACCESSIBILITY_FEATURES,
            "heading": preset.get("heading", ""),
            "intro": preset.get("intro", ""),
        }
        # htmx swaps the results and, out of band, only the counts: the checkbox the user just
        # clicked keeps its focus.
        template = "offers/partials/results_htmx.html" if request.htmx else "offers/list.html"
        return render(request, template, context)


class SearchSuggestionsView(PublicViewMixin, View):
    """Names for the search box's suggestion list (`<datalist>`, filled by htmx as one types)."""

    def get(self, request):
        names = search_help.offer_name_suggestions(
            text=request.GET.get("q", ""), language=_language()
        )
        return render(request, "offers/partials/suggestions.html", {"names": names})


class TownOffersView(OfferListView):
    """All offers in one town: the search page with the town filter set."""

    def preset(self, request, slug=None):
        town = municipality_get(slug=slug)
        return {
            "params": {"town": town.slug},
            "heading": _("Offers in %(town)s") % {"town": town.name},
        }


class LifeAreaOffersView(OfferListView):
    """All offers of one life area: the search page with the life-area filter set."""

    def preset(self, request, slug=None):
        area = life_area_get(slug=slug)
        return {
            "params": {"life_area": area.slug},
            "heading": area.translated_name(_language()),
            "intro": area.description if _language() == "de" else "",
        }


class OfferDetailView(PublicViewMixin, View):
    def get(self, request, uuid):
        language = _language()
        offer = selectors.offer_get_public(uuid=uuid, language=language)
        url = request.build_absolute_uri(request.path)
        context = {
            "offer": offer,
            "texts": selectors.offer_display_texts(offer, language),
            "json_ld": json_for_script(selectors.offer_json_ld(offer, url=url, language=language)),
            "is_open": selectors.offer_is_open(offer),
            "now": timezone.localtime(),
            "map_data": json_for_script(
                [dict(p, url=request.path) for p in selectors.offer_location_points(offer)]
            ),
            "tile_url": settings.WEGWEISER_MAP_TILE_URL,
            "attribution": settings.WEGWEISER_MAP_ATTRIBUTION,
            # Contact persons are published with the offer while it runs (OfferContact.Privacy);
            # the page of an ended offer stays for old links, their names and numbers do not.
            "contacts": [] if offer.status == OfferStatus.INACTIVE else offer.contacts.all(),
            "flyers": [a for a in offer.attachments.all() if a.kind == "flyer"],
            "photos": [a for a in offer.attachments.all() if a.kind == "photo"],
        }
        response = render(request, "offers/detail.html", context)
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


class OfferFeedbackView(PublicViewMixin, View):
    """ "Report a mistake": a short form on its own page, so that the offer page stays cacheable."""

    template_name = "offers/feedback.html"

    def get(self, request, uuid):
        offer = selectors.offer_get_public(uuid=uuid, language=_language())
        return render(
            request,
            self.template_name,
            {
                "offer": offer,
                "texts": selectors.offer_display_texts(offer, _language()),
                "form": OfferFeedbackForm(),
                "sent": request.GET.get("sent") == "1",
            },
        )

    def post(self, request, uuid):
        offer = selectors.offer_get_public(uuid=uuid, language=_language())
        form = OfferFeedbackForm(request.POST)
        if not form.is_valid():
            return render(
                request,
                self.template_name,
                {
                    "offer": offer,
                    "texts": selectors.offer_display_texts(offer, _language()),
                    "form": form,
                },
                status=400,
            )
        services.offer_feedback_create(
            offer=offer,
            message=form.cleaned_data["message"],
            contact_email=form.cleaned_data["contact_email"],
            language=_language(),
        )
        return redirect(f"{request.path}?sent=1")


class OfferSuggestionView(PublicViewMixin, View):
    """ "Suggest an offer" for providers without an account."""

    template_name = "offers/suggest.html"

    def get(self, request):
        return render(
            request,
            self.template_name,
            {"form": OfferSuggestionForm(), "sent": request.GET.get("sent") == "1"},
        )

    def post(self, request):
        form = OfferSuggestionForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        data = {k: v for k, v in form.cleaned_data.items() if k != "homepage"}
        services.offer_suggestion_create(language=_language(), **data)
        return redirect(f"{request.path}?sent=1")


class BarrierReportView(PublicViewMixin, View):
    """ "Report a barrier": the feedback mechanism the accessibility statement points to."""

    template_name = "offers/barrier_report.html"

    def get(self, request):
        # The page where the barrier is, when a link brings it along (a path on this site only).
        location = request.GET.get("page", "")
        if not location.startswith("/") or location.startswith("//"):
            location = ""
        form = BarrierReportForm(initial={"location": location[:500]})
        return render(
            request, self.template_name, {"form": form, "sent": request.GET.get("sent") == "1"}
        )

    def post(self, request):
        form = BarrierReportForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        services.barrier_report_create(
            location=form.cleaned_data["location"],
            message=form.cleaned_data["message"],
            contact_email=form.cleaned_data["contact_email"],
            language=_language(),
        )
        return redirect(f"{request.path}?sent=1")


class OfferHandoutView(PublicViewMixin, View):
    """The offer as a printable PDF, in `?language=` or the page language (German fallback)."""

    def get(self, request, uuid):
        language = request.GET.get("language") or _language()
        if language not in {code for code, _name in settings.LANGUAGES}:
            raise Http404
        offer = selectors.offer_get_public(uuid=uuid, language=language)
        offer_url = request.build_absolute_uri(
            reverse("offers:offer-detail", kwargs={"uuid": offer.uuid})
        )
        pdf = offer_handout_pdf(offer=offer, language=language, offer_url=offer_url)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="angebot-{offer.uuid}-{language}.pdf"'
        return response


class OfferMapView(PublicViewMixin, View):
    """The matching offers on a map (Leaflet, tiles configurable) and, always, as a list."""

    def get(self, request):
        language = _language()
        filters = selectors.offer_filters_from_query(request.GET)
        points = selectors.offer_map_points(filters=filters, language=language)
        for point in points:
            point["url"] = reverse("offers:offer-detail", kwargs={"uuid": point["uuid"]})
        return render(
            request,
            "offers/map.html",
            {
                "filters": filters,
                "points": points,
                "map_data": json_for_script(points),
                "tile_url": settings.WEGWEISER_MAP_TILE_URL,
                "attribution": settings.WEGWEISER_MAP_ATTRIBUTION,
                "querystring": request.GET.urlencode(),
            },
        )
