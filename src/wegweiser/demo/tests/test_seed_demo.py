import json

import pytest
from django.core.management import call_command

from wegweiser.accounts.constants import Role
from wegweiser.accounts.models import Organisation, User

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_covers_every_role(settings):
    call_command("seed_demo")
    organisations, users = Organisation.objects.count(), User.objects.count()
    call_command("seed_demo")
    assert (Organisation.objects.count(), User.objects.count()) == (organisations, users)
    assert 55 <= organisations <= 70
    accounts = json.loads(settings.WEGWEISER_DEMO_ACCOUNTS_FILE.read_text(encoding="utf-8"))
    assert {a["role"] for a in accounts} == set(Role.values)
    assert all(a["email"].endswith("@example.org") for a in accounts)
    assert set(accounts[0]) == {"email", "password", "role", "organisation"}
    assert all(User.objects.get(email=a["email"]).is_demo for a in accounts)
    case_managers = {a["organisation"] for a in accounts if a["role"] == Role.CASE_MANAGER}
    assert len(case_managers) >= 2


def test_seed_demo_accounts_can_log_in(client, settings):
    call_command("seed_demo")
    account = json.loads(settings.WEGWEISER_DEMO_ACCOUNTS_FILE.read_text(encoding="utf-8"))[0]
    response = client.post(
        "/accounts/login/", {"username": account["email"], "password": account["password"]}
    )
    assert response.status_code == 302
