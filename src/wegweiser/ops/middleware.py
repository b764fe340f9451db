"""Request id and access log, request metrics, the friendly 503 when the database is down, the
clear 507 when the disk is full, and the 400 for NUL characters in a request's parameters."""

import errno
import logging
import re
import time
import uuid

from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.utils.functional import empty
from django.utils.translation import gettext as _

from wegweiser.api.problems import problem

from . import metrics
from .logs import request_context
from .views import database_unavailable_response, storage_full_response

access_logger = logging.getLogger("wegweiser.access")
db_logger = logging.getLogger("wegweiser.ops.database")
storage_logger = logging.getLogger("wegweiser.ops.storage")

REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id (from nginx's $request_id or a calling service) is kept only when it is a short
# token of safe characters; anything else could forge log lines or smuggle data into them.
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{7,63}$")
DATABASE_ERRORS = (OperationalError, InterfaceError)
STORAGE_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


def request_id_for(header_value: str | None) -> str:
    if header_value and SAFE_REQUEST_ID.fullmatch(header_value):
        return header_value
    return uuid.uuid4().hex


def _user_ref(request) -> str | None:
    # Only a user that an inner middleware already loaded: loading it here would cost a query
    # per request and could fail when the database is down.
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is None or wrapped is empty:
        return None
    if getattr(wrapped, "is_authenticated", False):
        return str(wrapped.uuid)
    return None


class RequestIdMiddleware:
    """Assigns the request id, returns it in `X-Request-ID` and writes one access line.

    Goes first in MIDDLEWARE so that the id is set for everything logged during the request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_for(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        # Cleared again on `request_finished` (see apps.py), not here: Django logs 4xx
        # responses after the middleware chain has returned, and those lines need the id too.
        request_context.set(
            {"request_id": request_id, "method": request.method, "path": request.path}
        )
        started = time.perf_counter()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        access_logger.info(
            "%(method)s %(path)s %(status)s %(duration_ms)sms",
            {
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
            extra={
                "status": response.status_code,
                "duration_ms": duration_ms,
                "view": _view_name(request),
                "user": _user_ref(request),
            },
        )
        return response


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else metrics.UNRESOLVED_VIEW


class MetricsMiddleware:
    """Counts requests per view name and status class and times them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        metrics.request_observe(
            view=_view_name(request),
            status=response.status_code,
            seconds=time.perf_counter() - started,
        )
        return response


class StorageFullMiddleware:
    """Answers 507 with a clear message when a file cannot be written because the disk is full.

    The service that wrote the file runs in a transaction, so the failed write leaves no record;
    `wegweiser.core.storage.CleanFileSystemStorage` removes the partial file.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (isinstance(exception, OSError) and exception.errno in STORAGE_FULL_ERRNOS):
            return None
        storage_logger.error(
            "Storage full: %(error)s", {"error": errno.errorcode.get(exception.errno, "")}
        )
        return storage_full_response(request)


class DatabaseUnavailableMiddleware:
    """Answers 503 with a friendly page when a view fails because the database is unreachable.

    Database errors raised before the view (sessions, authentication) reach the 500 handler,
    `wegweiser.ops.views.server_error`, which gives the same answer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        db_logger.error("Database unavailable: %(error)s", {"error": type(exception).__name__})
        return database_unavailable_response(request)


class NullCharacterMiddleware:
    """Answers 400 when the path or a parameter (query string or form) holds a NUL character.

    No text a person types holds one, and PostgreSQL refuses it in every text value: a search
    for "Kurs%00" would otherwise fail in the first query that uses it (500), wherever that
    is. Checked once here, before any view, on both engines alike. Form fields refuse it
    too (Django's ProhibitNullCharactersValidator); this covers the parameters that views read
    directly, such as `q`, and the API answers with a problem body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            if request.path.startswith("/api/"):
                return problem(
                    status=400,
                    title=_("Invalid character"),
                    detail=_(
                        "A parameter contains a NUL character (zero byte), which no text may contain."
                    ),
                )
            raise BadRequest("NUL character in the request")  # Django's 400 page
        return self.get_response(request)


def _has_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    parameters = [request.GET]
    if request.method == "POST":
        parameters.append(request.POST)  # as CsrfViewMiddleware reads it, files aside
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for query in parameters
        for key, values in query.lists()
    )
