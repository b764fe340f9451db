"""Structured logs: request ids, the access line, and no personal data in any line."""

import io
import json
import logging
import logging.config

import pytest
from django.db import OperationalError, connection
from django.test import Client

from wegweiser.accounts.constants import Role
from wegweiser.ops.logs import JsonFormatter, logging_config, request_context
from wegweiser.ops.middleware import request_id_for

from .urls import SENTINEL

SENTINEL_EMAIL = "zyxwvu.sentinelperson@example.org"
CONFIGURED_LOGGERS = ["", "django", "django.server", "axes", "wegweiser.access"]


@pytest.fixture
def production_logs():
    """Configure logging exactly as production does and capture what its handlers write."""
    saved = {}
    for name in CONFIGURED_LOGGERS:
        logger = logging.getLogger(name)
        saved[name] = (logger.handlers[:], logger.level, logger.propagate, logger.disabled)
    logging.config.dictConfig(logging_config(json_lines=True, level="DEBUG"))
    stream = io.StringIO()
    handlers = {h for name in CONFIGURED_LOGGERS for h in logging.getLogger(name).handlers}
    for handler in handlers:
        handler.setStream(stream)
    yield stream
    for handler in handlers:
        handler.close()
    for name, (handlers_before, level, propagate, disabled) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:] = handlers_before
        logger.setLevel(level)
        logger.propagate = propagate
        logger.disabled = disabled


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


@pytest.mark.django_db
def test_request_id_is_generated_and_returned(client):
    response = client.get("/healthz")
    assert len(response["X-Request-ID"]) == 32
    assert response["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


@pytest.mark.django_db
def test_safe_incoming_request_id_is_kept(client):
    response = client.get("/healthz", headers={"X-Request-ID": "3f2a9c0e-nginx.req_1"})
    assert response["X-Request-ID"] == "3f2a9c0e-nginx.req_1"


@pytest.mark.parametrize(
    "unsafe",
    ["short", "a" * 65, "has space in it", 'quote"inside1', "line\nbreak1234", "-leadingdash", ""],
)
def test_unsafe_incoming_request_id_is_replaced(unsafe):
    replaced = request_id_for(unsafe)
    assert replaced != unsafe
    assert len(replaced) == 32


@pytest.mark.django_db
def test_access_line_has_the_fields_and_no_query_string(production_logs, client):
    response = client.get("/healthz?token=abc", headers={"X-Request-ID": "req-0000000001"})
    (line,) = [e for e in _lines(production_logs) if e["logger"] == "wegweiser.access"]
    assert line["request_id"] == "req-0000000001" == response["X-Request-ID"]
    assert line["method"] == "GET"
    assert line["path"] == "/healthz"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["view"] == "ops:healthz"
    assert line["level"] == "INFO"
    assert line["time"].endswith("+00:00")
    assert "token" not in production_logs.getvalue()


def test_json_formatter_writes_exception_type_and_frames_but_not_the_message():
    logger = logging.getLogger("wegweiser.test")
    try:
        raise ValueError(f"failed for {SENTINEL} <{SENTINEL_EMAIL}>")
    except ValueError:
        record = logger.makeRecord(
            "wegweiser.test", logging.ERROR, __file__, 1, "mail to %s", (SENTINEL_EMAIL,), None
        )
        import sys

        record.exc_info = sys.exc_info()
    token = request_context.set({"request_id": "r1", "method": "POST", "path": "/x/"})
    try:
        entry = json.loads(JsonFormatter().format(record))
    finally:
        request_context.reset(token)
    assert entry["message"] == "mail to [email]"
    assert entry["exception"]["type"] == "builtins.ValueError"
    assert any("test_logs.py" in frame for frame in entry["exception"]["frames"])
    assert entry["request_id"] == "r1"
    assert SENTINEL not in json.dumps(entry)


@pytest.mark.django_db
@pytest.mark.urls("wegweiser.ops.tests.urls")
def test_sentinel_person_never_reaches_a_log_line(production_logs, make_member, login, org_a):
    """A name and an e-mail address planted everywhere a request can carry them."""
    anonymous = Client(raise_request_exception=False)
    query = {"q": SENTINEL, "email": SENTINEL_EMAIL}
    # Query strings, on a page, a missing page and the health check.
    assert anonymous.get("/de/", query).status_code == 200
    assert anonymous.get("/de/gibt-es-nicht/", query).status_code == 404
    assert anonymous.get("/healthz", query).status_code == 200
    # A POST body to a page that does not take one.
    assert anonymous.post("/de/", {"name": SENTINEL}).status_code == 405
    # Form fields of failed logins (django-axes logs the attempted user name) and of a
    # password-reset request.
    for username in (SENTINEL_EMAIL, SENTINEL, SENTINEL):
        anonymous.post(
            "/accounts/login/",
            {"username": username, "password": SENTINEL},
            headers={"user-agent": "tests"},
        )
    anonymous.post("/accounts/password-reset/", {"email": SENTINEL_EMAIL})
    # An exception raised in a view with the name in its message: 500.
    assert anonymous.get("/ops-test/boom/", query).status_code == 500
    # A signed-in user whose name and e-mail address are the sentinel.
    person = make_member(Role.ADMIN, org_a, email=SENTINEL_EMAIL, full_name=SENTINEL)
    staff = login(person)
    staff.raise_request_exception = False
    assert staff.get("/backoffice/", query).status_code == 200
    # A database error carrying the name, in a view and before it (loading the session user).
    original_cursor = connection.cursor

    def refuse(*args, **kwargs):
        raise OperationalError(f"lost connection while reading {SENTINEL}")

    connection.cursor = refuse
    try:
        assert anonymous.get("/ops-test/count/", query).status_code == 503
        assert staff.get("/backoffice/", query).status_code == 503
    finally:
        connection.cursor = original_cursor

    text = production_logs.getvalue()
    entries = _lines(production_logs)
    assert "sentinelperson" not in text.lower()
    assert "zyxwvu" not in text.lower()
    # The capture saw the requests, the 500 with its exception, and the user by uuid only.
    access = [e for e in entries if e["logger"] == "wegweiser.access"]
    assert len(access) >= 12
    assert {e["status"] for e in access} >= {200, 302, 404, 405, 500, 503}
    errors = [e for e in entries if e["logger"] == "django.request" and e["level"] == "ERROR"]
    assert any(e.get("exception", {}).get("type") == "builtins.ValueError" for e in errors)
    assert str(person.uuid) in {e.get("user") for e in access}
    # Django logs 4xx after the middleware chain returned; the line still has the request id.
    (not_found,) = [e for e in entries if e["message"] == "Not Found: /de/gibt-es-nicht/"]
    assert not_found["request_id"]
    assert not_found["status"] == 404
    assert request_context.get() is None


@pytest.mark.django_db
def test_sentinel_name_in_a_case_never_reaches_a_log_line(
    production_logs, make_member, login, org_a, monkeypatch
):
    """A person's name in a case file: read, listed, searched, exported, noted – and an error."""
    from django.urls import reverse

    from wegweiser.cases import selectors as case_selectors
    from wegweiser.cases import services as case_services
    from wegweiser.cases.tests.factories import CaseFactory, PersonFactory

    given, family = SENTINEL.split()
    manager = make_member(Role.CASE_MANAGER, org_a, email="fm@example.org")
    person = PersonFactory(given_name=given, family_name=family, email=SENTINEL_EMAIL)
    case = CaseFactory(person=person, organisation=org_a, case_manager=manager)
    case_services.note_add(actor=manager, case=case, text=f"Gespräch mit {SENTINEL}")
    staff = login(manager)
    staff.raise_request_exception = False
    detail = reverse("backoffice:case-detail", kwargs={"case_id": case.pk})
    assert staff.get(detail).status_code == 200
    assert SENTINEL in staff.get(reverse("backoffice:case-list"), {"q": family}).content.decode()
    assert staff.get(reverse("backoffice:case-export")).status_code == 200

    # An error whose message carries the name, raised while the case page is built.
    def broken(**kwargs):
        raise ValueError(f"cannot render {SENTINEL} <{SENTINEL_EMAIL}>")

    monkeypatch.setattr(case_selectors, "case_get_for_user", broken)
    assert staff.get(detail).status_code == 500

    text = production_logs.getvalue().lower()
    assert "sentinelperson" not in text and "zyxwvu" not in text
    errors = [e for e in _lines(production_logs) if e["logger"] == "django.request"]
    assert any(e.get("exception", {}).get("type") == "builtins.ValueError" for e in errors)
