"""A sentinel planted in every personal field and file of every registered model is nowhere
after a retention run past every period: not in any table, not in media, not in the index."""

import dataclasses
import datetime
import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection, models
from django.utils import timezone

from wegweiser.privacy import registry
from wegweiser.privacy.retention import retention_apply
from wegweiser.search.registry import Document
from wegweiser.search.services import document_upsert

from .generic import build

SENTINEL = "Zqxsentinelname"
pytestmark = pytest.mark.django_db(transaction=True)


def _sentinel_value(field: models.Field, n: int):
    if isinstance(field, models.EmailField):
        return f"{SENTINEL.lower()}{n}@example.org"
    if isinstance(field, models.URLField):
        return f"https://example.org/{SENTINEL}{n}"
    if isinstance(field, models.JSONField):
        return {"name": f"{SENTINEL} {n}"}
    if isinstance(field, models.CharField | models.TextField):
        value = f"{SENTINEL} {n}"
        return value[: field.max_length] if field.max_length else value
    return None  # dates, numbers, relations: nothing textual to plant


def _owner_and_name(obj, path: str):
    parts = path.split("__")
    for part in parts[:-1]:
        obj = getattr(obj, part)
    return obj, parts[-1]


def _plant(declaration, n: int):
    obj = build(declaration.model)
    for name in declaration.personal_fields:
        value = _sentinel_value(declaration.model._meta.get_field(name), n)
        if value is not None:
            setattr(obj, name, value)
    for name in declaration.files:
        setattr(obj, name, ContentFile(f"{SENTINEL} file".encode(), name=f"{SENTINEL}.txt"))
    obj.save()
    if declaration.search_kind:
        document_upsert(
            Document(kind=declaration.search_kind, object_id=str(obj.pk), title=SENTINEL, texts=[])
        )
    rule = declaration.retention
    for key, value in (rule.get("where") or {}).items():
        owner, name = _owner_and_name(obj, key.removesuffix("__in"))
        setattr(owner, name, value[0] if key.endswith("__in") else value)
        type(owner)._base_manager.filter(pk=owner.pk).update(**{name: getattr(owner, name)})
    owner, name = _owner_and_name(obj, rule["start"])
    if getattr(owner, name) is None:
        field = owner._meta.get_field(name)
        now = timezone.now() if isinstance(field, models.DateTimeField) else timezone.localdate()
        type(owner)._base_manager.filter(pk=owner.pk).update(**{name: now})
    return obj


def _tables_containing(needle: str) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                if any(needle.lower() in str(cell).lower() for cell in row if cell is not None):
                    found.append(table)
                    break
    return found


def _file_roots(settings) -> set[Path]:
    """MEDIA_ROOT, the private root and the location of every storage a FileField uses."""
    from django.apps import apps

    roots = {Path(settings.MEDIA_ROOT)}
    if getattr(settings, "PRIVATE_MEDIA_ROOT", None):
        roots.add(Path(settings.PRIVATE_MEDIA_ROOT))
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                location = getattr(field.storage, "location", None)
                if location:
                    roots.add(Path(location))
    return roots


def _media_containing(roots: set[Path], needle: str) -> list[str]:
    found = []
    for dirpath, _dirs, files in (w for root in roots for w in os.walk(root)):
        for name in files:
            path = Path(dirpath) / name
            if needle.lower() in name.lower() or needle.encode() in path.read_bytes():
                found.append(str(path))
    return found


@pytest.fixture
def files_and_index_declared(monkeypatch):
    """No existing model declares files or an indexed row yet (cases will): pretend two do."""
    originals = registry._registry()
    patched = []
    for d in originals:
        if d.label == "accounts.organisation":
            d = dataclasses.replace(d, files=("logo",))
        if d.label == "offers.offerfeedback":
            d = dataclasses.replace(d, search_kind="feedback")
        patched.append(d)
    monkeypatch.setattr(registry, "_registry", lambda: tuple(patched))


def test_sentinel_is_gone_everywhere_after_retention(settings, files_and_index_declared, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    planted = [
        d
        for d in registry.declarations()
        if d.holds_personal_data and d.retention and d.action != "keep"
    ]
    assert len(planted) >= 8
    for n, declaration in enumerate(planted):
        _plant(declaration, n)
    from axes.models import AccessLog

    AccessLog.objects.create(
        username=f"{SENTINEL.lower()}@example.org", ip_address="127.0.0.1", user_agent="test"
    )
    # The test would prove nothing if the sentinel had not arrived everywhere.
    before = set(_tables_containing(SENTINEL))
    textual = {
        d.model._meta.db_table
        for d in planted
        if d.files
        or any(
            _sentinel_value(d.model._meta.get_field(name), 0) is not None
            for name in d.personal_fields
        )
    }
    assert textual <= before
    assert "search_searchdocument" in before
    assert _media_containing(_file_roots(settings), SENTINEL)
    for d in planted:
        for name in d.files:
            location = Path(d.model._meta.get_field(name).storage.location)
            assert _media_containing({location}, SENTINEL), f"{d.label}.{name} not planted"

    retention_apply(now=timezone.now() + datetime.timedelta(days=40 * 365))

    assert _tables_containing(SENTINEL) == []
    assert _media_containing(_file_roots(settings), SENTINEL) == []
