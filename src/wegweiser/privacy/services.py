"""Writes of the privacy app. Other apps call `audit_log` inside their own transaction."""

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from .constants import AuditResult
from .models import AuditEvent

GENESIS_HASH = "0" * 64
# Any constant works; it only has to be the same for every writer of the chain.
_CHAIN_LOCK_KEY = 727_245_001


def audit_event_hash(*, prev_hash: str, content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}|{canonical}".encode()).hexdigest()


def audit_event_content(event: AuditEvent) -> dict[str, Any]:
    """The hashed content of an event: everything but the hashes and the nullable actor FK."""
    return {
        "created_at": event.created_at.isoformat(),
        "actor_ref": event.actor_ref,
        "organisation_ref": event.organisation_ref,
        "roles": event.roles,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "fields": list(event.fields),
        "result": event.result,
        "reason": event.reason,
    }


def _lock_chain() -> None:
    """Serialise writers so that every event links to its true predecessor."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    # SQLite runs write transactions one at a time (transaction_mode IMMEDIATE).


def _actor_context(actor: Any) -> tuple[Any, str, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, "", ""
    roles = ",".join(sorted(actor.roles)) if hasattr(actor, "roles") else ""
    return actor, str(actor.uuid), roles


def audit_log(
    *,
    action: str,
    actor: Any = None,
    object_type: str = "",
    object_id: Any = "",
    fields: Iterable[str] = (),
    result: str = AuditResult.OK,
    reason: str = "",
    organisation: Any = None,
) -> AuditEvent:
    """Append one event to the audit chain, in the caller's transaction.

    `fields` are the names of the fields read or written; values never enter the log.
    """
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        user, actor_ref, roles = _actor_context(actor)
        event = AuditEvent(
            created_at=timezone.now(),
            actor=user,
            actor_ref=actor_ref,
            organisation_ref=str(getattr(organisation, "uuid", "") or ""),
            roles=roles,
            action=action,
            object_type=object_type,
            object_id=str(object_id)[:100],
            fields=sorted(set(fields)),
            result=result,
            reason=reason[:200],
            prev_hash=last or GENESIS_HASH,
        )
        event.hash = audit_event_hash(prev_hash=event.prev_hash, content=audit_event_content(event))
        event.save(force_insert=True)
        return event


def audit_access_denied(
    *, request: HttpRequest, permission: str, object_type: str, object_id: Any = ""
) -> AuditEvent:
    """Record a refused access: a missing permission or an object outside the user's scope."""
    return audit_log(
        action="privacy.access.denied",
        actor=request.user,
        object_type=object_type,
        object_id=object_id,
        result=AuditResult.DENIED,
        reason=permission,
    )


# Consent notices and consents (issue 6), kept in their own module.
from .services_consent import (  # noqa: E402, F401
    consent_expire_due,
    consent_invalidate,
    consent_purge,
    consent_record,
    consent_withdraw,
    evidence_check,
    notice_create,
    notice_next_version,
    notice_update,
)

# Data-subject rights and retention (issue 6), kept in their own modules.
from .subject_rights import (  # noqa: E402, F401
    legal_hold_create,
    legal_hold_end,
    request_create,
    request_erase,
    request_extend,
    request_set_status,
    restriction_lift,
    restriction_set,
    subject_erase,
    subject_export,
    subject_export_pdf,
)
