import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _manage(*args, **env):
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={k: v for k, v in {**os.environ, **env}.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="wegweiser.settings.prod",
        SECRET_KEY="x7" * 30 + "-production-test-key",
        ALLOWED_HOSTS="wegweiser.example.org",
        DATABASE_URL="sqlite:///:memory:",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"],
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "wegweiser.settings.prod",
            "ALLOWED_HOSTS": "x.example.org",
            "DATABASE_URL": "sqlite:///:memory:",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_local_secret_key_is_generated_into_var(tmp_path):
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(len(settings.SECRET_KEY))",
        DJANGO_SETTINGS_MODULE="wegweiser.settings.dev",
        WEGWEISER_VAR_DIR=str(tmp_path),
        SECRET_KEY="",
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret_key").exists()
    assert int(result.stdout.strip().splitlines()[-1]) >= 50
