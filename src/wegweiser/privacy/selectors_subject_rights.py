"""Reads for data-subject requests, scoped by role.

Admins handle requests about staff accounts and every other subject except the people of the
welcome counselling (cases.Person), whose requests only the KIM coordinator handles: an admin
sees no case content (issue 6).
"""

from django.http import Http404

from wegweiser.accounts.constants import Role

from .models_subject_rights import DataSubjectRequest, LegalHold
from .registry import subject_models
from .services import audit_access_denied
from .subject_rights import subject_is_restricted  # noqa: F401  (public API)

CASE_SUBJECT_TYPES = {"cases.person"}


def subject_types_for_user(user) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    labels = sorted(m._meta.label_lower for m in subject_models())
    allowed: set[str] = set()
    if Role.ADMIN in user.roles:
        allowed |= {label for label in labels if label not in CASE_SUBJECT_TYPES}
    if Role.KIM_COORDINATOR in user.roles:
        allowed |= {label for label in labels if label in CASE_SUBJECT_TYPES}
    return [label for label in labels if label in allowed]


def request_list_for_user(*, user, status: str = ""):
    queryset = DataSubjectRequest.objects.filter(
        subject_type__in=subject_types_for_user(user)
    ).select_related("handled_by")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("due_on", "created_at")


def request_get_for_user(*, request, uuid) -> DataSubjectRequest:
    """404 for a missing request and for one outside the user's subject types alike; the
    refusal is audited (ADR 0001)."""
    dsr = request_list_for_user(user=request.user).filter(uuid=uuid).first()
    if dsr is None:
        audit_access_denied(
            request=request,
            permission="privacy.handle_requests",
            object_type="privacy.datasubjectrequest",
            object_id=uuid,
        )
        raise Http404
    return dsr


def legal_hold_list():
    """Every legal hold, the longest-running first (for the admins' page)."""
    return LegalHold.objects.select_related("created_by").order_by("-until")
