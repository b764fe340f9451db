"""Backup → change → restore gives exactly the backed-up state, on SQLite and PostgreSQL."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from wegweiser.accounts.models import Organisation
from wegweiser.accounts.tests.factories import OrganisationFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("gpg") is None, reason="gpg (Debian package gnupg) is missing"),
]


@pytest.fixture
def key_file(tmp_path):
    key = tmp_path / "backup.key"
    key.write_text("correct horse battery staple – test key")
    key.chmod(0o600)
    return key


def test_backup_restore_round_trip(tmp_path, key_file, settings):
    kept = OrganisationFactory(name="Vor dem Backup")
    media = settings.MEDIA_ROOT / "offers" / "x.txt"
    media.parent.mkdir(parents=True, exist_ok=True)
    media.write_text("vorher")
    private = settings.PRIVATE_MEDIA_ROOT / "evidence" / "consent.pdf"
    private.parent.mkdir(parents=True, exist_ok=True)
    private.write_text("Einwilligung vorher")
    call_command("backup", directory=str(tmp_path / "backups"), key_file=str(key_file))
    backup = next((tmp_path / "backups").glob("wegweiser-*.tar.gpg"))
    assert b"Vor dem Backup" not in backup.read_bytes()  # encrypted

    OrganisationFactory(name="Nach dem Backup")
    Organisation.objects.filter(pk=kept.pk).update(name="Geändert")
    media.write_text("nachher")
    (settings.MEDIA_ROOT / "neu.txt").write_text("neu")
    private.unlink()
    (settings.PRIVATE_MEDIA_ROOT / "neu.pdf").write_text("neu")

    call_command("restore", str(backup), key_file=str(key_file), yes=True)
    assert sorted(Organisation.objects.values_list("name", flat=True)) == ["Vor dem Backup"]
    assert media.read_text() == "vorher"
    assert not (settings.MEDIA_ROOT / "neu.txt").exists()
    assert private.read_text() == "Einwilligung vorher"
    assert not (settings.PRIVATE_MEDIA_ROOT / "neu.pdf").exists()


def test_restore_with_wrong_key_changes_nothing(tmp_path, key_file):
    OrganisationFactory(name="Bleibt")
    call_command("backup", directory=str(tmp_path), key_file=str(key_file))
    backup = next(tmp_path.glob("wegweiser-*.tar.gpg"))
    wrong = tmp_path / "wrong.key"
    wrong.write_text("falsch")
    wrong.chmod(0o600)
    OrganisationFactory(name="Neu")
    with pytest.raises(CommandError, match="decrypt"):
        call_command("restore", str(backup), key_file=str(wrong), yes=True)
    assert Organisation.objects.count() == 2


def test_backup_refuses_a_key_readable_by_others(tmp_path, key_file):
    key_file.chmod(0o644)
    with pytest.raises(CommandError, match="chmod 600"):
        call_command("backup", directory=str(tmp_path), key_file=str(key_file))


def test_restore_hooks_run_after_restore(tmp_path, key_file, monkeypatch):
    from wegweiser.ops import backup as backup_module

    seen = []
    monkeypatch.setattr(backup_module, "RESTORE_HOOKS", [seen.append])
    call_command("backup", directory=str(tmp_path), key_file=str(key_file))
    call_command("restore", str(next(tmp_path.glob("*.gpg"))), key_file=str(key_file), yes=True)
    assert seen and "created_at" in seen[0]


def test_backup_and_restore_work_without_a_writable_home(tmp_path, key_file, monkeypatch):
    # The service user's home is the read-only code directory: gpg must not need it.
    monkeypatch.setenv("HOME", "/dev/null/no-home")
    monkeypatch.delenv("GNUPGHOME", raising=False)
    OrganisationFactory(name="Ohne Home")
    call_command("backup", directory=str(tmp_path), key_file=str(key_file))
    backup = next(tmp_path.glob("wegweiser-*.tar.gpg"))
    call_command("restore", str(backup), key_file=str(key_file), yes=True)
    assert Organisation.objects.filter(name="Ohne Home").exists()


@pytest.mark.parametrize("has_data_filter", [True, False])
def test_safe_extract_refuses_entries_outside_the_target(tmp_path, monkeypatch, has_data_filter):
    import io
    import tarfile

    from wegweiser.ops import backup as backup_module

    if not has_data_filter:  # Debian 12's Python 3.11.2
        monkeypatch.delattr(tarfile, "data_filter", raising=False)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        info = tarfile.TarInfo("../escaped.txt")
        info.size = 1
        archive.addfile(info, io.BytesIO(b"x"))
    buffer.seek(0)
    target = tmp_path / "in"
    target.mkdir()
    with tarfile.open(fileobj=buffer) as archive, pytest.raises(Exception):  # noqa: B017
        backup_module._safe_extract(archive, target)
    assert not (tmp_path / "escaped.txt").exists()
