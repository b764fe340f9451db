"""Meta-tests: every model holding personal data declares it, and declarations are valid."""

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import models
from django.test.utils import isolate_apps

from wegweiser.privacy import registry

# Field names that suggest data about a person. A bare `name` is not among them: in this code
# base it names things (offers, towns, organisations); names of people are `*_name`/full_name.
PERSONAL_NAME = re.compile(
    r"(^|_)(e?mail|email|phone|mobile|address|street|birth|note|notes|comment|message|"
    r"full_name|first_name|last_name|given_name|family_name|surname|contact_name|dpo_name)(_|$)"
)
PERSONAL_TEXT_NAMES = {"text", "notes", "remarks"}
SUBJECT_ID_NAMES = {"subject_id", "person_id", "person_uuid", "subject_uuid"}

# Models that match the heuristic but cannot carry a declaration of their own, with the reason.
EXEMPT = {
    # A derived index of public offers and pages, rebuilt from them; the retention run removes
    # the documents of deleted objects through search.services.document_delete.
    "search.searchdocument": "derived search index",
    # Passages of those documents with their embeddings; deleted with their document.
    "search.searchpassage": "derived search index",
}


def _own_models():
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("wegweiser.") and not m._meta.auto_created
    ]


def _subject_models():
    return {apps.get_model(settings.AUTH_USER_MODEL), *registry.subject_models()}


def _personal_looking_fields(model) -> list[str]:
    subjects = _subject_models()
    hits = []
    for f in model._meta.concrete_fields:
        if (
            isinstance(f, models.FileField)
            or (f.is_relation and f.related_model in subjects)
            or PERSONAL_NAME.search(f.name)
            or f.name in PERSONAL_TEXT_NAMES
        ):
            hits.append(f.name)
    return hits


def test_the_heuristic_finds_known_personal_fields():
    from wegweiser.accounts.models import Organisation, User
    from wegweiser.offers.models import OfferFeedback

    assert {"email", "full_name"} <= set(_personal_looking_fields(User))
    assert {"dpo_name", "dpo_email", "logo"} <= set(_personal_looking_fields(Organisation))
    assert {"message", "contact_email"} <= set(_personal_looking_fields(OfferFeedback))


def test_every_model_with_personal_looking_fields_declares_privacy():
    missing = [
        f"{m._meta.label} ({', '.join(_personal_looking_fields(m))})"
        for m in _own_models()
        if _personal_looking_fields(m)
        and "Privacy" not in m.__dict__
        and m._meta.label_lower not in EXEMPT
    ]
    assert not missing, (
        "These models look like they hold personal data but declare no `class Privacy` "
        "(an empty `personal_fields = []` with a comment is fine if they hold none): "
        + "; ".join(missing)
    )


def test_every_model_related_to_a_subject_is_in_the_export_registry():
    """A model with a relation to a data subject must be registered, so the export finds it."""
    subjects = _subject_models()
    registered = {d.model for d in registry.declarations()}
    missing = []
    for model in _own_models():
        if model in subjects:
            continue
        relations = [
            f.name
            for f in model._meta.concrete_fields
            if (f.is_relation and f.related_model in subjects)
            # A subject referenced by a plain id (no foreign key), like consent's subject_id.
            or (not f.is_relation and f.name in SUBJECT_ID_NAMES)
        ]
        if relations and model not in registered:
            missing.append(f"{model._meta.label} ({', '.join(relations)})")
    assert not missing, "Related to a data subject but not in the registry: " + "; ".join(missing)


def test_every_declaration_is_valid():
    invalid = {d.label: d.errors for d in registry.declarations(valid_only=False) if d.errors}
    assert not invalid


def test_personal_data_needs_a_retention_rule():
    for declaration in registry.declarations():
        if declaration.holds_personal_data:
            assert declaration.retention, declaration.label


def test_the_user_is_a_subject_and_reaches_memberships():
    from wegweiser.accounts.models import Membership, User

    assert User in registry.subject_models()
    labels = {d.label for d in registry.declarations_for_subject(User)}
    assert {"accounts.user", "accounts.membership", "privacy.auditevent"} <= labels
    membership = registry.declaration_for(Membership)
    assert membership.subject_key_lookup() == "user__uuid"


@isolate_apps("wegweiser.privacy")
def test_invalid_declarations_are_reported_by_the_system_check(monkeypatch):
    class Bad(models.Model):  # noqa: DJ008
        name = models.CharField(max_length=10)

        class Privacy:
            subject = "owner__person"
            personal_fields = ["name", "nickname"]
            files = ["name"]
            colour = "blue"

    class NoRule(models.Model):  # noqa: DJ008
        email = models.EmailField()

        class Privacy:
            personal_fields = ["email"]

    class BadRule(models.Model):  # noqa: DJ008
        email = models.EmailField()

        class Privacy:
            personal_fields = ["email"]
            retention = {"start": "closed", "days": "ten", "action": "shred", "where": {"x": 1}}

    monkeypatch.setattr(registry, "_declared_models", lambda: [Bad, NoRule, BadRule])
    registry.registry_clear_cache()
    try:
        found = registry.check_privacy_declarations()
    finally:
        monkeypatch.undo()
        registry.registry_clear_cache()
    assert all(isinstance(m, checks.Error) for m in found)
    text = "\n".join(m.msg for m in found)
    assert "unknown attributes ['colour']" in text
    assert "'nickname' does not exist" in text
    assert "'name' in files is not a FileField" in text
    assert "subject path 'owner__person'" in text
    assert "declares no retention rule" in text
    assert "action 'shred'" in text
    assert "'days' must be" in text
    assert "retention start 'closed'" in text
    assert "retention filter 'x'" in text


@pytest.mark.django_db
def test_check_command_passes_with_the_real_declarations():
    assert registry.check_privacy_declarations() == []
