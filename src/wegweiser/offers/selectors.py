"""Public reads of the offers database: search with facets, detail, providers, good practice.

Only published offers appear. Every list uses prefetching so that the number of queries stays
the same whatever the number of offers.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count, F, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from wegweiser.accounts.models import Organisation
from wegweiser.search import geo
from wegweiser.search.selectors import ids_subquery, rank_position, search_ranked
from wegweiser.search.snippets import highlight

from . import facets
from .constants import (
    ACCESSIBILITY_FEATURES,
    MAX_QUERY_LENGTH,
    Cost,
    OfferStatus,
    ScheduleKind,
    Sort,
    TranslationState,
)
from .models import Location, Offer, OfferAttachment, OfferLocation, OfferTranslation, Schedule

# Results beyond this position keep the engine's set but are ordered by name.
RANKED_ORDER_LIMIT = 300


@dataclass
class OfferFilters:
    """Validated search input. Values outside the vocabulary are dropped and reported."""

    q: str = ""
    life_areas: list[str] = field(default_factory=list)
    towns: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    costs: list[str] = field(default_factory=list)
    accessibility: list[str] = field(default_factory=list)
    open_now: bool = False
    online: bool = False
    good_practice: bool = False
    organisation: str = ""
    near: str = ""
    sort: str = Sort.RELEVANCE
    ignored: list[str] = field(default_factory=list)
    # A point (latitude, longitude) and a radius in km (near= town or postcode, or lat/lon).
    point: tuple[float, float] | None = None
    place_label: str = ""
    # What was typed in `near` when it named no town or postcode of the district.
    unknown_place: str = ""
    # The point is the browser's position (lat/lon), not a town or postcode.
    position: bool = False
    radius_km: float | None = None
    # Filled by the search engine on first use.
    ranking: np.ndarray | None = None  # offer pks, best first
    did_you_mean: str = ""
    terms: frozenset[str] = frozenset()  # what the words stood for, marked in snippets
    # No offer holds the words (German): the results are the closest by meaning.
    by_meaning: bool = False
    # A town named in the words that no result is in ("Schuldnerberatung Herten", none in
    # Herten): the nearest come first (`_ranking`); its name as the district writes it.
    nearest_to: str = ""
    # (offer arrays, one mask per active filter): computed once per request (offers/facets.py).
    masks: tuple | None = None

    def as_dict(self) -> dict:
        skip = {
            "q",
            "ignored",
            "sort",
            "ranking",
            "did_you_mean",
            "terms",
            "by_meaning",
            "nearest_to",
            "masks",
            "point",
            "radius_km",
            "place_label",
            "unknown_place",
            "position",
        }
        return {k: v for k, v in self.__dict__.items() if k not in skip and v}


def _keep(values: list[str], allowed: set[str], name: str, ignored: list[str]) -> list[str]:
    kept = []
    for value in values[:20]:
        if value in allowed:
            if value not in kept:
                kept.append(value)
        else:
            ignored.append(name)
    return kept


def offer_filters_from_query(params) -> OfferFilters:
    """Parse and validate query parameters (a QueryDict) into OfferFilters, never raising."""
    ignored: list[str] = []
    q = " ".join(params.get("q", "").split())[:MAX_QUERY_LENGTH]
    valid = facets.offer_arrays().vocabulary["valid"]
    filters = OfferFilters(
        q=q,
        life_areas=_keep(params.getlist("life_area"), valid["life_area"], "life_area", ignored),
        towns=_keep(params.getlist("town"), valid["town"], "town", ignored),
        target_groups=_keep(
            params.getlist("target_group"), valid["target_group"], "target_group", ignored
        ),
        languages=_keep(params.getlist("language"), valid["language"], "language", ignored),
        costs=_keep(params.getlist("cost"), set(Cost.values), "cost", ignored),
        accessibility=_keep(
            params.getlist("access"), set(ACCESSIBILITY_FEATURES), "access", ignored
        ),
        open_now=params.get("open_now") == "1",
        online=params.get("online") == "1",
        good_practice=params.get("good_practice") == "1",
        near=params.get("near", "")[:100],
        sort=params.get("sort") if params.get("sort") in Sort.values else Sort.RELEVANCE,
    )
    # The place distances are measured from: the browser's position (lat/lon), or a town or
    # postcode typed in `near`; a radius around it narrows the results and the facets.
    place = None
    if params.get("lat") or params.get("lon"):
        place = geo.place_from_coordinates(params.get("lat"), params.get("lon"))
        if place is None:
            ignored.append("lat")
        else:
            filters.position = True
    elif filters.near:
        place = geo.place_from_text(filters.near)
        if place is None:
            ignored.append("near")
            filters.unknown_place, filters.near = filters.near, ""
    if place is not None:
        filters.point = (place.latitude, place.longitude)
        filters.place_label = place.label
        try:
            filters.radius_km = geo.parse_radius(params.get("radius_km"))
        except (ValueError, ArithmeticError):
            ignored.append("radius_km")
    if filters.sort == Sort.DISTANCE and filters.point is None:
        filters.sort = Sort.RELEVANCE
    filters.ignored = sorted(set(ignored))
    return filters


def _published() -> QuerySet[Offer]:
    return Offer.objects.filter(is_published=True).exclude(status=OfferStatus.INACTIVE)


def _ranking(filters: OfferFilters) -> np.ndarray:
    """Offer pks matching the words, best first; computed once per filters object."""
    if filters.ranking is None:
        result = search_ranked(kind="offer", query=filters.q)
        filters.ranking = result.ranked.pks()
        filters.did_you_mean = result.did_you_mean
        filters.terms = result.terms
        filters.by_meaning = result.by_meaning
        place = geo.place_from_text(result.place_words) if result.place_words else None
        if place is not None and filters.point is None:
            # The words found nothing in the town they name: the nearest first, then as
            # ranked (a stable sort); offers without a place last.
            ranking = filters.ranking.tolist()
            distances = facets.nearest_distances(
                facets.offer_arrays(), ranking, (place.latitude, place.longitude)
            )
            ranking.sort(key=lambda pk: (distances.get(pk) is None, distances.get(pk) or 0.0))
            filters.ranking = np.asarray(ranking, dtype=np.int64)
            filters.nearest_to = place.label
    return filters.ranking


def _open_now_filter(now: datetime) -> Q:
    local = timezone.localtime(now)
    weekly = Schedule.objects.filter(
        kind=ScheduleKind.WEEKLY,
        weekday=local.weekday(),
        opens_at__lte=local.time(),
        closes_at__gt=local.time(),
    ).values("offer_id")
    dated = Schedule.objects.filter(
        kind=ScheduleKind.DATE,
        date=local.date(),
        opens_at__lte=local.time(),
        closes_at__gt=local.time(),
    ).values("offer_id")
    return Q(pk__in=weekly) | Q(pk__in=dated)


def _narrows(filters: OfferFilters) -> bool:
    return bool(
        filters.q
        or filters.life_areas
        or filters.towns
        or filters.target_groups
        or filters.languages
        or filters.costs
        or filters.accessibility
        or filters.open_now
        or filters.online
        or filters.good_practice
        or filters.organisation
        or (filters.point is not None and filters.radius_km)
    )


def _masks(filters: OfferFilters, now: datetime | None) -> tuple:
    if filters.masks is None:
        arrays = facets.offer_arrays()
        ranking = _ranking(filters) if filters.q else None
        filters.masks = (arrays, facets.filter_masks(arrays, filters, ranking, now))
    return filters.masks


def _apply(
    qs: QuerySet[Offer], filters: OfferFilters, *, now: datetime | None = None
) -> QuerySet[Offer]:
    """The published offers matching all filters, by their ids from the in-memory snapshot
    (offers/facets.py); `qs` is `_published()` or narrower."""
    if not _narrows(filters):
        return qs
    arrays, masks = _masks(filters, now)
    ids = arrays.pks[facets.combined(arrays, masks)]
    return qs.filter(pk__in=ids_subquery(ids.tolist()))


def _apply_sql(
    qs: QuerySet[Offer], filters: OfferFilters, *, skip: str = "", now: datetime | None = None
) -> QuerySet[Offer]:
    """Apply all filters but `skip` in SQL: AND across facets, OR within one facet.

    The reference the snapshot is tested against (tests/test_facets.py); the radius is not
    part of it."""
    if filters.q:
        qs = qs.filter(pk__in=ids_subquery(_ranking(filters)))
    if filters.life_areas and skip != "life_area":
        qs = qs.filter(
            pk__in=Offer.objects.filter(life_areas__slug__in=filters.life_areas).values("pk")
        )
    if filters.towns and skip != "town":
        qs = qs.filter(
            pk__in=Location.objects.filter(municipality__slug__in=filters.towns).values("offers")
        )
    if filters.target_groups and skip != "target_group":
        qs = qs.filter(
            pk__in=Offer.objects.filter(target_groups__slug__in=filters.target_groups).values("pk")
        )
    if filters.languages and skip != "language":
        qs = qs.filter(
            pk__in=Offer.objects.filter(languages__code__in=filters.languages).values("pk")
        )
    if filters.costs and skip != "cost":
        qs = qs.filter(cost__in=filters.costs)
    if filters.accessibility and skip != "access":
        # Accessibility features combine with AND: a wheelchair user needs all of them at once.
        locations = Location.objects.all()
        for feature in filters.accessibility:
            locations = locations.filter(**{feature: True})
        qs = qs.filter(pk__in=locations.values("offers"))
    if filters.open_now and skip != "open_now":
        qs = qs.filter(_open_now_filter(now or timezone.now()))
    if filters.online and skip != "online":
        qs = qs.filter(is_online=True)
    if filters.good_practice:
        qs = qs.filter(is_good_practice=True)
    if filters.organisation:
        qs = qs.filter(organisation__uuid=filters.organisation)
    return qs


def _with_display(qs: QuerySet[Offer], language: str) -> QuerySet[Offer]:
    return qs.select_related("organisation").prefetch_related(
        "life_areas",
        Prefetch(
            "attachments", queryset=OfferAttachment.objects.filter(kind="photo"), to_attr="photos"
        ),
        Prefetch("locations", queryset=Location.objects.select_related("municipality")),
        Prefetch(
            "translations",
            queryset=OfferTranslation.objects.filter(language=language),
            to_attr="display_translations",
        ),
    )


def _ordered(qs: QuerySet[Offer], filters: OfferFilters) -> QuerySet[Offer]:
    if filters.point is not None:
        qs = geo.with_distance(qs, geo.Place(*filters.point, filters.place_label))
        if filters.sort == Sort.DISTANCE:
            return qs.order_by(F("distance_sq").asc(nulls_last=True), "name")
    if filters.sort == Sort.VERIFIED:
        return qs.order_by(F("last_verified_at").desc(nulls_last=True), "name")
    if filters.q:
        ranking = _ranking(filters)[:RANKED_ORDER_LIMIT]
        return qs.annotate(
            rank=rank_position(ranking, table=Offer._meta.db_table, missing=RANKED_ORDER_LIMIT)
        ).order_by("rank", "name")
    return qs.order_by("-is_good_practice", "name")


TEXT_FIELDS = ("id", "uuid", "source_id", "name", "summary", "description")


@functools.cache
def _text_rows_statement() -> tuple[str, tuple, list[str], dict]:
    """`_published()` with only TEXT_FIELDS, compiled once per process (one database): the
    statement, its parameters, the columns' attribute names and their converters."""
    compiler = _published().order_by().only(*TEXT_FIELDS).query.get_compiler(DEFAULT_DB_ALIAS)
    sql, params = compiler.as_sql()
    columns = [expression for expression, _sql, _alias in compiler.select]
    names = [column.target.attname for column in columns]
    # Model.from_db takes the loaded values in the model's field order.
    if names != [f.attname for f in Offer._meta.concrete_fields if f.attname in names]:
        raise ImproperlyConfigured("the text columns are not in the model's field order")
    return sql, tuple(params), names, compiler.get_converters(columns)


def _text_rows(ids: list[int], language: str) -> list[Offer]:
    """The published offers among `ids` with what `offer_display_texts` and the API need,
    nothing more. The statement of `_published()` is compiled once; its rows become offers as
    the ORM makes them (its converters, `Model.from_db`). A queryset built each time took two
    thirds of the API's time for its result rows, a raw queryset still a tenth."""
    if not ids:
        return []
    sql, params, names, converters = _text_rows_statement()
    database = connections[DEFAULT_DB_ALIAS]  # this thread's (`connection` looks it up each time)
    quote = database.ops.quote_name
    column = f"{quote(Offer._meta.db_table)}.{quote('id')}"
    marks = ", ".join(["%s"] * len(ids))
    # Only the compiled statement and the quoted id column are formatted in; values are
    # parameters.
    with database.cursor() as cursor:
        cursor.execute(f"{sql} AND {column} IN ({marks})", [*params, *[int(i) for i in ids]])
        rows = cursor.fetchall()
    offers = []
    for row in rows:
        values = list(row)
        for position, (functions, expression) in converters.items():
            for convert in functions:
                values[position] = convert(values[position], expression, database)
        offers.append(Offer.from_db(DEFAULT_DB_ALIAS, names, values))
    if language != "de":  # German texts are the offer's own (offer_display_texts)
        prefetch_related_objects(
            offers,
            Prefetch(
                "translations",
                queryset=OfferTranslation.objects.filter(language=language),
                to_attr="display_translations",
            ),
        )
    return offers


class RankedOffers:
    """Offers in the order `_ordered` gives in SQL, computed from the in-memory snapshots and
    loaded a page at a time: a full-text query's relevance order (the first
    RANKED_ORDER_LIMIT positions of the ranking, then by name), or the list's own order
    (good practice first, then by name). The count needs no query and a page loads only its
    own rows (Paginator slices it like a queryset).
    """

    def __init__(
        self,
        head: "list[int] | np.ndarray",
        tail: list[int],
        language: str,
        distances: "Callable[[list[int]], dict[int, float | None]] | None" = None,
        texts_only: bool = False,
    ) -> None:
        self.texts_only = texts_only
        self.head = head  # matching ids in ranking order (positions < RANKED_ORDER_LIMIT)
        self.tail = tail  # the other matching ids, ordered by name when first needed
        self.language = language
        # With a point: offer id → `distance_sq` like geo.with_distance annotates it.
        self.distances = distances
        self._tail_ordered = False

    def count(self) -> int:
        return len(self.head) + len(self.tail)

    def __len__(self) -> int:
        return self.count()

    def exists(self) -> bool:
        return self.count() > 0

    def _ids(self, start: int, stop: int) -> list[int]:
        if stop > len(self.head) and self.tail and not self._tail_ordered:
            self.tail = list(
                Offer.objects.filter(pk__in=ids_subquery(self.tail))
                .order_by("name", "pk")
                .values_list("pk", flat=True)
            )
            self._tail_ordered = True
        ids = self.head[start:stop]
        ids = ids.tolist() if isinstance(ids, np.ndarray) else list(ids)
        if stop > len(self.head):
            ids += self.tail[max(0, start - len(self.head)) : stop - len(self.head)]
        return ids

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(self.count())
            ids = self._ids(start, stop)[::step]
            if self.texts_only:
                found = _text_rows(ids, self.language)
            else:
                found = _with_display(_published().filter(pk__in=ids), self.language)
            rows = {offer.pk: offer for offer in found}
            if self.distances is not None:
                for pk, distance in self.distances(ids).items():
                    if pk in rows:
                        rows[pk].distance_sq = distance
            return [rows[pk] for pk in ids if pk in rows]
        found = self[index : index + 1] if index >= 0 else self[index:][:1]
        if not found:
            raise IndexError(index)
        return found[0]

    def __iter__(self):
        return iter(self[0 : self.count()])


def offer_search_public(
    *,
    filters: OfferFilters,
    language: str,
    now: datetime | None = None,
    sequence: bool = True,
    texts_only: bool = False,
) -> "QuerySet[Offer] | RankedOffers":
    """Published offers matching the filters, ordered, with everything the result list shows.

    In the default order (relevance for words, the list order without) the result is a
    `RankedOffers` sequence (its offers carry `distance_sq` when `filters.point` is set),
    sorted by distance or last check – or with sequence=False – a queryset. `texts_only`: a
    sequence's offers carry only what `offer_display_texts` needs.
    """
    if sequence and filters.sort == Sort.RELEVANCE:
        if _narrows(filters):
            arrays, masks = _masks(filters, now)
            matching = facets.combined(arrays, masks)
        else:
            arrays = facets.offer_arrays()
            matching = np.ones(arrays.size, dtype=bool)
        distances = None
        if filters.point is not None:
            point = filters.point

            def distances(ids: list[int]) -> dict[int, float | None]:
                return facets.nearest_distances(arrays, ids, point)

        if not filters.q:  # the list order: good practice first, then by name
            listed = arrays.list_order[matching[arrays.list_order]]
            return RankedOffers(arrays.pks[listed], [], language, distances, texts_only)
        ranking = _ranking(filters)
        if not arrays.size or not ranking.size:
            return RankedOffers([], [], language, texts_only=texts_only)
        positions = arrays.positions(ranking)
        found = np.flatnonzero((positions >= 0) & matching[positions])
        head = ranking[found[found < RANKED_ORDER_LIMIT]].tolist()
        tail = ranking[found[found >= RANKED_ORDER_LIMIT]].tolist()
        return RankedOffers(head, tail, language, distances, texts_only)
    return _with_display(_ordered(_apply(_published(), filters, now=now), filters), language)


def offer_count_public(*, filters: OfferFilters, now: datetime | None = None) -> int:
    """How many offers `offer_search_public` finds, from the offers snapshot: the same masks,
    without a COUNT over every published offer (10 ms at 100,000 offers)."""
    arrays = facets.offer_arrays()
    if not _narrows(filters):
        return arrays.size
    arrays, masks = _masks(filters, now)
    return int(facets.combined(arrays, masks).sum())


def _facet_counts_sql(*, filters: OfferFilters, now: datetime | None = None) -> dict:
    """The facet counts in SQL, one grouped query per facet: the reference for the snapshot
    (tests/test_facets.py), shaped like `facets.facet_counts`."""
    base = _published()

    def counts(skip: str, key: str) -> dict[str, int]:
        rows = (
            _apply_sql(base, filters, skip=skip, now=now)
            .values(key)
            .annotate(n=Count("pk", distinct=True))
        )
        return {row[key]: row["n"] for row in rows if row[key] is not None and row["n"]}

    access_base = _apply_sql(base, filters, skip="access", now=now)
    return {
        "life_area": counts("life_area", "life_areas__slug"),
        "town": counts("town", "locations__municipality__slug"),
        "target_group": counts("target_group", "target_groups__slug"),
        "language": counts("language", "languages__code"),
        "cost": counts("cost", "cost"),
        "access": {
            feature: access_base.filter(
                pk__in=Location.objects.filter(**{feature: True}).values("offers")
            ).count()
            for feature in ACCESSIBILITY_FEATURES
        },
        "open_now": {
            "1": _apply_sql(base, filters, skip="open_now", now=now)
            .filter(_open_now_filter(now or timezone.now()))
            .count()
        },
        "online": {
            "1": _apply_sql(base, filters, skip="online", now=now).filter(is_online=True).count()
        },
    }


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


def offer_facets_public(
    *, filters: OfferFilters, language: str, now: datetime | None = None
) -> dict[str, list[FacetValue]]:
    """Counts per facet value, each counted with all other facets applied (so OR within a
    facet works), over the in-memory snapshot (offers/facets.py): no query per facet."""
    arrays, masks = _masks(filters, now)
    counted = facets.facet_counts(arrays, masks, now)
    life = counted["life_area"]
    towns = counted["town"]
    groups = counted["target_group"]
    langs = counted["language"]
    costs = counted["cost"]
    access = counted["access"]
    open_now = counted["open_now"]["1"]
    online = counted["online"]["1"]

    def build(objects, key, counted, selected, label):
        return [
            FacetValue(
                getattr(o, key),
                label(o),
                counted.get(getattr(o, key), 0),
                getattr(o, key) in selected,
            )
            for o in objects
        ]

    vocabulary = arrays.vocabulary
    return {
        "life_area": build(
            vocabulary["life_area"],
            "slug",
            life,
            filters.life_areas,
            lambda o: o.translated_name(language),
        ),
        "town": build(vocabulary["town"], "slug", towns, filters.towns, lambda o: o.name),
        "target_group": build(
            vocabulary["target_group"],
            "slug",
            groups,
            filters.target_groups,
            lambda o: o.translated_name(language),
        ),
        "language": [
            f
            for f in build(
                vocabulary["language"],
                "code",
                langs,
                filters.languages,
                lambda o: o.native_name,
            )
            if f.count or f.selected
        ],
        "cost": [
            FacetValue(v, str(lbl), costs.get(v, 0), v in filters.costs) for v, lbl in Cost.choices
        ],
        "access": [
            FacetValue(k, str(lbl), access[k], k in filters.accessibility)
            for k, lbl in ACCESSIBILITY_FEATURES.items()
        ],
        "open_now": [FacetValue("1", "", open_now, filters.open_now)],
        "online": [FacetValue("1", "", online, filters.online)],
    }


def offer_get_public(*, uuid, language: str) -> Offer:
    """One published offer with everything the detail page shows, or 404.

    An inactive offer keeps its page (printed handouts and bookmarks point to it) and says
    that it ended; it appears in no list, map or sitemap."""
    offer = (
        Offer.objects.filter(is_published=True)
        .filter(uuid=uuid)
        .select_related("organisation", "organisation__municipality", "last_verified_by")
        .prefetch_related(
            "life_areas",
            "target_groups",
            "languages",
            "contacts",
            "attachments",
            Prefetch("locations", queryset=Location.objects.select_related("municipality")),
            Prefetch("schedules", queryset=Schedule.objects.select_related("location")),
            Prefetch(
                "translations",
                queryset=OfferTranslation.objects.filter(language=language),
                to_attr="display_translations",
            ),
        )
        .first()
    )
    if offer is None:
        raise Http404
    return offer


def offer_display_texts(offer: Offer, language: str) -> dict:
    """Name, summary and description in `language` if translated, German otherwise (flagged)."""
    translation = next(iter(getattr(offer, "display_translations", []) or []), None)
    if language != "de" and translation and translation.state != TranslationState.MISSING:
        return {
            "name": translation.name,
            "summary": translation.summary or offer.summary,
            "description": translation.description or offer.description,
            "language": language,
            "fallback": False,
            "state": translation.state,
        }
    return {
        "name": offer.name,
        "summary": offer.summary,
        "description": offer.description,
        "language": "de",
        "fallback": language != "de",
        "state": TranslationState.CURRENT,
    }


def offer_snippet(texts: dict, query: str, terms: frozenset[str] = frozenset()) -> str:
    """The part of an offer's texts (`offer_display_texts`) around the searched words, the
    words marked (<mark>) and everything else HTML-escaped; `terms` as `highlight` takes
    them (`OfferFilters.terms`)."""
    return highlight(f"{texts['summary']} {texts['description']}", query, terms)


def offer_is_open(offer: Offer, now: datetime | None = None) -> bool:
    local = timezone.localtime(now or timezone.now())
    for s in offer.schedules.all():
        if (
            s.opens_at
            and s.closes_at
            and s.opens_at <= local.time() < s.closes_at
            and (
                (s.kind == ScheduleKind.WEEKLY and s.weekday == local.weekday())
                or (s.kind == ScheduleKind.DATE and s.date == local.date())
            )
        ):
            return True
    return False


def organisation_get_public(*, uuid) -> Organisation:
    """A provider with at least one published offer, or 404."""
    organisation = (
        Organisation.objects.filter(uuid=uuid, is_active=True, offers__in=_published())
        .select_related("municipality")
        .distinct()
        .first()
    )
    if organisation is None:
        raise Http404
    return organisation


def offer_list_for_sitemap() -> QuerySet[Offer]:
    return _published().only("uuid", "updated_at").order_by("pk")


def offer_json_ld(offer: Offer, *, url: str, language: str) -> dict:
    """schema.org description of an offer for search engines (https://schema.org/Service)."""
    texts = offer_display_texts(offer, language)
    data = {
        "@context": "https://schema.org",
        "@type": "Service",
        "name": texts["name"],
        "description": texts["summary"],
        "url": url,
        "inLanguage": texts["language"],
        "provider": {
            "@type": "Organization",
            "name": offer.organisation.name,
            **({"url": offer.organisation.website} if offer.organisation.website else {}),
        },
        "areaServed": [
            {"@type": "City", "name": location.municipality.name}
            for location in offer.locations.all()
        ],
        "availableLanguage": [language.code for language in offer.languages.all()],
        "isAccessibleForFree": offer.cost == Cost.FREE,
    }
    channels = []
    for location in offer.locations.all():
        place = {
            "@type": "Place",
            "name": location.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": location.street,
                "postalCode": location.postcode,
                "addressLocality": location.municipality.name,
                "addressCountry": "DE",
            },
        }
        if location.latitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(location.latitude),
                "longitude": float(location.longitude),
            }
        channels.append(
            {
                "@type": "ServiceChannel",
                "serviceLocation": place,
                **({"servicePhone": offer.phone} if offer.phone else {}),
            }
        )
    if channels:
        data["availableChannel"] = channels
    if offer.last_verified_at:
        data["dateModified"] = offer.last_verified_at.date().isoformat()
    return data


MAP_MARKER_LIMIT = 2000


def offer_map_points(*, filters: OfferFilters, language: str) -> list[dict]:
    """One point per location of each matching offer, for the map and its list.

    Reads plain values in three queries instead of model instances: the map may show every
    offer of the district at once.
    """
    ordered = _ordered(_apply(_published(), filters), filters)
    offer_ids = list(ordered.values_list("pk", flat=True)[:MAP_MARKER_LIMIT])
    names = (
        dict(
            OfferTranslation.objects.filter(offer_id__in=offer_ids, language=language)
            .exclude(state=TranslationState.MISSING)
            .values_list("offer_id", "name")
        )
        if language != "de"
        else {}
    )
    rows = OfferLocation.objects.filter(
        offer_id__in=offer_ids, location__latitude__isnull=False, location__longitude__isnull=False
    ).values(
        "offer_id",
        "offer__uuid",
        "offer__name",
        "location__latitude",
        "location__longitude",
        "location__street",
        "location__postcode",
        "location__municipality__name",
    )
    position = {pk: index for index, pk in enumerate(offer_ids)}
    points = [
        {
            "lat": float(row["location__latitude"]),
            "lon": float(row["location__longitude"]),
            "name": names.get(row["offer_id"], row["offer__name"]),
            "town": row["location__municipality__name"],
            "address": ", ".join(
                p
                for p in [
                    row["location__street"],
                    f"{row['location__postcode']} {row['location__municipality__name']}".strip(),
                ]
                if p
            ),
            "uuid": str(row["offer__uuid"]),
            # The German name stands in for a missing translation: the list and the popup mark
            # its language (WCAG 3.1.2).
            "fallback": language != "de" and row["offer_id"] not in names,
            "_order": position[row["offer_id"]],
        }
        for row in rows
    ]
    points.sort(key=lambda point: point.pop("_order"))
    return points


def offer_location_points(offer: Offer) -> list[dict]:
    """The map points of one offer's locations (already prefetched)."""
    return [
        {
            "lat": float(location.latitude),
            "lon": float(location.longitude),
            "name": location.name,
            "town": location.municipality.name,
            "address": location.address_line,
            "uuid": str(offer.uuid),
        }
        for location in offer.locations.all()
        if location.latitude is not None and location.longitude is not None
    ]
