"""Writes about consent notices and consents. Re-exported by `privacy.services`."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .consent import withdrawal_handlers
from .constants import (
    CONSENT_ROLES,
    CONSENT_TRANSITIONS,
    ERROR_CONSENT_TRANSITION,
    ERROR_EVIDENCE_SIZE,
    ERROR_EVIDENCE_TYPE,
    ERROR_NO_RECORDING_ORGANISATION,
    ERROR_NOTICE_IN_USE,
    ERROR_NOTICE_NO_RECIPIENT,
    EVIDENCE_MAX_BYTES,
    EVIDENCE_TYPES,
    ConsentEventKind,
    ConsentState,
)
from .models_consent import Consent, ConsentEvent, ConsentNotice
from .services import audit_log

# ---------------------------------------------------------------------------------------------
# Consent notices

NOTICE_FIELDS = ("key", "version", "language", "title", "text", "purposes", "recipient_kinds")
NOTICE_LIST_FIELDS = ("purposes", "recipient_kinds", "data_categories")


def _require(actor: Any, permission: str) -> None:
    """Services called with an actor check the permission themselves (None: the system)."""
    if actor is not None and not actor.has_perm(permission):
        raise PermissionDenied(permission)


def _normalise_text(text: str) -> str:
    # Browsers send CRLF; the hash must not depend on how the text was typed in.
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def notice_next_version(*, key: str) -> int:
    latest = (
        ConsentNotice.objects.filter(key=key).order_by("-version").values_list("version", flat=True)
    ).first()
    return (latest or 0) + 1


@transaction.atomic
def notice_create(
    *,
    actor: Any,
    key: str,
    language: str,
    title: str,
    text: str,
    purposes: Iterable[str],
    version: int | None = None,
    recipient_organisations: Iterable[Any] = (),
    recipient_kinds: Iterable[str] = (),
    data_categories: Iterable[str] = (),
) -> ConsentNotice:
    """Create one language of one notice version; `version` None means the next free number.

    The SHA-256 of the full text is computed here, so that a consent proves which text was shown.
    """
    _require(actor, "privacy.manage_notices")
    text = _normalise_text(text)
    recipients = list(recipient_organisations)
    recipient_kinds = list(dict.fromkeys(recipient_kinds))
    if not recipients and not recipient_kinds:
        raise ValidationError({"recipient_kinds": ERROR_NOTICE_NO_RECIPIENT})
    notice = ConsentNotice(
        key=key,
        version=version or notice_next_version(key=key),
        language=language,
        title=title,
        text=text,
        text_sha256=ConsentNotice.hash_text(text),
        purposes=list(dict.fromkeys(purposes)),
        recipient_kinds=recipient_kinds,
        data_categories=list(dict.fromkeys(data_categories)),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    notice.full_clean()
    notice.save(force_insert=True)
    notice.recipient_organisations.set(recipients)
    audit_log(
        action="privacy.notice.created",
        actor=actor,
        object_type="privacy.consentnotice",
        object_id=notice.pk,
        fields=[*NOTICE_FIELDS, "recipient_organisations", "data_categories"],
    )
    return notice


@transaction.atomic
def notice_update(*, actor: Any, notice: ConsentNotice, **data: Any) -> ConsentNotice:
    """Change a notice that no consent uses yet; a used notice is refused (make a new version)."""
    _require(actor, "privacy.manage_notices")
    # Lock the row: a consent recorded at the same moment must not see a half-changed text.
    ConsentNotice.objects.select_for_update().filter(pk=notice.pk).first()
    if notice.is_used:
        raise ValidationError(ERROR_NOTICE_IN_USE)
    if "text" in data:
        data["text"] = _normalise_text(data["text"])
    changed = [f for f in (*NOTICE_FIELDS, "data_categories") if f in data]
    changed = [f for f in changed if getattr(notice, f) != data[f]]
    for field in changed:
        setattr(notice, field, data[field])
    if "text" in changed:
        notice.text_sha256 = ConsentNotice.hash_text(notice.text)
    recipients = data.get("recipient_organisations")
    if recipients is not None:
        recipients = list(recipients)
        if {o.pk for o in recipients} != {o.pk for o in notice.recipient_organisations.all()}:
            changed.append("recipient_organisations")
    if not recipients and recipients is not None and not notice.recipient_kinds:
        raise ValidationError({"recipient_kinds": ERROR_NOTICE_NO_RECIPIENT})
    notice.full_clean()
    model_fields = [f for f in changed if f != "recipient_organisations"]
    if model_fields:
        notice.save(update_fields=[*model_fields, *(["text_sha256"] if "text" in changed else [])])
    if "recipient_organisations" in changed:
        notice.recipient_organisations.set(recipients)
    audit_log(
        action="privacy.notice.updated",
        actor=actor,
        object_type="privacy.consentnotice",
        object_id=notice.pk,
        fields=changed,
    )
    return notice


# ---------------------------------------------------------------------------------------------
# Consents

CONSENT_RECORD_FIELDS = ("subject_id", "notice", "state", "valid_until")
EVENT_FIELDS = ("kind", "place", "language", "interpreter")


def evidence_check(evidence: Any) -> tuple[str, str]:
    """The content type and file suffix of an upload, judged by its content, not its name.

    Raises ValidationError for anything but a PDF, PNG or JPEG, or a file that is too large.
    """
    size = getattr(evidence, "size", None)
    if size is not None and size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {"evidence": ERROR_EVIDENCE_SIZE % {"size": EVIDENCE_MAX_BYTES // (1024 * 1024)}}
        )
    evidence.seek(0)
    head = evidence.read(16)
    evidence.seek(0)
    detected = next(
        (
            (content_type, suffix)
            for content_type, (suffix, signatures) in EVIDENCE_TYPES.items()
            if any(head.startswith(signature) for signature in signatures)
        ),
        None,
    )
    if detected is None:
        raise ValidationError({"evidence": ERROR_EVIDENCE_TYPE})
    content_type, suffix = detected
    if content_type.startswith("image/"):
        # The leading bytes can be faked; Pillow checks that the whole image parses.
        from PIL import Image

        try:
            with Image.open(evidence) as image:
                image.verify()
        except Exception as error:  # Pillow raises many kinds for broken files.
            raise ValidationError({"evidence": ERROR_EVIDENCE_TYPE}) from error
        finally:
            evidence.seek(0)
    return content_type, suffix


def _recording_organisation(actor: Any, organisation: Any = None) -> Any:
    """The organisation the actor records for: the given one, if they hold a consent role there,
    else their first such organisation by name. The system (no actor) records for `organisation`.
    """
    if actor is None or not getattr(actor, "is_authenticated", False):
        return organisation
    memberships = sorted(
        (m for m in actor.active_memberships if m.role in CONSENT_ROLES),
        key=lambda m: (m.organisation.name, m.organisation_id),
    )
    if organisation is not None:
        if any(m.organisation_id == organisation.pk for m in memberships):
            return organisation
        raise PermissionDenied(ERROR_NO_RECORDING_ORGANISATION)
    if not memberships:
        raise PermissionDenied(ERROR_NO_RECORDING_ORGANISATION)
    return memberships[0].organisation


def _event_append(
    *,
    consent: Consent,
    kind: str,
    actor: Any,
    organisation: Any,
    place: str = "",
    language: str = "",
    interpreter: bool = False,
    reason: str = "",
    evidence: Any = None,
) -> ConsentEvent:
    event = ConsentEvent(
        consent=consent,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organisation=organisation,
        place=place,
        language=language,
        interpreter=interpreter,
        reason=reason,
    )
    if evidence is not None:
        content_type, suffix = evidence_check(evidence)
        event.evidence_content_type = content_type
        event._evidence_suffix = suffix  # read by consent_evidence_path
        # Stored before the row: a rolled-back transaction leaves an orphan file in the private
        # storage (never served), not a row without its file.
        event.evidence.save("evidence" + suffix, evidence, save=False)
    event.full_clean()
    event.save(force_insert=True)
    return event


@transaction.atomic
def consent_record(
    *,
    actor: Any,
    subject_id: Any,
    notice: ConsentNotice,
    given: bool,
    place: str,
    language: str,
    interpreter: bool,
    evidence: Any = None,
    organisation: Any = None,
    valid_until: Any = None,
) -> Consent:
    """Record that the person `subject_id` (a cases.Person id) gave or refused consent on
    `notice`, where, in which language and with or without an interpreter.

    `organisation`: the organisation the actor records for (default: their first with a consent
    role). `evidence`: an optional scan of the signed form (PDF, PNG or JPEG).
    """
    _require(actor, "privacy.record_consent")
    recorder = _recording_organisation(actor, organisation)
    kind = ConsentEventKind.GIVEN if given else ConsentEventKind.REFUSED
    now = timezone.now()
    consent = Consent(
        subject_id=subject_id,
        notice=notice,
        state=kind,
        recorded_by_organisation=recorder,
        valid_until=valid_until,
        created_at=now,
        ended_at=None if given else now,
    )
    consent.full_clean()
    consent.save(force_insert=True)
    _event_append(
        consent=consent,
        kind=kind,
        actor=actor,
        organisation=recorder,
        place=place,
        language=language,
        interpreter=interpreter,
        evidence=evidence,
    )
    audit_log(
        action=f"privacy.consent.{kind}",
        actor=actor,
        organisation=recorder,
        object_type="privacy.consent",
        object_id=consent.pk,
        fields=[
            *CONSENT_RECORD_FIELDS,
            *EVENT_FIELDS,
            *(["evidence"] if evidence is not None else []),
        ],
    )
    return consent


def _consent_end(
    *, actor: Any, consent: Consent, kind: str, reason: str = "", organisation: Any = None
) -> Consent:
    """Append an ending event, update the derived state and run the withdrawal handlers."""
    locked = Consent.objects.select_for_update().select_related("notice").get(pk=consent.pk)
    if kind not in CONSENT_TRANSITIONS[locked.state]:
        raise ValidationError(
            ERROR_CONSENT_TRANSITION
            % {
                "state": ConsentState(locked.state).label,
                "kind": ConsentEventKind(kind).label,
            }
        )
    recorder = _recording_organisation(actor, organisation)
    was_given = locked.state == ConsentState.GIVEN
    event = _event_append(
        consent=locked, kind=kind, actor=actor, organisation=recorder, reason=reason
    )
    consent.state = kind
    consent.ended_at = locked.ended_at or event.created_at
    consent.save(update_fields=["state", "ended_at"])
    audit_log(
        action=f"privacy.consent.{kind}",
        actor=actor,
        organisation=recorder,
        object_type="privacy.consent",
        object_id=consent.pk,
        fields=["state", *(["reason"] if reason else [])],
    )
    if was_given:
        for handler in withdrawal_handlers():
            handler(consent=consent, actor=actor)
    return consent


@transaction.atomic
def consent_withdraw(
    *, actor: Any, consent: Consent, reason: str = "", organisation: Any = None
) -> Consent:
    """Record a withdrawal. It takes effect at once: `covers()` is False from now on, and the
    registered withdrawal handlers (cases: block referrals and transfers, tell earlier
    recipients) run in this same transaction.
    """
    _require(actor, "privacy.record_consent")
    return _consent_end(
        actor=actor,
        consent=consent,
        kind=ConsentEventKind.WITHDRAWN,
        reason=reason,
        organisation=organisation,
    )


@transaction.atomic
def consent_invalidate(
    *, actor: Any, consent: Consent, reason: str, organisation: Any = None
) -> Consent:
    """Mark a consent as invalid (recorded in error, wrong person, form unsigned ...)."""
    _require(actor, "privacy.record_consent")
    if not reason.strip():
        raise ValidationError({"reason": _reason_required()})
    return _consent_end(
        actor=actor,
        consent=consent,
        kind=ConsentEventKind.INVALIDATED,
        reason=reason,
        organisation=organisation,
    )


def _reason_required() -> str:
    from django.utils.translation import gettext

    return gettext("Give a reason.")


def consent_expire_due(*, now: Any = None) -> int:
    """Append an `expired` event to every given consent past its `valid_until`; idempotent.

    `covers()` already treats such consents as not covering; this makes the state say so and
    runs the withdrawal handlers. Returns the number of consents expired.
    """
    now = now or timezone.now()
    due = Consent.objects.filter(state=ConsentState.GIVEN, valid_until__lte=now).order_by(
        "created_at"
    )
    count = 0
    for consent in due.iterator():
        with transaction.atomic():
            _consent_end(actor=None, consent=consent, kind=ConsentEventKind.EXPIRED)
        count += 1
    return count


@transaction.atomic
def consent_purge(*, consent: Consent, actor: Any = None) -> None:
    """Delete a consent with its events and evidence files (retention or erasure), audited.

    Single events can never be deleted (the model, the queryset and, on PostgreSQL, a trigger
    refuse); a consent's history goes only as a whole, with the consent.
    """
    consent_id = consent.pk
    consent.delete()
    audit_log(
        action="privacy.consent.purged",
        actor=actor,
        object_type="privacy.consent",
        object_id=consent_id,
    )
