"""Reads for the HSDS API and the exports: published offers only, prefetched for constant queries."""

import math
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404

from wegweiser.accounts.models import Organisation
from wegweiser.core.models import LifeArea, Municipality, TargetGroup
from wegweiser.offers.constants import OfferStatus
from wegweiser.offers.models import Location, Offer, OfferLocation, Schedule

from .constants import TAXONOMY_LIFE_AREAS, TAXONOMY_TARGET_GROUPS, vocabulary_id


def published_offers() -> QuerySet[Offer]:
    """What the public directory shows: published and not inactive."""
    return Offer.objects.filter(is_published=True).exclude(status=OfferStatus.INACTIVE)


def offers_prefetched(queryset: QuerySet[Offer], *, full: bool) -> QuerySet[Offer]:
    """Everything the representation touches, in a fixed number of queries."""
    queryset = queryset.select_related("organisation")
    if not full:
        return queryset
    return queryset.prefetch_related(
        "life_areas",
        "target_groups",
        "languages",
        "contacts",
        "translations",
        Prefetch("schedules", queryset=Schedule.objects.select_related("location")),
        Prefetch(
            "offer_locations",
            queryset=OfferLocation.objects.select_related(
                "location", "location__municipality"
            ).order_by("location__name", "pk"),
        ),
    )


def offer_get_published(*, uuid) -> Offer:
    offer = offers_prefetched(published_offers().filter(uuid=uuid), full=True).first()
    if offer is None:
        raise Http404
    return offer


def organisations_public() -> QuerySet[Organisation]:
    """Providers with at least one published offer."""
    ids = published_offers().values("organisation_id")
    return Organisation.objects.filter(is_active=True, pk__in=ids).select_related("municipality")


def organisations_version() -> tuple:
    """How many organisations there are and when one last changed (part of an export's key)."""
    found = Organisation.objects.aggregate(count=Count("pk"), changed=Max("updated_at"))
    return found["count"], found["changed"]


def organisation_get_public(*, uuid) -> Organisation:
    organisation = organisations_public().filter(uuid=uuid).first()
    if organisation is None:
        raise Http404
    return organisation


@dataclass(frozen=True)
class Term:
    id: str
    taxonomy: str
    code: str
    name: str
    translations: dict
    kind: str
    pk: int


def taxonomy_terms() -> list[Term]:
    """Life areas and target groups as HSDS taxonomy terms (two queries)."""
    terms = [
        Term(
            vocabulary_id("life_area", a.slug),
            TAXONOMY_LIFE_AREAS,
            a.slug,
            a.name,
            a.name_translations,
            "life_area",
            a.pk,
        )
        for a in LifeArea.objects.all()
    ]
    terms += [
        Term(
            vocabulary_id("target_group", g.slug),
            TAXONOMY_TARGET_GROUPS,
            g.slug,
            g.name,
            g.name_translations,
            "target_group",
            g.pk,
        )
        for g in TargetGroup.objects.all()
    ]
    return terms


def offers_filter_by_term(queryset: QuerySet[Offer], term_id: str) -> QuerySet[Offer]:
    for term in taxonomy_terms():
        if term.id == term_id:
            if term.kind == "life_area":
                return queryset.filter(life_areas=term.pk)
            return queryset.filter(target_groups=term.pk)
    return queryset.none()


def offers_filter_by_taxonomy(queryset: QuerySet[Offer], taxonomy_id: str) -> QuerySet[Offer]:
    if taxonomy_id == vocabulary_id("taxonomy", TAXONOMY_LIFE_AREAS):
        return queryset.filter(life_areas__isnull=False).distinct()
    if taxonomy_id == vocabulary_id("taxonomy", TAXONOMY_TARGET_GROUPS):
        return queryset.filter(target_groups__isnull=False).distinct()
    return queryset.none()


def municipality_for_postcode(postcode: str) -> Municipality | None:
    for municipality in Municipality.objects.all():
        if postcode in (municipality.postcodes or []):
            return municipality
    return None


def _distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6_371_000
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def service_at_locations_public(
    *, postcode: str = "", proximity: float | None = None
) -> QuerySet[OfferLocation] | list[OfferLocation]:
    """Offer-location links of published offers, optionally near a postcode."""
    queryset = (
        OfferLocation.objects.filter(offer__in=published_offers())
        .select_related("offer", "offer__organisation", "location", "location__municipality")
        .order_by("offer__name", "location__name", "pk")
    )
    if not postcode:
        return queryset
    municipality = municipality_for_postcode(postcode)
    if proximity is None:
        condition = Q(location__postcode=postcode)
        if municipality is not None:
            condition |= Q(location__municipality=municipality)
        return queryset.filter(condition)
    if municipality is None:
        return queryset.none()
    lat, lon = float(municipality.latitude), float(municipality.longitude)
    # A bounding box in the database, the exact distance in Python.
    dlat = proximity / 111_000
    dlon = proximity / (111_000 * max(math.cos(math.radians(lat)), 0.01))
    boxed = queryset.filter(
        location__latitude__gte=lat - dlat,
        location__latitude__lte=lat + dlat,
        location__longitude__gte=lon - dlon,
        location__longitude__lte=lon + dlon,
    )
    ids = [
        link.pk
        for link in boxed
        if _distance_m(lat, lon, float(link.location.latitude), float(link.location.longitude))
        <= proximity
    ]
    return queryset.filter(pk__in=ids)


def locations_with_coordinates() -> QuerySet[Location]:
    return Location.objects.filter(
        offers__in=published_offers(), latitude__isnull=False, longitude__isnull=False
    ).distinct()
