"""Data-subject requests: due dates, export, erasure, restriction, scoping and bad input."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wegweiser.accounts.constants import Role
from wegweiser.accounts.models import Membership
from wegweiser.accounts.tests.factories import MembershipFactory, UserFactory
from wegweiser.privacy.models import (
    AuditEvent,
    DataSubjectRequest,
    DeletionJournal,
    LegalHold,
)
from wegweiser.privacy.selectors import subject_is_restricted
from wegweiser.privacy.services import (
    request_create,
    restriction_lift,
    restriction_set,
    subject_erase,
    subject_export,
    subject_export_pdf,
)
from wegweiser.privacy.subject_rights import add_months, subject_languages

pytestmark = pytest.mark.django_db


@pytest.fixture
def erika(org_a):
    user = UserFactory(email="erika@example.org", full_name="Erika Mustermann", language="ar")
    MembershipFactory(user=user, organisation=org_a, role=Role.PROVIDER_EDITOR)
    return user


def test_due_date_is_one_month_after_receipt():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 12, 15), 1) == datetime.date(2027, 1, 15)


def test_request_create_sets_due_date_and_audits(erika, alice):
    dsr = request_create(
        actor=alice,
        kind="access",
        subject_type="accounts.user",
        subject_id=str(erika.uuid),
        received_on=datetime.date(2026, 3, 31),
    )
    assert dsr.due_on == datetime.date(2026, 4, 30)
    assert AuditEvent.objects.filter(action="privacy.request.created").exists()


@pytest.mark.parametrize(
    ("subject_type", "subject_id"),
    [("accounts.user", "00000000-0000-0000-0000-000000000000"), ("offers.offer", "1"), ("x", "y")],
)
def test_request_for_an_unknown_subject_is_refused(subject_type, subject_id):
    with pytest.raises(ValidationError):
        request_create(actor=None, kind="access", subject_type=subject_type, subject_id=subject_id)
    assert not DataSubjectRequest.objects.exists()


def test_export_holds_every_registered_row_of_the_subject(erika, alice):
    data = json.loads(subject_export(actor=alice, subject=erika))
    assert data["subject"] == {"type": "accounts.user", "id": str(erika.uuid)}
    by_model = {r["model"]: r for r in data["records"]}
    assert by_model["accounts.user"]["rows"][0]["email"] == "erika@example.org"
    assert by_model["accounts.user"]["rows"][0]["full_name"] == "Erika Mustermann"
    assert len(by_model["accounts.membership"]["rows"]) == 1
    event = AuditEvent.objects.get(action="privacy.subject.exported")
    assert event.object_id == str(erika.uuid) and "Erika" not in json.dumps(event.fields)


def test_export_pdf_in_german_and_the_subjects_language(erika):
    assert subject_languages(erika) == ["de", "ar"]
    pdf = subject_export_pdf(actor=None, subject=erika)
    assert pdf.startswith(b"%PDF")


def test_erasure_uses_the_journaled_deletion_path(erika, alice, deletion_journal):
    from axes.models import AccessAttempt
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from wegweiser.accounts.tests.factories import TOTPDeviceFactory

    TOTPDeviceFactory(user=erika)
    AccessAttempt.objects.create(
        username="Erika@example.org", ip_address="127.0.0.1", failures_since_start=1
    )
    subject_erase(actor=alice, subject=erika)
    assert not TOTPDevice.objects.filter(user=erika).exists()
    assert not AccessAttempt.objects.exists()
    erika.refresh_from_db()
    assert erika.full_name == "" and "erika" not in erika.email
    assert not erika.is_active and not erika.has_usable_password()
    assert DeletionJournal.objects.filter(model_label="accounts.user", action="anonymise").exists()
    assert AuditEvent.objects.filter(action="privacy.subject.erased").exists()
    # Memberships hold no values of their own; they stay linked to the anonymised account.
    assert Membership.objects.filter(user=erika).exists()


def test_erasure_is_refused_under_a_legal_hold(erika):
    LegalHold.objects.create(
        subject_type="accounts.user",
        subject_id=str(erika.uuid),
        reason="Klage",
        until=timezone.localdate(),
    )
    with pytest.raises(ValidationError, match="Löschsperre"):
        subject_erase(actor=None, subject=erika)
    erika.refresh_from_db()
    assert erika.full_name == "Erika Mustermann"
    assert not DeletionJournal.objects.exists()


def test_restriction_flag(erika):
    assert not subject_is_restricted(erika.uuid)
    restriction_set(actor=None, subject_type="accounts.user", subject_id=str(erika.uuid))
    restriction_set(actor=None, subject_type="accounts.user", subject_id=str(erika.uuid))
    assert subject_is_restricted(erika.uuid)
    restriction_lift(actor=None, subject_type="accounts.user", subject_id=str(erika.uuid))
    assert not subject_is_restricted(str(erika.uuid))


# --- views -----------------------------------------------------------------------------------


def test_admin_records_and_handles_an_erasure_request(erika, alice, login):
    client = login(alice)
    response = client.post(
        reverse("backoffice:privacy-request-create"),
        {
            "kind": "erasure",
            "subject_type": "accounts.user",
            "subject_id": str(erika.uuid),
            "received_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    dsr = DataSubjectRequest.objects.get()
    detail = client.get(reverse("backoffice:privacy-request-detail", args=[dsr.uuid]))
    assert "Erika Mustermann" in detail.content.decode()
    client.post(reverse("backoffice:privacy-request-action", args=[dsr.uuid]), {"action": "erase"})
    erika.refresh_from_db()
    dsr.refresh_from_db()
    assert erika.full_name == "" and dsr.status == "done" and dsr.closed_at


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "erasure", "subject_type": "accounts.user", "subject_id": "not-a-uuid"},
        {"kind": "shred", "subject_type": "accounts.user", "subject_id": "UUID"},
        {"kind": "access", "subject_type": "cases.person", "subject_id": "UUID"},
        {
            "kind": "access",
            "subject_type": "accounts.user",
            "subject_id": "UUID",
            "received_on": "2999-01-01",
        },
    ],
)
def test_bad_input_is_refused_and_changes_nothing(data, erika, alice, login):
    data = {k: (str(erika.uuid) if v == "UUID" else v) for k, v in data.items()}
    data.setdefault("received_on", timezone.localdate().isoformat())
    response = login(alice).post(reverse("backoffice:privacy-request-create"), data)
    assert response.status_code == 400
    assert not DataSubjectRequest.objects.exists()


def test_kim_coordinator_gets_404_and_an_audited_denial_for_staff_requests(
    erika, make_member, login, org_a
):
    dsr = request_create(
        actor=None, kind="access", subject_type="accounts.user", subject_id=str(erika.uuid)
    )
    coordinator = make_member(Role.KIM_COORDINATOR, org_a)
    client = login(coordinator)
    assert (
        client.get(reverse("backoffice:privacy-request-list")).context["page"].paginator.count == 0
    )
    assert (
        client.get(reverse("backoffice:privacy-request-detail", args=[dsr.uuid])).status_code == 404
    )
    response = client.post(
        reverse("backoffice:privacy-request-action", args=[dsr.uuid]), {"action": "done"}
    )
    assert response.status_code == 404
    dsr.refresh_from_db()
    assert dsr.status == "open"
    denials = AuditEvent.objects.filter(action="privacy.access.denied", object_id=str(dsr.uuid))
    assert denials.count() == 2
    assert {event.actor for event in denials} == {coordinator}


def test_a_provider_editor_is_refused_with_an_audited_denial(erika, bob, login):
    dsr = request_create(
        actor=None, kind="access", subject_type="accounts.user", subject_id=str(erika.uuid)
    )
    response = login(bob).get(reverse("backoffice:privacy-request-export-json", args=[dsr.uuid]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="privacy.access.denied", actor=bob).exists()


def test_posting_status_fields_directly_changes_nothing(erika, alice, login):
    dsr = request_create(
        actor=None, kind="access", subject_type="accounts.user", subject_id=str(erika.uuid)
    )
    login(alice).post(
        reverse("backoffice:privacy-request-action", args=[dsr.uuid]),
        {"action": "nonsense", "status": "done", "due_on": "2099-01-01"},
    )
    dsr.refresh_from_db()
    assert dsr.status == "open" and dsr.due_on != datetime.date(2099, 1, 1)


def test_request_list_queries_do_not_grow_with_the_rows(alice, login):
    client = login(alice)
    url = reverse("backoffice:privacy-request-list")

    def add(n):
        for _ in range(n):
            user = UserFactory()
            request_create(
                actor=alice, kind="access", subject_type="accounts.user", subject_id=str(user.uuid)
            )

    add(3)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    add(3)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_legal_hold_page_creates_a_hold(alice, login, erika):
    client = login(alice)
    url = reverse("backoffice:privacy-legal-holds")
    bad = client.post(
        url,
        {"subject_type": "accounts.user", "subject_id": "x", "reason": "", "until": "2000-01-01"},
    )
    assert bad.status_code == 400 and not LegalHold.objects.exists()
    response = client.post(
        url,
        {
            "subject_type": "accounts.user",
            "subject_id": str(erika.uuid),
            "reason": "Gerichtsverfahren",
            "until": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert LegalHold.objects.get().created_by == alice


# --- records of processing ---------------------------------------------------------------------


def test_records_of_processing_markdown_and_csv(capsys):
    call_command("records_of_processing", format="md")
    markdown = capsys.readouterr().out
    assert (
        "Art. 30" in markdown and "accounts.user" in markdown and "offers.offerfeedback" in markdown
    )
    call_command("records_of_processing", format="csv", language="en")
    csv_text = capsys.readouterr().out
    header = csv_text.splitlines()[0]
    assert header == (
        "Purpose,Record,Categories of personal data,Data subjects,Retention,Legal basis,Recipients"
    )
    assert "anonymised 730 days" in csv_text


def test_records_page_downloads(alice, login):
    client = login(alice)
    url = reverse("backoffice:privacy-records")
    assert client.get(url).status_code == 200
    response = client.get(url, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert b"offers.offerfeedback" in response.content


def test_an_admin_ends_a_legal_hold(alice, login, erika):
    hold = LegalHold.objects.create(
        subject_type="accounts.user",
        subject_id=str(erika.uuid),
        reason="Verfahren",
        until=timezone.localdate() + datetime.timedelta(days=30),
    )
    client = login(alice)
    assert client.get(reverse("backoffice:privacy-legal-holds")).status_code == 200
    client.post(reverse("backoffice:privacy-legal-hold-end", args=[hold.uuid]))
    hold.refresh_from_db()
    assert hold.until < timezone.localdate()
    subject_erase(actor=alice, subject=erika)  # no longer refused


def test_apply_retention_exits_non_zero_when_a_row_cannot_go(monkeypatch, erika):
    from django.core.management.base import CommandError
    from django.db.models.deletion import ProtectedError

    from wegweiser.offers.models import OfferFeedback
    from wegweiser.offers.tests.factories import OfferFactory
    from wegweiser.privacy import retention

    feedback = OfferFeedback.objects.create(offer=OfferFactory(), message="x", language="de")
    OfferFeedback.objects.filter(pk=feedback.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    second = OfferFeedback.objects.create(offer=OfferFactory(), message="y", language="de")
    OfferFeedback.objects.filter(pk=second.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    real = retention._delete

    def protected_first(obj, *, rule):
        if obj.pk == feedback.pk:
            raise ProtectedError("protected", set())
        return real(obj, rule=rule)

    monkeypatch.setattr(retention, "_delete", protected_first)
    with pytest.raises(CommandError, match="1 rows could not be processed"):
        call_command("apply_retention")
    assert list(OfferFeedback.objects.values_list("pk", flat=True)) == [feedback.pk]


def test_erasing_a_case_person_reaches_cases_consents_and_journal(
    make_member, login, org_a, alice, deletion_journal
):
    """cases.Person plugs in through its declarations: export, scoping, erasure."""
    from wegweiser.cases.models import Person
    from wegweiser.cases.tests.factories import CaseFactory
    from wegweiser.privacy.models import Consent

    from .consent_factories import make_consent

    case = CaseFactory()
    person = case.person
    consent = make_consent(subject_id=person.pk)
    data = json.loads(subject_export(actor=None, subject=person))
    assert {"cases.person", "cases.case", "privacy.consent"} <= {
        r["model"] for r in data["records"]
    }
    assert subject_export_pdf(actor=None, subject=person).startswith(b"%PDF")

    dsr = request_create(
        actor=None, kind="erasure", subject_type="cases.person", subject_id=str(person.pk)
    )
    url = reverse("backoffice:privacy-request-detail", args=[dsr.uuid])
    assert login(alice).get(url).status_code == 404  # an admin sees no case content
    coordinator = login(make_member(Role.KIM_COORDINATOR, org_a))
    assert coordinator.get(url).status_code == 200
    coordinator.post(
        reverse("backoffice:privacy-request-action", args=[dsr.uuid]), {"action": "erase"}
    )
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not Consent.objects.filter(pk=consent.pk).exists()
    labels = set(DeletionJournal.objects.values_list("model_label", flat=True))
    assert {"cases.person", "cases.case", "privacy.consent"} <= labels


def test_every_purpose_in_the_declarations_has_a_readable_name():
    from wegweiser.privacy.records import PURPOSES
    from wegweiser.privacy.registry import declarations

    used = {d.purpose for d in declarations() if d.purpose}
    assert used <= set(PURPOSES), used - set(PURPOSES)


def test_navigation_shows_the_privacy_pages_by_role(alice, bob, login, make_member, org_a):
    admin_page = login(alice).get(reverse("backoffice:dashboard")).content.decode()
    assert reverse("backoffice:privacy-request-list") in admin_page
    assert reverse("backoffice:privacy-records") in admin_page
    coordinator = login(make_member(Role.KIM_COORDINATOR, org_a))
    coordinator_page = coordinator.get(reverse("backoffice:dashboard")).content.decode()
    assert reverse("backoffice:privacy-request-list") in coordinator_page
    assert reverse("backoffice:privacy-legal-holds") not in coordinator_page
    editor_page = login(bob).get(reverse("backoffice:dashboard")).content.decode()
    assert "/backoffice/privacy/" not in editor_page


def test_the_deadline_can_be_extended_once_by_two_months(erika, alice, login):
    dsr = request_create(
        actor=None,
        kind="access",
        subject_type="accounts.user",
        subject_id=str(erika.uuid),
        received_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    first_due = dsr.due_on
    client = login(alice)
    url = reverse("backoffice:privacy-request-action", args=[dsr.uuid])
    client.post(url, {"action": "extend"})
    dsr.refresh_from_db()
    assert dsr.due_on == add_months(dsr.received_on, 3) and dsr.due_on > first_due
    client.post(url, {"action": "extend"})
    dsr.refresh_from_db()
    assert dsr.due_on == add_months(dsr.received_on, 3)
    assert AuditEvent.objects.filter(action="privacy.request.extended").count() == 1
