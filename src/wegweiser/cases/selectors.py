"""Permission-scoped reads of the case management.

One rule decides which cases a user sees (`case_scope_q`); the detail check, the lists, the
search, the export and the dashboard all go through it. A case is visible to the case managers
of its organisation while nobody has taken it over, and afterwards to its case manager only.
Coordinators, clerks and admins never read case content. Missing and forbidden give the same
404, and the refusal is audited.
"""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest

from wegweiser.accounts.constants import Role
from wegweiser.accounts.models import Organisation
from wegweiser.offers.constants import OfferStatus
from wegweiser.privacy.services import audit_access_denied, audit_log

from . import consent
from .constants import GAP_MIN_CELL, CaseStatus, IntakeStatus, ReferralStatus, TaskStatus
from .models import (
    Case,
    CaseManagementSetting,
    Document,
    Gap,
    Intake,
    Note,
    Referral,
    Task,
)

NOTHING = Q(pk__in=[])
OPEN_STATUSES = [CaseStatus.NEW, CaseStatus.FIRST_CONTACT, CaseStatus.ACTIVE]


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def _deny(request: HttpRequest, *, permission: str, object_type: str, object_id: Any):
    audit_access_denied(
        request=request, permission=permission, object_type=object_type, object_id=object_id
    )
    raise Http404


def audit_read(*, user: Any, object_type: str, object_id: Any, fields=()) -> None:
    """Every read of personal data leaves an audit event (field names, never values)."""
    audit_log(
        action=f"{object_type}.viewed",
        actor=user,
        object_type=object_type,
        object_id=object_id,
        fields=fields,
    )


# ---------------------------------------------------------------------------------------------
# Cases


def case_scope_q(user: Any) -> Q:
    """The one visibility rule for cases, as a query condition."""
    if not _active(user):
        return NOTHING
    organisation_ids = user.organisation_ids_with_role(Role.CASE_MANAGER)
    if not organisation_ids:
        return NOTHING
    return Q(organisation_id__in=organisation_ids) & (
        Q(case_manager__isnull=True) | Q(case_manager_id=user.pk)
    )


def case_visible_to(*, user: Any, case: Case) -> bool:
    """The same rule in Python, for a case already loaded (used by the property test)."""
    if not _active(user):
        return False
    return case.organisation_id in user.organisation_ids_with_role(Role.CASE_MANAGER) and (
        case.case_manager_id is None or case.case_manager_id == user.pk
    )


def case_queryset_for_user(*, user: Any) -> QuerySet[Case]:
    return Case.objects.filter(case_scope_q(user))


def person_ids_for_user(user: Any) -> QuerySet:
    """The ids of the people with a case the user may open (for the consents they may read)."""
    return case_queryset_for_user(user=user).values("person_id")


def case_list_for_user(*, user: Any, status: str = "", query: str = "") -> QuerySet[Case]:
    """ "My cases": filter by status, search by the person's name."""
    qs = (
        case_queryset_for_user(user=user)
        .select_related("person", "person__municipality", "case_manager")
        .only(
            "id",
            "status",
            "opened_at",
            "organisation_id",
            "case_manager__full_name",
            "case_manager__email",
            "person__given_name",
            "person__family_name",
            "person__municipality__name",
        )
    )
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    for word in query.split()[:5]:
        qs = qs.filter(
            Q(person__given_name__icontains=word) | Q(person__family_name__icontains=word)
        )
    return qs.order_by("-opened_at", "id")


def case_export_for_user(*, user: Any) -> list[dict[str, str]]:
    """The rows of the CSV export of the user's cases."""
    return [
        {
            "id": str(case.id),
            "name": str(case.person),
            "town": case.person.municipality.name,
            "status": case.get_status_display(),
            "opened": case.opened_at.date().isoformat(),
        }
        for case in case_list_for_user(user=user)
    ]


def case_dashboard_for_user(*, user: Any) -> list[tuple[str, str, int]]:
    """Counts per status of the user's cases, for the overview: (status, label, count)."""
    counts = dict(
        case_queryset_for_user(user=user)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return [(value, label, counts.get(value, 0)) for value, label in CaseStatus.choices]


def case_get_for_user(*, request: HttpRequest, case_id: Any, audit: bool = True) -> Case:
    """One case in the user's scope; 404 (audited) for missing and forbidden alike."""
    case = (
        case_queryset_for_user(user=request.user)
        .select_related("person", "person__municipality", "organisation", "case_manager")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        _deny(request, permission="cases.view_case", object_type="cases.case", object_id=case_id)
    if audit:
        audit_read(
            user=request.user,
            object_type="cases.case",
            object_id=case.pk,
            fields=["person", "status", "outcome"],
        )
    return case


def _nested_get(
    *, request: HttpRequest, case_id: Any, model: Any, object_id: Any, extra: Q | None = None
):
    """An object inside a case: it must belong to that case AND the case must be visible."""
    object_type = f"cases.{model._meta.model_name}"
    case = case_get_for_user(request=request, case_id=case_id, audit=False)
    qs = model.objects.filter(pk=object_id, case=case)
    if extra is not None:
        qs = qs.filter(extra)
    obj = qs.first()
    if obj is None:
        _deny(
            request,
            permission=f"cases.view_{model._meta.model_name}",
            object_type=object_type,
            object_id=object_id,
        )
    audit_read(user=request.user, object_type=object_type, object_id=obj.pk)
    return case, obj


def note_scope_q(user: Any) -> Q:
    """Confidential notes are read by their author only; other notes by whoever sees the case."""
    return Q(confidential=False) | Q(created_by_id=getattr(user, "pk", None))


def note_list_for_case(*, user: Any, case: Case) -> QuerySet[Note]:
    return case.notes.filter(note_scope_q(user)).select_related("created_by")


def note_get_for_user(*, request: HttpRequest, case_id: Any, note_id: Any) -> tuple[Case, Note]:
    return _nested_get(
        request=request,
        case_id=case_id,
        model=Note,
        object_id=note_id,
        extra=note_scope_q(request.user),
    )


def goal_get_for_user(*, request: HttpRequest, case_id: Any, goal_id: Any) -> tuple[Case, Any]:
    from .models import Goal

    return _nested_get(request=request, case_id=case_id, model=Goal, object_id=goal_id)


def document_get_for_user(
    *, request: HttpRequest, case_id: Any, document_id: Any
) -> tuple[Case, Document]:
    return _nested_get(request=request, case_id=case_id, model=Document, object_id=document_id)


def referral_get_for_user(
    *, request: HttpRequest, case_id: Any, referral_id: Any
) -> tuple[Case, Referral]:
    return _nested_get(request=request, case_id=case_id, model=Referral, object_id=referral_id)


def case_content_for_user(*, user: Any, case: Case) -> dict[str, Any]:
    """Everything shown on the case page, loaded with a fixed number of queries."""
    return {
        "needs": case.needs.select_related("life_area"),
        "goals": case.goals.all(),
        "appointments": case.appointments.all(),
        "notes": note_list_for_case(user=user, case=case),
        "documents": case.documents.select_related("created_by"),
        "referrals": case.referrals.select_related("offer", "provider"),
        "transfers": case.transfers.select_related("from_organisation", "to_organisation"),
        "tasks": case.tasks.filter(organisation_id=case.organisation_id),
    }


def transfer_targets_for_case(*, case: Case) -> QuerySet[CaseManagementSetting]:
    """Other case-management organisations that take new cases: where a case could be handed
    (consent is checked on transfer)."""
    return (
        CaseManagementSetting.objects.filter(is_active=True, organisation__is_active=True)
        .exclude(organisation_id=case.organisation_id)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def task_list_for_user(*, user: Any) -> QuerySet[Task]:
    """Open tasks of the organisations in which the user manages cases or edits offers."""
    if not _active(user):
        return Task.objects.none()
    organisation_ids = user.organisation_ids_with_role(Role.CASE_MANAGER, Role.PROVIDER_EDITOR)
    return Task.objects.filter(
        organisation_id__in=organisation_ids, status=TaskStatus.OPEN
    ).select_related("organisation")


# ---------------------------------------------------------------------------------------------
# Referral inbox of providers


def referral_inbox_for_user(*, user: Any) -> QuerySet[Referral]:
    """Referrals sent to the user's organisation (as provider) that still await an answer."""
    if not _active(user):
        return Referral.objects.none()
    organisation_ids = user.organisation_ids_with_role(Role.PROVIDER_EDITOR, Role.CASE_MANAGER)
    return (
        Referral.objects.filter(
            provider_id__in=organisation_ids,
            status__in=[ReferralStatus.SENT, ReferralStatus.CONTACTED],
        )
        .select_related("offer", "case__person")
        .order_by("-sent_at")
    )


def referral_get_for_provider(*, request: HttpRequest, referral_id: Any) -> Referral:
    referral = referral_inbox_for_user(user=request.user).filter(pk=referral_id).first()
    if referral is None:
        _deny(
            request,
            permission="cases.answer_referrals",
            object_type="cases.referral",
            object_id=referral_id,
        )
    audit_read(user=request.user, object_type="cases.referral", object_id=referral.pk)
    return referral


# ---------------------------------------------------------------------------------------------
# Intakes


def intake_list_for_office(*, user: Any) -> QuerySet[Intake]:
    """A clerk's intakes: those of their own registration office(s)."""
    if not _active(user):
        return Intake.objects.none()
    return (
        Intake.objects.filter(
            office_id__in=user.organisation_ids_with_role(Role.REGISTRATION_CLERK)
        )
        .select_related("person", "person__municipality", "office")
        .order_by("-created_at")
    )


def intake_distribution_rows(*, user: Any, limit: int = 100) -> list[tuple[Intake, list]]:
    """The coordinator's distribution page: intakes with their suggestions, in fixed queries."""
    intakes = list(intake_list_for_distribution(user=user)[:limit])
    settings_ = case_management_settings()
    covers = consent.coverage_checker(person_ids=[intake.person_id for intake in intakes])
    return [
        (
            intake,
            organisation_suggestions_for_intake(intake=intake, settings_=settings_, covers=covers),
        )
        for intake in intakes
    ]


def intake_list_for_distribution(*, user: Any) -> QuerySet[Intake]:
    """Intakes the coordinator may distribute: consent given, not yet assigned.

    A refused intake never appears here: it stays with the registration office.
    """
    if not _active(user) or Role.KIM_COORDINATOR not in user.roles:
        return Intake.objects.none()
    return (
        Intake.objects.filter(status=IntakeStatus.NEW, consent_given=True)
        .select_related("person__municipality")
        .order_by("created_at")
    )


def intake_get_for_distribution(*, request: HttpRequest, intake_id: Any) -> Intake:
    intake = intake_list_for_distribution(user=request.user).filter(pk=intake_id).first()
    if intake is None:
        _deny(
            request,
            permission="cases.distribute_intakes",
            object_type="cases.intake",
            object_id=intake_id,
        )
    audit_read(
        user=request.user,
        object_type="cases.intake",
        object_id=intake.pk,
        fields=["municipality", "languages", "household_size"],
    )
    return intake


@dataclass(frozen=True)
class Suggestion:
    organisation: Organisation
    free: int
    serves_town: bool
    languages: list[str]
    score: int


def case_management_settings() -> list[CaseManagementSetting]:
    """Active case-management organisations with their open case count (one query each kind)."""
    settings_ = list(
        CaseManagementSetting.objects.filter(is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .prefetch_related("municipalities")
    )
    open_counts = dict(
        Case.objects.filter(status__in=OPEN_STATUSES)
        .values_list("organisation_id")
        .annotate(n=Count("id"))
        .values_list("organisation_id", "n")
    )
    for setting in settings_:
        setting.open_cases = open_counts.get(setting.organisation_id, 0)
    return settings_


def organisation_suggestions_for_intake(
    *,
    intake: Intake,
    settings_: list[CaseManagementSetting] | None = None,
    covers: Any = None,
) -> list[Suggestion]:
    """Case-management organisations the consent covers, best first: town, language, capacity.

    Organisations the consent does not cover (CONTACT_TRANSFER) are left out entirely.
    `covers`: a batch checker from `consent.coverage_checker` (lists pass one for all rows).
    """
    person = intake.person
    covers = covers or consent.consent_covers
    suggestions = []
    for setting in settings_ if settings_ is not None else case_management_settings():
        if not covers(
            person=person,
            organisation=setting.organisation,
            purpose=consent.Purpose.CONTACT_TRANSFER,
        ):
            continue
        free = max(setting.capacity - setting.open_cases, 0)
        serves_town = any(m.pk == person.municipality_id for m in setting.municipalities.all())
        shared = [code for code in person.languages if code in setting.languages]
        score = (100 if serves_town else 0) + 10 * len(shared) + min(free, 9)
        suggestions.append(Suggestion(setting.organisation, free, serves_town, shared, score))
    return sorted(suggestions, key=lambda s: (-s.score, s.organisation.name))


# ---------------------------------------------------------------------------------------------
# Gaps


def gap_list_for_user(*, user: Any) -> QuerySet[Gap]:
    """Gaps the user recorded for their organisation(s)."""
    if not _active(user):
        return Gap.objects.none()
    return Gap.objects.filter(
        organisation_id__in=user.organisation_ids_with_role(Role.CASE_MANAGER)
    ).select_related("life_area", "municipality")


@dataclass(frozen=True)
class GapCell:
    town: str
    quarter: str
    count: int | None  # None: suppressed (fewer than GAP_MIN_CELL)
    barriers: list[tuple[str, int]]


def gap_report(*, min_cell: int = GAP_MIN_CELL) -> list[GapCell]:
    """Gaps per town and quarter; cells below `min_cell` are suppressed, with their breakdown.

    Only counts leave this function: no free text, no organisation, no user.
    """
    from .constants import BarrierKind

    labels = dict(BarrierKind.choices)
    rows = (
        Gap.objects.values("municipality__name", "quarter", "barrier_kind")
        .annotate(n=Count("id"))
        .order_by("municipality__name", "quarter")
    )
    cells: dict[tuple[str, str], Counter] = {}
    for row in rows:
        cells.setdefault((row["municipality__name"], row["quarter"]), Counter())[
            row["barrier_kind"]
        ] += row["n"]
    report = []
    for (town, quarter), barriers in sorted(cells.items()):
        total = sum(barriers.values())
        if total < min_cell:
            report.append(GapCell(town, quarter, None, []))
            continue
        visible = [
            (str(labels.get(kind, kind)), n) for kind, n in barriers.most_common() if n >= min_cell
        ]
        report.append(GapCell(town, quarter, total, visible))
    return report


# Lookups the case views need from other apps, kept here so that views hold no queries.


def organisation_first_with_role(*, user: Any, role: str) -> Organisation | None:
    """The user's first organisation (by name) in which they hold `role`."""
    ids = user.organisation_ids_with_role(role)
    return Organisation.objects.filter(pk__in=ids).order_by("name").first()


def organisation_get_by_uuid(*, uuid: Any) -> Organisation | None:
    return Organisation.objects.filter(uuid=uuid).first()


REFERRAL_PICKER_RESULTS = 20


def _referable_offers():
    """Offers a person may be referred to: in the public directory (published) and running
    (active; not a draft nobody reviewed, not closed for now)."""
    from wegweiser.offers.models import Offer

    return Offer.objects.filter(is_published=True, status=OfferStatus.ACTIVE)


def offers_for_referral(*, query: str) -> list:
    """Referable offers matching `query`, best first, for the referral picker (the public
    search engine: words, synonyms, typos, other languages); nothing without a query, so that
    the picker scales to any number of offers."""
    from wegweiser.search.selectors import search_ranked

    query = " ".join(query.split())[:200]
    if not query:
        return []
    ranked = [int(pk) for pk, _score in search_ranked(kind="offer", query=query).ranked]
    ranked = ranked[: REFERRAL_PICKER_RESULTS * 3]
    offers = {
        offer.pk: offer
        for offer in _referable_offers()
        .filter(pk__in=ranked)
        .select_related("organisation")
        .only("uuid", "name", "organisation__name")
    }
    return [offers[pk] for pk in ranked if pk in offers][:REFERRAL_PICKER_RESULTS]


def offer_for_referral(*, uuid: Any) -> Any:
    """The referable offer with this uuid, or None."""
    return _referable_offers().filter(uuid=uuid).first()
