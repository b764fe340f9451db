"""Issue 7: a restore replays the deletion journal, so people erased after the backup stay erased."""

import json
import shutil
import uuid

import pytest
from django.core.management import call_command

from wegweiser.accounts.models import User
from wegweiser.accounts.tests.factories import MembershipFactory, UserFactory
from wegweiser.offers.models import OfferFeedback
from wegweiser.offers.tests.factories import OfferFactory
from wegweiser.privacy.models import DeletionJournal
from wegweiser.privacy.retention import journal_file_entries, journal_replay
from wegweiser.privacy.services import subject_erase

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("gpg") is None, reason="gpg (Debian package gnupg) is missing"),
]


@pytest.fixture
def key_file(tmp_path):
    key = tmp_path / "backup.key"
    key.write_text("privacy replay test key")
    key.chmod(0o600)
    return key


def _backup(tmp_path, key_file):
    call_command("backup", directory=str(tmp_path / "backups"), key_file=str(key_file))
    return next((tmp_path / "backups").glob("wegweiser-*.tar.gpg"))


def _restore(backup, key_file):
    call_command("restore", str(backup), key_file=str(key_file), yes=True)


def test_a_person_erased_after_the_backup_stays_erased(tmp_path, key_file, deletion_journal):
    erika = UserFactory(email="erika@example.org", full_name="Erika Mustermann")
    MembershipFactory(user=erika)
    feedback = OfferFeedback.objects.create(
        offer=OfferFactory(), message="Erika Mustermann ruft an", language="de"
    )
    backup = _backup(tmp_path, key_file)

    subject_erase(actor=None, subject=erika)
    OfferFeedback.objects.get(pk=feedback.pk).delete()  # not journaled: comes back with the backup
    assert len(journal_file_entries(deletion_journal)) == 1

    _restore(backup, key_file)

    erika = User.objects.get(pk=erika.pk)
    assert erika.full_name == ""
    assert erika.email.endswith("@anonymised.invalid")
    assert not User.objects.filter(email="erika@example.org").exists()
    assert OfferFeedback.objects.filter(pk=feedback.pk).exists()
    # The journal in the restored database knows the erasure again.
    assert DeletionJournal.objects.filter(model_label="accounts.user").count() == 1


def test_a_deleted_row_stays_deleted_after_restore(tmp_path, key_file):
    from wegweiser.privacy.retention import _delete

    feedback = OfferFeedback.objects.create(
        offer=OfferFactory(), message="Bitte löschen", language="de"
    )
    backup = _backup(tmp_path, key_file)
    from django.db import transaction

    with transaction.atomic():
        _delete(feedback, rule="test")
    _restore(backup, key_file)
    assert not OfferFeedback.objects.filter(pk=feedback.pk).exists()


def test_backup_new_data_restore_gives_the_backup_state(tmp_path, key_file):
    kept = UserFactory(full_name="Vor dem Backup")
    backup = _backup(tmp_path, key_file)
    newcomer = UserFactory(full_name="Nach dem Backup")
    subject_erase(actor=None, subject=newcomer)  # journaled, but unknown to the backup
    User.objects.filter(pk=kept.pk).update(full_name="Geändert")

    _restore(backup, key_file)

    assert list(User.objects.values_list("full_name", flat=True)) == ["Vor dem Backup"]
    # The replay re-creates the journal entry of the newcomer; it names no existing row.
    assert DeletionJournal.objects.filter(object_pk=str(newcomer.pk)).count() == 1


def test_replay_is_idempotent(deletion_journal):
    erika = UserFactory(full_name="Erika Mustermann")
    subject_erase(actor=None, subject=erika)
    first = journal_replay()
    second = journal_replay()
    assert first == second
    assert DeletionJournal.objects.count() == 1
    erika.refresh_from_db()
    assert erika.full_name == ""


def test_an_erased_case_person_is_not_resurrected_by_a_restore(tmp_path, key_file):
    from wegweiser.cases.models import Case, Person
    from wegweiser.cases.tests.factories import CaseFactory
    from wegweiser.privacy.models import Consent

    from .consent_factories import make_consent

    case = CaseFactory()
    person = case.person
    consent = make_consent(subject_id=person.pk)
    other = CaseFactory()
    backup = _backup(tmp_path, key_file)

    subject_erase(actor=None, subject=person)
    _restore(backup, key_file)

    assert not Person.objects.filter(pk=person.pk).exists()
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not Consent.objects.filter(pk=consent.pk).exists()
    assert Case.objects.filter(pk=other.pk).exists()


def test_replay_deletes_cascaded_rows_after_their_parents_and_survives_bad_lines(
    deletion_journal,
):
    from wegweiser.privacy.models import Consent, ConsentEvent

    from .consent_factories import make_consent

    consent = make_consent()
    event = consent.events.get()
    # A journal whose cascade entry (an append-only consent event) comes first, plus garbage.
    deletion_journal.write_text(
        "\n".join(
            [
                json.dumps(
                    {
                        "id": str(uuid.uuid4()),
                        "at": "2026-01-01T00:00:00+00:00",
                        "model": "privacy.consentevent",
                        "pk": str(event.pk),
                        "uuid": "",
                        "rule": "erasure (subject) (cascade)",
                        "action": "delete",
                    }
                ),
                "{not json",
                json.dumps({"id": "x", "model": "nope.nothing", "pk": "1", "action": "delete"}),
                json.dumps(
                    {
                        "id": str(uuid.uuid4()),
                        "at": "2026-01-01T00:00:00+00:00",
                        "model": "privacy.consent",
                        "pk": str(consent.pk),
                        "uuid": "",
                        "rule": "erasure (subject)",
                        "action": "delete",
                    }
                ),
            ]
        )
        + "\n"
    )
    counts = journal_replay()
    assert not Consent.objects.filter(pk=consent.pk).exists()
    assert not ConsentEvent.objects.filter(pk=event.pk).exists()
    assert counts == {"applied": 1, "skipped": 2, "failed": 0}
    assert DeletionJournal.objects.count() == 2
