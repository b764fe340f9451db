"""apply_retention: expiry, legal holds, anonymise vs. delete, the journal in DB and file."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from wegweiser.accounts.tests.factories import MembershipFactory, UserFactory
from wegweiser.offers.models import OfferFeedback, ZeroResultSearch
from wegweiser.offers.tests.factories import OfferFactory
from wegweiser.privacy.models import DeletionJournal, LegalHold
from wegweiser.privacy.retention import journal_file_entries, retention_apply

pytestmark = pytest.mark.django_db(transaction=True)

NOW = timezone.now()
LONG_AGO = NOW - datetime.timedelta(days=800)


def _feedback(*, days_old: int, message="Falsche Telefonnummer, Grüße Erika Mustermann"):
    feedback = OfferFeedback.objects.create(
        offer=OfferFactory(), message=message, contact_email="erika@example.org", language="de"
    )
    OfferFeedback.objects.filter(pk=feedback.pk).update(
        created_at=NOW - datetime.timedelta(days=days_old)
    )
    return feedback


def test_dry_run_counts_and_changes_nothing(capsys, deletion_journal):
    _feedback(days_old=400)
    _feedback(days_old=10)
    call_command("apply_retention", dry_run=True)
    out = capsys.readouterr().out
    assert "offers.offerfeedback: 1 Zeilen würden bearbeitet (delete)" in out
    assert OfferFeedback.objects.count() == 2
    assert not DeletionJournal.objects.exists()
    assert not deletion_journal.exists()


def test_expired_rows_are_deleted_and_journaled_without_personal_data(deletion_journal):
    old = _feedback(days_old=400)
    young = _feedback(days_old=10)
    ZeroResultSearch.objects.create(query="Erika Mustermann Anwalt", language="de")
    ZeroResultSearch.objects.update(created_at=NOW - datetime.timedelta(days=91))
    call_command("apply_retention")
    assert list(OfferFeedback.objects.values_list("pk", flat=True)) == [young.pk]
    assert not ZeroResultSearch.objects.exists()
    entry = DeletionJournal.objects.get(model_label="offers.offerfeedback")
    assert (entry.object_pk, entry.object_uuid, entry.action) == (
        str(old.pk),
        str(old.uuid),
        "delete",
    )
    assert entry.rule == "retention:offers.offerfeedback"
    lines = journal_file_entries(deletion_journal)
    assert {e["id"] for e in lines} == {
        str(u) for u in DeletionJournal.objects.values_list("uuid", flat=True)
    }
    raw = deletion_journal.read_text()
    assert "Erika" not in raw and "example.org" not in raw
    assert all(
        set(json.loads(line)) == {"id", "at", "model", "pk", "uuid", "rule", "action"}
        for line in raw.splitlines()
    )


def test_inactive_users_are_anonymised_with_their_history_rows():
    gone = UserFactory(email="erika@example.org", full_name="Erika Mustermann", is_active=False)
    gone.last_login = LONG_AGO
    gone.save()
    MembershipFactory(user=gone)
    active = UserFactory(full_name="Still Here")
    active.last_login = LONG_AGO
    active.save()
    retention_apply()
    gone.refresh_from_db()
    assert gone.full_name == "" and gone.email == f"anonymised-{gone.pk}@anonymised.invalid"
    active.refresh_from_db()
    assert active.full_name == "Still Here"
    assert (
        DeletionJournal.objects.filter(model_label="accounts.user", action="anonymise").count() == 1
    )
    # A second run does not journal the same anonymisation again.
    retention_apply()
    assert DeletionJournal.objects.filter(model_label="accounts.user").count() == 1


def test_a_legal_hold_protects_a_subject_until_it_ends():
    held = UserFactory(full_name="Held Person", is_active=False)
    held.last_login = LONG_AGO
    held.save()
    hold = LegalHold.objects.create(
        subject_type="accounts.user",
        subject_id=str(held.uuid),
        reason="Rechtsstreit Az. 1 K 2/26",
        until=timezone.localdate() + datetime.timedelta(days=30),
    )
    retention_apply()
    held.refresh_from_db()
    assert held.full_name == "Held Person"
    LegalHold.objects.filter(pk=hold.pk).update(
        until=timezone.localdate() - datetime.timedelta(days=1)
    )
    retention_apply()
    held.refresh_from_db()
    assert held.full_name == ""


def test_a_hold_on_one_object_protects_it():
    old = _feedback(days_old=400)
    LegalHold.objects.create(
        subject_type="offers.offerfeedback",
        subject_id=str(old.uuid),
        reason="Beschwerde",
        until=timezone.localdate(),
    )
    retention_apply()
    assert OfferFeedback.objects.filter(pk=old.pk).exists()


def test_a_failing_row_rolls_back_its_journal_entry(monkeypatch, deletion_journal):
    from wegweiser.privacy import retention

    _feedback(days_old=400)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(retention, "_delete", broken)
    with pytest.raises(RuntimeError):
        retention_apply()
    assert OfferFeedback.objects.count() == 1
    assert not DeletionJournal.objects.exists()
    assert journal_file_entries(deletion_journal) == []


def test_the_file_is_resynced_from_the_database(deletion_journal):
    _feedback(days_old=400)
    retention_apply()
    deletion_journal.unlink()
    retention_apply()
    assert len(journal_file_entries(deletion_journal)) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)
def test_deletion_journal_refuses_update_and_delete_on_postgresql():
    from django.db import DatabaseError, transaction

    _feedback(days_old=400)
    retention_apply()
    entry = DeletionJournal.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        DeletionJournal.objects.filter(pk=entry.pk).update(rule="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        DeletionJournal.objects.filter(pk=entry.pk).delete()


def test_an_ended_consent_goes_with_its_events_and_evidence(settings):
    """Consent rows (privacy's own, subject by plain id) take the one deletion path too."""
    from wegweiser.privacy.models import Consent, ConsentEvent
    from wegweiser.privacy.services import consent_withdraw

    from .consent_factories import PDF_BYTES, make_consent, upload

    kept = make_consent()
    consent = make_consent(evidence=upload(PDF_BYTES))
    consent_withdraw(actor=None, consent=consent)
    event = consent.events.exclude(evidence="").get()
    storage, name = event.evidence.storage, event.evidence.name
    assert storage.exists(name)
    Consent.objects.filter(pk=consent.pk).update(ended_at=NOW - datetime.timedelta(days=4 * 365))

    retention_apply()

    assert not Consent.objects.filter(pk=consent.pk).exists()
    assert not ConsentEvent.objects.filter(consent_id=consent.pk).exists()
    assert Consent.objects.filter(pk=kept.pk).exists()
    assert not storage.exists(name)
    journal = set(DeletionJournal.objects.values_list("model_label", "rule"))
    assert ("privacy.consent", "retention:privacy.consent") in journal
    assert ("privacy.consentevent", "retention:privacy.consent (cascade)") in journal
