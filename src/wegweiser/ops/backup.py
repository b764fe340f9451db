"""Encrypted backups of the database and the files (public media and personal files), and their restore.

A backup is one file: a tar archive with `manifest.json`, the database (`database.dump` from
pg_dump in custom format, or `database.sqlite3` made with SQLite's online backup API) and
`media.tar`, encrypted with GnuPG (AES-256, symmetric) using a key file that the operator keeps
outside the database and outside the backup directory. Without the key a backup is useless, so
a stolen backup does not leak the personal data in it.

Restoring replaces the database and the media files with the backup's. Afterwards, the
deletion journal (see `privacy`, when present) is replayed so that people erased after the
backup stay erased; `RESTORE_HOOKS` is where apps register that replay.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT_VERSION = 1
# Functions called after a restore with the manifest of the restored backup.
RESTORE_HOOKS: list[Callable[[dict], None]] = []


class BackupError(Exception):
    pass


def _tool(name: str) -> str:
    """The absolute path of a command-line tool, or a clear error naming the Debian package."""
    path = shutil.which(name)
    if path is None:
        package = {"gpg": "gnupg"}.get(name, "postgresql-client")
        raise BackupError(f"{name} not found: install the Debian package {package}")
    return path


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    # Every argument comes from settings, the key file path or our own temporary files, never
    # from a request; the tools are resolved to absolute paths by _tool().
    return subprocess.run(cmd, **kwargs)  # noqa: S603


def _gpg(args: list[str], *, key_file: Path, work: Path) -> list[str]:
    """The gpg command line for symmetric encryption with the operator's key file.

    gpg gets a fresh home directory inside the work directory: the service user's home is the
    read-only code directory, and symmetric encryption needs no keyring.
    """
    if not key_file.exists():
        raise BackupError(f"key file {key_file} does not exist")
    if key_file.stat().st_mode & 0o077:
        raise BackupError(
            f"key file {key_file} must not be readable by group or others (chmod 600)"
        )
    home = work / "gnupg"
    home.mkdir(mode=0o700, exist_ok=True)
    return [
        "gpg",
        "--homedir",
        str(home),
        "--batch",
        "--yes",
        "--quiet",
        "--pinentry-mode",
        "loopback",
        "--passphrase-file",
        str(key_file),
        *args,
    ]


def _pg_env(db: dict) -> tuple[list[str], dict]:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = [
        "-h",
        db.get("HOST") or "localhost",
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        db.get("USER") or "postgres",
        "-d",
        db["NAME"],
    ]
    return args, env


def _dump_database(target: Path) -> str:
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        args, env = _pg_env(db)
        _run(
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), *args],
            env=env,
            check=True,
        )
        return "database.dump"
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        with destination:
            connection.connection.backup(destination)
        destination.close()
        return "database.sqlite3"
    raise BackupError(f"unsupported database {connection.vendor}")


def _file_roots() -> dict[str, Path]:
    """The file directories in a backup: public uploads and personal files."""
    return {
        "media": Path(settings.MEDIA_ROOT),
        "private": Path(settings.PRIVATE_MEDIA_ROOT),
    }


def backup_create(*, directory: Path, key_file: Path) -> Path:
    """Write an encrypted backup into `directory` and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    target = directory / f"wegweiser-{stamp}.tar.gpg"
    with tempfile.TemporaryDirectory(prefix="wegweiser-backup-") as tmp:
        work = Path(tmp)
        db_name = _dump_database(work / "database.bin")
        (work / "database.bin").rename(work / db_name)
        with tarfile.open(work / "media.tar", "w") as media:
            for arcname, root in _file_roots().items():
                if root.exists():
                    media.add(root, arcname=arcname)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database": db_name,
            "vendor": connection.vendor,
            "migrations": sorted(
                f"{a}.{n}" for a, n in MigrationRecorder(connection).applied_migrations()
            ),
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
        with tarfile.open(work / "backup.tar", "w") as archive:
            for name in ["manifest.json", db_name, "media.tar"]:
                archive.add(work / name, arcname=name)
        encrypted = _run(
            _gpg(
                [
                    "--symmetric",
                    "--cipher-algo",
                    "AES256",
                    "--output",
                    str(target),
                    str(work / "backup.tar"),
                ],
                key_file=key_file,
                work=work,
            ),
            capture_output=True,
            text=True,
            check=False,
        )
        if encrypted.returncode != 0:
            target.unlink(missing_ok=True)
            raise BackupError(f"gpg could not encrypt the backup: {encrypted.stderr.strip()}")
    target.chmod(0o600)
    return target


def _safe_extract(archive: tarfile.TarFile, path: Path) -> None:
    """Extract only regular files and directories inside `path`.

    Python ≥ 3.11.4 has the "data" extraction filter; Debian 12's Python 3.11.2 does not, so the
    same rules are checked here before extracting.
    """
    if hasattr(tarfile, "data_filter"):
        archive.extractall(path, filter="data")
        return
    root = path.resolve()
    for member in archive.getmembers():
        target = (root / member.name).resolve()
        if not (member.isfile() or member.isdir()) or not target.is_relative_to(root):
            raise BackupError(f"unsafe entry in the backup: {member.name}")
    archive.extractall(path)  # noqa: S202 – every member was checked above


def backup_read_manifest(*, backup: Path, key_file: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="wegweiser-restore-") as tmp:
        return _decrypt(backup, key_file, Path(tmp))[0]


def _decrypt(backup: Path, key_file: Path, work: Path) -> tuple[dict, Path]:
    plain = work / "backup.tar"
    result = _run(
        _gpg(["--decrypt", "--output", str(plain), str(backup)], key_file=key_file, work=work),
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError("cannot decrypt the backup: wrong key or damaged file")
    with tarfile.open(plain) as archive:
        _safe_extract(archive, work)
    manifest = json.loads((work / "manifest.json").read_text())
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"unknown backup format {manifest.get('format')}")
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            f"backup of a {manifest['vendor']} database cannot be restored into {connection.vendor}"
        )
    return manifest, work


def backup_restore(*, backup: Path, key_file: Path) -> dict:
    """Replace database and media with the backup's; then run the restore hooks (journal replay)."""
    with tempfile.TemporaryDirectory(prefix="wegweiser-restore-") as tmp:
        manifest, work = _decrypt(backup, key_file, Path(tmp))
        db = settings.DATABASES["default"]
        connections.close_all()
        if connection.vendor == "postgresql":
            args, env = _pg_env(db)
            dump = str(work / manifest["database"])
            # Extensions belong to the superuser who created them (docs/operations.md, step 2);
            # the application role can neither drop nor create them, and they are in place
            # already, so they are left out of the restore.
            toc = _run(["pg_restore", "--list", dump], capture_output=True, text=True, check=False)
            if toc.returncode != 0:
                raise BackupError(f"cannot read the database dump: {toc.stderr.strip()}")
            restore_list = work / "restore.list"
            restore_list.write_text(
                "\n".join(line for line in toc.stdout.splitlines() if " EXTENSION " not in line)
            )
            restored = _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--use-list",
                    str(restore_list),
                    *args,
                    dump,
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if restored.returncode != 0:
                raise BackupError(
                    f"pg_restore failed, the database is unchanged: {restored.stderr.strip()}"
                )
        else:
            source = sqlite3.connect(work / manifest["database"])
            connection.ensure_connection()
            with source:
                source.backup(connection.connection)
            source.close()
        with tarfile.open(work / "media.tar") as media:
            staging = work / "media-restore"
            _safe_extract(media, staging)
            names = {member.name.split("/", 1)[0] for member in media.getmembers()}
        for arcname, root in _file_roots().items():
            # Backups made before personal files had their own directory hold only "media".
            if arcname == "private" and arcname not in names:
                continue
            if root.exists():
                shutil.rmtree(root)
            if (staging / arcname).exists():
                shutil.copytree(staging / arcname, root)
            else:
                root.mkdir(parents=True, exist_ok=True)
    for hook in RESTORE_HOOKS:
        hook(manifest)
    return manifest


def backup_created_at(manifest: dict) -> datetime:
    return datetime.fromisoformat(manifest["created_at"])
