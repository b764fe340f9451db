import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wegweiser.accounts.constants import Role
from wegweiser.accounts.tests.factories import OrganisationFactory
from wegweiser.cases import selectors, services
from wegweiser.cases.constants import CaseStatus, IntakeStatus, ReferralStatus, TaskStatus
from wegweiser.cases.models import Case, Intake, Person, Task
from wegweiser.offers.tests.factories import OfferFactory
from wegweiser.privacy.models import AuditEvent

from .factories import CaseFactory, CaseManagementSettingFactory


@pytest.fixture
def clerk(make_member, org_b):
    return make_member(Role.REGISTRATION_CLERK, org_b, email="clerk@example.org")


def _intake(clerk, town, *, given=True, **extra):
    return services.intake_record(
        actor=clerk,
        office=clerk.active_memberships[0].organisation,
        given_name="Amal",
        family_name="Beispiel",
        municipality=town,
        consent_given=given,
        notice=None,
        consent_language="ar",
        email="amal@example.org",
        phone="+49 1",
        address="Hauptstraße 1",
        languages=["ar"],
        household_members="2 Kinder",
        **extra,
    )


def test_intake_record_with_consent_keeps_contact(grants, clerk, town):
    intake = _intake(clerk, town)
    assert intake.status == IntakeStatus.NEW
    assert intake.person.email == "amal@example.org"
    assert grants.recorded == [{"person": intake.person.pk, "given": True, "language": "ar"}]
    assert AuditEvent.objects.filter(action="cases.intake.recorded").count() == 1


def test_intake_refused_keeps_no_contact_data(grants, clerk, town):
    intake = _intake(clerk, town, given=False)
    person = Person.objects.get(pk=intake.person_id)
    assert intake.status == IntakeStatus.REFUSED
    for field in services.CONTACT_FIELDS:
        assert not getattr(person, field), field
    assert person.family_name == "Beispiel"


def test_intake_record_refuses_clerk_of_other_office(grants, make_member, org_a, town, clerk):
    other = make_member(Role.REGISTRATION_CLERK, org_a)
    with pytest.raises(PermissionDenied):
        services.intake_record(
            actor=other,
            office=clerk.active_memberships[0].organisation,
            given_name="A",
            family_name="B",
            municipality=town,
            consent_given=True,
            notice=None,
            consent_language="de",
        )
    assert not Intake.objects.exists()


def test_intake_assign_requires_contact_transfer_consent(grants, clerk, town, org_a, cm_setting):
    intake = _intake(clerk, town)
    with pytest.raises(ValidationError):
        services.intake_assign(actor=None, intake=intake, organisation=org_a)
    assert not Case.objects.exists()
    grants.grant(intake.person, org_a, "contact_transfer")
    case = services.intake_assign(actor=None, intake=intake, organisation=org_a)
    intake.refresh_from_db()
    assert case.organisation == org_a and intake.status == IntakeStatus.ASSIGNED
    with pytest.raises(ValidationError):
        services.intake_assign(actor=None, intake=intake, organisation=org_a)


def test_refused_intake_cannot_be_assigned(grants, clerk, town, org_a, cm_setting):
    intake = _intake(clerk, town, given=False)
    grants.grant(intake.person, org_a)
    with pytest.raises(ValidationError):
        services.intake_assign(actor=None, intake=intake, organisation=org_a)


def test_case_status_pipeline(case_a, manager_a):
    with pytest.raises(ValidationError):
        services.case_status_change(actor=manager_a, case=case_a, status=CaseStatus.ACTIVE)
    services.case_status_change(actor=manager_a, case=case_a, status=CaseStatus.FIRST_CONTACT)
    assert case_a.first_contact_at is not None
    services.case_status_change(actor=manager_a, case=case_a, status=CaseStatus.ACTIVE)
    with pytest.raises(ValidationError):
        services.case_status_change(actor=manager_a, case=case_a, status=CaseStatus.CLOSED)
    services.case_status_change(
        actor=manager_a, case=case_a, status=CaseStatus.CLOSED, outcome="goals_reached"
    )
    case_a.refresh_from_db()
    assert case_a.status == CaseStatus.CLOSED and case_a.closed_at is not None


def test_case_services_refuse_other_organisation(case_b, manager_a):
    with pytest.raises(PermissionDenied):
        services.note_add(actor=manager_a, case=case_b, text="x")
    with pytest.raises(PermissionDenied):
        services.case_status_change(actor=manager_a, case=case_b, status=CaseStatus.FIRST_CONTACT)


def test_referral_send_requires_consent_for_provider(grants, case_a, manager_a):
    offer = OfferFactory()
    referral = services.referral_create(actor=manager_a, case=case_a, offer=offer)
    with pytest.raises(ValidationError):
        services.referral_send(actor=manager_a, referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PROPOSED
    grants.grant(case_a.person, offer.organisation, "referral")
    services.referral_send(actor=manager_a, referral=referral)
    assert referral.status == ReferralStatus.SENT
    services.referral_confirm_contact(actor=None, referral=referral)
    services.referral_record_outcome(actor=manager_a, referral=referral, outcome="taken_up")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED


@pytest.mark.parametrize("inactive", ["setting", "organisation"])
def test_transfer_and_assignment_refuse_organisations_that_take_no_cases(
    grants, case_a, manager_a, org_b, make_member, town, inactive
):
    """Neither a case manager (transfer) nor the coordinator (assignment) can hand a case to an
    organisation that takes no new cases, or is deactivated and so has nobody to see it."""
    setting = CaseManagementSettingFactory(organisation=org_b)
    if inactive == "setting":
        setting.is_active = False
        setting.save()
    else:
        org_b.is_active = False
        org_b.save()
    grants.grant(case_a.person, org_b)
    with pytest.raises(ValidationError):
        services.case_transfer(actor=manager_a, case=case_a, organisation=org_b)
    case_a.refresh_from_db()
    assert case_a.organisation != org_b
    assert org_b.pk not in {
        s.organisation_id for s in selectors.transfer_targets_for_case(case=case_a)
    }
    office_clerk = make_member(Role.REGISTRATION_CLERK, OrganisationFactory())
    intake = _intake(office_clerk, town)
    grants.grant(intake.person, org_b)
    with pytest.raises(ValidationError):
        services.intake_assign(actor=None, intake=intake, organisation=org_b)


def test_transfer_requires_case_transfer_consent(grants, case_a, manager_a, org_b):
    CaseManagementSettingFactory(organisation=org_b)
    with pytest.raises(ValidationError):
        services.case_transfer(actor=manager_a, case=case_a, organisation=org_b)
    case_a.refresh_from_db()
    assert case_a.organisation != org_b
    grants.grant(case_a.person, org_b, "case_transfer")
    services.case_transfer(actor=manager_a, case=case_a, organisation=org_b)
    case_a.refresh_from_db()
    assert case_a.organisation == org_b and case_a.case_manager is None


def test_withdrawal_handler_blocks_referrals_and_creates_tasks(grants, case_a, manager_a):
    proposed = services.referral_create(actor=manager_a, case=case_a, offer=OfferFactory())
    sent_offer = OfferFactory()
    grants.grant(case_a.person, sent_offer.organisation, "referral")
    sent = services.referral_send(
        actor=manager_a,
        referral=services.referral_create(actor=manager_a, case=case_a, offer=sent_offer),
    )

    class FakeConsent:
        subject_id = case_a.person_id

    services.consent_withdrawn_handler(consent=FakeConsent(), actor=None)
    proposed.refresh_from_db()
    sent.refresh_from_db()
    assert proposed.status == ReferralStatus.BLOCKED
    assert sent.status == ReferralStatus.BLOCKED
    assert set(Task.objects.values_list("organisation_id", flat=True)) == {
        case_a.organisation_id,
        sent_offer.organisation_id,
    }
    assert Task.objects.filter(status=TaskStatus.OPEN).count() == 2


def test_document_check_rejects_wrong_content(case_a, manager_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake_pdf = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.document_add(actor=manager_a, case=case_a, upload=fake_pdf)
    real = SimpleUploadedFile("x.pdf", b"%PDF-1.4 minimal", content_type="application/pdf")
    document = services.document_add(actor=manager_a, case=case_a, upload=real, title="Bescheid")
    assert document.content_type == "application/pdf"
    assert "x.pdf" not in document.file.name


def test_gap_record_sets_quarter(manager_a, org_a, town):
    from datetime import date

    from wegweiser.core.tests.factories import LifeAreaFactory

    gap = services.gap_record(
        actor=manager_a,
        organisation=org_a,
        life_area=LifeAreaFactory(),
        institution_kind="school",
        barrier_kind="waiting_time",
        municipality=town,
        observed_on=date(2026, 11, 3),
    )
    assert gap.quarter == "2026-Q4"


def test_take_over_by_colleague(case_a, manager_a, manager_a2):
    case = CaseFactory(organisation=case_a.organisation)
    services.case_take_over(actor=manager_a2, case=case)
    assert case.case_manager == manager_a2
    with pytest.raises(PermissionDenied):
        services.case_take_over(actor=manager_a, case=case)


def test_person_retention_runs_only_while_no_case_is_open(grants, clerk, town, org_a, cm_setting):
    intake = _intake(clerk, town)
    person = intake.person
    assert person.retention_from is not None  # not yet distributed
    grants.grant(person, org_a, "contact_transfer")
    case = services.intake_assign(actor=None, intake=intake, organisation=org_a)
    person.refresh_from_db()
    assert person.retention_from is None  # a case is open
    services.case_status_change(actor=None, case=case, status=CaseStatus.CLOSED, outcome="other")
    person.refresh_from_db()
    assert person.retention_from == case.closed_at
    services.case_status_change(actor=None, case=case, status=CaseStatus.ACTIVE)
    person.refresh_from_db()
    assert person.retention_from is None
