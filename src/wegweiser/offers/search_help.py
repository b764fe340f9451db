"""Selectors for what the offer search shows besides its results: help on an empty result
page (one filter less, nearby towns, related life areas, guide pages), inactive offers found
by their exact name, names suggested while typing, and the offer count for another search's
words. Public reads only: published offers, as in selectors.py."""

import bisect
import functools
import re
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Case, Count, Prefetch, Q, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import override

from wegweiser.core.models import LifeArea, Municipality
from wegweiser.search import tokens
from wegweiser.search.selectors import STOPWORDS, name_head, search_ranked, synonyms_of
from wegweiser.search.text import after_prefixes, fold, term, terms, token_matches

from . import facets
from .constants import ACCESSIBILITY_FEATURES, MAX_QUERY_LENGTH, Cost, OfferStatus, TranslationState
from .models import Offer, OfferTranslation
from .selectors import (
    FacetValue,
    OfferFilters,
    _published,
    offer_count_public,
    offer_search_public,
)

# Filters a searcher can drop one at a time, with the attribute that holds them.
DROPPABLE_FILTERS = {
    "q": "q",
    "life_area": "life_areas",
    "town": "towns",
    "target_group": "target_groups",
    "language": "languages",
    "cost": "costs",
    "access": "accessibility",
    "open_now": "open_now",
    "online": "online",
    "radius_km": "radius_km",
}
SUGGESTED_TOWNS = 3
SUGGESTED_LIFE_AREAS = 3
SUGGESTED_PAGES = 3


@dataclass
class Suggestion:
    label: str
    params: dict[str, list[str] | str]
    count: int

    @property
    def querystring(self) -> str:
        return urlencode(self.params, doseq=True)


@dataclass
class ZeroResultHelp:
    """What a searcher can do when nothing matched, each with the number of offers it finds."""

    fewer_filters: list[Suggestion] = field(default_factory=list)
    nearby_towns: list[Suggestion] = field(default_factory=list)
    life_areas: list[Suggestion] = field(default_factory=list)
    pages: list = field(default_factory=list)


def _params(filters: OfferFilters) -> dict[str, list[str] | str]:
    params: dict[str, list[str] | str] = {}
    for name, attribute in DROPPABLE_FILTERS.items():
        value = getattr(filters, attribute)
        if value:
            params[name] = "1" if value is True else value
    if filters.position and filters.point is not None:
        params["lat"], params["lon"] = str(filters.point[0]), str(filters.point[1])
    elif filters.near:
        params["near"] = filters.near
    if filters.radius_km:
        params["radius_km"] = f"{filters.radius_km:g}"
    return params


def _without(filters: OfferFilters, attribute: str) -> OfferFilters:
    empty = {"q": "", "open_now": False, "online": False, "radius_km": None}.get(attribute, [])
    changed = OfferFilters(**{**filters.__dict__, attribute: empty})
    changed.ranking = None if attribute == "q" else filters.ranking
    changed.did_you_mean = ""
    for cached in ("masks",):  # per-request caches of the filter evaluation, if any
        if hasattr(changed, cached):
            setattr(changed, cached, None)
    return changed


def _filter_label(name: str, filters: OfferFilters, facets: dict[str, list[FacetValue]]) -> str:
    """How a searcher sees an active filter: the words, or the chosen values' labels."""
    if name == "q":
        return filters.q
    if name in ("open_now", "online"):
        return str(_("open now") if name == "open_now" else _("online"))
    if name == "radius_km":
        return str(_("within %(km)s km") % {"km": f"{filters.radius_km:g}"})
    return ", ".join(f.label for f in facets[name] if f.selected)


def offer_zero_result_help(
    *, filters: OfferFilters, facets: dict[str, list[FacetValue]], language: str
) -> ZeroResultHelp:
    """Suggestions for an empty result: drop one filter, nearby towns, related life areas,
    info pages about the words – each only when it finds something."""
    help_ = ZeroResultHelp()
    params = _params(filters)
    active = [name for name in DROPPABLE_FILTERS if name in params]
    if len(active) > 1:
        for name in active:
            count = offer_search_public(
                filters=_without(filters, DROPPABLE_FILTERS[name]), language=language
            ).count()
            if count:
                rest = {k: v for k, v in params.items() if k != name}
                help_.fewer_filters.append(
                    Suggestion(_filter_label(name, filters, facets), rest, count)
                )
    # Towns near the chosen one (by distance of their centres) where the same search finds offers.
    if filters.towns:
        chosen = list(Municipality.objects.filter(slug__in=filters.towns))
        counted = {f.value: f.count for f in facets["town"] if f.count and not f.selected}
        towns = Municipality.objects.filter(slug__in=counted)

        def distance(town) -> float:
            return min(
                (float(town.latitude) - float(c.latitude)) ** 2
                + ((float(town.longitude) - float(c.longitude)) * 0.62) ** 2
                for c in chosen
            )

        for town in sorted(towns, key=distance)[:SUGGESTED_TOWNS]:
            help_.nearby_towns.append(
                Suggestion(town.name, {**params, "town": [town.slug]}, counted[town.slug])
            )
    # Life areas where the same search finds offers; without any, the ones closest in meaning.
    counted_areas = [f for f in facets["life_area"] if f.count and not f.selected]
    for area in sorted(counted_areas, key=lambda f: -f.count)[:SUGGESTED_LIFE_AREAS]:
        help_.life_areas.append(
            Suggestion(area.label, {**params, "life_area": [area.value]}, area.count)
        )
    if not help_.life_areas and filters.q:
        help_.life_areas = _life_areas_by_meaning(filters.q, language)
    if filters.q:
        help_.pages = guide_pages_for_words(query=filters.q, language=language)
    return help_


def guide_pages_for_words(*, query: str, language: str) -> list:
    """The guide's best few pages for the words: where no offer holds them, the answer may be
    information rather than an offer ("Kindergeld", "Zahnarzt")."""
    from wegweiser.pages import selectors as page_selectors

    ranked = search_ranked(kind="page", query=query, limit=SUGGESTED_PAGES).ranked
    return page_selectors.page_list_public_by_ids(
        ids=[int(object_id) for object_id, _score in ranked], language=language
    )


WORD_FILTERS = 3


# Words in other scripts are not stemmed (text.term): an ending or the Arabic article or a
# preposition before it hides a name ("مجانية" is "مجاني", "بالعربية" "العربية", "бесплатный"
# "бесплатно", "на арабском" "арабский"). A one-word name there also counts by its stem:
# itself without its last letter (two in Cyrillic, whose endings are longer), after one of
# an Arabic prefix (text.after_prefixes); the stem has four letters or more.
STEM_LETTERS = 4
# Attributes only: life areas and target groups are nouns that phrases use otherwise
# ("باللغة العربية", in the Arabic language, is not the life area "اللغة", language).
STEMMED = {"language", "cost", "online", "access"}
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def _stems(word: str) -> list[str]:
    """`word` and, in Arabic script, the word after a prefix it starts with."""
    return [word, *after_prefixes(word, STEM_LETTERS)]


@dataclass
class FilterWords:
    names: dict[tuple[str, ...], tuple[str, str]]  # the terms of a name → (parameter, value)
    stems: dict[str, tuple[str, str]]  # a one-word name's stem, in other scripts
    longest: int = 0  # words in the longest name


def _filter_words(arrays: facets.OfferArrays) -> FilterWords:
    """Every name of a filter value, in every language, as its terms → (parameter, value):
    towns (also without "am See"), life areas, target groups, the languages offers are held
    in (not the district's own: "Deutsch" asks for German courses), free of charge, online
    and the accessibility features. Kept with the offers snapshot."""
    if arrays.filter_words is not None:
        return arrays.filter_words
    words = FilterWords({}, {})

    def add(name: str, parameter: str, value: str) -> None:
        key = tuple(terms(name))
        if key and not all(t in STOPWORDS for t in key):  # not the target group "Alle"
            words.names.setdefault(key, (parameter, value))
            if len(key) == 1 and not key[0].isascii() and parameter in STEMMED:
                cut = 2 if _CYRILLIC.search(key[0]) else 1
                for stem in _stems(key[0]):
                    if len(stem) - cut >= STEM_LETTERS:
                        words.stems.setdefault(stem[:-cut], (parameter, value))

    vocabulary = arrays.vocabulary or {}
    for town in vocabulary.get("town", []):
        add(town.name, "town", town.slug)
        add(" ".join(name_head(town.name)), "town", town.slug)
    for parameter in ("life_area", "target_group"):
        for item in vocabulary.get(parameter, []):
            for name in (item.name, *item.name_translations.values()):
                add(name, parameter, item.slug)
    for language in vocabulary.get("language", []):
        if language.code != settings.LANGUAGE_CODE:
            for name in (language.name, *language.name_translations.values(), language.native_name):
                add(name, "language", language.code)
    online = Offer._meta.get_field("is_online").verbose_name
    for code, _name in settings.LANGUAGES:
        with override(code):
            add(str(Cost.FREE.label), "cost", Cost.FREE.value)
            add(str(online), "online", "1")
            for feature, label in ACCESSIBILITY_FEATURES.items():
                add(str(label), "access", feature)
    words.longest = max(map(len, words.names), default=0)
    arrays.filter_words = words
    return words


def offer_filters_in_words(*, filters: OfferFilters, language: str) -> list[Suggestion]:
    """Filters the words name, each a link that moves the words into the filter, with the
    number of offers it finds: "Beratung auf Arabisch" → "Beratung" in offers held in
    Arabic, "Deutschkurs in Herten" → "Deutschkurs" in Herten, "ücretsiz" → free of charge.
    Names in every language the platform speaks, typos corrected as the search corrected
    them; at most WORD_FILTERS links."""
    if not filters.q:
        return []
    words = _filter_words(facets.offer_arrays())
    # The words as the search read them: "Deutschkurs Hertn" is "Deutschkurs Herten".
    offer_count_public(filters=filters)  # ranks the words, once per filters object
    text = filters.did_you_mean or filters.q
    found = [m for m in token_matches(text) if len(m.group()) > 1 or m.group().isdigit()]
    keys = [term(m.group()) for m in found]
    params = _params(filters)
    suggestions: list[Suggestion] = []
    seen = set()  # (parameter, value) looked at: each counted once, at most 2 × WORD_FILTERS
    i = 0
    while i < len(keys) and len(suggestions) < WORD_FILTERS and len(seen) < 2 * WORD_FILTERS:
        named = _named_filter(keys, i, words)
        if named is None:
            i += 1
            continue
        size, (parameter, value) = named
        # The word before goes with the name when it is a stopword ("in Herten", "auf
        # Arabisch") or, in other scripts, a preposition of two letters ("на арабском").
        before = keys[i - 1] if i else ""
        short = len(before) <= 2 and not before.isascii()
        first = i - 1 if before and (before in STOPWORDS or short) else i
        start, end = found[first].start(), found[i + size - 1].end()
        i += size
        attribute = DROPPABLE_FILTERS[parameter]
        chosen = getattr(filters, attribute)
        flag = isinstance(chosen, bool)  # "online"; the others are lists of values
        if (parameter, value) in seen or (chosen if flag else value in chosen):
            continue
        seen.add((parameter, value))
        rest = " ".join((text[:start] + " " + text[end:]).split())
        if all(t in STOPWORDS for t in terms(rest)):
            rest = ""
        changed = _without(filters, "q")
        changed.q = rest
        setattr(changed, attribute, True if flag else [*chosen, value])
        count = offer_count_public(filters=changed)
        if count:
            link = {k: v for k, v in params.items() if k != "q"}
            if rest:
                link["q"] = rest
            link[parameter] = "1" if flag else [*chosen, value]
            label = _word_filter_label(parameter, value, language)
            suggestions.append(Suggestion(label, link, count))
    return suggestions


def _named_filter(
    keys: list[str], i: int, words: FilterWords
) -> tuple[int, tuple[str, str]] | None:
    """The filter the words from `i` on name, and how many words name it: the longest name
    ("Haltern am See" before "Haltern"), else a one-word synonym of a name from the
    editable synonym list ("gratis" is "kostenlos"), else, in other scripts, a word that
    starts with a name's stem ("مجانية", "بالعربية")."""
    names = words.names
    for size in range(min(words.longest, len(keys) - i), 0, -1):
        if (key := tuple(keys[i : i + size])) in names:
            return size, names[key]
    for synonym in sorted(synonyms_of(keys[i])):
        if (synonym,) in names:
            return 1, names[(synonym,)]
    if not keys[i].isascii():
        for word in _stems(keys[i]):
            for end in range(len(word), STEM_LETTERS - 1, -1):
                if word[:end] in words.stems:
                    return 1, words.stems[word[:end]]
    return None


def _word_filter_label(parameter: str, value: str, language: str) -> str:
    if parameter == "online":
        return str(_("Online"))
    if parameter == "cost":
        return str(Cost(value).label)
    if parameter == "access":
        return str(ACCESSIBILITY_FEATURES[value])
    vocabulary = facets.offer_arrays().vocabulary or {}
    key = "code" if parameter == "language" else "slug"
    item = next(o for o in vocabulary[parameter] if getattr(o, key) == value)
    if parameter == "town":
        return item.name
    if parameter == "language":
        return item.native_name
    return item.translated_name(language)


def _life_areas_by_meaning(query: str, language: str) -> list[Suggestion]:
    """Life areas of the offers closest in meaning to the query (below the similarity an
    answer needs), for a query that found nothing at all."""
    from wegweiser.search import embeddings

    if not embeddings.has_vectors("offer"):
        return []
    near = [
        int(object_id)
        for object_id, _score in embeddings.semantic_ranking(kind="offer", query=query, limit=20)
    ]
    areas = (
        LifeArea.objects.filter(offers__in=_published().filter(pk__in=near))
        .annotate(hits=Count("offers", distinct=True))
        .order_by("-hits", "slug")[:SUGGESTED_LIFE_AREAS]
    )
    # Published offers per life area, from the offers snapshot (no count over every offer).
    totals = facets.facet_counts(facets.offer_arrays(), {}, None)["life_area"]
    return [
        Suggestion(area.translated_name(language), {"life_area": [area.slug]}, totals[area.slug])
        for area in areas
        if totals.get(area.slug)
    ]


def offer_inactive_by_name(*, query: str, language: str) -> list[Offer]:
    """Published but inactive offers whose name (German or in `language`) is exactly the query:
    hidden from every list, but someone who knows the name learns that it ended."""
    name = " ".join(query.split())
    if len(name) < 3:
        return []
    # The ids of the inactive offers come from the offers snapshot: comparing the name of
    # every offer costs 30 ms at 100,000 offers, and there are few inactive ones.
    inactive = facets.offer_arrays().inactive
    if not inactive:
        return []
    by_name = Q(name__iexact=name) | Q(
        pk__in=OfferTranslation.objects.filter(name__iexact=name).values("offer_id")
    )
    return list(
        Offer.objects.filter(is_published=True, status=OfferStatus.INACTIVE, pk__in=inactive)
        .filter(by_name)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "translations",
                queryset=OfferTranslation.objects.filter(language=language),
                to_attr="display_translations",
            )
        )
        .order_by("name")[:5]
    )


SUGGESTIONS = 8


class _Joined(Sequence[str]):
    """Strings kept as one string and their offsets: 100,000 offer names take 3-4 MB instead
    of 25 MB as separate str objects (each worker keeps one index)."""

    def __init__(self, items: list[str]) -> None:
        self.text = "\n" + "\n".join(items) + "\n"
        self.starts = array("q")
        offset = 1
        for item in items:
            self.starts.append(offset)
            offset += len(item) + 1

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i):  # type: ignore[override] - integers only
        start = self.starts[i]
        return self.text[start : self.text.index("\n", start)]


class NameIndex:
    """The names of published, active offers, for suggestions while typing (per process,
    rebuilt when the `offers` token moves): a substring search in memory instead of a
    `LIKE '%…%'` over every offer per keystroke (50-90 ms at 100,000 offers)."""

    def __init__(self, names: Iterable[str]) -> None:
        pairs = sorted((fold(name), name) for name in {" ".join(n.split()) for n in names})
        self.folded = _Joined([item for item, _name in pairs])  # sorted
        self.names = _Joined([name for _item, name in pairs])  # display names, same order


def _name_index(_token, _key, _previous) -> NameIndex:
    return NameIndex(_published().values_list("name", flat=True).iterator(chunk_size=5000))


_names: tokens.TokenCache[NameIndex] = tokens.TokenCache(_name_index)


def offer_name_index() -> NameIndex:
    """The names of the published, active offers as this transaction sees them (rebuilt when
    the offers token moved)."""
    return _names.get(tokens.token_read(tokens.OFFERS))


def _names_containing(text: str, limit: int) -> list[str]:
    """German names containing `text` (case, accents and ae/ä folded): names starting with it
    first, each group in alphabetical order."""
    index = offer_name_index()
    key = fold(text)
    if not key or "\n" in key:
        return []
    first = bisect.bisect_left(index.folded, key)
    starting = []
    for i in range(first, min(first + limit, len(index.folded))):
        if not index.folded[i].startswith(key):
            break
        starting.append(i)
    found = list(starting)
    position = 0
    while len(found) < limit:
        position = index.folded.text.find(key, position)
        if position < 0:
            break
        i = bisect.bisect_right(index.folded.starts, position) - 1
        if i not in starting:
            found.append(i)
        position = index.folded.text.index("\n", position) + 1  # on to the next name
    return [index.names[i] for i in found]


# Offers held in many towns are often named so ("Kita-Platz-Beratung in Datteln", "… in
# Gladbeck"): a name with its town counts as the name alone, so that eight suggestions are not
# one offer eight times. The search for the name finds every town's; the town filter narrows.
TOWN_VARIANTS = 8  # names looked at per suggestion shown


@functools.lru_cache(maxsize=4)
def _town_suffix(towns: tuple[str, ...]) -> re.Pattern | None:
    """A town of the district at the end of a name: "… in Marl", "… (Marl)", "… – Marl"."""
    if not towns:
        return None
    names = "|".join(re.escape(t) for t in sorted(towns, key=len, reverse=True))
    return re.compile(rf"(?:\s+in|\s*[,–-]|\s*\()\s*(?:{names})\)?\s*$", re.I)


def _without_town(name: str, text: str, suffix: re.Pattern | None) -> str | None:
    """The name without a town at its end, unless the typed text needs the town; None when
    the text is found only inside the town's name, not at the start of one of its words
    ("schw" in "… in Oer-Erkenschwick": every offer there is no suggestion for it)."""
    if suffix is None:
        return name
    shorter = suffix.sub("", name).rstrip()
    if not shorter:
        return name
    key, folded, boundary = fold(text), fold(name), len(fold(shorter))
    if key in fold(shorter):
        return shorter
    position = folded.find(key)
    while position >= 0:
        # Reaching from the name into the town ("Beratung in Cas"), or a word of the town.
        if position < boundary or not folded[position - 1].isalnum():
            return name
        position = folded.find(key, position + 1)
    return None


def offer_name_suggestions(*, text: str, language: str, limit: int = SUGGESTIONS) -> list[str]:
    """Names of published, active offers containing the typed text, in `language` and in
    German – names starting with it first, each once without the town it may end with.
    Unpublished offers never appear."""
    text = " ".join(text.split())[:60]
    if len(text) < 2:
        return []
    names = _names_containing(text, limit * TOWN_VARIANTS)
    if language != "de":
        # Translated names: few per language; published offers by the offers snapshot (no
        # subquery over every offer).
        starts_first = Case(When(name__istartswith=text, then=Value(0)), default=Value(1))
        rows = list(
            OfferTranslation.objects.filter(language=language, name__icontains=text)
            .exclude(state=TranslationState.MISSING)
            .annotate(starts=starts_first)
            .order_by("starts", "name")
            .values_list("offer_id", "name")[: limit * 20]
        )
        arrays = facets.offer_arrays()
        shown = set(arrays.pks[arrays.mask_of(offer for offer, _name in rows)].tolist())
        translated = [name for offer, name in rows if offer in shown]
        names = translated + names
    towns = (facets.offer_arrays().vocabulary or {}).get("town", [])
    suffix = _town_suffix(tuple(town.name for town in towns))
    shown = (_without_town(name, text, suffix) for name in names)
    return list(dict.fromkeys(name for name in shown if name))[:limit]


def offer_count_for_words(*, query: str, language: str) -> int:
    """How many published offers the public search finds for these words (for links from
    other searches, such as the guide's)."""
    filters = OfferFilters(q=" ".join(query.split())[:MAX_QUERY_LENGTH])
    if not filters.q:
        return 0
    return offer_search_public(filters=filters, language=language).count()
