"""Reads of the privacy app."""

from dataclasses import dataclass

from .models import AuditEvent
from .services import GENESIS_HASH, audit_event_content, audit_event_hash


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    reason: str


def audit_chain_verify(*, batch_size: int = 2000) -> ChainBreak | None:
    """Walk the whole audit chain; return the first broken event, or None when it is intact."""
    prev_hash = GENESIS_HASH
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size):
        if event.prev_hash != prev_hash:
            return ChainBreak(
                event.id, "previous hash does not match (a row was removed or reordered)"
            )
        expected = audit_event_hash(prev_hash=prev_hash, content=audit_event_content(event))
        if event.hash != expected:
            return ChainBreak(event.id, "content does not match its hash (the row was changed)")
        prev_hash = event.hash
    return None


def audit_events_for_object(*, object_type: str, object_id: str):
    """Events about one object, newest first (shown as "who accessed this")."""
    return (
        AuditEvent.objects.filter(object_type=object_type, object_id=object_id)
        .select_related("actor")
        .order_by("-id")
    )


# Consents and the access log (issue 6), kept in their own module.
from .selectors_consent import (  # noqa: E402, F401
    AccessLogRow,
    access_log_for_object,
    consent_evidence_get_for_user,
    consent_for_subject,
    consent_get_for_user,
    consent_list_for_user,
    consents_for_subject,
    notice_choices_for_recording,
    notice_get,
    notice_list,
    notice_versions,
)

# Data-subject rights (issue 6).
from .selectors_subject_rights import (  # noqa: E402, F401
    request_get_for_user,
    request_list_for_user,
    subject_is_restricted,
    subject_types_for_user,
)
