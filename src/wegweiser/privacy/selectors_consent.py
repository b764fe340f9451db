"""Reads about consents and who accessed a record. Re-exported by `privacy.selectors`."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest

from wegweiser.accounts.constants import Role
from wegweiser.accounts.models import Organisation

from .consent import subjects_held_functions
from .constants import CONSENT_ROLES
from .models import AuditEvent
from .models_consent import Consent, ConsentEvent, ConsentNotice
from .services import audit_access_denied, audit_log


@dataclass(frozen=True)
class AccessLogRow:
    """One line of "who accessed this": names resolved, never any field values."""

    time: datetime
    actor: str
    organisation: str
    roles: list[str]
    action: str
    result: str
    result_label: str
    reason: str


def access_log_for_object(
    *, object_type: str, object_id: Any, limit: int = 200
) -> list[AccessLogRow]:
    """The newest `limit` audit events about one object, ready for the access-log partial.

    Two queries whatever the number of events (events with actors, then organisations).
    """
    events = list(
        AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id)[:100])
        .select_related("actor")
        .order_by("-id")[:limit]
    )
    org_refs = {e.organisation_ref for e in events if e.organisation_ref}
    names = dict(
        Organisation.objects.filter(uuid__in=org_refs).values_list("uuid", "name")
        if org_refs
        else []
    )
    names = {str(k): v for k, v in names.items()}
    role_labels = dict(Role.choices)
    rows = []
    for event in events:
        actor = event.actor.get_full_name() if event.actor else (event.actor_ref or "–")
        rows.append(
            AccessLogRow(
                time=event.created_at,
                actor=actor,
                organisation=names.get(event.organisation_ref, ""),
                roles=[str(role_labels.get(r, r)) for r in event.roles.split(",") if r],
                action=event.action,
                result=event.result,
                result_label=event.get_result_display(),
                reason=event.reason,
            )
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Consent notices


def notice_list(*, key: str = "") -> QuerySet[ConsentNotice]:
    """All notices, grouped by key, newest version first; `consent_count` shows which are used."""
    qs = ConsentNotice.objects.annotate(consent_count=Count("consents")).order_by(
        "key", "-version", "language"
    )
    if key:
        qs = qs.filter(key=key)
    return qs


def notice_get(*, pk: Any) -> ConsentNotice:
    """One notice (notices hold no personal data: everyone who manages them sees all)."""
    notice = ConsentNotice.objects.prefetch_related("recipient_organisations").filter(pk=pk).first()
    if notice is None:
        raise Http404
    return notice


def notice_versions(*, notice: ConsentNotice) -> QuerySet[ConsentNotice]:
    """The other versions and languages of the same notice."""
    return notice_list(key=notice.key).exclude(pk=notice.pk)


def notice_choices_for_recording(*, language: str = "") -> QuerySet[ConsentNotice]:
    """Notices a clerk may record a consent on: the newest version of each key, per language."""
    newest = (
        ConsentNotice.objects.filter(key=OuterRef("key"))
        .values("key")
        .annotate(v=Max("version"))
        .values("v")
    )
    qs = ConsentNotice.objects.filter(version=Subquery(newest)).order_by("key", "language")
    if language:
        qs = qs.filter(language=language)
    return qs


# ---------------------------------------------------------------------------------------------
# Consents

EVENTS_PREFETCH = Prefetch(
    "events",
    queryset=ConsentEvent.objects.select_related("actor", "organisation").order_by(
        "created_at", "id"
    ),
)


def _consents() -> QuerySet[Consent]:
    return Consent.objects.select_related("notice", "recorded_by_organisation").prefetch_related(
        "notice__recipient_organisations"
    )


def consent_for_subject(subject_id: Any) -> Consent | None:
    """The person's latest consent (by the time it was recorded), or None.

    Not scoped: callers (the cases app) have already checked that the user may see the person.
    """
    return _consents().filter(subject_id=subject_id).order_by("-created_at").first()


def consents_for_subject(subject_id: Any) -> QuerySet[Consent]:
    """All consents of one person, newest first, with their events (same caveat as above)."""
    return _consents().prefetch_related(EVENTS_PREFETCH).filter(subject_id=subject_id)


def consent_list_for_user(*, user: Any) -> QuerySet[Consent]:
    """Consents the user may see.

    A user with a consent role (registration clerk, KIM coordinator, case manager) sees a
    consent when one of the organisations they hold such a role in recorded it, or when it is
    a recipient the notice names (by name or by kind) and the user holds the person: the
    functions registered with `consent.register_subjects_held` (the cases app: a case the
    user may open) say whom. Everyone else sees none (ADR 0006, addendum of 2026-12-05).
    """
    if not getattr(user, "is_authenticated", False) or not user.has_perm("privacy.view_consent"):
        return Consent.objects.none()
    memberships = [m for m in user.active_memberships if m.role in CONSENT_ROLES]
    org_ids = {m.organisation_id for m in memberships}
    kinds = {m.organisation.kind for m in memberships}
    kind_notices = [
        pk
        for pk, notice_kinds in ConsentNotice.objects.values_list("pk", "recipient_kinds")
        if kinds & set(notice_kinds or [])
    ]
    recipient = Q(notice__recipient_organisations__in=org_ids) | Q(notice_id__in=kind_notices)
    held = Q(pk__in=[])
    for subjects_held in subjects_held_functions():
        held |= Q(subject_id__in=subjects_held(user))
    scope = Q(recorded_by_organisation_id__in=org_ids) | (recipient & held)
    visible = Consent.objects.filter(scope).values("pk")
    return _consents().filter(pk__in=visible)


def consent_get_for_user(*, request: HttpRequest, pk: Any) -> Consent:
    """One consent in the user's scope, with its events; the read is audited.

    404 (and an audited denial) for missing and forbidden alike.
    """
    consent = (
        consent_list_for_user(user=request.user)
        .prefetch_related(EVENTS_PREFETCH)
        .filter(pk=pk)
        .first()
    )
    if consent is None:
        audit_access_denied(
            request=request,
            permission="privacy.view_consent",
            object_type="privacy.consent",
            object_id=pk,
        )
        raise Http404
    audit_log(
        action="privacy.consent.viewed",
        actor=request.user,
        organisation=_acting_organisation(request.user, consent),
        object_type="privacy.consent",
        object_id=consent.pk,
        fields=["subject_id", "state", "events"],
    )
    return consent


def consent_evidence_get_for_user(*, request: HttpRequest, pk: Any, event: Any) -> ConsentEvent:
    """The event whose evidence file the user wants, if the consent is in their scope.

    Same scope as `consent_get_for_user`; the download is audited as a read of `evidence`.
    """
    consent = consent_list_for_user(user=request.user).filter(pk=pk).first()
    found = (
        ConsentEvent.objects.filter(consent=consent, uuid=event).exclude(evidence="").first()
        if consent is not None
        else None
    )
    if found is None:
        audit_access_denied(
            request=request,
            permission="privacy.view_consent",
            object_type="privacy.consent",
            object_id=pk,
        )
        raise Http404
    audit_log(
        action="privacy.consent.evidence_viewed",
        actor=request.user,
        organisation=_acting_organisation(request.user, consent),
        object_type="privacy.consent",
        object_id=consent.pk,
        fields=["evidence"],
    )
    return found


def _acting_organisation(user: Any, consent: Consent) -> Organisation | None:
    """Which of the user's organisations gives them access to the consent (for the audit)."""
    memberships = [m for m in user.active_memberships if m.role in CONSENT_ROLES]
    for m in memberships:
        if m.organisation_id == consent.recorded_by_organisation_id:
            return m.organisation
    for m in memberships:
        if consent.notice.lists_recipient(m.organisation):
            return m.organisation
    return memberships[0].organisation if memberships else None
