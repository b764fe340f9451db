import io

import pytest
from django.core.management import CommandError, call_command

from wegweiser.accounts.constants import OrganisationKind, Role
from wegweiser.accounts.models import Organisation, User
from wegweiser.accounts.tests.factories import OrganisationFactory, UserFactory
from wegweiser.privacy.models import AuditEvent
from wegweiser.privacy.selectors import audit_chain_verify

PASSWORD = "Lange-Passphrase-2026-Kreis"


def _run(*args):
    out = io.StringIO()
    call_command("create_admin", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_create_admin_with_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEGWEISER_ADMIN_PASSWORD", PASSWORD)
    output = _run("Admin@Example.org", "--organisation", "Kommunales Integrationszentrum")
    user = User.objects.get(email="admin@example.org")
    assert user.check_password(PASSWORD)
    assert user.roles == {Role.ADMIN}
    organisation = Organisation.objects.get(name="Kommunales Integrationszentrum")
    assert organisation.kind == OrganisationKind.DISTRICT
    assert "admin@example.org" in output
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert actions == {
        "accounts.organisation.created",
        "accounts.user.created",
        "accounts.membership.created",
    }
    assert audit_chain_verify() is None


@pytest.mark.django_db
def test_create_admin_asks_twice_for_the_password(monkeypatch):
    monkeypatch.delenv("WEGWEISER_ADMIN_PASSWORD", raising=False)
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    _run("admin@example.org", "--organisation", "KI", "--kind", "town")
    assert User.objects.get(email="admin@example.org").check_password(PASSWORD)
    assert Organisation.objects.get(name="KI").kind == OrganisationKind.TOWN


@pytest.mark.django_db
def test_create_admin_refuses_mismatching_passwords(monkeypatch):
    monkeypatch.delenv("WEGWEISER_ADMIN_PASSWORD", raising=False)
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="do not match"):
        _run("admin@example.org", "--organisation", "KI")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_create_admin_refuses_a_weak_password_and_writes_nothing(monkeypatch):
    monkeypatch.setenv("WEGWEISER_ADMIN_PASSWORD", "12345678")
    with pytest.raises(CommandError, match="12"):
        _run("admin@example.org", "--organisation", "KI")
    assert not User.objects.exists()
    assert not Organisation.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_create_admin_refuses_an_existing_user(monkeypatch):
    UserFactory(email="admin@example.org")
    monkeypatch.setenv("WEGWEISER_ADMIN_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match="already exists"):
        _run("ADMIN@example.org", "--organisation", "KI")


@pytest.mark.django_db
def test_create_admin_joins_an_existing_organisation(monkeypatch):
    existing = OrganisationFactory(name="Kommunales Integrationszentrum")
    monkeypatch.setenv("WEGWEISER_ADMIN_PASSWORD", PASSWORD)
    _run("admin@example.org", "--organisation", "Kommunales Integrationszentrum")
    assert Organisation.objects.count() == 1
    assert User.objects.get(email="admin@example.org").memberships.get().organisation == existing


@pytest.mark.django_db
def test_create_admin_requires_the_organisation():
    with pytest.raises(CommandError, match="--organisation"):
        _run("admin@example.org")
