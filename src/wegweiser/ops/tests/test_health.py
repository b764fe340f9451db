import pytest
from django.db import OperationalError, connection
from django.db.migrations.executor import MigrationExecutor

from wegweiser.ops.health import FAILED, NOT_CONFIGURED, OK, CheckResult


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 10.0.0.5 failed: Connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)


@pytest.mark.django_db
def test_healthz_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_while_the_database_is_down(client, database_down):
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_readyz_reports_every_check_and_is_ready(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": {"status": OK},
            "migrations": {"status": OK},
            "search_index": {
                "status": OK,
                "documents": {},
                "passages_without_vectors": 0,
                "passages_without_terms": 0,
            },
        },
    }
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_is_unreachable(client, database_down):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == {"status": FAILED}
    assert body["checks"]["migrations"] == {"status": FAILED}
    # The public answer names no host, role or error text.
    assert "10.0.0.5" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_is_503_when_migrations_are_pending(client, monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [object()] * 2)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {"status": FAILED, "unapplied": 2}


@pytest.mark.django_db
def test_registered_check_is_reported_and_its_failure_makes_readyz_503(client, check_registry):
    check_registry.register_check("mail_queue", lambda: CheckResult(OK, {"waiting": 0}))
    assert client.get("/readyz").json()["checks"]["mail_queue"] == {"status": OK, "waiting": 0}

    def broken():
        raise RuntimeError("secret detail")

    check_registry.register_check("mail_queue", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["mail_queue"] == {"status": FAILED}
    assert "secret detail" not in response.content.decode()


@pytest.mark.django_db
def test_check_with_unknown_status_counts_as_failed(client, check_registry):
    check_registry.register_check("odd", lambda: "maybe")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["odd"] == {"status": FAILED}


def test_placeholder_gives_way_to_the_real_check_in_any_order(check_registry):
    def real():
        return OK

    check_registry.register_check("search_index", real)
    check_registry.register_check("search_index", lambda: NOT_CONFIGURED, placeholder=True)
    assert check_registry._registry["search_index"].check is real

    check_registry.unregister_check("search_index")
    check_registry.register_check("search_index", lambda: NOT_CONFIGURED, placeholder=True)
    check_registry.register_check("search_index", real)
    assert check_registry._registry["search_index"].check is real
