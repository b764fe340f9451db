"""Places and distances for the search: a town, a German postcode or the browser's position.

No network: towns and their postcodes come from the district file in core data (each
`Municipality` has its centre and its postcodes), and a postcode stands for the centre of its
town. Distances use the equirectangular approximation (error well below 1 % within a district),
computed in plain SQL arithmetic so that SQLite and PostgreSQL agree without extensions.
"""

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import F, FloatField, Min, QuerySet, Value
from django.db.models.functions import Cast

from wegweiser.core.models import Municipality

from .text import edit_distance, fold, tokens

KM_PER_DEGREE = 111.32
MAX_RADIUS_KM = 500.0
_POSTCODE_IN = re.compile(r"(?<!\d)\d{5}(?!\d)")


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    label: str


def place_from_text(near: str) -> Place | None:
    """A town of the district or one of its five-digit postcodes, as people type them: any
    case, umlauts or not, hyphens or spaces ("Castrop Rauxel"), the start of a name when only
    one town has it ("Castrop", "Haltern"), one typo (two in a long name: "Hertn",
    "Recklinghusen"), or a postcode with its town ("45699 Herten")."""
    text = " ".join((near or "").split())[:100]
    if not text:
        return None
    towns = list(
        Municipality.objects.exclude(latitude__isnull=True)
        .exclude(longitude__isnull=True)
        .only("name", "slug", "latitude", "longitude", "postcodes")
        .order_by("name", "pk")
    )
    postcode = _POSTCODE_IN.search(text)
    if postcode:
        code = postcode.group()
        for town in towns:
            if code in (town.postcodes or []):
                return Place(float(town.latitude), float(town.longitude), f"{code} {town.name}")
        return None
    town = _town_named(_key(text), towns)
    if town is None:
        return None
    return Place(float(town.latitude), float(town.longitude), town.name)


def _key(text: str) -> str:
    return " ".join(tokens(fold(text)))


def _town_named(key: str, towns: list[Municipality]) -> Municipality | None:
    """The one town the key names: exactly, by the start of its name, or with a typo."""
    if not key:
        return None
    names = {town: (_key(town.name), _key(town.slug)) for town in towns}
    for town, (name, slug) in names.items():
        if key in (name, slug):
            return town
    if len(key) >= 3:
        starting = [town for town, (name, _slug) in names.items() if name.startswith(key)]
        if len(starting) == 1:
            return starting[0]
    if len(key) >= 4:
        limit = 2 if len(key) >= 8 else 1
        close = sorted(
            ((edit_distance(key, name, limit), town.pk), town)
            for town, (name, _slug) in names.items()
        )
        close = [(order, town) for order, town in close if order[0] <= limit]
        if close and (len(close) == 1 or close[0][0][0] < close[1][0][0]):
            return close[0][1]
    return None


def place_from_coordinates(latitude: str | None, longitude: str | None) -> Place | None:
    """The browser's position; None when missing or out of range."""
    try:
        lat, lon = float(Decimal(str(latitude))), float(Decimal(str(longitude)))
    except (InvalidOperation, ValueError, TypeError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return Place(lat, lon, f"{lat:.4f}, {lon:.4f}")


def parse_radius(value: str | None) -> float | None:
    """A radius in km (0 < r <= 500), None when absent; raises ValueError when invalid."""
    if value in (None, ""):
        return None
    radius = float(Decimal(str(value)))
    if not (math.isfinite(radius) and 0 < radius <= MAX_RADIUS_KM):
        raise ValueError(value)
    return radius


def with_distance(
    qs: QuerySet, place: Place, *, radius_km: float | None = None, prefix: str = "locations__"
) -> QuerySet:
    """Annotate `distance_sq` (squared degrees, nearest location) and filter by radius.

    Objects without coordinates get no distance; a radius filter leaves them out.
    """
    cos_lat = math.cos(math.radians(place.latitude))
    dlat = Cast(F(f"{prefix}latitude"), FloatField()) - Value(place.latitude)
    dlon = (Cast(F(f"{prefix}longitude"), FloatField()) - Value(place.longitude)) * Value(cos_lat)
    qs = qs.annotate(distance_sq=Min(dlat * dlat + dlon * dlon, output_field=FloatField()))
    if radius_km is not None:
        qs = qs.filter(distance_sq__lte=(radius_km / KM_PER_DEGREE) ** 2)
    return qs


def distance_km(distance_sq: float | None) -> float | None:
    if distance_sq is None:
        return None
    return round(math.sqrt(max(distance_sq, 0.0)) * KM_PER_DEGREE, 1)
