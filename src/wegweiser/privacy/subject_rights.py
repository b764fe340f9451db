"""Data-subject rights (Art. 15–18 GDPR): export, erasure, restriction and the requests log.

Re-exported by `privacy.services`; the registry tells which rows belong to a subject.
"""

import calendar
import datetime
import json
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wegweiser.accounts.models import Organisation

from .constants_subject_rights import (
    EXTENSION_MONTHS,
    OPEN_REQUEST_STATES,
    RESPONSE_MONTHS,
    RequestKind,
    RequestStatus,
)
from .models_subject_rights import DataSubjectRequest, LegalHold, RestrictedSubject
from .registry import (
    declaration_for,
    declarations_for_subject,
    subject_key,
    subject_key_field,
    subject_models,
)
from .retention import login_records_delete, process_row


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def subject_label(subject: models.Model) -> str:
    return subject._meta.label_lower


def subject_resolve(*, subject_type: str, subject_id: str) -> models.Model | None:
    """The subject a reference names, or None when the type is no subject or the id unknown."""
    labels = {m._meta.label_lower: m for m in subject_models()}
    model = labels.get((subject_type or "").lower())
    if model is None:
        return None
    try:
        return model._default_manager.filter(**{subject_key_field(model): subject_id}).first()
    except (ValidationError, ValueError):
        return None


def _audit(**kwargs):
    from .services import audit_log

    return audit_log(**kwargs)


# --------------------------------------------------------------------------------------------
# Export


def _row_data(obj: models.Model, declaration) -> dict[str, Any]:
    data: dict[str, Any] = {"id": obj.pk}
    if hasattr(obj, "uuid"):
        data["uuid"] = str(obj.uuid)
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.DateField | models.DateTimeField):
            data[field.name] = getattr(obj, field.name)
    for name in declaration.personal_fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            value = [str(v) for v in getattr(obj, name).all()]
        else:
            value = getattr(obj, field.attname if field.is_relation else name)
        if field.choices:
            value = getattr(obj, f"get_{name}_display")()
        data[name] = value
    for name in declaration.files:
        file = getattr(obj, name)
        data[name] = file.name.rsplit("/", 1)[-1] if file else ""
    return data


def _actor_organisation_ids(actor: Any) -> set[int] | None:
    """The organisations whose rows an export by `actor` covers (None: every controller)."""
    if actor is None:  # commands and tests on behalf of the operator
        return None
    return set(actor.memberships.values_list("organisation_id", flat=True))


def subject_export_data(*, subject: models.Model, actor: Any = None) -> dict[str, Any]:
    """Everything the registry knows about a subject: per model, ids, dates, personal fields.

    Each welfare association is its own controller: rows whose declaration names a `controller`
    are exported only for users of that organisation. The export lists the other controllers
    that hold data about the subject (by name, nothing of their content), so that the request
    can be passed on to them.
    """
    key = subject_key(subject)
    own = _actor_organisation_ids(actor)
    records = []
    other_controllers: set[int] = set()
    for declaration in declarations_for_subject(type(subject)):
        lookup = declaration.subject_key_lookup()
        rows = declaration.model._default_manager.filter(**{lookup: key}).order_by("pk")
        if declaration.controller and own is not None:
            controller_id = f"{declaration.controller}_id"
            other_controllers |= set(
                rows.exclude(**{f"{controller_id}__in": own}).values_list(controller_id, flat=True)
            )
            rows = rows.filter(**{f"{controller_id}__in": own})
        rows_data = [_row_data(obj, declaration) for obj in rows]
        if not rows_data:
            continue
        records.append(
            {
                "model": declaration.label,
                "name": str(declaration.model._meta.verbose_name_plural),
                "purpose": declaration.purpose,
                "legal_basis": declaration.legal_basis,
                "retention": declaration.retention or {},
                "fields": {
                    name: str(declaration.model._meta.get_field(name).verbose_name)
                    for name in [*declaration.personal_fields, *declaration.files]
                },
                "rows": rows_data,
            }
        )
    return {
        "subject": {"type": subject_label(subject), "id": key},
        "generated_at": timezone.now(),
        "restricted": subject_is_restricted(key),
        "records": records,
        "other_controllers": sorted(
            Organisation.objects.filter(pk__in=other_controllers - {None}).values_list(
                "name", flat=True
            )
        ),
    }


def subject_export(*, actor: Any, subject: models.Model) -> str:
    """The subject's data as JSON (Art. 15, 20); the export is audited."""
    data = subject_export_data(subject=subject, actor=actor)
    _audit(
        action="privacy.subject.exported",
        actor=actor,
        object_type=subject_label(subject),
        object_id=subject_key(subject),
        fields=[r["model"] for r in data["records"]],
    )
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def subject_languages(subject: models.Model) -> list[str]:
    """German first, then the subject's own language if the platform speaks it."""
    available = {code for code, _name in settings.LANGUAGES}
    candidates: list[Any] = []
    for attribute in ("language", "preferred_language", "languages"):
        value = getattr(subject, attribute, None)
        if hasattr(value, "all"):  # a many-to-many relation
            value = list(value.all())
        candidates += value if isinstance(value, list | tuple) else [value]
    for value in candidates:
        code = str(getattr(value, "code", value) or "")[:2].lower()
        if code in available and code != "de":
            return ["de", code]
    return ["de"]


def _readable_records(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The export with field labels in the active language, for the PDF."""
    result = []
    for record in data["records"]:
        model = apps.get_model(record["model"])
        meta = model._meta
        rows = []
        for row in record["rows"]:
            cells = []
            for key, value in row.items():
                label = key if key in ("id", "uuid") else str(meta.get_field(key).verbose_name)
                cells.append((label, value))
            rows.append(cells)
        result.append(
            {
                "name": str(meta.verbose_name_plural),
                "purpose": record["purpose"],
                "legal_basis": record["legal_basis"],
                "rows": rows,
            }
        )
    return result


def subject_export_pdf(*, actor: Any, subject: models.Model) -> bytes:
    """A readable PDF of the export: one part in German, one in the subject's language."""
    from wegweiser.core.pdf import pdf_from_html

    data = subject_export_data(subject=subject, actor=actor)
    parts = []
    for language in subject_languages(subject):
        with translation.override(language):
            parts.append(
                render_to_string(
                    "privacy/subject_export_pdf_part.html",
                    {
                        "data": data,
                        "records": _readable_records(data),
                        "language": language,
                        "bidi": translation.get_language_bidi(),
                    },
                )
            )
    html = render_to_string("privacy/subject_export_pdf.html", {"parts": parts})
    _audit(
        action="privacy.subject.exported",
        actor=actor,
        object_type=subject_label(subject),
        object_id=subject_key(subject),
        fields=[r["model"] for r in data["records"]],
        reason="pdf",
    )
    return pdf_from_html(html=html, base_url="")


# --------------------------------------------------------------------------------------------
# Erasure and restriction


def subject_is_held(subject: models.Model) -> bool:
    return LegalHold.objects.filter(
        subject_type=subject_label(subject),
        subject_id=subject_key(subject),
        until__gte=timezone.localdate(),
    ).exists()


def subject_erase(*, actor: Any, subject: models.Model) -> None:
    """Art. 17: delete or anonymise the subject and every registered row about it (journaled).

    The same deletion path as the retention run; refused while a legal hold is in force.
    """
    declaration = declaration_for(type(subject))
    if declaration is None or declaration.subject != "self":
        raise ValidationError(_("This kind of record is not a data subject."))
    if subject_is_held(subject):
        raise ValidationError(_("A legal hold is in force for this person; nothing was erased."))
    key = subject_key(subject)
    action = declaration.action if declaration.action != "keep" else "delete"
    is_account = subject_label(subject) == settings.AUTH_USER_MODEL.lower()
    username = subject.get_username() if is_account else ""
    with transaction.atomic():
        if is_account:
            from django_otp import devices_for_user

            for device in list(devices_for_user(subject, confirmed=None)):
                device.delete()
            login_records_delete(username=username)
        process_row(subject, declaration, rule="erasure", action=action)
        if action == "anonymise":
            # An anonymised account must not be usable any more.
            updates = {}
            if hasattr(subject, "is_active"):
                updates["is_active"] = False
            if hasattr(subject, "set_unusable_password"):
                subject.set_unusable_password()
                updates["password"] = subject.password
            if updates:
                type(subject)._base_manager.filter(pk=subject.pk).update(**updates)
        _audit(
            action="privacy.subject.erased",
            actor=actor,
            object_type=declaration.label,
            object_id=key,
            fields=declaration.personal_fields,
        )


def subject_is_restricted(subject_id: Any) -> bool:
    """True while processing of this subject is restricted (Art. 18). For other apps' services."""
    return RestrictedSubject.objects.filter(
        subject_id=str(subject_id), lifted_at__isnull=True
    ).exists()


def restriction_set(
    *, actor: Any, subject_type: str, subject_id: str, reason: str = ""
) -> RestrictedSubject:
    with transaction.atomic():
        existing = RestrictedSubject.objects.filter(
            subject_type=subject_type, subject_id=str(subject_id), lifted_at__isnull=True
        ).first()
        if existing:
            return existing
        restriction = RestrictedSubject(
            subject_type=subject_type, subject_id=str(subject_id), reason=reason, created_by=actor
        )
        restriction.full_clean()
        restriction.save()
        _audit(
            action="privacy.restriction.set",
            actor=actor,
            object_type=subject_type,
            object_id=subject_id,
        )
        return restriction


def restriction_lift(*, actor: Any, subject_type: str, subject_id: str) -> int:
    with transaction.atomic():
        count = RestrictedSubject.objects.filter(
            subject_type=subject_type, subject_id=str(subject_id), lifted_at__isnull=True
        ).update(lifted_at=timezone.now())
        _audit(
            action="privacy.restriction.lifted",
            actor=actor,
            object_type=subject_type,
            object_id=subject_id,
        )
        return count


# --------------------------------------------------------------------------------------------
# Requests


def request_create(
    *,
    actor: Any,
    kind: str,
    subject_type: str,
    subject_id: str,
    received_on: datetime.date | None = None,
) -> DataSubjectRequest:
    if subject_resolve(subject_type=subject_type, subject_id=subject_id) is None:
        raise ValidationError({"subject_id": _("No record of this kind has this id.")})
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The date of receipt cannot be in the future.")})
    with transaction.atomic():
        request = DataSubjectRequest(
            kind=kind,
            subject_type=subject_type.lower(),
            subject_id=str(subject_id),
            received_on=received_on,
            due_on=add_months(received_on, RESPONSE_MONTHS),
            handled_by=actor,
        )
        request.full_clean()
        request.save()
        _audit(
            action="privacy.request.created",
            actor=actor,
            object_type="privacy.datasubjectrequest",
            object_id=request.uuid,
            fields=["kind", "subject_type", "subject_id", "received_on"],
        )
        return request


def request_set_status(*, actor: Any, request: DataSubjectRequest, status: str) -> None:
    if status not in RequestStatus.values:
        raise ValidationError(_("Unknown status."))
    with transaction.atomic():
        request.status = status
        request.handled_by = actor
        request.closed_at = (
            timezone.now() if status in (RequestStatus.DONE, RequestStatus.REJECTED) else None
        )
        request.save(update_fields=["status", "handled_by", "closed_at"])
        _audit(
            action="privacy.request.status_changed",
            actor=actor,
            object_type="privacy.datasubjectrequest",
            object_id=request.uuid,
            fields=["status"],
        )


def request_extend(*, actor: Any, request: DataSubjectRequest) -> None:
    """Art. 12(3): extend the deadline by two further months (complex or numerous requests).

    Allowed once; the subject must be told within the first month, with the reasons.
    """
    extended = add_months(request.received_on, RESPONSE_MONTHS + EXTENSION_MONTHS)
    if request.due_on >= extended:
        raise ValidationError(_("The deadline has already been extended."))
    if request.status not in OPEN_REQUEST_STATES:
        raise ValidationError(_("Only an open request can be extended."))
    with transaction.atomic():
        request.due_on = extended
        request.handled_by = actor
        request.save(update_fields=["due_on", "handled_by"])
        _audit(
            action="privacy.request.extended",
            actor=actor,
            object_type="privacy.datasubjectrequest",
            object_id=request.uuid,
            fields=["due_on"],
        )


def request_subject(request: DataSubjectRequest) -> models.Model | None:
    return subject_resolve(subject_type=request.subject_type, subject_id=request.subject_id)


def request_erase(*, actor: Any, request: DataSubjectRequest) -> None:
    if request.kind != RequestKind.ERASURE:
        raise ValidationError(_("Only an erasure request erases data."))
    subject = request_subject(request)
    if subject is None:
        raise ValidationError(_("The person's data no longer exists."))
    with transaction.atomic():
        subject_erase(actor=actor, subject=subject)
        request_set_status(actor=actor, request=request, status=RequestStatus.DONE)


def model_for_label(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def legal_hold_create(
    *, actor: Any, subject_type: str, subject_id: str, reason: str, until: datetime.date
) -> LegalHold:
    """Stop retention and erasure for one subject or object until the given day."""
    with transaction.atomic():
        hold = LegalHold(
            subject_type=subject_type.lower(),
            subject_id=str(subject_id),
            reason=reason,
            until=until,
            created_by=actor,
        )
        hold.full_clean()
        hold.save()
        _audit(
            action="privacy.legal_hold.created",
            actor=actor,
            object_type=hold.subject_type,
            object_id=hold.subject_id,
            fields=["reason", "until"],
        )
        return hold


def legal_hold_end(*, actor: Any, hold: LegalHold) -> LegalHold:
    """End a hold today: from tomorrow on, retention and erasure apply again."""
    with transaction.atomic():
        hold.until = min(hold.until, timezone.localdate() - datetime.timedelta(days=1))
        hold.save(update_fields=["until"])
        _audit(
            action="privacy.legal_hold.ended",
            actor=actor,
            object_type=hold.subject_type,
            object_id=hold.subject_id,
            fields=["until"],
        )
        return hold
