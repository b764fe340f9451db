import pytest
from django.http import Http404
from django.test import RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from wegweiser.accounts.constants import Role
from wegweiser.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from wegweiser.cases import selectors
from wegweiser.cases.constants import CaseStatus
from wegweiser.cases.models import Case
from wegweiser.core.tests.factories import TownFactory
from wegweiser.privacy.models import AuditEvent

from .factories import CaseFactory, PersonFactory


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    request.resolver_match = None
    return request


def _detail_visible(user, case) -> bool:
    try:
        selectors.case_get_for_user(request=_request(user), case_id=case.pk, audit=False)
    except Http404:
        return False
    return True


users_spec = st.lists(
    st.tuples(
        st.lists(
            st.tuples(st.integers(0, 2), st.sampled_from(list(Role.values))),
            max_size=3,
            unique=True,
        ),
        st.booleans(),
    ),
    min_size=1,
    max_size=4,
)
cases_spec = st.lists(
    st.tuples(st.integers(0, 2), st.one_of(st.none(), st.integers(0, 3))),
    min_size=1,
    max_size=8,
)


class CaseVisibilityPropertyTests(TestCase):
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(users=users_spec, cases=cases_spec, status=st.sampled_from(["", *CaseStatus.values]))
    def test_every_selector_returns_the_same_visible_set(self, users, cases, status):
        town = TownFactory()
        orgs = [OrganisationFactory() for _ in range(3)]
        people = []
        for memberships, active in users:
            user = UserFactory(is_active=active)
            for org_index, role in memberships:
                MembershipFactory(user=user, organisation=orgs[org_index], role=role)
            people.append(user)
        for org_index, manager_index in cases:
            manager = None
            if manager_index is not None and manager_index < len(people):
                manager = people[manager_index]
            CaseFactory(
                organisation=orgs[org_index],
                case_manager=manager,
                person=PersonFactory(municipality=town),
                status=status or CaseStatus.NEW,
            )
        all_cases = list(Case.objects.all())
        for user in people:
            user = type(user).objects.get(pk=user.pk)  # fresh role cache
            expected = {c.pk for c in all_cases if selectors.case_visible_to(user=user, case=c)}
            detail = {c.pk for c in all_cases if _detail_visible(user, c)}
            listed = {c.pk for c in selectors.case_list_for_user(user=user)}
            filtered = {c.pk for c in selectors.case_list_for_user(user=user, status=status)}
            searched = {c.pk for c in selectors.case_list_for_user(user=user, query="Vorname")}
            exported = {row["id"] for row in selectors.case_export_for_user(user=user)}
            dashboard = {
                value: n for value, _label, n in selectors.case_dashboard_for_user(user=user)
            }
            assert detail == expected
            assert listed == expected
            assert filtered == expected
            assert searched == expected
            assert exported == {str(pk) for pk in expected}
            assert dashboard == {
                value: sum(1 for c in all_cases if c.pk in expected and c.status == value)
                for value in CaseStatus.values
            }
            if Role.CASE_MANAGER not in user.roles:
                assert expected == set()


def test_case_get_for_user_denies_and_audits(case_b, manager_a):
    with pytest.raises(Http404):
        selectors.case_get_for_user(request=_request(manager_a), case_id=case_b.pk)
    event = AuditEvent.objects.get(action="privacy.access.denied")
    assert event.object_id == str(case_b.pk)


def test_case_get_for_user_audits_read(case_a, manager_a):
    selectors.case_get_for_user(request=_request(manager_a), case_id=case_a.pk)
    assert AuditEvent.objects.filter(action="cases.case.viewed", object_id=str(case_a.pk)).exists()


def test_confidential_note_only_for_author(case_a, manager_a, manager_a2):
    from wegweiser.cases import services

    case = CaseFactory(organisation=case_a.organisation)  # unassigned: both managers see it
    secret = services.note_add(actor=manager_a, case=case, text="geheim")
    shared = services.note_add(actor=manager_a, case=case, text="offen", confidential=False)
    assert set(selectors.note_list_for_case(user=manager_a2, case=case)) == {shared}
    assert set(selectors.note_list_for_case(user=manager_a, case=case)) == {secret, shared}
    with pytest.raises(Http404):
        selectors.note_get_for_user(
            request=_request(manager_a2), case_id=case.pk, note_id=secret.pk
        )


def test_nested_object_of_other_case_is_404(case_a, manager_a, manager_b, case_b):
    from wegweiser.cases import services

    note_b = services.note_add(actor=manager_b, case=case_b, text="b", confidential=False)
    # The note id is real, but it belongs to another case than the one in the URL.
    with pytest.raises(Http404):
        selectors.note_get_for_user(
            request=_request(manager_a), case_id=case_a.pk, note_id=note_b.pk
        )
    with pytest.raises(Http404):
        selectors.note_get_for_user(
            request=_request(manager_a), case_id=case_b.pk, note_id=note_b.pk
        )


def test_gap_report_suppresses_small_cells(manager_a, org_a, town):
    from datetime import date

    from wegweiser.cases import services
    from wegweiser.core.tests.factories import LifeAreaFactory

    area = LifeAreaFactory()
    other_town = TownFactory()
    for _ in range(6):
        services.gap_record(
            actor=manager_a,
            organisation=org_a,
            life_area=area,
            institution_kind="school",
            barrier_kind="waiting_time",
            municipality=town,
            observed_on=date(2026, 10, 1),
        )
    for _ in range(2):
        services.gap_record(
            actor=manager_a,
            organisation=org_a,
            life_area=area,
            institution_kind="school",
            barrier_kind="language",
            municipality=other_town,
            observed_on=date(2026, 10, 1),
        )
    report = {(cell.town, cell.quarter): cell for cell in selectors.gap_report()}
    assert report[(town.name, "2026-Q4")].count == 6
    assert report[(other_town.name, "2026-Q4")].count is None
    assert report[(other_town.name, "2026-Q4")].barriers == []
