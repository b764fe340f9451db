"""The personal-data registry: every installed model that declares an inner `Privacy` class.

A declaration (see docs/adr/0005-retention-and-subject-rights.md):

    class Privacy:
        subject = "case__person"      # ORM path to the data subject, "self", or None (no subject
                                      # model, e.g. the e-mail address of someone without account)
        personal_fields = ["text"]    # fields holding personal data
        files = []                    # FileFields deleted with the row (or emptied on anonymise)
        retention = {"start": "case__closed_at", "days": 3 * 365, "action": "delete",
                     "where": {...}}  # optional filter: only rows matching it expire
        purpose = "case_management"
        legal_basis = "Art. 6(1)(a) GDPR"
        recipients = "..."            # optional, for the records of processing
        subject_description = "..."   # optional: who the data is about when subject is None
        subject_type = "cases.person" # only when `subject` is a plain id field, not a relation
        search_kind = "..."           # optional: the row is indexed under this search kind
        controller = "case__organisation"  # optional: ORM path to the accounts.Organisation that
                                      # is the controller of the row (each welfare association
                                      # is its own); a subject export by a user covers only rows
                                      # of the user's organisations and rows without controller

A declaration with empty `personal_fields` and `files` needs no retention rule: it documents that
the model matched the personal-data heuristic but holds none (or only references).

The registry is read by the retention run, the subject export and erasure, the records of
processing and a system check that validates every declaration at startup.
"""

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models

ACTIONS = ("delete", "anonymise", "keep")
KNOWN_ATTRIBUTES = {
    "subject",
    "personal_fields",
    "files",
    "retention",
    "purpose",
    "legal_basis",
    "recipients",
    "search_kind",
    "categories",
    "subject_description",
    "subject_type",
    "controller",
}
RETENTION_KEYS = {"start", "days", "action", "where", "reason"}


@dataclass(frozen=True)
class Declaration:
    model: type[models.Model]
    subject: str | None
    personal_fields: tuple[str, ...]
    files: tuple[str, ...]
    retention: dict[str, Any] | None
    purpose: str = ""
    legal_basis: str = ""
    recipients: str = ""
    search_kind: str = ""
    subject_description: str = ""
    subject_type: str = ""
    controller: str = ""
    errors: tuple[str, ...] = field(default=(), compare=False)

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def holds_personal_data(self) -> bool:
        return bool(self.personal_fields or self.files)

    @property
    def subject_model(self) -> type[models.Model] | None:
        if not self.subject:
            return None
        if self.subject == "self":
            return self.model
        target, _is_value = _subject_target(self.model, self.subject, self.subject_type)
        return target

    def subject_key_lookup(self) -> str | None:
        """The ORM lookup from this model to the subject's public key (uuid, else pk).

        For a subject held as a plain id (`subject = "subject_id"` with `subject_type`), the
        field itself holds the key.
        """
        subject_model = self.subject_model
        if subject_model is None:
            return None
        if self.subject == "self":
            return subject_key_field(subject_model)
        _target, is_value = _subject_target(self.model, self.subject, self.subject_type)
        if is_value:
            return self.subject
        return f"{self.subject}__{subject_key_field(subject_model)}"

    @property
    def action(self) -> str:
        return (self.retention or {}).get("action", "delete")


def subject_key_field(model: type[models.Model]) -> str:
    """Subjects are referenced by their uuid where they have one (never a counter)."""
    try:
        model._meta.get_field("uuid")
    except FieldDoesNotExist:
        return "pk"
    return "uuid"


def subject_key(obj: models.Model) -> str:
    return str(getattr(obj, subject_key_field(type(obj))))


def _resolve_path(model: type[models.Model], path: str) -> list[type[models.Model]]:
    """The models along an ORM path of relations; raises ValueError for a bad path."""
    chain = [model]
    current = model
    for part in path.split("__"):
        try:
            f = current._meta.get_field(part)
        except FieldDoesNotExist as error:
            raise ValueError(f"{current._meta.label}.{part} does not exist") from error
        if not f.is_relation or f.related_model is None:
            raise ValueError(f"{current._meta.label}.{part} is not a relation")
        current = f.related_model
        chain.append(current)
    return chain


def _subject_target(
    model: type[models.Model], path: str, subject_type: str = ""
) -> tuple[type[models.Model] | None, bool]:
    """The subject model a path leads to, and whether the path ends in a plain id field.

    A plain id field (no foreign key, e.g. consent's `subject_id` for a cases.Person, so that
    privacy does not depend on cases) needs `subject_type`; an uninstalled type gives None.
    """
    try:
        return _resolve_path(model, path)[-1], False
    except ValueError:
        if not subject_type or _check_field_path(model, path) is not None:
            raise
    for candidate in _declared_models():
        if candidate._meta.label_lower == subject_type.lower():
            return candidate, True
    try:
        return apps.get_model(subject_type), True
    except (LookupError, ValueError):
        return None, True


def _check_field_path(model: type[models.Model], path: str) -> str | None:
    """None when `path` names a concrete field (possibly through relations), else the error."""
    parts = path.split("__")
    try:
        owner = _resolve_path(model, "__".join(parts[:-1]))[-1] if len(parts) > 1 else model
        owner._meta.get_field(parts[-1])
    except (ValueError, FieldDoesNotExist) as error:
        return str(error)
    return None


def _build(model: type[models.Model]) -> Declaration:
    spec = model.Privacy
    errors: list[str] = []
    unknown = {a for a in vars(spec) if not a.startswith("_")} - KNOWN_ATTRIBUTES
    if unknown:
        errors.append(f"unknown attributes {sorted(unknown)}")
    personal = tuple(getattr(spec, "personal_fields", ()) or ())
    files = tuple(getattr(spec, "files", ()) or ())
    subject = getattr(spec, "subject", None)
    retention = getattr(spec, "retention", None)
    field_names = {f.name for f in model._meta.get_fields()}
    for name in personal + files:
        if name not in field_names:
            errors.append(f"field {name!r} does not exist")
    for name in files:
        if name in field_names and not isinstance(model._meta.get_field(name), models.FileField):
            errors.append(f"field {name!r} in files is not a FileField")
    subject_type = getattr(spec, "subject_type", "")
    if subject and subject != "self":
        try:
            _subject_target(model, subject, subject_type)
        except ValueError as error:
            errors.append(f"subject path {subject!r}: {error}")
    controller = getattr(spec, "controller", "") or ""
    if controller and (problem := _check_field_path(model, controller)) is not None:
        errors.append(f"controller path {controller!r}: {problem}")
    if (personal or files) and not retention:
        errors.append("holds personal data but declares no retention rule")
    if retention:
        if not isinstance(retention, dict):
            errors.append("retention must be a dict")
            retention = None
        else:
            extra = set(retention) - RETENTION_KEYS
            if extra:
                errors.append(f"unknown retention keys {sorted(extra)}")
            action = retention.get("action", "delete")
            if action not in ACTIONS:
                errors.append(f"retention action {action!r} is not one of {ACTIONS}")
            if action == "keep":
                if not retention.get("reason"):
                    errors.append("retention action 'keep' needs a 'reason'")
            else:
                if not isinstance(retention.get("days"), int) or retention["days"] < 0:
                    errors.append("retention 'days' must be a non-negative integer")
                start = retention.get("start")
                if not start:
                    errors.append("retention needs a 'start' field")
                elif (problem := _check_field_path(model, start)) is not None:
                    errors.append(f"retention start {start!r}: {problem}")
                for key in retention.get("where", {}) or {}:
                    path = key.split("__")
                    # Allow lookups such as "offer__status__in".
                    candidates = ["__".join(path[:i]) for i in range(len(path), 0, -1)]
                    if all(_check_field_path(model, c) for c in candidates):
                        errors.append(f"retention filter {key!r} names no field")
            if action == "anonymise":
                for name in personal:
                    if name in field_names:
                        f = model._meta.get_field(name)
                        if f.is_relation and not f.null:
                            errors.append(
                                f"field {name!r} is a required relation and cannot be anonymised"
                            )
    return Declaration(
        model=model,
        subject=subject,
        personal_fields=personal,
        files=files,
        retention=retention,
        purpose=getattr(spec, "purpose", ""),
        legal_basis=getattr(spec, "legal_basis", ""),
        recipients=getattr(spec, "recipients", ""),
        search_kind=getattr(spec, "search_kind", ""),
        subject_description=getattr(spec, "subject_description", ""),
        subject_type=subject_type,
        controller=controller,
        errors=tuple(errors),
    )


def _declared_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if isinstance(m.__dict__.get("Privacy"), type) and not m._meta.abstract
    ]


@cache
def _registry() -> tuple[Declaration, ...]:
    return tuple(_build(m) for m in _declared_models())


def declarations(*, valid_only: bool = True) -> list[Declaration]:
    """Every declaration (sorted by model label); without the invalid ones unless asked."""
    result = sorted(_registry(), key=lambda d: d.label)
    return [d for d in result if not d.errors] if valid_only else result


def declaration_for(model: type[models.Model] | str) -> Declaration | None:
    label = model if isinstance(model, str) else model._meta.label_lower
    return next((d for d in declarations() if d.label == label.lower()), None)


def declarations_for_subject(subject_model: type[models.Model]) -> list[Declaration]:
    return [d for d in declarations() if d.subject and d.subject_model is subject_model]


def subject_models() -> list[type[models.Model]]:
    """Models that are data subjects themselves (declare subject = "self")."""
    return [d.model for d in declarations() if d.subject == "self"]


def registry_clear_cache() -> None:
    """For tests that add declarations at runtime."""
    _registry.cache_clear()


@checks.register()
def check_privacy_declarations(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors = []
    for declaration in _registry():
        for message in declaration.errors:
            errors.append(
                checks.Error(
                    f"Privacy declaration of {declaration.model._meta.label}: {message}",
                    obj=declaration.model,
                    id="privacy.E001",
                )
            )
    return errors
