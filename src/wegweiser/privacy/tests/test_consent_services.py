import hashlib
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from wegweiser.accounts.constants import OrganisationKind, Role
from wegweiser.accounts.tests.factories import OrganisationFactory
from wegweiser.privacy.consent import register_withdrawal_handler, unregister_withdrawal_handler
from wegweiser.privacy.constants import (
    ERROR_EVIDENCE_TYPE,
    ERROR_NOTICE_IN_USE,
    ConsentState,
    Purpose,
)
from wegweiser.privacy.models import (
    AppendOnlyError,
    AuditEvent,
    Consent,
    ConsentEvent,
    ConsentNotice,
)
from wegweiser.privacy.selectors import audit_chain_verify, consent_for_subject
from wegweiser.privacy.services import (
    consent_expire_due,
    consent_invalidate,
    consent_purge,
    consent_withdraw,
    notice_create,
    notice_update,
)

from .consent_factories import (
    NOTICE_TEXT,
    PDF_BYTES,
    jpeg_bytes,
    make_consent,
    make_notice,
    png_bytes,
    upload,
)

pytestmark = pytest.mark.django_db

ONLY_POSTGRES = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


@pytest.fixture
def clerk(make_member, org_a):
    org_a.kind = OrganisationKind.TOWN
    org_a.save()
    return make_member(Role.REGISTRATION_CLERK, org_a)


@pytest.fixture
def handler_calls():
    calls = []

    def handler(*, consent, actor):
        # Runs inside the withdrawal transaction: the new state is already visible.
        calls.append((consent.pk, Consent.objects.get(pk=consent.pk).state, actor))

    register_withdrawal_handler(handler)
    yield calls
    unregister_withdrawal_handler(handler)


# --- notices -----------------------------------------------------------------------------------


def test_notice_create_computes_sha256_of_the_normalised_text():
    notice = make_notice(text="Zeile eins\r\nZeile zwei\r\n")
    assert notice.text == "Zeile eins\nZeile zwei"
    assert notice.text_sha256 == hashlib.sha256(b"Zeile eins\nZeile zwei").hexdigest()
    assert notice.version == 1


def test_notice_versions_count_per_key_and_languages_share_a_version():
    first = make_notice()
    english = make_notice(language="en", version=first.version)
    second = make_notice()
    assert (english.version, second.version) == (1, 2)
    with pytest.raises(ValidationError):
        make_notice(language="en", version=1)


def test_notice_requires_a_purpose_and_a_recipient():
    with pytest.raises(ValidationError):
        make_notice(purposes=())
    with pytest.raises(ValidationError):
        make_notice(recipient_kinds=(), recipient_organisations=())
    with pytest.raises(ValidationError):
        make_notice(purposes=("marketing",))
    assert ConsentNotice.objects.count() == 0


def test_unused_notice_can_be_changed_and_the_hash_follows():
    notice = make_notice()
    notice_update(actor=None, notice=notice, text="Neuer Text")
    notice.refresh_from_db()
    assert notice.text_sha256 == hashlib.sha256(b"Neuer Text").hexdigest()


def test_used_notice_is_immutable_in_service_model_and_queryset():
    notice = make_notice()
    make_consent(notice=notice)
    with pytest.raises(ValidationError, match=str(ERROR_NOTICE_IN_USE)[:30]):
        notice_update(actor=None, notice=notice, text="Anderer Text")
    notice.title = "Anders"
    with pytest.raises(ValidationError):
        notice.save()
    with pytest.raises(ValidationError):
        ConsentNotice.objects.filter(pk=notice.pk).update(title="Anders")
    with pytest.raises(ValidationError):
        notice.delete()
    notice.refresh_from_db()
    assert notice.title == "Einwilligung KIM"
    assert notice.text == NOTICE_TEXT


def test_notice_management_needs_the_permission(make_member, org_a):
    editor = make_member(Role.KI_EDITOR, org_a)
    with pytest.raises(PermissionDenied):
        make_notice(actor=editor)
    coordinator = make_member(Role.KIM_COORDINATOR, org_a)
    notice = make_notice(actor=coordinator)
    assert AuditEvent.objects.filter(
        action="privacy.notice.created", object_id=str(notice.pk), actor=coordinator
    ).exists()


# --- covers() -----------------------------------------------------------------------------------


@pytest.fixture
def parties():
    named = OrganisationFactory(name="Named Org", kind=OrganisationKind.TOWN)
    welfare = OrganisationFactory(name="Welfare Org", kind=OrganisationKind.WELFARE_ASSOCIATION)
    club = OrganisationFactory(name="Club Org", kind=OrganisationKind.CLUB)
    notice = make_notice(
        purposes=(Purpose.CONTACT_TRANSFER, Purpose.CASE_MANAGEMENT),
        recipient_organisations=[named],
        recipient_kinds=(OrganisationKind.WELFARE_ASSOCIATION,),
    )
    return {"named": named, "welfare": welfare, "club": club, "notice": notice}


@pytest.mark.parametrize(
    ("state", "recipient", "purpose", "expected"),
    [
        ("given", "named", Purpose.CONTACT_TRANSFER, True),
        ("given", "welfare", Purpose.CASE_MANAGEMENT, True),
        ("given", "club", Purpose.CONTACT_TRANSFER, False),
        ("given", "named", Purpose.REFERRAL, False),
        ("given", "welfare", Purpose.CASE_TRANSFER, False),
        ("given", None, Purpose.CONTACT_TRANSFER, False),
        ("refused", "named", Purpose.CONTACT_TRANSFER, False),
        ("withdrawn", "named", Purpose.CONTACT_TRANSFER, False),
        ("withdrawn", "welfare", Purpose.CASE_MANAGEMENT, False),
        ("invalidated", "named", Purpose.CONTACT_TRANSFER, False),
        ("expired", "named", Purpose.CONTACT_TRANSFER, False),
    ],
)
def test_covers_truth_table(parties, state, recipient, purpose, expected):
    consent = make_consent(notice=parties["notice"], given=state != "refused")
    if state == "withdrawn":
        consent_withdraw(actor=None, consent=consent)
    elif state == "invalidated":
        consent_invalidate(actor=None, consent=consent, reason="Falsche Person")
    elif state == "expired":
        Consent.objects.filter(pk=consent.pk).update(valid_until=timezone.now())
        consent_expire_due()
        consent.refresh_from_db()
    assert consent.state == state
    assert consent.covers(parties.get(recipient), purpose) is expected


def test_covers_is_false_after_valid_until_even_before_the_expiry_run(parties):
    consent = make_consent(
        notice=parties["notice"], valid_until=timezone.now() + timedelta(days=30)
    )
    assert consent.covers(parties["named"], Purpose.CONTACT_TRANSFER)
    later = timezone.now() + timedelta(days=31)
    assert consent.state == ConsentState.GIVEN
    assert not consent.covers(parties["named"], Purpose.CONTACT_TRANSFER, at=later)


def test_covers_at_a_past_moment_uses_the_events_of_that_moment(parties):
    before = timezone.now() - timedelta(seconds=1)
    consent = make_consent(notice=parties["notice"])
    given_at = timezone.now()
    consent_withdraw(actor=None, consent=consent, reason="")
    assert not consent.covers(parties["named"], Purpose.CONTACT_TRANSFER, at=before)
    assert consent.covers(parties["named"], Purpose.CONTACT_TRANSFER, at=given_at)
    assert not consent.covers(parties["named"], Purpose.CONTACT_TRANSFER)


# --- recording, withdrawal, audit ------------------------------------------------------------


def test_consent_record_writes_event_and_audit(clerk, org_a):
    notice = make_notice()
    subject = uuid.uuid4()
    consent = make_consent(notice=notice, actor=clerk, subject_id=subject)
    event = consent.events.get()
    assert (event.kind, event.actor, event.organisation) == ("given", clerk, org_a)
    assert (event.place, event.language, event.interpreter) == (
        "registration_office_paper",
        "ar",
        True,
    )
    assert consent.recorded_by_organisation == org_a
    audit = AuditEvent.objects.get(action="privacy.consent.given")
    assert audit.object_id == str(consent.pk)
    assert audit.organisation_ref == str(org_a.uuid)
    assert str(subject) not in str(audit.fields)
    assert consent_for_subject(subject) == consent
    assert audit_chain_verify() is None


def test_refusal_is_recorded_and_covers_nothing(clerk, org_a):
    consent = make_consent(actor=clerk, given=False)
    assert consent.state == ConsentState.REFUSED
    assert consent.ended_at is not None
    assert AuditEvent.objects.filter(action="privacy.consent.refused").count() == 1
    assert not consent.covers(org_a, Purpose.CONTACT_TRANSFER)


def test_recording_needs_a_consent_role(make_member, org_a):
    editor = make_member(Role.PROVIDER_EDITOR, org_a)
    with pytest.raises(PermissionDenied):
        make_consent(actor=editor)
    other = OrganisationFactory()
    clerk = make_member(Role.REGISTRATION_CLERK, org_a)
    with pytest.raises(PermissionDenied):
        make_consent(actor=clerk, organisation=other)
    assert Consent.objects.count() == 0


def test_withdrawal_takes_effect_at_once_and_calls_handlers(clerk, parties, handler_calls):
    consent = make_consent(notice=parties["notice"], actor=clerk)
    consent_withdraw(actor=clerk, consent=consent, reason="Telefonisch widerrufen")
    assert handler_calls == [(consent.pk, ConsentState.WITHDRAWN, clerk)]
    fresh = Consent.objects.get(pk=consent.pk)
    assert fresh.state == ConsentState.WITHDRAWN
    assert not fresh.covers(parties["named"], Purpose.CONTACT_TRANSFER)
    assert [e.kind for e in fresh.events.all()] == ["given", "withdrawn"]
    assert AuditEvent.objects.filter(
        action="privacy.consent.withdrawn", object_id=str(consent.pk)
    ).exists()


def test_a_failing_handler_rolls_the_withdrawal_back(parties):
    consent = make_consent(notice=parties["notice"])

    def broken(*, consent, actor):
        raise RuntimeError("cases unavailable")

    register_withdrawal_handler(broken)
    try:
        with pytest.raises(RuntimeError):
            consent_withdraw(actor=None, consent=consent)
    finally:
        unregister_withdrawal_handler(broken)
    fresh = Consent.objects.get(pk=consent.pk)
    assert fresh.state == ConsentState.GIVEN
    assert fresh.events.count() == 1


def test_withdrawing_twice_or_a_refusal_is_refused(handler_calls):
    consent = make_consent()
    consent_withdraw(actor=None, consent=consent)
    with pytest.raises(ValidationError):
        consent_withdraw(actor=None, consent=consent)
    refused = make_consent(given=False)
    with pytest.raises(ValidationError):
        consent_withdraw(actor=None, consent=refused)
    assert len(handler_calls) == 1


def test_expiry_run_is_idempotent_and_calls_handlers(handler_calls):
    make_consent(valid_until=timezone.now() + timedelta(days=1))
    assert consent_expire_due() == 0
    assert consent_expire_due(now=timezone.now() + timedelta(days=2)) == 1
    assert consent_expire_due(now=timezone.now() + timedelta(days=2)) == 0
    assert [state for _pk, state, _actor in handler_calls] == [ConsentState.EXPIRED]


# --- append-only events ------------------------------------------------------------------------


def test_events_cannot_be_changed_or_deleted_through_the_orm():
    consent = make_consent()
    event = consent.events.get()
    event.reason = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        ConsentEvent.objects.filter(pk=event.pk).update(kind="withdrawn")
    with pytest.raises(AppendOnlyError):
        ConsentEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        ConsentEvent.objects.bulk_update([event], ["reason"])
    assert ConsentEvent.objects.get(pk=event.pk).kind == "given"


@ONLY_POSTGRES
def test_event_table_refuses_update_on_postgresql():
    event = make_consent().events.get()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE privacy_consentevent SET kind = 'withdrawn' WHERE id = %s", [event.pk]
        )


@ONLY_POSTGRES
def test_event_table_refuses_delete_on_postgresql():
    event = make_consent().events.get()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM privacy_consentevent WHERE id = %s", [event.pk])
    assert ConsentEvent.objects.filter(pk=event.pk).exists()


def test_purge_deletes_consent_events_and_evidence(django_capture_on_commit_callbacks):
    consent = make_consent(evidence=upload(PDF_BYTES))
    event = consent.events.get()
    storage, name = event.evidence.storage, event.evidence.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        consent_purge(consent=consent)
    assert not Consent.objects.filter(pk=consent.pk).exists()
    assert not ConsentEvent.objects.filter(consent_id=consent.pk).exists()
    assert AuditEvent.objects.filter(action="privacy.consent.purged").exists()
    assert not storage.exists(name)


def test_deleting_a_consent_takes_its_history_as_a_whole(django_capture_on_commit_callbacks):
    # The retention run and erasure delete consents like any other row (also on PostgreSQL,
    # where the trigger lets this one path through); single events stay undeletable.
    kept = make_consent()
    consent = make_consent(evidence=upload(PDF_BYTES))
    consent_withdraw(actor=None, consent=consent)
    name = consent.events.exclude(evidence="").get().evidence.name
    with django_capture_on_commit_callbacks(execute=True):
        Consent.objects.filter(pk=consent.pk).delete()
    assert not ConsentEvent.objects.filter(consent_id=consent.pk).exists()
    assert kept.events.count() == 1
    assert not consent.events.model.evidence.field.storage.exists(name)
    with pytest.raises(AppendOnlyError):
        kept.events.get().delete()


# --- evidence ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "content_type", "suffix"),
    [
        (PDF_BYTES, "form.pdf", "application/pdf", ".pdf"),
        (None, "photo.png", "image/png", ".png"),
        (None, "photo.jpeg", "image/jpeg", ".jpg"),
    ],
)
def test_evidence_is_stored_privately_under_a_random_name(
    settings, content, name, content_type, suffix
):
    if content is None:
        content = png_bytes() if content_type == "image/png" else jpeg_bytes()
    consent = make_consent(evidence=upload(content, name=name, content_type=content_type))
    event = consent.events.get()
    assert event.evidence_content_type == content_type
    assert event.evidence.name.startswith("consent-evidence/")
    assert event.evidence.name.endswith(suffix)
    assert name.split(".")[0] not in event.evidence.name
    path = event.evidence.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(NotImplementedError):
        event.evidence.url  # noqa: B018


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "form.pdf"),
        (b"MZ\x90\x00 executable", "form.jpg"),
        (b"\x89PNG\r\n\x1a\n" + b"not really a png", "form.png"),
        (b"\xff\xd8\xff" + b"broken jpeg", "form.jpg"),
        (b"", "empty.pdf"),
    ],
)
def test_evidence_is_judged_by_content_not_name(content, name):
    with pytest.raises(ValidationError) as error:
        make_consent(evidence=upload(content, name=name))
    assert str(ERROR_EVIDENCE_TYPE) in str(error.value)
    assert Consent.objects.count() == 0


def test_evidence_size_limit(settings, monkeypatch):
    monkeypatch.setattr("wegweiser.privacy.services_consent.EVIDENCE_MAX_BYTES", 10)
    with pytest.raises(ValidationError):
        make_consent(evidence=upload(PDF_BYTES))
    assert Consent.objects.count() == 0


def test_notice_create_is_audited_with_field_names_only():
    notice = notice_create(
        actor=None,
        key="k",
        language="de",
        title="T",
        text="Geheim",
        purposes=[Purpose.REFERRAL],
        recipient_kinds=[OrganisationKind.CLUB],
    )
    event = AuditEvent.objects.get(action="privacy.notice.created")
    assert event.object_id == str(notice.pk)
    assert "Geheim" not in str(event.fields)


def test_consent_expire_command(capsys):
    from django.core.management import call_command

    consent = make_consent(valid_until=timezone.now() - timedelta(minutes=1))
    call_command("consent_expire")
    assert "1 consent(s) expired." in capsys.readouterr().out
    consent.refresh_from_db()
    assert consent.state == ConsentState.EXPIRED
