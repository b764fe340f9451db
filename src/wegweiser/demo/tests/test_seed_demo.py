import json

import pytest
from django.core.management import call_command

from wegweiser.accounts.constants import Role
from wegweiser.accounts.models import Organisation, User

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_covers_every_role_and_accounts_log_in(client, settings):
    # One test, because seeding 600 offers is the slowest step of the suite.
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
    from wegweiser.cases.models import Case, Intake

    assert Case.objects.values("organisation").distinct().count() >= 3
    assert Intake.objects.filter(external_ref__startswith="demo-").count() == 40
    from wegweiser.offers.models import Offer
    from wegweiser.search.selectors import search_ranked

    assert Offer.objects.filter(source_system="demo").count() == 600
    assert search_ranked(kind="offer", query="Deutschkurs Herten").ranked
    from wegweiser.search.models import SynonymGroup
    from wegweiser.search.selectors import lexical_ranked
    from wegweiser.search.services import DEFAULT_SYNONYMS

    # The default synonym list is there from the start, once: "Unterkunft", a word no demo
    # text uses, finds the offers about a "Wohnung".
    assert SynonymGroup.objects.count() == len(DEFAULT_SYNONYMS)
    housing = set(Offer.objects.filter(name__icontains="Wohnung").values_list("pk", flat=True))
    found = {int(o) for o, _s in lexical_ranked(kind="offer", query="Unterkunft").ranked}
    assert housing and housing <= found
    from wegweiser.editorial.constants import RevisionState
    from wegweiser.editorial.models import OfferRevision
    from wegweiser.search.models import SearchPassage

    # The shipped demo vectors cover every demo passage: cross-language search from the start.
    assert not SearchPassage.objects.filter(vector__isnull=True).exists()
    # The KI editors find proposed changes of three providers in their review queue, once.
    assert OfferRevision.objects.count() == 3
    assert OfferRevision.objects.filter(state=RevisionState.SUBMITTED).count() == 2
    response = client.post(
        "/accounts/login/", {"username": accounts[0]["email"], "password": accounts[0]["password"]}
    )
    assert response.status_code == 302
