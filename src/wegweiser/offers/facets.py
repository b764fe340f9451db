"""Filters and facet counts over an in-memory snapshot of the published offers (numpy).

Per published offer: cost, online, good practice, organisation; per (offer, value) pairs for
life areas, target groups, languages and towns; per (offer, location) pairs the accessibility
features (AND within ONE location) and the coordinates (radius). A search computes one boolean
mask per active filter; the counts of a facet are taken over the AND of all OTHER masks (OR
within a facet, AND across facets, as `offer_facets_public` always did). Only the page of
results is then loaded through the ORM.

The arrays are rebuilt when the `offers` change token moved: signals on offers, locations,
their links and the vocabularies set a new random token inside the writing transaction
(see wegweiser.search.tokens).
"""

import functools
import math
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.db import connection
from django.db.models import FloatField
from django.db.models.functions import Cast
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from wegweiser.search import tokens
from wegweiser.search.ranked import IdPositions

from .constants import ACCESSIBILITY_FEATURES, Cost, OfferStatus

KM_PER_DEGREE = 111.32
FEATURES = list(ACCESSIBILITY_FEATURES)
COSTS = list(Cost.values)
MULTI = ("life_area", "target_group", "language", "town")


@dataclass
class Pairs:
    offers: np.ndarray  # int32 offer positions, sorted
    values: np.ndarray  # int32 value positions in `names`
    names: list[str]
    lookup: dict[str, int]
    indptr: np.ndarray | None = None  # pairs of offer i: indptr[i]:indptr[i + 1]
    # The offers of value v: by_value[value_indptr[v]:value_indptr[v + 1]] (a filter marks
    # the offers of its values instead of testing every pair).
    by_value: np.ndarray = field(init=False, repr=False)
    value_indptr: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.by_value = self.offers[np.argsort(self.values, kind="stable")]
        self.value_indptr = _indptr(self.values, len(self.names))


def _indptr(offers: np.ndarray, size: int) -> np.ndarray:
    indptr = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(offers, minlength=size), out=indptr[1:])
    return indptr


def _gather(indptr: np.ndarray, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the pairs of the offers at `positions`, and the (local) owner of each."""
    starts = indptr[positions]
    lengths = indptr[positions + 1] - starts
    owners = np.repeat(np.arange(len(positions)), lengths)
    ends = np.cumsum(lengths)
    total = int(ends[-1]) if ends.size else 0
    # Each pair's index: its offer's first pair plus its place among the offer's pairs.
    return np.arange(total) + np.repeat(starts - (ends - lengths), lengths), owners


@dataclass
class OfferArrays:
    token: int | None
    pks: np.ndarray  # sorted offer pks (published, not inactive)
    cost: np.ndarray  # int8 position in COSTS, -1 unknown
    online: np.ndarray
    good_practice: np.ndarray
    organisation: np.ndarray  # organisation pk
    organisations: dict[str, int]  # uuid → pk
    pairs: dict[str, Pairs]
    location_offers: np.ndarray  # int32 offer position per (offer, location), sorted
    location_access: np.ndarray  # uint8 feature bits per (offer, location)
    location_lat: np.ndarray  # float64, NaN without coordinates
    location_lon: np.ndarray
    location_indptr: np.ndarray | None = None
    # The facet vocabularies (life areas, towns, target groups, languages) as objects and
    # their valid values: small, changed only through saves the signals see.
    vocabulary: dict | None = None
    # The names of the filter values in every language (search_help, on first use).
    filter_words: dict | None = None
    inactive: list[int] | None = None
    # Offer positions in the public list's order (good practice first, then by name).
    list_order: np.ndarray | None = None
    # The open-now ids of a minute and their mask (open_now_mask).
    open_now: tuple | None = field(default=None, repr=False)
    # Offers within a radius of a point, per (latitude, longitude, km) (_within).
    radius_masks: dict = field(default_factory=dict, repr=False)
    built_seconds: float = 0.0

    @property
    def size(self) -> int:
        return int(self.pks.size)

    @functools.cached_property
    def _pk_positions(self) -> IdPositions:
        return IdPositions(self.pks)

    def positions(self, ids) -> np.ndarray:
        """The position of each offer pk in the snapshot, -1 for pks it does not hold."""
        ids = np.asarray(ids if isinstance(ids, np.ndarray) else list(ids), dtype=np.int64)
        return self._pk_positions.of(ids)

    def mask_of(self, ids) -> np.ndarray:
        """Offer pks → a mask over the snapshot (unknown pks are ignored)."""
        mask = np.zeros(self.size, dtype=bool)
        where = self.positions(ids)
        mask[where[where >= 0]] = True
        return mask

    def positions_of(self, mask: np.ndarray) -> np.ndarray:
        return np.flatnonzero(mask)


def _pairs(rows) -> Pairs:
    rows = [(o, v) for o, v in rows if v is not None]
    names = sorted({v for _o, v in rows})
    lookup = {name: i for i, name in enumerate(names)}
    if not rows:
        return Pairs(np.zeros(0, np.int32), np.zeros(0, np.int32), names, lookup)
    width = len(names) + 1
    keys = np.unique(np.fromiter((o * width + lookup[v] for o, v in rows), dtype=np.int64))
    return Pairs((keys // width).astype(np.int32), (keys % width).astype(np.int32), names, lookup)


def _raw(queryset) -> list[tuple]:
    """The rows of a values_list queryset without the ORM's per-value converters (the SQL is
    still Django's, so the same on both databases)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _numeric_pairs(rows: np.ndarray, pks: np.ndarray, slugs: dict[int, str]) -> Pairs:
    """(offer pk, value pk) rows → Pairs over offer positions and value slugs."""
    rows = rows[np.isin(rows[:, 1], list(slugs))] if len(rows) else rows
    if not len(rows):
        return _pairs([])
    names = sorted({slugs[int(v)] for v in np.unique(rows[:, 1])})
    lookup = {name: i for i, name in enumerate(names)}
    value_ids = np.array(list(slugs), dtype=np.int64)
    value_index = np.array([lookup.get(slugs[int(v)], -1) for v in value_ids], dtype=np.int64)
    order = np.argsort(value_ids)
    values = value_index[order][np.searchsorted(value_ids[order], rows[:, 1])]
    offers = np.searchsorted(pks, rows[:, 0])
    width = len(names) + 1
    keys = np.unique(offers * width + values)
    return Pairs((keys // width).astype(np.int32), (keys % width).astype(np.int32), names, lookup)


def build(token: int | None) -> OfferArrays:
    from wegweiser.accounts.models import Organisation
    from wegweiser.core.models import Language, LifeArea, Municipality, TargetGroup

    from .models import Offer, OfferLocation
    from .selectors import _published

    started = time.monotonic()
    rows = _raw(
        _published()
        .order_by("pk")
        .values_list("pk", "cost", "is_online", "is_good_practice", "organisation_id")
    )
    pks = np.array([r[0] for r in rows], dtype=np.int64)
    cost_code = {c: i for i, c in enumerate(COSTS)}
    organisation = np.array([r[4] for r in rows], dtype=np.int64)
    organisations = {
        str(u): pk
        for u, pk in Organisation.objects.filter(pk__in=set(organisation.tolist())).values_list(
            "uuid", "pk"
        )
    }
    published = _published().values("pk")
    vocabularies = {
        "life_area": (Offer.life_areas, {o.pk: o.slug for o in LifeArea.objects.all()}),
        "target_group": (Offer.target_groups, {o.pk: o.slug for o in TargetGroup.objects.all()}),
        "language": (Offer.languages, {o.pk: o.code for o in Language.objects.all()}),
    }
    pairs = {}
    for name, (descriptor, slugs) in vocabularies.items():
        field = descriptor.field
        links = field.remote_field.through.objects.filter(
            **{f"{field.m2m_field_name()}__in": published}
        ).values_list(field.m2m_column_name(), field.m2m_reverse_name())
        pairs[name] = _numeric_pairs(
            np.array(_raw(links), dtype=np.int64).reshape(-1, 2), pks, slugs
        )
    # Coordinates as floats in SQL: converting 100,000s of Decimals costs more than the query.
    location_rows = _raw(
        OfferLocation.objects.filter(offer__in=published)
        .annotate(
            lat=Cast("location__latitude", FloatField()),
            lon=Cast("location__longitude", FloatField()),
        )
        .values_list(
            "offer_id",
            "location__municipality_id",
            *(f"location__{f}" for f in FEATURES),
            "lat",
            "lon",
        )
    )
    locations = np.array(location_rows, dtype=np.float64).reshape(-1, 4 + len(FEATURES))
    towns = {m.pk: m.slug for m in Municipality.objects.all()}
    with_town = ~np.isnan(locations[:, 1])
    pairs["town"] = _numeric_pairs(locations[with_town][:, :2].astype(np.int64), pks, towns)
    access = np.zeros(len(locations), dtype=np.uint8)
    for bit in range(len(FEATURES)):
        access |= (np.nan_to_num(locations[:, 2 + bit]) > 0).astype(np.uint8) << bit

    arrays = OfferArrays(
        token=token,
        pks=pks,
        cost=np.array([cost_code.get(r[1], -1) for r in rows], dtype=np.int8),
        online=np.array([bool(r[2]) for r in rows], dtype=bool),
        good_practice=np.array([bool(r[3]) for r in rows], dtype=bool),
        organisation=organisation,
        organisations=organisations,
        pairs=pairs,
        location_offers=np.searchsorted(pks, locations[:, 0].astype(np.int64)).astype(np.int32),
        location_access=access,
        location_lat=locations[:, -2].copy(),
        location_lon=locations[:, -1].copy(),
    )
    # The list order as the database sorts names (its collation, like the SQL path).
    listed = _raw(_published().order_by("-is_good_practice", "name", "pk").values_list("pk"))
    arrays.list_order = np.searchsorted(pks, np.array(listed, dtype=np.int64).reshape(-1))
    # Published but inactive offers (not in any list; found by their exact name only).
    arrays.inactive = list(
        Offer.objects.filter(is_published=True, status=OfferStatus.INACTIVE).values_list(
            "pk", flat=True
        )
    )
    municipalities = list(Municipality.objects.all())
    arrays.vocabulary = {
        "life_area": list(LifeArea.objects.all()),
        "town": [m for m in municipalities if m.kind == "town"],
        "target_group": list(TargetGroup.objects.all()),
        "language": list(Language.objects.all()),
    }
    arrays.vocabulary["valid"] = {
        "life_area": {o.slug for o in arrays.vocabulary["life_area"]},
        "town": {m.slug for m in municipalities},
        "target_group": {o.slug for o in arrays.vocabulary["target_group"]},
        "language": {o.code for o in arrays.vocabulary["language"]},
    }
    order = np.argsort(arrays.location_offers, kind="stable")
    arrays.location_offers = arrays.location_offers[order]
    arrays.location_access = arrays.location_access[order]
    arrays.location_lat = arrays.location_lat[order]
    arrays.location_lon = arrays.location_lon[order]
    arrays.location_indptr = _indptr(arrays.location_offers, arrays.size)
    for item in pairs.values():
        item.indptr = _indptr(item.offers, arrays.size)
    arrays.built_seconds = time.monotonic() - started
    return arrays


_arrays: tokens.TokenCache[OfferArrays] = tokens.TokenCache(
    lambda token, _key, _previous: build(token)
)


def offer_arrays() -> OfferArrays:
    """The snapshot as this transaction sees it (rebuilt when the token moved)."""
    return _arrays.get(tokens.token_read(tokens.OFFERS))


def offers_changed(**_kwargs) -> None:
    tokens.token_bump(tokens.OFFERS)


def connect_signals() -> None:
    from wegweiser.accounts.models import Organisation
    from wegweiser.core.models import Language, LifeArea, Municipality, TargetGroup

    from .models import Location, Offer, OfferLocation, Schedule

    for model in (
        Offer,
        Location,
        OfferLocation,
        Schedule,
        LifeArea,
        TargetGroup,
        Language,
        Municipality,
    ):
        post_save.connect(offers_changed, sender=model, dispatch_uid=f"facets-save-{model}")
        post_delete.connect(offers_changed, sender=model, dispatch_uid=f"facets-del-{model}")
    post_delete.connect(offers_changed, sender=Organisation, dispatch_uid="facets-del-org")
    for through in (
        Offer.life_areas.through,
        Offer.target_groups.through,
        Offer.languages.through,
        Offer.locations.through,
    ):
        m2m_changed.connect(offers_changed, sender=through, dispatch_uid=f"facets-m2m-{through}")


# Masks and counts ---------------------------------------------------------------------------


def _any_of(arrays: OfferArrays, name: str, chosen: list[str]) -> np.ndarray:
    pairs = arrays.pairs[name]
    mask = np.zeros(arrays.size, dtype=bool)
    for value in chosen:
        i = pairs.lookup.get(value)
        if i is not None:
            mask[pairs.by_value[pairs.value_indptr[i] : pairs.value_indptr[i + 1]]] = True
    return mask


def _locations_to_offers(arrays: OfferArrays, location_mask: np.ndarray) -> np.ndarray:
    mask = np.zeros(arrays.size, dtype=bool)
    mask[arrays.location_offers[location_mask]] = True
    return mask


# Radius masks a snapshot keeps: searches around a town or a postcode repeat their point.
RADIUS_MASKS = 32


def _within(arrays: OfferArrays, point: tuple[float, float], radius_km: float) -> np.ndarray:
    """The offers with a location within `radius_km` of `point` (read only)."""
    key = (float(point[0]), float(point[1]), float(radius_km))
    found = arrays.radius_masks.get(key)
    if found is None:
        latitude, longitude = point
        cos_lat = math.cos(math.radians(latitude))
        with np.errstate(invalid="ignore"):
            dlat = arrays.location_lat - latitude
            dlon = (arrays.location_lon - longitude) * cos_lat
            near = dlat * dlat + dlon * dlon <= (radius_km / KM_PER_DEGREE) ** 2
        found = _locations_to_offers(arrays, near)
        found.flags.writeable = False
        if len(arrays.radius_masks) >= RADIUS_MASKS:
            arrays.radius_masks.clear()
        arrays.radius_masks[key] = found
    return found


def nearest_distances(
    arrays: OfferArrays, ids: list[int], point: tuple[float, float]
) -> dict[int, float | None]:
    """Per offer the squared distance (degrees, like geo.with_distance) of its nearest
    location with coordinates; None without one."""
    latitude, longitude = point
    cos_lat = math.cos(math.radians(latitude))
    result: dict[int, float | None] = {}
    for pk, position in zip(ids, arrays.positions(ids).tolist(), strict=True):
        if position < 0:
            continue
        start, end = arrays.location_indptr[position], arrays.location_indptr[position + 1]
        dlat = arrays.location_lat[start:end] - latitude
        dlon = (arrays.location_lon[start:end] - longitude) * cos_lat
        squared = dlat * dlat + dlon * dlon
        squared = squared[~np.isnan(squared)]
        result[pk] = float(squared.min()) if squared.size else None
    return result


_open_now: dict = {}


def open_now_ids(now: datetime) -> np.ndarray:
    """Offers open at `now` (their pks): one query per minute and offers token (schedules have
    minutes)."""
    from .models import Schedule

    key = (tokens.token_read(tokens.OFFERS), timezone.localtime(now).strftime("%Y%m%d%H%M"))
    found = _open_now.get(key)
    if found is None:
        rows = Schedule.objects.filter(_open_now_q(now)).values_list("offer_id", flat=True)
        found = np.fromiter(rows, dtype=np.int64)
        _open_now.clear()
        _open_now[key] = found
    return found


def open_now_mask(arrays: OfferArrays, now: datetime) -> np.ndarray:
    """The offers of `arrays` open at `now`, as a mask; made once per minute (read only)."""
    ids = open_now_ids(now)
    if arrays.open_now is None or arrays.open_now[0] is not ids:
        mask = arrays.mask_of(ids)
        mask.flags.writeable = False
        arrays.open_now = (ids, mask)
    return arrays.open_now[1]


def _open_now_q(now: datetime):
    from django.db.models import Q

    from .constants import ScheduleKind

    local = timezone.localtime(now)
    return Q(
        kind=ScheduleKind.WEEKLY,
        weekday=local.weekday(),
        opens_at__lte=local.time(),
        closes_at__gt=local.time(),
    ) | Q(
        kind=ScheduleKind.DATE,
        date=local.date(),
        opens_at__lte=local.time(),
        closes_at__gt=local.time(),
    )


def filter_masks(
    arrays: OfferArrays, filters, ranking: np.ndarray | None, now: datetime | None
) -> dict[str, np.ndarray]:
    """One mask per active filter, keyed by the facet name that skips it."""
    masks: dict[str, np.ndarray] = {}
    if filters.q:
        masks["q"] = arrays.mask_of(ranking if ranking is not None else [])
    if filters.life_areas:
        masks["life_area"] = _any_of(arrays, "life_area", filters.life_areas)
    if filters.towns:
        masks["town"] = _any_of(arrays, "town", filters.towns)
    if filters.target_groups:
        masks["target_group"] = _any_of(arrays, "target_group", filters.target_groups)
    if filters.languages:
        masks["language"] = _any_of(arrays, "language", filters.languages)
    if filters.costs:
        wanted = np.zeros(len(COSTS) + 1, dtype=bool)
        wanted[[COSTS.index(c) for c in filters.costs if c in COSTS]] = True
        masks["cost"] = wanted[arrays.cost]
    if filters.accessibility:
        bits = sum(1 << FEATURES.index(f) for f in filters.accessibility if f in FEATURES)
        masks["access"] = _locations_to_offers(arrays, (arrays.location_access & bits) == bits)
    if filters.open_now:
        masks["open_now"] = open_now_mask(arrays, now or timezone.now())
    if filters.online:
        masks["online"] = arrays.online.copy()
    if filters.good_practice:
        masks["good_practice"] = arrays.good_practice.copy()
    if filters.organisation:
        try:
            key = str(uuid.UUID(str(filters.organisation)))
        except ValueError:
            key = ""
        masks["organisation"] = arrays.organisation == arrays.organisations.get(key, -1)
    if getattr(filters, "point", None) is not None and getattr(filters, "radius_km", None):
        masks["radius"] = _within(arrays, filters.point, filters.radius_km)
    return masks


def combined(arrays: OfferArrays, masks: dict[str, np.ndarray], skip: str = "") -> np.ndarray:
    result = np.ones(arrays.size, dtype=bool)
    for name, mask in masks.items():
        if name != skip:
            result &= mask
    return result


def facet_counts(
    arrays: OfferArrays, masks: dict[str, np.ndarray], now: datetime | None
) -> dict[str, dict[str, int]]:
    """Counts per facet value, each with all other filters applied.

    With a full-text query only its matches can count: the work runs over those offers
    (and their pairs) instead of over all offers.
    """
    universe = np.flatnonzero(masks["q"]) if "q" in masks else None
    if universe is not None:
        masks = {name: mask[universe] for name, mask in masks.items()}
        size = len(universe)
    else:
        size = arrays.size

    def local(values: np.ndarray) -> np.ndarray:
        return values if universe is None else values[universe]

    def pairs_of(indptr, offers):
        if universe is None:
            return slice(None), offers
        return _gather(indptr, universe)

    def combined_local(skip: str) -> np.ndarray:
        result = np.ones(size, dtype=bool)
        for name, mask in masks.items():
            if name != skip:
                result &= mask
        return result

    counts: dict[str, dict[str, int]] = {}
    for name in MULTI:
        base = combined_local(name)
        pairs = arrays.pairs[name]
        index, owners = pairs_of(pairs.indptr, pairs.offers)
        found = np.bincount(pairs.values[index][base[owners]], minlength=len(pairs.names))
        counts[name] = {v: int(n) for v, n in zip(pairs.names, found.tolist(), strict=True) if n}
    base = combined_local("cost")
    cost = local(arrays.cost)
    found = np.bincount(cost[base & (cost >= 0)], minlength=len(COSTS))
    counts["cost"] = {c: int(n) for c, n in zip(COSTS, found.tolist(), strict=False) if n}
    base = combined_local("access")
    index, owners = pairs_of(arrays.location_indptr, arrays.location_offers)
    access = arrays.location_access[index]
    counts["access"] = {}
    for bit, feature in enumerate(FEATURES):
        has = np.zeros(size, dtype=bool)
        has[owners[(access & (1 << bit)) > 0]] = True
        counts["access"][feature] = int((base & has).sum())
    base = combined_local("open_now")
    open_mask = masks.get("open_now")
    if open_mask is None:
        open_mask = local(open_now_mask(arrays, now or timezone.now()))
    counts["open_now"] = {"1": int((base & open_mask).sum())}
    base = combined_local("online")
    counts["online"] = {"1": int((base & local(arrays.online)).sum())}
    return counts
