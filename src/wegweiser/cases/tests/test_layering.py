"""Reads of case data go through the selectors, writes through the services: a grep keeps it so."""

import re
from pathlib import Path

APP = Path(__file__).resolve().parent.parent
MODELS = (
    "Person|Intake|Case|Need|Goal|Appointment|Note|Document|Referral|Transfer|Task|Gap|"
    "CaseManagementSetting"
)
ALLOWED = {"selectors.py", "services.py", "importer.py", "demo.py"}


def test_no_model_queries_outside_selectors_and_services():
    pattern = re.compile(rf"\b({MODELS})\.objects\b")
    offenders = [
        f"{path.relative_to(APP)}:{number}"
        for path in APP.rglob("*.py")
        if path.name not in ALLOWED and "tests" not in path.parts and "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_other_public_apps_never_import_cases():
    # Case data never enters the public search index or the open API (DESIGN.md).
    root = APP.parent
    for app in ("offers", "pages", "search", "api"):
        for path in (root / app).rglob("*.py"):
            assert "wegweiser.cases" not in path.read_text(encoding="utf-8"), path
