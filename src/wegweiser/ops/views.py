"""Health, readiness and metrics endpoints, and the answer when the database is unreachable.

These views sit outside `i18n_patterns` and are never cached. `/healthz` touches no database,
so it answers as long as the process serves requests.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.defaults import server_error as django_server_error

from wegweiser.api.problems import problem
from wegweiser.core.access import PublicViewMixin, public_view

from . import metrics, selectors

LOOPBACK_ADDRESSES = frozenset({"127.0.0.1", "::1"})
# Headers that a reverse proxy adds; a request carrying one came from outside even though its
# REMOTE_ADDR is the proxy on loopback.
PROXY_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded")
RETRY_AFTER_SECONDS = 30


@method_decorator(never_cache, name="dispatch")
class HealthzView(PublicViewMixin, View):
    """The process is alive and serves requests."""

    def get(self, request):
        return JsonResponse({"status": "ok"})


@method_decorator(never_cache, name="dispatch")
class ReadyzView(PublicViewMixin, View):
    """Database reachable, migrations applied, registered checks pass: 200, otherwise 503."""

    def get(self, request):
        ready, report = selectors.readiness_get()
        return JsonResponse(report, status=200 if ready else 503)


def is_loopback_client(request) -> bool:
    if request.META.get("REMOTE_ADDR") not in LOOPBACK_ADDRESSES:
        return False
    return not any(header in request.headers for header in PROXY_HEADERS)


@method_decorator(never_cache, name="dispatch")
class MetricsView(PublicViewMixin, View):
    """Prometheus metrics of this worker process, for clients on loopback only (others: 404)."""

    def get(self, request):
        if not is_loopback_client(request):
            raise Http404
        return HttpResponse(selectors.metrics_exposition(), content_type=metrics.CONTENT_TYPE)


def database_unavailable_response(request) -> HttpResponse:
    """503 with `Retry-After`: JSON under /api/, else a small page in the visitor's language.

    Rendered without the request context on purpose: the context processors would reach for
    the session and the user, which live in the unreachable database.
    """
    language = translation.get_language_from_request(request, check_path=True)
    with translation.override(language):
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {
                    "error": "service_unavailable",
                    "detail": _(
                        "The service is temporarily unavailable. Please try again in a few minutes."
                    ),
                },
                status=503,
            )
        else:
            html = render_to_string(
                "ops/database_unavailable.html",
                {
                    "language_code": translation.get_language(),
                    "text_direction": "rtl" if translation.get_language_bidi() else "ltr",
                    "retry_after": RETRY_AFTER_SECONDS,
                },
            )
            response = HttpResponse(html, status=503)
        response["Content-Language"] = translation.get_language()
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def storage_full_response(request) -> HttpResponse:
    """507 when an upload could not be stored: nothing was saved, the user may try again later."""
    message = _(
        "The file could not be saved because the server's storage is full. Nothing was saved. "
        "Please try again later or tell the administration."
    )
    if request.path.startswith("/api/"):
        response = problem(status=507, title=_("Storage full"), detail=message)
    else:
        response = HttpResponse(
            render_to_string("ops/storage_full.html", {"message": message}, request=request),
            status=507,
        )
    response["Cache-Control"] = "no-store"
    return response


@public_view
def server_error(request, template_name="500.html"):
    """The 500 handler: a database outage anywhere in the request becomes the friendly 503."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        return database_unavailable_response(request)
    return django_server_error(request, template_name=template_name)
