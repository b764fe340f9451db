import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from wegweiser.accounts.constants import OrganisationKind, Role
from wegweiser.accounts.tests.factories import OrganisationFactory
from wegweiser.privacy.consent import register_subjects_held, unregister_subjects_held
from wegweiser.privacy.models import AuditEvent
from wegweiser.privacy.selectors import (
    access_log_for_object,
    consent_for_subject,
    consent_get_for_user,
    consent_list_for_user,
)
from wegweiser.privacy.services import consent_withdraw

from .consent_factories import make_consent, make_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_member):
    town = OrganisationFactory(name="Stadt A", kind=OrganisationKind.TOWN)
    welfare = OrganisationFactory(name="Caritas A", kind=OrganisationKind.WELFARE_ASSOCIATION)
    other_welfare = OrganisationFactory(name="AWO D", kind=OrganisationKind.WELFARE_ASSOCIATION)
    named = OrganisationFactory(name="Diakonie B", kind=OrganisationKind.OTHER)
    club = OrganisationFactory(name="Verein C", kind=OrganisationKind.CLUB)
    notice = make_notice(recipient_organisations=[named])
    clerk = make_member(Role.REGISTRATION_CLERK, town)
    consent = make_consent(notice=notice, actor=clerk)
    people = {
        "consent": consent,
        # alice recorded it; bob is a recipient by kind and dora by name, and both hold the
        # person; frank (by kind) and gina (by name) are recipients who do not; charlie is
        # no recipient; erin has a recipient organisation but no consent role.
        "alice": clerk,
        "bob": make_member(Role.CASE_MANAGER, welfare),
        "dora": make_member(Role.CASE_MANAGER, named),
        "frank": make_member(Role.CASE_MANAGER, other_welfare),
        "gina": make_member(Role.CASE_MANAGER, named),
        "charlie": make_member(Role.CASE_MANAGER, club),
        "erin": make_member(Role.PROVIDER_EDITOR, welfare),
        "admin": make_member(Role.ADMIN, town),
    }
    holders = {people["bob"].pk, people["dora"].pk, people["charlie"].pk, people["erin"].pk}

    def held(user):  # in place of the cases app's rule: whose case the user may open
        return [consent.subject_id] if user.pk in holders else []

    register_subjects_held(held)
    yield people
    unregister_subjects_held(held)


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("alice", True),
        ("bob", True),
        ("dora", True),
        ("frank", False),
        ("gina", False),
        ("charlie", False),
        ("erin", False),
        ("admin", False),
    ],
)
def test_consent_scope_is_the_same_for_list_and_detail(world, who, sees):
    user, consent = world[who], world["consent"]
    assert (consent in consent_list_for_user(user=user)) is sees
    if sees:
        assert consent_get_for_user(request=_request(user), pk=consent.pk) == consent
        assert AuditEvent.objects.filter(
            action="privacy.consent.viewed", actor=user, object_id=str(consent.pk)
        ).exists()
    else:
        with pytest.raises(Http404):
            consent_get_for_user(request=_request(user), pk=consent.pk)
        assert AuditEvent.objects.filter(
            action="privacy.access.denied", actor=user, object_id=str(consent.pk)
        ).exists()


def test_consent_list_query_count_does_not_grow(world):
    user = world["alice"]
    for _ in range(3):
        make_consent(notice=world["consent"].notice, actor=user)

    def count():
        user.__dict__.pop("active_memberships", None)
        user.__dict__.pop("roles", None)
        with CaptureQueriesContext(connection) as ctx:
            list(consent_list_for_user(user=user))
        return len(ctx.captured_queries)

    before = count()
    for _ in range(3):
        make_consent(notice=world["consent"].notice, actor=user)
    assert count() == before


def test_consent_for_subject_returns_the_latest(world):
    first = world["consent"]
    consent_withdraw(actor=None, consent=first)
    second = make_consent(notice=first.notice, subject_id=first.subject_id)
    assert consent_for_subject(first.subject_id) == second
    assert consent_for_subject("00000000-0000-0000-0000-000000000000") is None


def test_access_log_names_actor_organisation_and_role(world):
    consent = world["consent"]
    consent_get_for_user(request=_request(world["bob"]), pk=consent.pk)
    rows = access_log_for_object(object_type="privacy.consent", object_id=consent.pk)
    assert [r.action for r in rows] == ["privacy.consent.viewed", "privacy.consent.given"]
    viewed, given = rows
    assert viewed.organisation == "Caritas A"
    assert len(viewed.roles) == 1  # the label, in the active language
    assert given.organisation == "Stadt A"
    assert given.actor == world["alice"].get_full_name()
