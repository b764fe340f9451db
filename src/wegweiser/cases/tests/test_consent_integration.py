"""The cases app against the real consent API of the privacy app (no stand-in)."""

import pytest
from django.core.exceptions import ValidationError

from wegweiser.accounts.constants import OrganisationKind, Role
from wegweiser.accounts.tests.factories import OrganisationFactory
from wegweiser.cases import selectors, services
from wegweiser.cases.constants import ReferralStatus
from wegweiser.cases.models import Task
from wegweiser.offers.tests.factories import OfferFactory
from wegweiser.privacy.constants import Purpose
from wegweiser.privacy.selectors import consent_for_subject
from wegweiser.privacy.services import consent_withdraw
from wegweiser.privacy.tests.consent_factories import make_notice

from .factories import CaseManagementSettingFactory


@pytest.fixture
def welfare(db):
    return OrganisationFactory(name="Caritas Test", kind=OrganisationKind.WELFARE_ASSOCIATION)


@pytest.fixture
def office(db):
    return OrganisationFactory(name="Bürgerbüro Test", kind=OrganisationKind.TOWN)


@pytest.fixture
def clerk(make_member, office):
    return make_member(Role.REGISTRATION_CLERK, office)


def _record(clerk, office, town, notice, *, given=True):
    return services.intake_record(
        actor=clerk,
        office=office,
        given_name="Amal",
        family_name="Beispiel",
        municipality=town,
        consent_given=given,
        notice=notice,
        consent_language="ar",
        interpreter=True,
        email="amal@example.org",
        languages=["ar"],
    )


def test_intake_consent_flows_to_distribution_and_assignment(clerk, office, town, welfare):
    notice = make_notice(
        purposes=[Purpose.CONTACT_TRANSFER, Purpose.CASE_MANAGEMENT, Purpose.REFERRAL]
    )
    other = OrganisationFactory(name="Not named", kind=OrganisationKind.CLUB)
    setting = CaseManagementSettingFactory(organisation=welfare)
    setting.municipalities.add(town)
    CaseManagementSettingFactory(organisation=other)
    intake = _record(clerk, office, town, notice)
    assert intake.consent_id == consent_for_subject(intake.person_id).pk
    suggestions = selectors.organisation_suggestions_for_intake(intake=intake)
    # Only the organisation the consent names (by kind) is offered.
    assert [s.organisation for s in suggestions] == [welfare]
    with pytest.raises(ValidationError):
        services.intake_assign(actor=None, intake=intake, organisation=other)
    case = services.intake_assign(actor=None, intake=intake, organisation=welfare)
    assert case.organisation == welfare


def test_refused_consent_never_reaches_coordinator(clerk, office, town, welfare, make_member):
    notice = make_notice()
    intake = _record(clerk, office, town, notice, given=False)
    coordinator = make_member(Role.KIM_COORDINATOR, OrganisationFactory())
    assert intake not in selectors.intake_list_for_distribution(user=coordinator)
    assert intake.person.email == ""


def test_transfer_refused_without_case_transfer_purpose(clerk, office, town, welfare):
    notice = make_notice()  # contact transfer and case management only
    CaseManagementSettingFactory(organisation=welfare)
    target = OrganisationFactory(kind=OrganisationKind.WELFARE_ASSOCIATION)
    CaseManagementSettingFactory(organisation=target)
    case = services.intake_assign(
        actor=None, intake=_record(clerk, office, town, notice), organisation=welfare
    )
    with pytest.raises(ValidationError):
        services.case_transfer(actor=None, case=case, organisation=target)


def test_withdrawal_blocks_pending_referrals_at_once(clerk, office, town, welfare):
    provider = OrganisationFactory(kind=OrganisationKind.WELFARE_ASSOCIATION)
    notice = make_notice(
        purposes=[Purpose.CONTACT_TRANSFER, Purpose.CASE_MANAGEMENT, Purpose.REFERRAL]
    )
    CaseManagementSettingFactory(organisation=welfare)
    case = services.intake_assign(
        actor=None, intake=_record(clerk, office, town, notice), organisation=welfare
    )
    sent = services.referral_send(
        actor=None,
        referral=services.referral_create(
            actor=None, case=case, offer=OfferFactory(organisation=provider)
        ),
    )
    pending = services.referral_create(actor=None, case=case, offer=OfferFactory())
    consent_withdraw(actor=None, consent=consent_for_subject(case.person_id), reason="")
    sent.refresh_from_db()
    pending.refresh_from_db()
    assert sent.status == ReferralStatus.BLOCKED
    assert pending.status == ReferralStatus.BLOCKED
    assert set(Task.objects.values_list("organisation_id", flat=True)) == {welfare.pk, provider.pk}
    with pytest.raises(ValidationError):
        services.referral_send(
            actor=None,
            referral=services.referral_create(
                actor=None, case=case, offer=OfferFactory(organisation=provider)
            ),
        )


def test_distribution_page_queries_constant(login, make_member, clerk, office, town, welfare):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    notice = make_notice()
    CaseManagementSettingFactory(organisation=welfare).municipalities.add(town)
    CaseManagementSettingFactory(
        organisation=OrganisationFactory(kind=OrganisationKind.WELFARE_ASSOCIATION)
    )
    client = login(make_member(Role.KIM_COORDINATOR, OrganisationFactory()))
    url = reverse("backoffice:intake-distribution")

    def count():
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200
        assert "Caritas Test" in response.content.decode()
        return len(context)

    for _ in range(2):
        _record(clerk, office, town, notice)
    n = count()
    for _ in range(4):
        _record(clerk, office, town, notice)
    assert count() == n


def test_case_page_shows_consent_and_links_its_detail(
    login, make_member, clerk, office, town, welfare
):
    from django.urls import reverse

    CaseManagementSettingFactory(organisation=welfare)
    case = services.intake_assign(
        actor=None, intake=_record(clerk, office, town, make_notice()), organisation=welfare
    )
    manager = make_member(Role.CASE_MANAGER, welfare)
    client = login(manager)
    page = client.get(reverse("backoffice:case-detail", args=[case.pk])).content.decode()
    consent_url = reverse(
        "backoffice:privacy-consent-detail", args=[consent_for_subject(case.person_id).pk]
    )
    assert consent_url in page
    assert client.get(consent_url).status_code == 200


def test_a_recipient_by_kind_reads_only_the_consents_of_its_own_cases(
    login, make_member, clerk, office, town, welfare
):
    from django.urls import reverse

    from wegweiser.privacy.models import AuditEvent

    # The notice names every welfare association; the person's case is at `welfare`.
    CaseManagementSettingFactory(organisation=welfare)
    case = services.intake_assign(
        actor=None, intake=_record(clerk, office, town, make_notice()), organisation=welfare
    )
    consent = consent_for_subject(case.person_id)
    url = reverse("backoffice:privacy-consent-detail", args=[consent.pk])
    other = OrganisationFactory(kind=OrganisationKind.WELFARE_ASSOCIATION)
    stranger = make_member(Role.CASE_MANAGER, other)
    assert login(stranger).get(url).status_code == 404
    assert AuditEvent.objects.filter(
        action="privacy.access.denied", actor=stranger, object_id=str(consent.pk)
    ).exists()
    # A colleague at `welfare` to whom the case is not assigned cannot open it either.
    colleague, manager = (make_member(Role.CASE_MANAGER, welfare) for _ in range(2))
    services.case_take_over(actor=manager, case=case)
    assert login(colleague).get(url).status_code == 404
    assert login(manager).get(url).status_code == 200
    # The registration office that recorded it keeps reading it.
    assert login(clerk).get(url).status_code == 200


def test_referral_closed_loop_through_the_provider_inbox(
    login, make_member, clerk, office, town, welfare
):
    from django.urls import reverse

    provider = OrganisationFactory(kind=OrganisationKind.WELFARE_ASSOCIATION)
    stranger = OrganisationFactory(kind=OrganisationKind.WELFARE_ASSOCIATION)
    notice = make_notice(
        purposes=[Purpose.CONTACT_TRANSFER, Purpose.CASE_MANAGEMENT, Purpose.REFERRAL]
    )
    CaseManagementSettingFactory(organisation=welfare)
    case = services.intake_assign(
        actor=None, intake=_record(clerk, office, town, notice), organisation=welfare
    )
    manager = make_member(Role.CASE_MANAGER, welfare)
    referral = services.referral_create(
        actor=manager, case=case, offer=OfferFactory(organisation=provider)
    )
    manager_client = login(manager)
    manager_client.post(reverse("backoffice:referral-send", args=[case.pk, referral.pk]))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT

    outsider = login(make_member(Role.PROVIDER_EDITOR, stranger))
    assert "Beispiel" not in outsider.get(reverse("backoffice:referral-inbox")).content.decode()
    confirm = reverse("backoffice:referral-confirm", args=[referral.pk])
    assert outsider.post(confirm).status_code == 404

    editor = login(make_member(Role.PROVIDER_EDITOR, provider))
    inbox = editor.get(reverse("backoffice:referral-inbox")).content.decode()
    assert "Beispiel" in inbox
    # WCAG 1.3.1: the column of buttons has a header that screen readers can announce.
    assert '<th scope="col"></th>' not in inbox
    assert '<th scope="col"><span class="visually-hidden">Aktion</span></th>' in inbox
    assert editor.post(confirm).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CONTACTED

    manager_client.post(
        reverse("backoffice:referral-outcome", args=[case.pk, referral.pk]),
        {"outcome": "taken_up"},
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED and referral.outcome == "taken_up"
