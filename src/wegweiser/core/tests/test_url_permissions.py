"""Deny by default: every URL's view declares a permission, and every URL is in a matrix."""

import importlib
import pkgutil

import pytest
from django.http import HttpResponse
from django.urls import include, path

import wegweiser
from wegweiser.core.access import iter_url_patterns, public_view, undeclared_views


def test_every_view_declares_a_permission():
    assert undeclared_views() == []


def _view_without_declaration(request):
    return HttpResponse("oops")


def test_url_walk_detects_a_view_without_permission():
    patterns = [
        path("fine/", public_view(lambda request: HttpResponse("ok")), name="fine"),
        path("nested/", include([path("leak/", _view_without_declaration, name="leak")])),
    ]
    found = undeclared_views(patterns)
    assert len(found) == 1
    assert found[0].startswith("nested/leak/")


def _all_matrix_rows():
    rows = []
    for module in pkgutil.iter_modules(wegweiser.__path__):
        try:
            tests = importlib.import_module(f"wegweiser.{module.name}.tests.test_permissions")
        except ModuleNotFoundError:
            continue
        rows.extend(getattr(tests, "MATRIX", []))
    return rows


def test_every_named_url_is_in_a_permission_matrix():
    covered = {row.url_name for row in _all_matrix_rows()}
    named = {name for _route, name, _callback in iter_url_patterns() if name}
    assert sorted(named - covered) == []


@pytest.mark.django_db
def test_permission_denial_is_audited(make_member, login):
    from wegweiser.privacy.models import AuditEvent

    client = login(make_member(None), verified=False)
    response = client.get("/backoffice/")
    assert response.status_code == 404
    event = AuditEvent.objects.get(action="privacy.access.denied")
    assert event.reason == "backoffice.access"
    assert event.result == "denied"
