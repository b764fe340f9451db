"""Permission-scoped reads of the editorial back office.

Provider editors see their own organisations' offers, revisions and locations; KI editors see
everything. `*_get_for_user` raise Http404 (audited) for missing and forbidden alike.
"""

from __future__ import annotations

import datetime
from collections import Counter
from difflib import SequenceMatcher
from typing import Any

from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.utils import timezone

from wegweiser.accounts.constants import Role
from wegweiser.accounts.models import Organisation, User
from wegweiser.core.models import Language, Municipality
from wegweiser.offers.constants import OfferStatus
from wegweiser.offers.models import (
    BarrierReport,
    FeedbackStatus,
    Location,
    Offer,
    OfferContact,
    OfferFeedback,
    OfferSuggestion,
    OfferTranslation,
    ZeroResultSearch,
)
from wegweiser.privacy.services import audit_access_denied
from wegweiser.search.models import SynonymGroup
from wegweiser.search.text import fold

from .constants import DUPLICATE_RATIO, OPEN_STATES, RevisionState
from .models import OfferRevision, OfferVersion


def sees_all_offers(user: User) -> bool:
    return Role.KI_EDITOR in user.roles


def organisations_for_user(user: User) -> QuerySet[Organisation]:
    """Organisations whose offers the user may edit."""
    qs = Organisation.objects.filter(is_active=True)
    if sees_all_offers(user):
        return qs
    return qs.filter(pk__in=user.organisation_ids_with_role(Role.PROVIDER_EDITOR))


def _scope(qs: QuerySet, user: User, path: str = "organisation") -> QuerySet:
    if sees_all_offers(user):
        return qs
    return qs.filter(**{f"{path}__in": user.organisation_ids_with_role(Role.PROVIDER_EDITOR)})


def _denied(request: HttpRequest, object_type: str, object_id: Any) -> Http404:
    audit_access_denied(
        request=request,
        permission="editorial.edit_offers",
        object_type=object_type,
        object_id=object_id,
    )
    return Http404()


def offer_list_for_user(*, user: User, query: str = "", state: str = "") -> QuerySet[Offer]:
    """Offers the user may edit, with their open revision's state, ordered by name."""
    open_revision = OfferRevision.objects.filter(offer=OuterRef("pk"), state__in=OPEN_STATES)
    qs = (
        _scope(Offer.objects.all(), user)
        .select_related("organisation")
        .annotate(revision_state=Subquery(open_revision.values("state")[:1]))
    )
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(organisation__name__icontains=query))
    if state in RevisionState.values:
        qs = qs.filter(revision_state=state)
    return qs.order_by("name")


def offer_get_for_user(*, request: HttpRequest, uuid) -> Offer:
    """One offer the user may edit, with everything its snapshot needs."""
    offer = (
        _scope(Offer.objects.all(), request.user)
        .filter(uuid=uuid)
        .select_related("organisation", "last_verified_by")
        .prefetch_related(
            "life_areas",
            "target_groups",
            "languages",
            "contacts",
            "schedules",
            "translations",
            Prefetch("locations", queryset=Location.objects.select_related("municipality")),
        )
        .first()
    )
    if offer is None:
        raise _denied(request, "offers.offer", uuid)
    return offer


def revision_get_for_user(*, request: HttpRequest, uuid) -> OfferRevision:
    revision = (
        _scope(OfferRevision.objects.all(), request.user, "offer__organisation")
        .filter(uuid=uuid)
        .select_related("offer", "offer__organisation", "author", "reviewed_by")
        .first()
    )
    if revision is None:
        raise _denied(request, "editorial.revision", uuid)
    return revision


def review_queue(*, user: User) -> QuerySet[OfferRevision]:
    """Submitted revisions, oldest first (KI editors only: the view checks the permission)."""
    return (
        OfferRevision.objects.filter(state=RevisionState.SUBMITTED)
        .select_related("offer", "offer__organisation", "author")
        .order_by("submitted_at", "pk")
    )


def version_list_for_offer(*, offer: Offer) -> QuerySet[OfferVersion]:
    return offer.versions.select_related("created_by").order_by("-number")


def version_get_for_user(*, request: HttpRequest, uuid) -> OfferVersion:
    version = (
        _scope(OfferVersion.objects.all(), request.user, "offer__organisation")
        .filter(uuid=uuid)
        .select_related("offer", "offer__organisation")
        .first()
    )
    if version is None:
        raise _denied(request, "editorial.version", uuid)
    return version


def location_list_for_user(*, user: User) -> QuerySet[Location]:
    return (
        _scope(Location.objects.all(), user)
        .select_related("municipality", "organisation")
        .annotate(offer_count=Count("offer_locations"))
        .order_by("organisation__name", "name")
    )


def location_get_for_user(*, request: HttpRequest, uuid) -> Location:
    location = (
        _scope(Location.objects.all(), request.user)
        .filter(uuid=uuid)
        .select_related("municipality", "organisation")
        .first()
    )
    if location is None:
        raise _denied(request, "offers.location", uuid)
    return location


def contact_list_for_user(*, user: User) -> QuerySet[OfferContact]:
    return (
        _scope(OfferContact.objects.all(), user, "offer__organisation")
        .select_related("offer", "offer__organisation")
        .order_by("offer__name", "name")
    )


def contact_get_for_user(*, request: HttpRequest, pk: int) -> OfferContact:
    contact = contact_list_for_user(user=request.user).filter(pk=pk).first()
    if contact is None:
        raise _denied(request, "offers.contact", pk)
    return contact


def translation_states(*, offer: Offer) -> dict[str, str]:
    """The published translations' states by language (current/outdated/machine/missing)."""
    return {t.language: t.state for t in offer.translations.all()}


# --- duplicates ------------------------------------------------------------------------------


def _similar(a: str, b: str) -> float:
    a, b = " ".join(fold(a).split()), " ".join(fold(b).split())
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ratio = SequenceMatcher(None, a, b).ratio()
    # Trigram overlap catches reordered words ("Kurs Deutsch" / "Deutsch Kurs").
    grams_a = {a[i : i + 3] for i in range(len(a) - 2)}
    grams_b = {b[i : i + 3] for i in range(len(b) - 2)}
    jaccard = len(grams_a & grams_b) / len(grams_a | grams_b) if grams_a and grams_b else 0.0
    return max(ratio, jaccard)


def offer_find_duplicates(
    *,
    organisation: Organisation,
    name: str,
    municipality: Municipality | None,
    exclude: Offer | None = None,
) -> list[Offer]:
    """Offers of the same provider with a similar name (folded) in the same town.

    Used when an offer is created in the back office and for every imported row. Without a town
    (online offers) all of the provider's offers are compared. Best matches first.
    """
    qs = Offer.objects.filter(organisation=organisation).exclude(status=OfferStatus.INACTIVE)
    if municipality is not None:
        qs = qs.filter(
            Q(locations__municipality=municipality) | Q(locations__isnull=True)
        ).distinct()
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    scored = [(_similar(name, offer.name), offer) for offer in qs.only("pk", "uuid", "name")]
    return [
        offer for score, offer in sorted(scored, key=lambda s: -s[0]) if score >= DUPLICATE_RATIO
    ]


# --- freshness -------------------------------------------------------------------------------


def stale_cutoff(*, months: int, now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=round(months * 30.44))


def offer_list_stale(*, months: int, now: datetime.datetime | None = None) -> QuerySet[Offer]:
    """Published, active offers not verified since `months` (never verified: by creation date)."""
    cutoff = stale_cutoff(months=months, now=now)
    return (
        Offer.objects.filter(is_published=True)
        .exclude(status=OfferStatus.INACTIVE)
        .filter(
            Q(last_verified_at__lt=cutoff) | Q(last_verified_at__isnull=True, created_at__lt=cutoff)
        )
        .select_related("organisation")
        .order_by("organisation_id", "name")
    )


def offer_get_by_uuid(*, uuid) -> Offer:
    """The offer a signed link names (the signature is the permission)."""
    offer = Offer.objects.select_related("organisation").filter(uuid=uuid).first()
    if offer is None:
        raise Http404
    return offer


def _verified_q(prefix: str, cutoff: datetime.datetime) -> Q:
    return Q(**{f"{prefix}is_published": True, f"{prefix}last_verified_at__gte": cutoff}) & ~Q(
        **{f"{prefix}status": OfferStatus.INACTIVE}
    )


def _published_q(prefix: str) -> Q:
    return Q(**{f"{prefix}is_published": True}) & ~Q(**{f"{prefix}status": OfferStatus.INACTIVE})


def freshness_by_provider(*, months: int, now=None) -> list[dict[str, Any]]:
    """Per provider: published offers, verified within `months`, share (one query)."""
    cutoff = stale_cutoff(months=months, now=now)
    rows = (
        Organisation.objects.annotate(
            total=Count("offers", filter=_published_q("offers__"), distinct=True),
            verified=Count("offers", filter=_verified_q("offers__", cutoff), distinct=True),
        )
        .filter(total__gt=0)
        .values("uuid", "name", "total", "verified")
        .order_by("name")
    )
    return [dict(r, share=round(100 * r["verified"] / r["total"])) for r in rows]


def freshness_by_town(*, months: int, now=None) -> list[dict[str, Any]]:
    """Per town: published offers held there, verified within `months`, share (one query)."""
    cutoff = stale_cutoff(months=months, now=now)
    rows = (
        Municipality.objects.annotate(
            total=Count(
                "locations__offers", filter=_published_q("locations__offers__"), distinct=True
            ),
            verified=Count(
                "locations__offers",
                filter=_verified_q("locations__offers__", cutoff),
                distinct=True,
            ),
        )
        .filter(total__gt=0)
        .values("slug", "name", "total", "verified")
        .order_by("name")
    )
    return [dict(r, share=round(100 * r["verified"] / r["total"])) for r in rows]


# --- queues ----------------------------------------------------------------------------------


def feedback_queue(*, status: str = FeedbackStatus.NEW) -> QuerySet[OfferFeedback]:
    return (
        OfferFeedback.objects.filter(status=status)
        .select_related("offer", "offer__organisation")
        .order_by("created_at")
    )


def feedback_get(*, uuid) -> OfferFeedback:
    feedback = OfferFeedback.objects.filter(uuid=uuid).select_related("offer").first()
    if feedback is None:
        raise Http404
    return feedback


def barrier_report_queue(*, status: str = FeedbackStatus.NEW) -> QuerySet[BarrierReport]:
    return BarrierReport.objects.filter(status=status).order_by("created_at")


def barrier_report_get(*, uuid) -> BarrierReport:
    report = BarrierReport.objects.filter(uuid=uuid).first()
    if report is None:
        raise Http404
    return report


def suggestion_queue(*, status: str = FeedbackStatus.NEW) -> QuerySet[OfferSuggestion]:
    return (
        OfferSuggestion.objects.filter(status=status).select_related("town").order_by("created_at")
    )


def suggestion_get(*, uuid) -> OfferSuggestion:
    suggestion = OfferSuggestion.objects.filter(uuid=uuid).select_related("town").first()
    if suggestion is None:
        raise Http404
    return suggestion


def zero_result_groups(*, days: int = 90, limit: int = 200) -> list[dict[str, Any]]:
    """Searches without result in the last `days`, grouped by folded words, most frequent first;
    with how many of them had results by meaning only (no offer held the words)."""
    since = timezone.now() - datetime.timedelta(days=days)
    counts: Counter[str] = Counter()
    by_meaning: Counter[str] = Counter()
    examples: dict[str, str] = {}
    languages: dict[str, set[str]] = {}
    last: dict[str, datetime.datetime] = {}
    rows = (
        ZeroResultSearch.objects.filter(created_at__gte=since)
        .values("query", "language")
        .annotate(
            n=Count("pk"),
            n_by_meaning=Count("pk", filter=Q(by_meaning=True)),
            latest=Max("created_at"),
        )
    )
    for row in rows:
        key = " ".join(fold(row["query"]).split())
        counts[key] += row["n"]
        by_meaning[key] += row["n_by_meaning"]
        examples.setdefault(key, row["query"])
        languages.setdefault(key, set()).add(row["language"])
        last[key] = max(last.get(key, row["latest"]), row["latest"])
    return [
        {
            "folded": key,
            "query": examples[key],
            "count": n,
            "by_meaning": by_meaning[key],
            "languages": sorted(languages[key]),
            "latest": last[key],
        }
        for key, n in counts.most_common(limit)
    ]


def translations_for_offer(*, offer: Offer) -> list[OfferTranslation]:
    return list(offer.translations.all())


def translation_languages() -> QuerySet[Language]:
    """The languages an offer can be translated into (German is the source)."""
    return Language.objects.exclude(code="de").order_by("code")


def translation_language_get(*, code: str) -> Language:
    language = translation_languages().filter(code=code).first()
    if language is None:
        raise Http404
    return language


def language_exists(*, code: str) -> bool:
    return Language.objects.filter(code=code).exists()


def vocabulary_list(*, model) -> QuerySet:
    """Life areas, target groups or synonym groups (the view checks the curate permission)."""
    qs = model.objects.all()
    return qs.order_by("members") if model is SynonymGroup else qs


def vocabulary_get(*, model, pk: int):
    item = model.objects.filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def feedback_open_for_offer(*, offer: Offer) -> QuerySet[OfferFeedback]:
    """Open "report a mistake" messages on one offer (the offer is already scoped)."""
    return offer.feedback.filter(status=FeedbackStatus.NEW).order_by("created_at")
