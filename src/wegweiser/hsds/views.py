"""The HSDS 3.0 API under /api/hsds/ and the OpenAPI document: public, read-only, published only.

Every answer carries an ETag; a matching If-None-Match gets 304. Errors are RFC 9457 problem
details (application/problem+json).
"""

import hashlib
import json
import math
import uuid as uuid_module
from datetime import UTC, datetime, time

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views import View

from wegweiser.api.problems import ProblemApiMixin, problem
from wegweiser.core.access import PublicViewMixin
from wegweiser.core.constants import MunicipalityKind
from wegweiser.core.models import Municipality
from wegweiser.search.selectors import search_ranked

from . import representation, selectors
from .constants import (
    DEFAULT_PER_PAGE,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_PROXIMITY_METRES,
    TAXONOMY_LIFE_AREAS,
    TAXONOMY_TARGET_GROUPS,
)


class BadRequest(Exception):
    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


def json_response(request, body, *, content_type: str = "application/json") -> HttpResponse:
    """JSON with a strong ETag over the bytes; 304 when the client already has them."""
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(content).hexdigest()[:40] + '"'
    wanted = [
        t.strip().removeprefix("W/") for t in request.headers.get("If-None-Match", "").split(",")
    ]
    if etag in wanted or "*" in wanted:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(content, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=60"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _int_param(params, name: str, default: int, low: int, high: int) -> int:
    value = params.get(name, "")
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise BadRequest(
            _("%(name)s must be a whole number from %(low)s to %(high)s.")
            % {"name": name, "low": low, "high": high}
        )
    return number


def _bool_param(params, name: str) -> bool:
    value = params.get(name, "").lower()
    if value in ("", "false", "0"):
        return False
    if value in ("true", "1"):
        return True
    raise BadRequest(_("%(name)s must be true or false.") % {"name": name})


def _page(params, total: int) -> tuple[int, int, int]:
    page = _int_param(params, "page", 1, 1, MAX_PAGE)
    per_page = _int_param(params, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    return page, per_page, (page - 1) * per_page


def envelope(contents: list, *, total: int, page: int, per_page: int) -> dict:
    total_pages = math.ceil(total / per_page) if total else 0
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def _moment(value: str) -> datetime:
    try:
        moment = parse_datetime(value)
        if moment is None and (day := parse_date(value)):
            moment = datetime.combine(day, time.min)
    except ValueError:
        moment = None
    if moment is None:
        raise BadRequest(_("modified_after must be an ISO 8601 date or date and time."))
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        # In UTC: databases refuse unusual offsets such as -19:48.
        return moment.astimezone(UTC)
    except (OverflowError, ValueError) as error:
        raise BadRequest(_("modified_after must be an ISO 8601 date or date and time.")) from error


def _uuid_or_404(value: str) -> str:
    try:
        return str(uuid_module.UUID(value))
    except ValueError as error:
        raise Http404 from error


class HsdsView(ProblemApiMixin, PublicViewMixin, View):
    http_method_names = ["get", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except BadRequest as error:
            return problem(status=400, title=_("Invalid parameter"), detail=error.detail)
        except Http404:
            return problem(
                status=404,
                title=_("Not found"),
                detail=_("There is no published record with this id."),
            )


def _district():
    return Municipality.objects.filter(kind=MunicipalityKind.DISTRICT).first()


class RootView(HsdsView):
    def get(self, request):
        return json_response(
            request,
            representation.base_info(
                profile_url=request.build_absolute_uri(reverse("hsds:profile")),
                openapi_url=request.build_absolute_uri(reverse("hsds:openapi")),
            ),
        )


class ProfileView(HsdsView):
    """The profile document as JSON: what Wegweiser adds to and requires beyond HSDS 3.0."""

    def get(self, request):
        from .openapi import profile_document

        return json_response(request, profile_document())


class ServiceListView(HsdsView):
    def get(self, request):
        params = request.GET
        full = _bool_param(params, "full")
        minimal = _bool_param(params, "minimal")
        queryset = selectors.published_offers()
        if term_id := params.get("taxonomy_term_id", ""):
            queryset = selectors.offers_filter_by_term(queryset, term_id)
        if taxonomy_id := params.get("taxonomy_id", ""):
            queryset = selectors.offers_filter_by_taxonomy(queryset, taxonomy_id)
        if organization_id := params.get("organization_id", ""):
            try:
                queryset = queryset.filter(organisation__uuid=uuid_module.UUID(organization_id))
            except ValueError:
                queryset = queryset.none()
        if modified_after := params.get("modified_after", ""):
            queryset = queryset.filter(updated_at__gte=_moment(modified_after))
        search = " ".join(params.get("search", "").replace("\x00", " ").split())[:200]
        if search:
            ranked = [int(pk) for pk, _score in search_ranked(kind="offer", query=search).ranked]
            allowed = set(queryset.filter(pk__in=ranked).values_list("pk", flat=True))
            ids = [pk for pk in ranked if pk in allowed]
        else:
            ids = list(queryset.order_by("name", "pk").values_list("pk", flat=True))
        page, per_page, start = _page(params, len(ids))
        page_ids = ids[start : start + per_page]
        offers = selectors.offers_prefetched(
            selectors.published_offers().filter(pk__in=page_ids), full=full and not minimal
        ).in_bulk()
        ordered = [offers[pk] for pk in page_ids if pk in offers]
        if minimal:
            contents = [representation.service_minimal(o) for o in ordered]
        elif full:
            terms = representation.term_index(selectors.taxonomy_terms())
            district = _district()
            contents = [representation.service_full(o, terms, district) for o in ordered]
        else:
            contents = [representation.service_basic(o) for o in ordered]
        return json_response(
            request, envelope(contents, total=len(ids), page=page, per_page=per_page)
        )


class ServiceDetailView(HsdsView):
    def get(self, request, id):
        offer = selectors.offer_get_published(uuid=_uuid_or_404(id))
        terms = representation.term_index(selectors.taxonomy_terms())
        return json_response(request, representation.service_full(offer, terms, _district()))


class OrganizationListView(HsdsView):
    def get(self, request):
        queryset = selectors.organisations_public().order_by("name", "pk")
        total = queryset.count()
        page, per_page, start = _page(request.GET, total)
        contents = [
            representation.organization_basic(o) for o in queryset[start : start + per_page]
        ]
        return json_response(request, envelope(contents, total=total, page=page, per_page=per_page))


class OrganizationDetailView(HsdsView):
    def get(self, request, id):
        organisation = selectors.organisation_get_public(uuid=_uuid_or_404(id))
        full_service = _bool_param(request.GET, "full_service")
        offers = selectors.offers_prefetched(
            selectors.published_offers().filter(organisation=organisation).order_by("name", "pk"),
            full=full_service,
        )
        if full_service:
            terms = representation.term_index(selectors.taxonomy_terms())
            district = _district()
            services = [representation.service_full(o, terms, district) for o in offers]
        else:
            services = [representation.service_basic(o) for o in offers]
        return json_response(request, representation.organization_full(organisation, services))


class TaxonomyListView(HsdsView):
    def get(self, request):
        contents = [
            representation.taxonomy_record(name)
            for name in (TAXONOMY_LIFE_AREAS, TAXONOMY_TARGET_GROUPS)
        ]
        page, per_page, start = _page(request.GET, len(contents))
        shown = contents[start : start + per_page]
        return json_response(
            request, envelope(shown, total=len(contents), page=page, per_page=per_page)
        )


class TaxonomyTermListView(HsdsView):
    def get(self, request):
        terms = selectors.taxonomy_terms()
        if taxonomy_id := request.GET.get("taxonomy_id", ""):
            terms = [
                t
                for t in terms
                if representation.taxonomy_term_record(t)["taxonomy_id"] == taxonomy_id
            ]
        page, per_page, start = _page(request.GET, len(terms))
        contents = [representation.taxonomy_term_record(t) for t in terms[start : start + per_page]]
        return json_response(
            request, envelope(contents, total=len(terms), page=page, per_page=per_page)
        )


class ServiceAtLocationListView(HsdsView):
    def get(self, request):
        params = request.GET
        postcode = params.get("postcode", "").strip()
        if postcode and not (postcode.isdigit() and len(postcode) == 5):
            raise BadRequest(_("postcode must be a German postcode of five digits."))
        proximity = None
        if params.get("proximity", "") != "":
            if not postcode:
                raise BadRequest(_("proximity needs a postcode."))
            proximity = _int_param(params, "proximity", 0, 1, MAX_PROXIMITY_METRES)
        links = selectors.service_at_locations_public(postcode=postcode, proximity=proximity)
        total = links.count()
        page, per_page, start = _page(params, total)
        contents = [
            representation.service_at_location_record(link)
            for link in links[start : start + per_page]
        ]
        return json_response(request, envelope(contents, total=total, page=page, per_page=per_page))


class OpenApiView(ProblemApiMixin, PublicViewMixin, View):
    def get(self, request):
        from .openapi import openapi_document

        return json_response(request, openapi_document())


class ExportView(ProblemApiMixin, PublicViewMixin, View):
    """Downloads of all published offers; ETag over the bytes like the API."""

    http_method_names = ["get", "head", "options"]
    kind = ""
    FILES = {
        "json": ("wegweiser-hsds.json", "application/json"),
        "tabular": ("wegweiser-hsds-tabular.zip", "application/zip"),
        "xlsx": (
            "wegweiser-angebote.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        "ical": ("wegweiser-termine.ics", "text/calendar; charset=utf-8"),
        "geojson": ("wegweiser-orte.geojson", "application/geo+json"),
    }

    def get(self, request):
        from . import exports

        def url_for(offer):
            return request.build_absolute_uri(
                reverse("offers:offer-detail", kwargs={"uuid": offer.uuid})
            )

        builders = {
            "json": exports.export_hsds_json,
            "tabular": exports.export_tabular_zip,
            "xlsx": exports.export_xlsx,
            "ical": lambda: exports.export_ical(url_for=url_for),
            "geojson": lambda: exports.export_geojson(url_for=url_for),
        }
        # The links in iCal and GeoJSON name this site as the request reached it.
        content = exports.export_cached(
            kind=self.kind, base=request.build_absolute_uri("/"), build=builders[self.kind]
        )
        filename, content_type = self.FILES[self.kind]
        etag = '"' + hashlib.sha256(content).hexdigest()[:40] + '"'
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponse(status=304)
        else:
            response = HttpResponse(content, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["ETag"] = etag
        response["Access-Control-Allow-Origin"] = "*"
        return response
