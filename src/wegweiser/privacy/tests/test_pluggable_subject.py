"""A subject model of another app (like cases.Person) plugs in by its declarations alone.

Test-only models in an isolated app registry, with real tables created for the test: a person
("self"), notes with files and search documents (deleted), and history rows (anonymised).
"""

import datetime
import json
import os
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection, models
from django.test.utils import isolate_apps
from django.utils import timezone

from wegweiser.privacy import registry
from wegweiser.privacy.models import DeletionJournal, LegalHold
from wegweiser.privacy.retention import retention_apply
from wegweiser.privacy.services import subject_erase, subject_export
from wegweiser.search.models import SearchDocument
from wegweiser.search.registry import Document
from wegweiser.search.services import document_upsert

SENTINEL = "Qwsentinelperson"
THREE_YEARS = 3 * 365

with isolate_apps("wegweiser.privacy"):

    class FakePerson(models.Model):
        id = models.UUIDField(primary_key=True, default=uuid.uuid4)
        full_name = models.CharField(max_length=100)
        email = models.EmailField(blank=True)
        language = models.CharField(max_length=10, default="uk")
        closed_at = models.DateTimeField(null=True, blank=True)

        class Meta:
            app_label = "privacy"

        class Privacy:
            subject = "self"
            personal_fields = ["full_name", "email"]
            retention = {"start": "closed_at", "days": THREE_YEARS, "action": "delete"}
            purpose = "case_management"
            legal_basis = "Art. 6(1)(a) GDPR"

        def __str__(self):
            return self.full_name

    class FakeNote(models.Model):
        id = models.UUIDField(primary_key=True, default=uuid.uuid4)
        person = models.ForeignKey(FakePerson, on_delete=models.CASCADE, related_name="notes")
        text = models.TextField()
        attachment = models.FileField(upload_to="fake-notes/", blank=True)

        class Meta:
            app_label = "privacy"

        class Privacy:
            subject = "person"
            personal_fields = ["text"]
            files = ["attachment"]
            retention = {"start": "person__closed_at", "days": THREE_YEARS, "action": "delete"}
            purpose = "case_management"
            legal_basis = "Art. 6(1)(a) GDPR"
            search_kind = "fakenote"

        def __str__(self):
            return str(self.id)

    class FakeHistory(models.Model):
        person = models.ForeignKey(
            FakePerson, on_delete=models.SET_NULL, null=True, related_name="history"
        )
        changed_at = models.DateTimeField(default=timezone.now)
        old_value = models.TextField(blank=True)

        class Meta:
            app_label = "privacy"

        class Privacy:
            subject = "person"
            personal_fields = ["old_value"]
            retention = {"start": "changed_at", "days": 10 * 365, "action": "anonymise"}
            purpose = "case_management"
            legal_basis = "Art. 6(1)(a) GDPR"

        def __str__(self):
            return str(self.pk)

    class FakeConsent(models.Model):
        """Like privacy.Consent: the person is referenced by a plain id, not a foreign key."""

        subject_id = models.UUIDField(db_index=True)
        given_at = models.DateTimeField(default=timezone.now)
        place = models.CharField(max_length=100)

        class Meta:
            app_label = "privacy"

        class Privacy:
            subject = "subject_id"
            subject_type = "privacy.fakeperson"
            personal_fields = ["place"]
            retention = {"start": "given_at", "days": 10 * 365, "action": "delete"}
            purpose = "case_management"
            legal_basis = "Art. 7 GDPR"

        def __str__(self):
            return str(self.pk)


FAKES = [FakePerson, FakeNote, FakeHistory, FakeConsent]
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fakes(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with connection.schema_editor() as editor:
        for model in FAKES:
            editor.create_model(model)
    real = registry._declared_models()
    monkeypatch.setattr(registry, "_declared_models", lambda: [*real, *FAKES])
    registry.registry_clear_cache()
    yield
    monkeypatch.undo()
    registry.registry_clear_cache()
    with connection.schema_editor() as editor:
        for model in reversed(FAKES):
            editor.delete_model(model)


OTHER = "Kpotherperson"


def _person(marker=SENTINEL, *, closed_days_ago=None):
    person = FakePerson.objects.create(
        full_name=f"{marker} Person",
        email=f"{marker.lower()}@example.org",
        closed_at=(
            timezone.now() - datetime.timedelta(days=closed_days_ago)
            if closed_days_ago is not None
            else None
        ),
    )
    note = FakeNote(person=person, text=f"Gespräch mit {marker}")
    note.attachment.save(f"{marker}.txt", ContentFile(f"{marker} Scan".encode()))
    document_upsert(Document(kind="fakenote", object_id=str(note.pk), title=marker, texts=[]))
    FakeHistory.objects.create(person=person, old_value=f"früher: {marker}")
    FakeConsent.objects.create(subject_id=person.pk, place=f"Bürgerbüro {marker}")
    return person, note


def _sentinel_tables(needle=SENTINEL) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            if any(needle.lower() in str(c).lower() for row in cursor.fetchall() for c in row):
                found.append(table)
    return found


def _sentinel_files(settings, needle=SENTINEL) -> list[str]:
    return [
        name
        for dirpath, _dirs, files in os.walk(settings.MEDIA_ROOT)
        for name in files
        if needle in name or needle.encode() in (Path(dirpath) / name).read_bytes()
    ]


def test_declarations_are_valid_and_found(fakes):
    assert registry.check_privacy_declarations() == []
    labels = {d.label for d in registry.declarations_for_subject(FakePerson)}
    assert labels == {
        "privacy.fakeperson",
        "privacy.fakenote",
        "privacy.fakehistory",
        "privacy.fakeconsent",
    }


def test_export_reaches_every_model_about_the_person(fakes):
    person, _note = _person()
    data = json.loads(subject_export(actor=None, subject=person))
    by_model = {r["model"]: r["rows"] for r in data["records"]}
    assert by_model["privacy.fakenote"][0]["text"] == f"Gespräch mit {SENTINEL}"
    assert by_model["privacy.fakenote"][0]["attachment"].startswith(SENTINEL)
    assert by_model["privacy.fakehistory"][0]["old_value"] == f"früher: {SENTINEL}"
    assert by_model["privacy.fakeconsent"][0]["place"] == f"Bürgerbüro {SENTINEL}"


def test_erasure_leaves_the_sentinel_nowhere(fakes, settings):
    person, note = _person()
    _person(OTHER)
    assert _sentinel_files(settings)
    assert "privacy_fakenote" in _sentinel_tables()
    subject_erase(actor=None, subject=person)
    assert not FakePerson.objects.filter(pk=person.pk).exists()
    assert not SearchDocument.objects.filter(kind="fakenote", object_id=str(note.pk)).exists()
    journal = set(DeletionJournal.objects.values_list("model_label", "action"))
    assert journal == {
        ("privacy.fakeperson", "delete"),
        ("privacy.fakenote", "delete"),
        ("privacy.fakehistory", "anonymise"),
        ("privacy.fakeconsent", "delete"),
    }
    assert _sentinel_tables() == []
    assert _sentinel_files(settings) == []
    # The other person is untouched.
    assert set(_sentinel_tables(OTHER)) >= {"privacy_fakeperson", "privacy_fakenote"}
    assert _sentinel_files(settings, OTHER)


def test_retention_after_the_period_removes_person_notes_files_and_history(fakes, settings):
    _person(closed_days_ago=THREE_YEARS + 1)
    young, _ = _person(OTHER, closed_days_ago=10)
    retention_apply()
    assert list(FakePerson.objects.values_list("pk", flat=True)) == [young.pk]
    assert _sentinel_tables() == []
    assert _sentinel_files(settings) == []
    assert "privacy_fakehistory" in _sentinel_tables(OTHER)


def test_a_legal_hold_on_the_person_protects_their_notes(fakes):
    person, note = _person(closed_days_ago=THREE_YEARS + 1)
    LegalHold.objects.create(
        subject_type="privacy.fakeperson",
        subject_id=str(person.pk),
        reason="Verfahren",
        until=timezone.localdate() + datetime.timedelta(days=5),
    )
    retention_apply()
    assert FakePerson.objects.filter(pk=person.pk).exists()
    assert FakeNote.objects.filter(pk=note.pk).exists()
