"""Fault: an import killed half-way (SIGKILL, as by the OOM killer) commits nothing partial."""

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

PAGES_DATA = settings.BASE_DIR / "src" / "wegweiser" / "pages" / "tests" / "data"
GERMAN = PAGES_DATA / "lkaugsburg_de_pages_sample.json"
ENGLISH = PAGES_DATA / "lkaugsburg_en_pages_sample.json"

# Runs the real import in a child process that kills itself with SIGKILL after the third
# record has been written inside the import's transaction.
KILLED_IMPORT = textwrap.dedent(
    """
    import os, signal, sys
    import django
    django.setup()
    from wegweiser.pages import services

    real = services._import_translation
    calls = {"n": 0}

    def import_then_die(*args, **kwargs):
        outcome = real(*args, **kwargs)
        calls["n"] += 1
        if calls["n"] == 3:
            os.kill(os.getpid(), signal.SIGKILL)
        return outcome

    services._import_translation = import_then_die
    services.integreat_import(paths=sys.argv[1:])
    """
)


def _run(env, *args, script=None):
    command = (
        [sys.executable, "-c", script, *args]
        if script
        else [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            *args,
        ]
    )
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in ("pages_page", "pages_pagetranslation", "privacy_auditevent")
        }


@pytest.mark.skipif(connection.vendor != "sqlite", reason="drill on a SQLite file database")
def test_import_killed_half_way_leaves_the_database_as_before(tmp_path):
    db = tmp_path / "wegweiser.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wegweiser.settings.dev",
        "DATABASE_URL": f"sqlite:///{db}",
        "WEGWEISER_VAR_DIR": str(tmp_path / "var"),
        "PYTHONPATH": str(settings.BASE_DIR / "src"),
    }
    assert _run(env, "migrate", "--noinput", "-v0").returncode == 0
    assert _run(env, "import_integreat", str(GERMAN)).returncode == 0
    before = _counts(db)

    # German pages changed in the source, plus the English translations: killed half way.
    changed = tmp_path / "de.json"
    records = json.loads(GERMAN.read_text(encoding="utf-8"))
    for record in records:
        record["title"] += " (neu)"
    changed.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    killed = _run(env, str(changed), str(ENGLISH), script=KILLED_IMPORT)
    assert killed.returncode == -9, killed.stderr

    assert _counts(db) == before
    with sqlite3.connect(db) as conn:
        titles = [row[0] for row in conn.execute("SELECT title FROM pages_pagetranslation")]
    assert not any(title.endswith("(neu)") for title in titles)

    # The interrupted import can simply be run again.
    again = _run(env, "import_integreat", str(changed), str(ENGLISH))
    assert again.returncode == 0, again.stderr
    assert _counts(db)["pages_pagetranslation"] > before["pages_pagetranslation"]
