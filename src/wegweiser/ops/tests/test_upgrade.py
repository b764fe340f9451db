"""Upgrades: the demo database of an older commit migrates forward with `make run`'s steps.

The fixtures are built by `scripts/make_upgrade_fixture.sh COMMIT` (synthetic demo data only).
Each release that changes the schema should add the previous release's database here.
"""

import lzma
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("upgrade-*.sqlite3.xz"))
COUNTED = ["accounts_user", "accounts_organisation", "offers_offer", "pages_page"]


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        # Fixed table names from COUNTED, not input.
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in COUNTED
        }


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the fixtures are SQLite databases, as `make run` creates"
)
@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.name)
def test_old_demo_database_migrates_forward_and_keeps_its_data(fixture, tmp_path):
    db = tmp_path / "wegweiser.sqlite3"
    with lzma.open(fixture) as source, db.open("wb") as target:
        shutil.copyfileobj(source, target)
    before = _counts(db)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wegweiser.settings.dev",
        "DATABASE_URL": f"sqlite:///{db}",
        "WEGWEISER_VAR_DIR": str(tmp_path / "var"),
    }

    # The steps of `make run`: migrate, then the (idempotent) demo data.
    for step in (["migrate", "--noinput"], ["seed_demo"], ["migrate", "--check"], ["check"]):
        result = _manage(env, *step)
        assert result.returncode == 0, f"{' '.join(step)} failed:\n{result.stdout}\n{result.stderr}"

    # Nothing of the old data is lost, and the demo data is not loaded twice.
    assert _counts(db) == before


def test_there_is_an_upgrade_fixture():
    assert FIXTURES, "scripts/make_upgrade_fixture.sh COMMIT builds one"
