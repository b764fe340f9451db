"""Issue 7: a restore replays the deletion journal, so people erased after the backup stay erased."""

import shutil

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
