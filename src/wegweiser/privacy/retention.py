"""The one deletion path: retention runs, subject erasure and the replay after a restore.

Every deleted or anonymised row of a registered model gets a `DeletionJournal` row (no personal
data) in the same transaction, and the same entry is appended to a JSONL file outside the
database once the transaction commits. A restore replays that file (`journal_replay`).
"""

import json
import logging
import os
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from .constants_subject_rights import JournalAction
from .models_subject_rights import DeletionJournal, LegalHold
from .registry import Declaration, declaration_for, declarations, declarations_for_subject

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------
# The journal file


def journal_path() -> Path:
    configured = getattr(settings, "WEGWEISER_DELETION_JOURNAL", None)
    if configured:
        return Path(configured)
    return Path(getattr(settings, "VAR_DIR", Path("var"))) / "deletion-journal.jsonl"


def _entry(row: DeletionJournal) -> dict[str, str]:
    return {
        "id": str(row.uuid),
        "at": row.created_at.isoformat(),
        "model": row.model_label,
        "pk": row.object_pk,
        "uuid": row.object_uuid,
        "rule": row.rule,
        "action": row.action,
    }


def _append_to_file(entries: list[dict[str, str]]) -> None:
    if not entries:
        return
    path = journal_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as journal:
        for entry in entries:
            journal.write(json.dumps(entry, sort_keys=True) + "\n")
        journal.flush()
        os.fsync(journal.fileno())


def journal_file_entries(path: Path | None = None) -> list[dict[str, str]]:
    path = path or journal_path()
    if not path.exists():
        return []
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            # A line torn by a crash while appending: skip it, the database row is re-synced.
            logger.warning("deletion journal line %s is damaged and skipped", number)
    return entries


def journal_file_sync() -> int:
    """Append database journal rows the file misses (e.g. after a crash before the append)."""
    known = {e.get("id") for e in journal_file_entries()}
    missing = [
        _entry(r) for r in DeletionJournal.objects.order_by("id") if str(r.uuid) not in known
    ]
    _append_to_file(missing)
    return len(missing)


def _journal(obj: models.Model, *, rule: str, action: str) -> DeletionJournal:
    row = DeletionJournal.objects.create(
        model_label=obj._meta.label_lower,
        object_pk=str(obj.pk),
        object_uuid=str(getattr(obj, "uuid", "") or ""),
        rule=rule[:100],
        action=action,
    )
    entry = _entry(row)
    transaction.on_commit(lambda: _append_to_file([entry]))
    return row


# --------------------------------------------------------------------------------------------
# Anonymising and deleting one row


def neutral_value(field: models.Field, obj: models.Model) -> Any:
    """The value a personal field gets when its row is anonymised."""
    if isinstance(field, models.FileField):
        return ""
    if field.null:
        return None
    if isinstance(field, models.JSONField):
        return field.get_default()
    if isinstance(field, models.EmailField):
        return "" if field.blank and not field.unique else f"anonymised-{obj.pk}@anonymised.invalid"
    if isinstance(field, (models.CharField, models.TextField)):
        if field.blank and not field.unique:
            return ""
        value = f"anonymised-{obj.pk}"
        return value[: field.max_length] if field.max_length else value
    if field.has_default():
        return field.get_default()
    raise ValidationError(f"{obj._meta.label}.{field.name} cannot be anonymised")


def _delete_files(obj: models.Model, names: list[str] | tuple[str, ...]) -> None:
    for name in names:
        file = getattr(obj, name, None)
        if file and file.name:
            storage, file_name = file.storage, file.name
            # Removed only when the transaction commits: a rollback keeps row and file together.
            transaction.on_commit(lambda s=storage, n=file_name: s.delete(n))


def _all_file_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _remove_from_search(declaration: Declaration | None, obj: models.Model) -> None:
    if declaration is None or not declaration.search_kind:
        return
    from wegweiser.search.models import SearchTerm
    from wegweiser.search.services import document_delete

    document_delete(kind=declaration.search_kind, object_id=str(obj.pk))
    # The vocabulary keeps the words of removed documents ("did you mean"); a name must go too.
    SearchTerm.objects.filter(document_count__lte=0).delete()


def _anonymise(obj: models.Model, declaration: Declaration, *, rule: str) -> None:
    names = list(declaration.personal_fields)
    for name in declaration.files:
        if name not in names:
            names.append(name)
    _delete_files(obj, declaration.files)
    for name in names:
        field = obj._meta.get_field(name)
        setattr(obj, field.attname if field.is_relation else name, neutral_value(field, obj))
    # Bypass auto_now and custom save logic: write exactly the neutral values.
    type(obj)._base_manager.filter(pk=obj.pk).update(
        **{
            obj._meta.get_field(n).attname: getattr(obj, obj._meta.get_field(n).attname)
            for n in names
        }
    )
    _remove_from_search(declaration, obj)
    _journal(obj, rule=rule, action=JournalAction.ANONYMISE)


def _delete(obj: models.Model, *, rule: str) -> int:
    """Delete a row and everything its deletion cascades to; journal every registered row."""
    using = router.db_for_write(type(obj))
    collector = Collector(using=using, origin=obj)
    collector.collect([obj])
    collected: list[models.Model] = []
    for instances in collector.data.values():
        collected.extend(instances)
    for queryset in collector.fast_deletes:
        if declaration_for(queryset.model) is not None or _all_file_fields(queryset.model):
            collected.extend(queryset)
    for instance in collected:
        declaration = declaration_for(type(instance))
        _delete_files(instance, _all_file_fields(type(instance)))
        _remove_from_search(declaration, instance)
        if declaration is not None:
            _journal(
                instance,
                rule=rule if instance is obj else f"{rule} (cascade)",
                action=JournalAction.DELETE,
            )
    obj.delete()
    return len(collected)


def _subject_key(obj: models.Model) -> str:
    from .registry import subject_key

    return subject_key(obj)


def process_row(obj: models.Model, declaration: Declaration, *, rule: str, action: str) -> None:
    """Delete or anonymise one row; for a subject itself, first every row about it."""
    if declaration.subject == "self":
        key = _subject_key(obj)
        for other in declarations_for_subject(type(obj)):
            if other.model is type(obj) or not other.holds_personal_data:
                continue
            if other.action == "keep":
                continue
            lookup = other.subject_key_lookup()
            for row in other.model._default_manager.filter(**{lookup: key}):
                process_row(row, other, rule=f"{rule} (subject)", action=other.action)
    if action == "anonymise":
        _anonymise(obj, declaration, rule=rule)
    elif action == "delete":
        _delete(obj, rule=rule)


# --------------------------------------------------------------------------------------------
# Legal holds and the retention run


def held_keys(*, at: date | None = None) -> dict[str, set[str]]:
    """Active holds by record type: {"accounts.user": {"<uuid>", ...}}."""
    at = at or timezone.localdate()
    result: dict[str, set[str]] = defaultdict(set)
    for subject_type, subject_id in LegalHold.objects.filter(until__gte=at).values_list(
        "subject_type", "subject_id"
    ):
        result[subject_type.lower()].add(subject_id)
    return result


def _start_field(model: type[models.Model], path: str) -> models.Field:
    parts = path.split("__")
    current = model
    for part in parts[:-1]:
        current = current._meta.get_field(part).related_model
    return current._meta.get_field(parts[-1])


def _own_key_lookup(model: type[models.Model]) -> str:
    try:
        model._meta.get_field("uuid")
    except FieldDoesNotExist:
        return "pk"
    return "uuid"


def expired_queryset(declaration: Declaration, *, now: datetime | None = None):
    """Rows of a declaration whose retention period has run out and that no hold protects."""
    rule = declaration.retention or {}
    if rule.get("action", "delete") == "keep" or "start" not in rule:
        return declaration.model._default_manager.none()
    now = now or timezone.now()
    cutoff: date | datetime = now - timedelta(days=rule["days"])
    if not isinstance(_start_field(declaration.model, rule["start"]), models.DateTimeField):
        cutoff = cutoff.date() if isinstance(cutoff, datetime) else cutoff
    queryset = declaration.model._default_manager.filter(
        **{f"{rule['start']}__lte": cutoff}, **(rule.get("where") or {})
    )
    # A hold's last day is a day in the district's time zone, not in UTC.
    holds = held_keys(at=timezone.localdate(now) if timezone.is_aware(now) else now.date())
    own = holds.get(declaration.label)
    if own:
        queryset = queryset.exclude(**{f"{_own_key_lookup(declaration.model)}__in": own})
    subject_model = declaration.subject_model
    if subject_model is not None and declaration.subject != "self":
        subject_holds = holds.get(subject_model._meta.label_lower)
        if subject_holds:
            queryset = queryset.exclude(
                **{f"{declaration.subject_key_lookup()}__in": subject_holds}
            )
    if rule.get("action") == "anonymise":
        done = DeletionJournal.objects.filter(
            model_label=declaration.label, action=JournalAction.ANONYMISE
        ).values_list("object_pk", flat=True)
        done_pks = [declaration.model._meta.pk.to_python(pk) for pk in done]
        if done_pks:
            queryset = queryset.exclude(pk__in=done_pks)
    return queryset.distinct()


@dataclass
class RetentionResult:
    label: str
    action: str
    count: int
    failed: int = 0


# Tables of third-party apps that hold personal data (login attempts with the e-mail address and
# IP address), trimmed by age. They are not in the registry: their models are not ours to declare.
THIRD_PARTY_DAYS = 90


def _third_party_querysets(now: datetime):
    if apps.is_installed("axes"):
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        cutoff = now - timedelta(days=THIRD_PARTY_DAYS)
        for model in (AccessLog, AccessAttempt, AccessFailureLog):
            yield model._meta.label_lower, model.objects.filter(attempt_time__lt=cutoff)


def login_records_delete(*, username: str) -> int:
    """Remove the login attempts recorded under an e-mail address (erasure of an account)."""
    if not username or not apps.is_installed("axes"):
        return 0
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    return sum(
        model.objects.filter(username__iexact=username).delete()[0]
        for model in (AccessLog, AccessAttempt, AccessFailureLog)
    )


def retention_plan(*, now: datetime | None = None) -> list[RetentionResult]:
    """How many rows each rule would process now (the dry run)."""
    now = now or timezone.now()
    results = [
        RetentionResult(d.label, d.action, expired_queryset(d, now=now).count())
        for d in declarations()
        if d.retention
    ]
    results += [
        RetentionResult(label, "delete", qs.count()) for label, qs in _third_party_querysets(now)
    ]
    return results


def retention_apply(*, now: datetime | None = None, actor: Any = None) -> list[RetentionResult]:
    """Delete or anonymise every expired row; one transaction per row, journaled."""
    from .services import audit_log

    journal_file_sync()
    results = []
    for declaration in declarations():
        if not declaration.retention:
            continue
        rule = f"retention:{declaration.label}"
        count = 0
        pks = list(expired_queryset(declaration, now=now).values_list("pk", flat=True))
        failed = 0
        for pk in pks:
            try:
                with transaction.atomic():
                    obj = declaration.model._default_manager.filter(pk=pk).first()
                    if obj is None:  # gone already through a cascade
                        continue
                    process_row(obj, declaration, rule=rule, action=declaration.action)
                    count += 1
            except (ProtectedError, RestrictedError, IntegrityError, ValidationError) as error:
                # One row that cannot go (a protected reference) must not stop the others; it is
                # reported and tried again next night.
                failed += 1
                logger.error(
                    "retention of %s pk=%s failed: %s", declaration.label, pk, type(error).__name__
                )
        if count:
            audit_log(
                action="privacy.retention.applied",
                actor=actor,
                object_type=declaration.label,
                fields=declaration.personal_fields,
                reason=f"{declaration.action} {count}",
            )
        results.append(RetentionResult(declaration.label, declaration.action, count, failed))
    for label, queryset in _third_party_querysets(now or timezone.now()):
        results.append(RetentionResult(label, "delete", queryset.delete()[0]))
    return results


# --------------------------------------------------------------------------------------------
# Replay after a restore


def _find(model: type[models.Model], entry: dict[str, str]) -> models.Model | None:
    manager = model._base_manager
    if entry.get("uuid") and _own_key_lookup(model) == "uuid":
        return manager.filter(uuid=entry["uuid"]).first()
    try:
        pk = model._meta.pk.to_python(entry["pk"])
    except ValidationError:
        return None
    return manager.filter(pk=pk).first()


def _replay_entry(entry: dict[str, str], model: type[models.Model]) -> bool:
    """Apply one entry again; True when a row was changed."""
    obj = _find(model, entry)
    declaration = declaration_for(model)
    if obj is None:
        return False
    if entry["action"] == JournalAction.DELETE:
        _delete_files(obj, _all_file_fields(model))
        _remove_from_search(declaration, obj)
        obj.delete()
        return True
    if entry["action"] == JournalAction.ANONYMISE and declaration is not None:
        names = list(dict.fromkeys([*declaration.personal_fields, *declaration.files]))
        _delete_files(obj, declaration.files)
        values = {}
        for name in names:
            field = model._meta.get_field(name)
            values[field.attname] = neutral_value(field, obj)
        model._base_manager.filter(pk=obj.pk).update(**values)
        _remove_from_search(declaration, obj)
        return True
    return False


def journal_replay(*, path: Path | None = None) -> dict[str, int]:
    """Apply every journal entry again: rows named there are deleted or anonymised once more.

    Idempotent: a row already gone is skipped, an anonymised row gets the same neutral values.
    Rows deleted by a cascade come last (their parent's deletion usually takes them already,
    and some may only go with their parent, like consent events). One failing entry is logged
    and counted; it does not stop the others. Journal rows missing in the (restored) database
    are re-created with their original ids.
    """
    counts = {"applied": 0, "skipped": 0, "failed": 0}
    entries = journal_file_entries(path)
    ordered = [e for e in entries if not str(e.get("rule", "")).endswith("(cascade)")]
    ordered += [e for e in entries if str(e.get("rule", "")).endswith("(cascade)")]
    known = set(DeletionJournal.objects.values_list("uuid", flat=True))
    for entry in ordered:
        try:
            model = apps.get_model(entry["model"])
            entry_id = uuid.UUID(entry["id"])
        except (LookupError, KeyError, ValueError):
            counts["skipped"] += 1
            continue
        try:
            with transaction.atomic():
                changed = _replay_entry(entry, model)
                if entry_id not in known:
                    DeletionJournal.objects.create(
                        uuid=entry_id,
                        created_at=datetime.fromisoformat(entry["at"]),
                        model_label=entry["model"],
                        object_pk=entry["pk"],
                        object_uuid=entry.get("uuid", ""),
                        rule=entry.get("rule", "")[:100],
                        action=entry["action"],
                    )
                    known.add(entry_id)
        except Exception:  # one damaged entry must not stop the replay of the others
            logger.exception("replaying deletion journal entry %s failed", entry.get("id"))
            counts["failed"] += 1
            continue
        counts["applied" if changed else "skipped"] += 1
    return counts


def journal_restore_hook(manifest: dict) -> None:
    """Registered in ops.backup.RESTORE_HOOKS: people erased after the backup stay erased."""
    counts = journal_replay()
    logger.info(
        "deletion journal replayed after restore: %(applied)s applied, %(skipped)s skipped, "
        "%(failed)s failed",
        counts,
    )


def retention_summary_text(results: list[RetentionResult], *, dry_run: bool) -> list[str]:
    lines = []
    for r in results:
        if dry_run:
            lines.append(
                _("%(model)s: %(count)s rows would be processed (%(action)s)")
                % {"model": r.label, "count": r.count, "action": r.action}
            )
        else:
            lines.append(
                _("%(model)s: %(count)s rows processed (%(action)s)")
                % {"model": r.label, "count": r.count, "action": r.action}
            )
            if r.failed:
                lines.append(
                    _("%(model)s: %(failed)s rows could not be processed, see the log")
                    % {"model": r.label, "failed": r.failed}
                )
    return lines
