"""The database is unreachable: a friendly 503 in the visitor's language, JSON under /api/."""

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client

from wegweiser.accounts.constants import Role
from wegweiser.ops.views import RETRY_AFTER_SECONDS


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(connection, "cursor", refuse)


@pytest.mark.django_db
@pytest.mark.usefixtures("district", "database_down")
@pytest.mark.parametrize(
    ("path", "language", "heading"),
    [
        ("/de/", "de", "Vorübergehend nicht erreichbar"),
        ("/en/", "en", "Temporarily unavailable"),
        ("/ar/", "ar", "غير متاح مؤقتًا"),
    ],
)
def test_public_page_answers_503_in_the_language_of_the_url(anonymous, path, language, heading):
    response = anonymous.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Content-Language"] == language
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert heading in html
    assert f'lang="{language}"' in html
    assert ('dir="rtl"' in html) is (language == "ar")


@pytest.mark.django_db
@pytest.mark.urls("wegweiser.ops.tests.urls")
@pytest.mark.usefixtures("database_down")
def test_page_outside_the_language_prefix_defaults_to_german(anonymous):
    response = anonymous.get("/ops-test/count/")
    assert response.status_code == 503
    assert "Vorübergehend nicht erreichbar" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls("wegweiser.ops.tests.urls")
@pytest.mark.usefixtures("database_down")
def test_browser_language_is_honoured_outside_the_prefix(anonymous):
    response = anonymous.get("/ops-test/count/", headers={"accept-language": "en"})
    assert "Temporarily unavailable" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls("wegweiser.ops.tests.urls")
@pytest.mark.usefixtures("database_down")
def test_api_answers_503_as_json(anonymous):
    response = anonymous.get("/api/ops-test/count/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    body = response.json()
    assert body["error"] == "service_unavailable"
    assert body["detail"].startswith("Der Dienst ist vorübergehend nicht erreichbar")


@pytest.mark.django_db
def test_database_error_before_the_view_also_gives_503(make_member, login, org_a, monkeypatch):
    """A signed-in user: the session and user are loaded by middleware, before any view."""
    client = login(make_member(Role.ADMIN, org_a))
    client.raise_request_exception = False

    def refuse(*args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/backoffice/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)


@pytest.mark.django_db
@pytest.mark.urls("wegweiser.ops.tests.urls")
def test_other_errors_still_give_the_500_page(anonymous):
    response = anonymous.get("/ops-test/boom/")
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.django_db
@pytest.mark.usefixtures("district")
def test_site_recovers_by_itself_when_the_database_is_back(anonymous, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(connection, "cursor", refuse)
    assert anonymous.get("/de/").status_code == 503
    monkeypatch.undo()
    assert anonymous.get("/de/").status_code == 200
