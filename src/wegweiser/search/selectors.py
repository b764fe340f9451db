"""Queries against the index: ranked matches with stemming, compounds, synonyms and typos.

Each query word becomes a set of index terms with a confidence: the word itself (1.0), its
synonyms (0.9), compounds that contain it ("Kurs" → "Deutschkurs", 0.7) and, when the word is
not in the vocabulary at all, the terms within edit distance 1–2 (typos, 0.6). Documents must
match every word; when none does, the best partial matches are returned (natural questions).
Scores are BM25 over term weights (title terms weigh more).
"""

import json
import math
import time
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Count, F, IntegerField, Q, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, Substr

from . import embeddings
from . import snapshot as _snapshot
from . import tokens as _tokens
from .models import SearchDocument, SearchPosting, SearchTerm, SynonymGroup
from .ranked import Ranked, id_array, positions_in, same_kind
from .registry import ATTRIBUTE_PROVIDERS, NAME_PROVIDERS
from .snapshot import TYPO_CACHE, LexicalSnapshot
from .text import (
    MAX_TOKEN_LENGTH,
    after_prefixes,
    edit_distance,
    fold,
    term,
    terms,
    tokens,
    typo_order,
    typo_start_keys,
)

# "memory": rank on the per-process snapshot (search/snapshot.py); "sql": in the database.
LEXICAL_ENGINE = "memory"
K1 = 1.2
B = 0.75
MAX_WORDS = 10
MAX_RESULTS = 1000
QUESTION_WORDS = 4
KEYWORD_WORDS = 2
# An unknown word is split into two known terms of this many letters or more ("Kinderarzt");
# the documents with its head alone count with this confidence (both parts: 0.7, the mean).
SPLIT_PART = 3
SPLIT_HEAD_CONFIDENCE = 0.3
COMPOUNDS = 50  # longer terms per query word, for each of suffix and prefix
# ... per synonym of a word only the list knows (a group has up to ten German words).
SYNONYM_COMPOUNDS = 10
# A word of another language shorter than this is corrected only to a word of the synonym
# list, not to a word of the (German) texts: Turkish "araba" (car) is no typo of "arab"
# (Arabic), which 329 demo offers hold.
OTHER_LANGUAGE_TYPO_LETTERS = 6
STOPWORDS = {
    term(w)
    for w in [
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einen",
        "einem",
        "einer",
        "und",
        "oder",
        "aber",
        "in",
        "im",
        "an",
        "am",
        "auf",
        "aus",
        "bei",
        "mit",
        "nach",
        "von",
        "vom",
        "zu",
        "zum",
        "zur",
        "für",
        "fur",
        "über",
        "unter",
        "vor",
        "wie",
        "was",
        "wo",
        "wer",
        "wann",
        "welche",
        "welcher",
        "welches",
        "ist",
        "sind",
        "bin",
        "bist",
        "hat",
        "habe",
        "haben",
        "kann",
        "können",
        "muss",
        "ich",
        "du",
        "er",
        "sie",
        "es",
        "wir",
        "ihr",
        "mein",
        "meine",
        "mich",
        "mir",
        "sich",
        "nicht",
        "kein",
        "keine",
        "auch",
        "noch",
        "nur",
        "so",
        "es",
        "gibt",
        "the",
        "a",
        "an",
        "of",
        "for",
        "to",
        "in",
        "on",
        "at",
        "is",
        "are",
        "how",
        "what",
        "where",
        "when",
        "who",
        "can",
        "i",
        "my",
        "do",
        "does",
        "and",
        "or",
        *("with", "from", "by", "me", "you", "your", "we", "our", "it", "this", "that"),
        *("there", "any", "some", "be", "near"),
        # The newcomers' languages: question words, prepositions, conjunctions, pronouns.
        *("كيف", "أين", "اين", "ماذا", "متى", "هل", "ما", "في", "من", "إلى", "الى", "على"),
        *("عن", "مع", "أو", "او", "أنا", "انا", "هو", "هي"),
        *("як", "де", "що", "коли", "чи", "для", "із", "на", "до", "від", "та", "або"),
        *("мені", "мій", "моя", "моєї", "про"),
        *("как", "где", "что", "когда", "ли", "от", "или", "мне", "мой", "моей", "моего"),
        *("nasıl", "nerede", "ne", "için", "ile", "ve", "veya", "bir", "ben", "benim"),
        *("mi", "mı", "var", "da"),
        *("چگونه", "چطور", "کجا", "چه", "برای", "در", "به", "از", "با", "یا", "را", "من"),
        *("می", "است", "کنم", "کنید", "هستم", "که"),
    ]
}
# What the searcher wants to do, not what it is about: "Kitaplatz finden" wants every
# Kita-Platz offer, not only those whose text says "finden". Keywords must all be found, so
# these are left out of them; in a question (ranked by all its words) they weigh little and
# stay, and they count as words when telling questions from keywords.
INTENT_WORDS = {
    term(w)
    for w in [
        *("finden", "suchen", "brauchen", "brauche", "benötige", "benötigen", "möchte"),
        *("bekommen", "bekomme", "erhalten"),
        *("find", "need", "want", "get", "looking"),
        *("أحتاج", "احتاج", "أريد", "اريد", "أبحث", "ابحث", "بحاجة", "أجد", "اجد"),
        *("шукаю", "знайти", "потрібен", "потрібна", "потрібно", "хочу", "отримати"),
        *("ищу", "найти", "нужен", "нужна", "нужно", "получить"),
        *("arıyorum", "bulmak", "lazım", "istiyorum", "ihtiyacım", "almak", "bulabilirim"),
        *("میخواهم", "خواهم", "دنبال", "پیدا", "لازم", "نیاز", "دارم"),
    ]
}


_STATS: dict[str, tuple[float, int, float]] = {}
STATS_SECONDS = 60


def _collection_stats(kind: str) -> tuple[int, float]:
    """Number of documents and their average length for BM25, refreshed once a minute per
    process (two full scans per query cost more than the rest at 100,000 documents; BM25
    does not need them exact)."""
    now = time.monotonic()
    cached = _STATS.get(kind)
    if cached and now - cached[0] < STATS_SECONDS:
        return cached[1], cached[2]
    row = SearchDocument.objects.filter(kind=kind).aggregate(n=Count("pk"), s=Sum("length"))
    total = row["n"] or 1
    average = (row["s"] or 1) / total
    _STATS[kind] = (now, total, average)
    return total, average


def stats_forget() -> None:
    """Called by every index write of this process; other processes catch up within a minute."""
    _STATS.clear()


@dataclass
class SearchResult:
    ranked: Ranked = field(default_factory=Ranked)
    did_you_mean: str = ""
    all_words_matched: bool = True
    # A question in natural language (ranked by BM25 over all words, not "every word").
    question: bool = False
    # Meaningful words of the query (stop words left out).
    words: int = 0
    # Every document with any of the words, by score (what the fusion weighs in).
    any_words: Ranked = field(default_factory=Ranked)
    # Only meaningful words ("Deutschkurs Herten"), no question words or "?": a search by
    # keywords rather than a question in natural language.
    keywords: bool = False
    # The index terms the words stood for (themselves, synonyms, compounds, corrections):
    # what a snippet marks ("Wohnug" marks "Wohnung", "Unterkunft" marks "Wohnung").
    terms: frozenset[str] = frozenset()
    # Every word is in the synonym list (or a town's or a language's name), one at least in
    # the list: words the district's editors have given their meaning ("طبيب" is "Arzt").
    listed: bool = False
    # The query's language as the search read it (search_ranked).
    language: str = ""
    # A query in the texts' language whose words no document holds: the results are the
    # model's closest by meaning (shown as such, search_ranked).
    by_meaning: bool = False
    # A town's name among German keywords that no document holds together with the other
    # words, which are found together ("Herten" in "Schuldnerberatung Herten" with no such
    # offer there): the results are the other words' (the offers put the nearest first).
    place_words: str = ""


_synonyms: tuple = (object(), [], {}, {}, {})


def _synonym_groups() -> list[list[str | tuple[str, ...]]]:
    """The synonym groups, each member as its term, or as the tuple of its terms when it has
    several words ("Deutsch lernen" → ("deutsch", "lern"): a phrase); cached per process
    until the `synonyms` token moves."""
    global _synonyms
    token = _tokens.token_read(_tokens.SYNONYMS)
    if _synonyms[0] != token:
        groups = []
        words: dict[str, str] = {}  # a member of one word: its term → as written
        for group in SynonymGroup.objects.all().only("members"):
            members = []
            for member in group.members.split(","):
                meaningful = tuple(dict.fromkeys(t for t in terms(member) if t not in STOPWORDS))
                if len(meaningful) == 1:
                    members.append(meaningful[0])
                    words.setdefault(meaningful[0], member.strip())
                elif meaningful:
                    members.append(meaningful)
            groups.append(members)
        # ... and the typo candidates and each looked-up word's synonyms, filled as searches go.
        _synonyms = (token, groups, words, {}, {})
    return _synonyms[1]


# Words in town names that are words of the language too: "Bad Homburg", "Markt Schwaben",
# "Sankt Augustin" – and whatever follows "am", "an der" ... ("Haltern am See", "Frankfurt am
# Main"). They are not taken as names; neither are words of three letters or fewer.
NAME_PREFIXES = {"bad", "markt", "sankt", "stadt", "gemeinde"}
NAME_QUALIFIERS = {"am", "an", "auf", "bei", "im", "in", "ob", "unter", "vor"}
_provided_cache: dict[str, tuple] = {}


def name_head(name: str) -> list[str]:
    """The words of a name before a qualifier: "Haltern am See" → ["Haltern"]."""
    words = tokens(name)
    for i, word in enumerate(words):
        if fold(word) in NAME_QUALIFIERS:
            return words[:i]
    return words


def _provided(key: str, providers: dict) -> tuple[frozenset[str], frozenset[tuple[str, ...]]]:
    """The terms of the words `providers` give (towns, attribute words), and the names of
    several words as tuples of their meaningful terms ("Castrop-Rauxel": ("castrop",
    "rauxel")). Read again when anything searchable changes: the index, or the offers' data,
    which a town saved without its offers changes too (the few words cost one small query)."""
    token = tuple(_tokens.token_read(name) for name in _tokens.ALL)
    cached = _provided_cache.get(key)
    if cached is None or cached[0] != token:
        found = set()
        phrases = set()
        for provider in providers.values():
            for name in provider():
                for word in name_head(name):
                    if len(word) > 3 and fold(word) not in NAME_PREFIXES:
                        found.add(term(word))
                phrase = tuple(t for t in terms(name) if t not in STOPWORDS)
                if len(phrase) > 1:
                    phrases.add(phrase)
        cached = _provided_cache[key] = (token, frozenset(found), frozenset(phrases))
    return cached[1], cached[2]


def _name_terms() -> frozenset[str]:
    """The terms of the names the documents use (registry.NAME_PROVIDERS: towns)."""
    return _provided("names", NAME_PROVIDERS)[0]


def _attribute_terms() -> frozenset[str]:
    """The terms of attribute words (registry.ATTRIBUTE_PROVIDERS: languages)."""
    return _provided("attributes", ATTRIBUTE_PROVIDERS)[0]


def _synonym_typos(word_term: str, limit: int) -> list[tuple[int, str, str]]:
    """The synonym list's members of one word within `limit` edits of a word, best first
    (`typo_order`): (distance, term, the member as written). Kept with the list, for at most
    TYPO_CACHE words."""
    _synonym_groups()
    words, cache = _synonyms[2], _synonyms[3]
    found = cache.get((word_term, limit))
    if found is None:
        scored = []
        for t, display in words.items():
            distance = edit_distance(word_term, t, limit)
            if t != word_term and distance <= limit:
                scored.append((typo_order(word_term, distance, 0, t), display))
        found = [(order[0], order[-1], display) for order, display in sorted(scored)]
        if len(cache) >= TYPO_CACHE:
            cache.clear()
        cache[(word_term, limit)] = found
    return found


# Letters a word of the synonym list keeps after an Arabic prefix ("طبيب", "شقة": three).
SYNONYM_LETTERS = 2


def _synonym_terms(key: str | tuple[str, ...]) -> frozenset[str | tuple[str, ...]]:
    """The other members of the synonym groups of a word or phrase. A member of several words
    is a phrase, which a document must contain all of: any one of its words alone would find
    whatever mentions "lernen" or "Erwachsene". A word in none of the groups may be one of
    their words after an Arabic article or preposition ("الطبيب", "والمدرسة")."""
    groups = _synonym_groups()
    memo = _synonyms[4]
    found = memo.get(key)
    if found is None:
        found = {m for members in groups if key in members for m in members}
        if not found and isinstance(key, str):
            bases = after_prefixes(key, SYNONYM_LETTERS)
            found = {m for members in groups if any(b in members for b in bases) for m in members}
        found.discard(key)
        if len(memo) >= TYPO_CACHE:
            memo.clear()
        found = memo[key] = frozenset(found)
    return found


def synonyms_of(word_term: str) -> set[str]:
    """The one-word members of the synonym groups of a term, without the term."""
    return {s for s in _synonym_terms(word_term) if isinstance(s, str)}


_phrases_cache: tuple = (None, None, frozenset(), [])


def _phrases() -> tuple[frozenset[tuple[str, ...]], list[int]]:
    """The synonym list's phrases and the names of several words, and their lengths (longest
    first); made again when either changes."""
    global _phrases_cache
    groups, names = _synonym_groups(), _provided("names", NAME_PROVIDERS)[1]
    if _phrases_cache[0] is not groups or _phrases_cache[1] is not names:
        phrases = {m for members in groups for m in members if isinstance(m, tuple)} | names
        sizes = sorted({len(phrase) for phrase in phrases}, reverse=True)
        _phrases_cache = (groups, names, frozenset(phrases), sizes)
    return _phrases_cache[2], _phrases_cache[3]


def _units(word_terms: list[str]) -> list[str | tuple[str, ...]]:
    """The query's words, where consecutive words that form a synonym phrase ("Deutsch
    lernen") are taken together, so that the phrase finds its group ("Deutschkurs" ...), and
    so are the words of a name ("Castrop-Rauxel" is one word of "Kita Castrop-Rauxel")."""
    phrases, sizes = _phrases()
    units: list[str | tuple[str, ...]] = []
    i = 0
    while i < len(word_terms):
        size = next((n for n in sizes if tuple(word_terms[i : i + n]) in phrases), 1)
        units.append(tuple(word_terms[i : i + size]) if size > 1 else word_terms[i])
        i += size
    return units


def _typo_terms(word_term: str, limit: int, kind: str = "") -> list[tuple[str, str]]:
    """The SQL reference of `LexicalSnapshot.typo_candidates`."""
    prefixes, pairs = typo_start_keys(word_term)
    starts = Q()
    for prefix in prefixes:
        starts |= Q(term__startswith=prefix)
    if pairs:
        starts |= Q(second_third__in=pairs)
    terms = SearchTerm.objects.annotate(n=Length("term"), second_third=Substr("term", 2, 2))
    terms = terms.filter(
        n__gte=len(word_term) - limit, n__lte=len(word_term) + limit, document_count__gt=0
    ).filter(starts)
    if kind:  # counted among the kind's documents
        terms = terms.annotate(
            count=Count("postings", filter=Q(postings__document__kind=kind))
        ).filter(count__gt=0)
    else:
        terms = terms.annotate(count=F("document_count"))
    candidates = terms.values_list("term", "count", "display")
    displays = {}
    scored = []
    for t, count, display in candidates:
        distance = edit_distance(word_term, t, limit)
        if distance <= limit:
            scored.append(typo_order(word_term, distance, count, t))
            displays[t] = display
    best = [order[-1] for order in sorted(scored)[:5]]
    return [(t, displays[t] or t) for t in best]


def _typos(
    word_term: str, snap: LexicalSnapshot | None, kind: str = "", *, texts: bool = True
) -> list[tuple[str, str]]:
    """Index terms within one edit (two from eight letters) of a word, best first; with `kind`
    only the terms of that kind's documents.

    The synonym list's words count as known words too, though no text may use them: a word
    of the list that is closer than every index term comes first ("Kindergarden" →
    "Kindergarten", a synonym of "Kita", rather than "Kindergeld"). `texts` False: the
    synonym list's words only (OTHER_LANGUAGE_TYPO_LETTERS)."""
    limit = 1 if len(word_term) < 8 else 2
    if not texts:
        return [(t, display) for _d, t, display in _synonym_typos(word_term, limit)][:5]
    if snap is None:
        found = _typo_terms(word_term, limit, kind)
    else:
        found = snap.typo_candidates(word_term, limit, kind)
    nearest = edit_distance(word_term, found[0][0], limit) if found else limit + 1
    closer = [(t, display) for d, t, display in _synonym_typos(word_term, limit) if d < nearest]
    if not closer:
        return found
    return (closer + [pair for pair in found if pair not in closer])[:5]


def _compounds(
    word_term: str, snap: LexicalSnapshot | None, longer: bool = False, limit: int = COMPOUNDS
) -> list[str]:
    """The `limit` most common terms ending with the term ("kur" → "deutschkur"), or with
    `longer` starting with it ("wohnung" → "wohnungssuch")."""
    if snap is not None:
        if longer:
            return snap.with_prefix(word_term, limit)
        return snap.with_suffix(word_term, limit)
    known = (
        SearchTerm.objects.filter(document_count__gt=0)
        .order_by("-document_count", "pk")
        .values_list("term", flat=True)
    )
    if longer:
        return list(known.filter(term__startswith=word_term)[:limit])
    return list(known.filter(term__endswith=word_term)[:limit])


# What joins the parts of a German compound ("Wohnung-s-suche", "Kind-er-garten"), and the
# short endings that keep a word itself ("Ärzt-in").
LINKS = frozenset({"s", "es", "n", "en", "e", "er"})
SHORT_ENDINGS = LINKS | {"in"}
OTHER_WORD = 3  # letters after which a longer term may have become another word


def _compounds_of_words(
    word_term: str, longer: list[str], snap: LexicalSnapshot | None
) -> list[str]:
    """The longer terms that continue the word, not another word that begins like it: the stem
    "schul" of "Schule" begins "schuld" ("Schulden") and "schuldnerberat". Kept are a short
    ending ("kur" → "kurs", "arzt" → "arztin"), a known term after the word ("deutsch" +
    "kur"), and a longer rest that does not begin with a known term one to three letters
    longer than the word ("schul" + "anmeld"; not "schuld" + "nerberat")."""
    n = len(word_term)
    rests = {
        t: [t[n:]] + [t[n + len(link) :] for link in LINKS if t[n:].startswith(link)]
        for t in longer
    }
    heads = {
        t: [
            t[: n + k]
            for k in range(1, OTHER_WORD + 1)
            if n + k < len(t) - 1 and t[n : n + k] not in LINKS
        ]
        for t in longer
    }
    candidates = {x for parts in [*rests.values(), *heads.values()] for x in parts if x}
    known = _known(candidates, snap)

    def continues(t: str) -> bool:
        if any(r in known for r in rests[t]):
            return True
        if len(t) - n < OTHER_WORD:
            return t[n:] in SHORT_ENDINGS
        return not any(h in known for h in heads[t])

    return [t for t in longer if continues(t)]


def _other_forms(word_term: str) -> list[str]:
    """The word's other stems, which the index may hold. Snowball cuts an -s after some
    consonants ("Kurs" → "kur"), but not when it has cut another ending first ("Kurse" →
    "kurs"): one word, two stems. It leaves the plurals in -s after other letters alone
    ("Kitas", "Tipps", "Apps", "Workshops", English "groups"), and English -ies ("pantries"
    → "pantri" ↔ "pantry"). So: the word without or with a final -s (not -ss), i ↔ y."""
    forms = []
    if len(word_term) > 3 and word_term[-1] == "s" and word_term[-2] != "s":
        forms.append(word_term[:-1])
    elif len(word_term) >= 3 and word_term[-1] != "s":
        forms.append(word_term + "s")
    if len(word_term) > 3 and word_term[-1] in "iy":
        forms.append(word_term[:-1] + ("y" if word_term[-1] == "i" else "i"))
    return forms


def _known(candidates: set[str], snap: LexicalSnapshot | None) -> set[str]:
    """The candidates that are index terms of some document."""
    if snap is not None:
        return {t for t in candidates if snap.index(t) is not None}
    return set(
        SearchTerm.objects.filter(term__in=candidates, document_count__gt=0).values_list(
            "term", flat=True
        )
    )


def _in_kind(candidates: set[str], kind: str, snap: LexicalSnapshot | None) -> set[str]:
    """The candidates that documents of `kind` hold: a word only an info page uses
    ("doctor") is no word of the offers, whose search reads it through the synonym list."""
    if snap is not None:
        index = snap.kinds.get(kind)
        if index is None:
            return set()
        return {t for t in candidates if (i := snap.index(t)) is not None and index.frequency(i)}
    return set(
        SearchPosting.objects.filter(term__term__in=candidates, document__kind=kind)
        .values_list("term__term", flat=True)
        .distinct()
    )


def _kind_counts(
    term_rows: dict[str, int], kind: str, snap: LexicalSnapshot | None
) -> dict[int, int]:
    """Per term (snapshot index or pk) the number of documents of `kind` holding it: BM25's
    document frequency among the documents it ranks. A word of 300 offers is not common among
    20 info pages; counted over both kinds its idf there would even be negative."""
    if snap is not None:
        index = snap.kinds.get(kind)
        return {i: index.frequency(i) if index else 0 for i in term_rows.values()}
    return dict(
        SearchPosting.objects.filter(term_id__in=term_rows.values(), document__kind=kind)
        .values("term_id")
        .annotate(n=Count("pk"))
        .values_list("term_id", "n")
    )


def _found(expansion: dict[str | tuple[str, ...], float], snap: LexicalSnapshot | None) -> bool:
    """Whether some text holds a term of the expansion (all terms of a phrase)."""
    if not expansion:
        return False
    known = _known(
        {t for key in expansion for t in ((key,) if isinstance(key, str) else key)}, snap
    )
    return any(key in known if isinstance(key, str) else known.issuperset(key) for key in expansion)


def _with_other_forms(
    expansion: dict[str | tuple[str, ...], float], snap: LexicalSnapshot | None
) -> dict[str | tuple[str, ...], float]:
    """The expansion with the other stems of each of its terms (`_other_forms`) that the
    index has, at the same confidence: "Sprachkurse" ("sprachkurs") finds "Sprachkurs"
    ("sprachkur"), and a synonym or compound found in the singular finds the plural too."""
    others: dict[str, float] = {}
    for key, confidence in expansion.items():
        if isinstance(key, str):
            for other in _other_forms(key):
                if other not in expansion:
                    others[other] = max(confidence, others.get(other, 0.0))
    for t in sorted(_known(set(others), snap)):
        expansion[t] = others[t]
    return expansion


def _split_compound(surface: str, snap: LexicalSnapshot | None) -> tuple[str, str] | None:
    """The two known terms an unknown compound is made of, with the longest head (German
    compounds end in it): "Kinderarzt" → ("kind", "arzt"), "Elterngeldstelle" →
    ("elterngeld", "stell"); None when no split has two known parts. Known are the index's
    terms and the synonym list's words ("Kinderärztin": "Ärztin")."""
    folded = fold(surface)
    if not (folded.isascii() and folded.isalpha()) or len(folded) > MAX_TOKEN_LENGTH:
        return None
    splits = [
        (term(folded[:i]), term(folded[i:]))
        for i in range(SPLIT_PART, len(folded) - SPLIT_PART + 1)
    ]
    wanted = {t for pair in splits for t in pair if len(t) >= SPLIT_PART and t not in STOPWORDS}
    if not wanted:
        return None
    _synonym_groups()
    known = (wanted & _synonyms[2].keys()) | _known(wanted, snap)
    return next(((m, h) for m, h in splits if m in known and h in known), None)


def _expand(
    word_term: str,
    word_length: int,
    *,
    question: bool = False,
    snap: LexicalSnapshot | None = None,
    surface: str = "",
    german: bool = True,
    synonym_of: str = "",
    kind: str = "",
) -> tuple[dict[str | tuple[str, ...], float], str]:
    """Index terms for one query word with their confidence, and a correction if it was a typo.
    A phrase (several terms a document must all contain) is a tuple of terms.

    In a question (many words) a word that is in the vocabulary means itself: its compounds
    would mostly bring in other topics ("Kosten" → "Betreuungskosten", "Fahrtkosten" ...).
    With a snapshot the vocabulary lookups run in memory, without it in SQL (the reference).
    A query in another language (`german` False) is not taken apart as German compounds:
    English "rent" is not the end of "parent", nor "help with rent" "Grandparent".
    `synonym_of`: the word is expanded as a synonym of that word (once, no further).
    `kind`: the documents searched; a word is in their vocabulary if one of them holds it.
    """
    expansion: dict[str | tuple[str, ...], float] = {}
    forms = [word_term, *_other_forms(word_term)]
    known = _known(set(forms), snap)
    vocabulary = bool(_in_kind(known, kind, snap) if kind and known else known)
    for form in forms:
        if form in known:
            expansion[form] = 1.0
    for form in forms:
        for synonym in _synonym_terms(form):
            expansion.setdefault(synonym, 0.9)
    if not vocabulary and not synonym_of:
        # A word no text has, which the synonym list gives a meaning ("طبيب" in "Arzt, ...,
        # طبيب"), counts as if its synonyms had been typed, compounds included: the texts
        # may hold "Hausarzt" and "Arztbesuch", but not "Arzt".
        for synonym in synonyms_of(word_term):
            meant, _ = _expand(
                synonym,
                len(synonym),
                question=question,
                snap=snap,
                synonym_of=word_term,
                kind=kind,
            )
            for t, confidence in meant.items():
                expansion.setdefault(t, 0.9 * confidence)
    # Compounds and longer forms: "Kurs" (stem "kur") finds "Deutschkurs"; short words would
    # match too much, so the typed word needs four letters. Of many, the most common are
    # taken: they find the most documents.
    # A name (a town) means itself, and is no compound of another word: "Haltern" (stem
    # "halt") is not "Aufenthalt", nor "Haus" "Recklinghausen".
    names = _name_terms()
    if (
        word_length >= 4
        and len(word_term) >= 3
        and not (question and vocabulary)
        and not (vocabulary and word_term in names)
    ):
        # A synonym's compounds: the most common few, for each of the group's words.
        limit = SYNONYM_COMPOUNDS if synonym_of else COMPOUNDS
        heads = _compounds(word_term, snap, limit=limit) if german else []
        longer = _compounds(word_term, snap, longer=True, limit=limit)
        if german:
            longer = _compounds_of_words(word_term, longer, snap)
        for t in heads + longer:
            if t not in names:
                expansion.setdefault(t, 0.7)
    correction = ""
    # A word no text has: a typo, or a compound of known words. A word of the synonym list is
    # no typo, but may be a compound that neither the texts nor its synonyms hold
    # ("Kinderarzt": "Kind" + "Arzt"). A synonym is neither: the list's "Rechtsberatung" for
    # "lawyer" is not "Beratung".
    if not known and len(word_term) >= 4 and not synonym_of and not _found(expansion, snap):
        texts = german or word_length >= OTHER_LANGUAGE_TYPO_LETTERS
        typos = [] if expansion else _typos(word_term, snap, kind, texts=texts)
        if not typos and not expansion and len(word_term) >= 8 and surface:
            # A typo in the last letters can hide a suffix from the stemmer: "Kinderbetreuunf"
            # keeps its ending, while "Kinderbetreuung" is indexed as "kinderbetreu". Without
            # its last letter the word is stemmed again, and comes within reach.
            shorter = term(surface[:-1])
            if len(shorter) >= 4 and shorter != word_term:
                typos = _typos(shorter, snap, kind)
        parts = _split_compound(surface, snap) if surface and german else None
        if parts and not (typos and edit_distance(word_term, typos[0][0], 1) <= 1):
            # A compound of known words that no text uses ("Kinderarzt"): the documents with
            # both parts, then those with its head ("Arzt") or a synonym of it – not a
            # far-fetched typo ("Kindergarten", two edits). The head's own compounds would
            # bring in too much ("Haus": "Rathaus", "Recklinghausen"). A word one edit from a
            # known one is a typo.
            expansion.setdefault(parts, 0.7)
            expansion.setdefault(parts[1], SPLIT_HEAD_CONFIDENCE)
            for synonym in _synonym_terms(parts[1]):
                expansion.setdefault(synonym, SPLIT_HEAD_CONFIDENCE * 0.9)
            return expansion, ""
        for t, _display in typos:
            expansion.setdefault(t, 0.6)
        if typos:
            correction = typos[0][1]
            if surface[:1].isupper():  # "Wohnug" → "Wohnung", as a German noun is written
                correction = correction[:1].upper() + correction[1:]
            # The correction counts as if it had been typed, with its synonyms and compounds
            # ("Aprachkurs" → "sprachkurs" → "berufssprachkurs"), all weighed like a typo.
            best = typos[0][0]
            corrected, _ = _expand(
                best, len(best), question=question, snap=snap, german=german, kind=kind
            )
            for t, confidence in corrected.items():
                expansion.setdefault(t, 0.6 * confidence)
    return expansion, correction


def _expand_word(
    word_term: str,
    word_length: int,
    *,
    question: bool,
    snap: LexicalSnapshot | None,
    surface: str,
    german: bool,
    kind: str,
) -> tuple[dict[str | tuple[str, ...], float], str]:
    """`_expand` for a word of the query, kept with the snapshot whose vocabulary it read
    (and by the tokens of the synonym list and the names it reads too): searches repeat their
    words, and a word's synonyms, compounds and typos take a tenth of a millisecond."""

    def expand():
        return _expand(
            word_term,
            word_length,
            question=question,
            snap=snap,
            surface=surface,
            german=german,
            kind=kind,
        )

    if snap is None:
        return expand()
    key = (
        (word_term, word_length, question, surface, german, kind),
        tuple(_tokens.token_read(name) for name in _tokens.ALL),
    )
    found = snap.expansions.get(key)
    if found is None:
        found = expand()
        if len(snap.expansions) >= TYPO_CACHE:
            snap.expansions.clear()
        snap.expansions[key] = found
    expansion, correction = found
    return dict(expansion), correction  # the caller adds to it


def _bm25_rows(
    kind: str,
    factors: list[tuple[int, int, float]],
    average: float,
    *,
    limit: int,
    coverage_first: bool,
    phrases: list[tuple[tuple[int, ...], int, tuple[float, ...]]] = (),
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """BM25 in SQL: per document the best expansion of each word, summed over the words.
    The object ids, their scores and how many words each has (as `LexicalSnapshot.bm25`).

    An expansion is a term or a phrase (terms a document must all contain, scored by the
    mean of theirs). Only numbers computed here (term ids, word numbers, factors, BM25
    constants) are written into the statement; the kind and the limit are parameters. The
    same SQL runs on SQLite and PostgreSQL; posting lists of common words no longer travel
    into Python.
    """
    parts = [((term_id,), word, (factor,)) for term_id, word, factor in factors]
    parts += list(phrases)
    expansion_rows = " UNION ALL ".join(
        f"SELECT {term_id} AS term_id, {word} AS word, {number} AS part, "
        f"{len(term_ids)} AS size, {factor!r} AS factor"
        for number, (term_ids, word, weights) in enumerate(parts)
        for term_id, factor in zip(term_ids, weights, strict=True)
    )
    norm = f"{K1!r} * (1 - {B!r} + {B!r} * d.length / {float(average)!r})"
    order = "words DESC, score DESC" if coverage_first else "score DESC"
    sql = f"""
        SELECT d2.object_id, SUM(w.best) AS score, COUNT(*) AS words
        FROM (
            SELECT v.document_id AS document_id, v.word AS word, MAX(v.value) AS best
            FROM (
                SELECT p.document_id AS document_id, x.word AS word, x.part AS part,
                       SUM(x.factor * p.weight * {K1 + 1!r} / (p.weight + {norm}))
                           / MAX(x.size) AS value
                FROM search_searchposting p
                JOIN ({expansion_rows}) x ON x.term_id = p.term_id
                JOIN search_searchdocument d ON d.id = p.document_id
                WHERE d.kind = %s
                GROUP BY p.document_id, x.word, x.part
                HAVING COUNT(*) = MAX(x.size)
            ) v
            GROUP BY v.document_id, v.word
        ) w
        JOIN search_searchdocument d2 ON d2.id = w.document_id
        GROUP BY d2.object_id
        ORDER BY {order}, d2.object_id
        LIMIT %s
    """  # noqa: S608 - numbers only, see the docstring
    with connection.cursor() as cursor:
        cursor.execute(sql, [kind, limit])
        rows = cursor.fetchall()
    return (
        id_array(row[0] for row in rows),
        np.array([float(row[1]) for row in rows], dtype=np.float64),
        np.array([int(row[2]) for row in rows], dtype=np.int64),
    )


def _joined(
    words: list[str], snap: LexicalSnapshot | None
) -> tuple[list[str], dict[str, tuple[str, str]]]:
    """The query's words, where two neighbours that are one German word written apart
    ("Kinder Garten", "Haus Aufgaben", "Sprach Kurs") are taken as that word: the texts or
    the synonym list know the compound. Not with a stopword, a town's name or an attribute
    word (those are filters), nor with words of under three letters. Also the terms of each
    joined word's two parts: it finds the texts with both as well ("Take Off!" is a name).
    """
    if len(words) < 2:
        return words, {}
    names = _name_terms() | _attribute_terms()

    def part(word: str) -> bool:
        folded = fold(word)
        return (
            len(folded) >= 3
            and folded.isascii()
            and folded.isalpha()
            and term(word) not in STOPWORDS
            and term(word) not in names
        )

    pairs = {
        i: term(words[i] + words[i + 1].lower())
        for i in range(len(words) - 1)
        if part(words[i]) and part(words[i + 1])
    }
    if not pairs:
        return words, {}
    _synonym_groups()
    compounds = set(pairs.values())
    known = (compounds & _synonyms[2].keys()) | _known(compounds, snap)
    joined: list[str] = []
    parts: dict[str, tuple[str, str]] = {}
    i = 0
    while i < len(words):
        if pairs.get(i) in known and pairs[i] not in names:
            joined.append(words[i] + words[i + 1].lower())
            parts[pairs[i]] = (term(words[i]), term(words[i + 1]))
            i += 2
        else:
            joined.append(words[i])
            i += 1
    return joined, parts


def _read_as_keywords(word_terms: list[str], meaningful: list[str]) -> bool:
    """Whether the words are keywords rather than a phrase: no stopwords, except one next
    to a town's name or an attribute word ("Deutschkurs in Herten" is "Deutschkurs Herten",
    "Beratung auf Arabisch" "Beratung Arabisch"; "Hilfe bei der Bewerbung" is a phrase)."""
    if len(meaningful) == len(word_terms):
        return True
    names = _name_terms() | _attribute_terms()
    return all(
        t not in STOPWORDS
        or (i > 0 and word_terms[i - 1] in names)
        or (i + 1 < len(word_terms) and word_terms[i + 1] in names)
        for i, t in enumerate(word_terms)
    )


def lexical_ranked(
    *,
    kind: str,
    query: str,
    limit: int = MAX_RESULTS,
    require_all: bool | None = None,
    engine: str | None = None,
    german: bool = True,
) -> SearchResult:
    """Object ids of `kind` ranked by full text (BM25), with a "did you mean" when useful.

    Short queries ("Deutschkurs Herten") want documents with every word. Questions in natural
    language (QUESTION_WORDS meaningful words or more) rarely share all their words with the
    answer: they are ranked by BM25 over all words (`require_all` overrides the choice).

    `engine` "memory" (default, LEXICAL_ENGINE) ranks on the in-memory snapshot, "sql" in the
    database (the reference the snapshot is tested against). `german` False: the words are
    of another language, not German compounds (`_expand`).
    """
    snap = _snapshot.current() if (engine or LEXICAL_ENGINE) == "memory" else None
    words = tokens(query)[: MAX_WORDS * 2]
    written_apart: dict[str, tuple[str, str]] = {}
    if german:
        words, written_apart = _joined(words, snap)
    lengths: dict[str, int] = {}
    originals: dict[str, str] = {}
    for w in words:
        if len(w) > 1 or w.isdigit():
            lengths[term(w)] = max(lengths.get(term(w), 0), len(fold(w)))
            originals.setdefault(term(w), w)
    word_terms = list(lengths)
    meaningful = [t for t in word_terms if t not in STOPWORDS] or word_terms
    if require_all is None:
        require_all = len(meaningful) < QUESTION_WORDS
    keywords = _read_as_keywords(word_terms, meaningful) and "?" not in query
    if require_all:
        meaningful = [t for t in meaningful if t not in INTENT_WORDS] or meaningful
    meaningful = meaningful[:MAX_WORDS]
    if not meaningful:
        return SearchResult()
    expansions = []
    corrections = []
    typed = []
    read: list[str | tuple[str, ...]] = []  # each unit as the search read it (corrected)
    for unit in _units(meaningful):
        if isinstance(unit, tuple):  # a synonym phrase: itself and its group
            expansion: dict[str | tuple[str, ...], float] = {unit: 1.0}
            for synonym in _synonym_terms(unit):
                expansion.setdefault(synonym, 0.9)
            typed.append(" ".join(originals[t] for t in unit))
            correction = ""
        else:
            expansion, correction = _expand_word(
                unit,
                lengths[unit],
                question=not require_all,
                snap=snap,
                surface=originals[unit],
                german=german,
                kind=kind,
            )
            if unit in written_apart:
                expansion.setdefault(written_apart[unit], 1.0)
            typed.append(originals[unit])
        expansions.append(_with_other_forms(expansion, snap))
        corrections.append(correction or typed[-1])
        read.append(term(correction) if correction else unit)
    all_terms = {
        t for e in expansions for key in e for t in ((key,) if isinstance(key, str) else key)
    }
    if not all_terms:
        return SearchResult()
    if snap is not None:
        term_rows = {t: i for t in all_terms if (i := snap.index(t)) is not None}
        kind_index = snap.kinds.get(kind)
        total = kind_index.total if kind_index else 1
        average = kind_index.average if kind_index else 1.0
    else:
        term_rows = dict(SearchTerm.objects.filter(term__in=all_terms).values_list("term", "pk"))
        total, average = _collection_stats(kind)
    document_counts = _kind_counts(term_rows, kind, snap)

    def factor(term_id: int, confidence: float) -> float:
        df = document_counts.get(term_id, 0)
        return float(confidence * math.log(1 + (total - df + 0.5) / (df + 0.5)))

    # (term id, word number, confidence × idf) for every expansion of every word, and for
    # phrases (term ids, word number, confidence × idf per term).
    factors: list[tuple[int, int, float]] = []
    phrases: list[tuple[tuple[int, ...], int, tuple[float, ...]]] = []
    for word_number, expansion in enumerate(expansions):
        for key, confidence in expansion.items():
            if isinstance(key, tuple):
                ids = [term_rows.get(t) for t in key]
                if None not in ids:  # a word no document has: the phrase finds nothing
                    weights = tuple(factor(int(i), confidence) for i in ids)
                    phrases.append((tuple(int(i) for i in ids), word_number, weights))
                continue
            term_id = term_rows.get(key)
            if term_id is not None:
                factors.append((int(term_id), word_number, factor(term_id, confidence)))
    if not factors and not phrases:
        ranked, any_words, complete = Ranked(), Ranked(), False
    else:
        if snap is not None:
            rows = snap.bm25(
                kind,
                factors,
                average,
                words=len(expansions),
                limit=limit,
                coverage_first=require_all,
                k1=K1,
                b=B,
                phrases=phrases,
            )
        else:
            rows = _bm25_rows(
                kind, factors, average, limit=limit, coverage_first=require_all, phrases=phrases
            )
        object_ids, scores, covered = rows
        complete = bool(covered.size) and int(covered[0]) == len(expansions)
        ranked = Ranked(object_ids, scores)
        # Without coverage_first, or with one word, the rows are already by score.
        any_words = ranked.sorted() if require_all and len(expansions) > 1 else ranked
        if require_all and complete:  # the documents with every word come first
            ranked = ranked[: int(np.count_nonzero(covered == len(expansions)))]
    did_you_mean = ""
    if corrections != typed:
        did_you_mean = " ".join(corrections)
    return SearchResult(
        ranked=ranked,
        did_you_mean=did_you_mean,
        all_words_matched=complete,
        question=not require_all,
        words=len(expansions),
        any_words=any_words,
        keywords=keywords,
        terms=frozenset(all_terms),
        listed=_listed(read),
    )


def _listed(units: list[str | tuple[str, ...]]) -> bool:
    """Whether every unit is a member of a synonym group or a name, one at least a member. A
    unit counts as the search corrected it: an inflected form one or two letters from a word
    of the list ("квартиру", "okula") is read as that word."""
    members = [bool(_synonym_terms(unit)) for unit in units]
    if not any(members):
        return False
    names, attributes = _name_terms(), _attribute_terms()
    return all(
        member or unit in names or unit in attributes
        for member, unit in zip(members, units, strict=True)
    )


# Fusion of full text and embeddings (ADR 0009) ----------------------------------------------

SEMANTIC_CANDIDATES = 100
# A document's fused score is its similarity to the query (cosine scale, ADR 0009) plus this
# share of its full-text score relative to the best full-text score of the query: words found
# literally break ties between passages that the model finds equally close, and lift exact
# names and terms the model does not know.
LEXICAL_SHARE = 0.02
# Queries in other languages share few words with German texts (names, abbreviations): their
# word matches are weighed in more lightly.
LEXICAL_SHARE_OTHER = 0.01
# Words of another language that the synonym list gives a meaning: the model reads single
# foreign words poorly, the editors' word for them decides the order ("kreş" put a
# "Digitalsprechstunde" that mentions a Kita app before the Kita advice).
LEXICAL_SHARE_LISTED = 0.5
# Below this cosine similarity a passage is not taken as an answer on its own (nonsense queries
# still come close to something); documents that also match the words are kept regardless.
SEMANTIC_FLOOR = 0.80
# Queries in other languages meet German passages at lower similarities (0.75-0.80 for good
# answers in Arabic or Farsi): their floor is lower, the margin to the best passage decides.
SEMANTIC_FLOOR_OTHER = 0.70
SEMANTIC_MARGIN_OTHER = 1.0  # off: measured, a margin cost English questions 0.04 Recall@5
SEMANTIC_MARGIN = 0.05
# A query in German of which no document holds a word, not even by a typo, a synonym or a
# compound part ("Zahnarzt", "Tierarzt", "asdfghjkl" among the demo offers): the model alone
# answers, and for such a word nearly every document is within 0.05 of the best (all 100
# candidates, 0.80-0.85). Only the closest few are kept (1-26 for eleven such words), shown
# as found by meaning. No German query of the benchmarks is of this kind.
SEMANTIC_MARGIN_BY_MEANING = 0.01


def fuse(
    lexical: "Ranked | list[tuple[str, float]]",
    semantic: "Ranked | list[tuple[str, float]]",
    *,
    lexical_share: float = LEXICAL_SHARE,
    floor: float = SEMANTIC_FLOOR,
    margin: float = SEMANTIC_MARGIN,
) -> Ranked:
    """Combine the two rankings by score: similarity + share × relative full-text score.

    A document found only by the model must be close to the query in absolute terms (`floor`)
    and compared with the best passage (`margin`): on a small index every document is
    "nearest" to something. A document found only by its words takes the similarity of the
    last semantic candidate (it is at most that close, or it would be a candidate). The
    result is by score, ties by object id.
    """
    lexical, semantic = Ranked.of(lexical), Ranked.of(semantic)
    best = float(lexical.scores.max()) if len(lexical) else 0.0
    relative = lexical.scores / best if best > 0 else np.zeros(len(lexical))
    similarities = semantic.scores
    threshold = max(floor, float(similarities[0]) - margin) if len(semantic) else 0.0
    imputed = float(similarities[-1]) if len(semantic) else 0.0
    lexical_ids, semantic_ids = same_kind(lexical.ids, semantic.ids)
    at = positions_in(lexical_ids, semantic_ids)
    close = (similarities >= threshold) | (at >= 0)
    only_words = np.ones(len(lexical), dtype=bool)
    only_words[at[at >= 0]] = False
    # Position -1 (not found by its words) reads the appended 0.
    words_of_close = np.append(relative, 0.0)[at[close]]
    fused = Ranked(
        np.concatenate([lexical_ids[only_words], semantic_ids[close]]),
        np.concatenate(
            [
                imputed + lexical_share * relative[only_words],
                similarities[close] + lexical_share * words_of_close,
            ]
        ),
    )
    return fused.sorted()


# Words German and English share ("in", "am"): no evidence of either language.
SHARED_WORDS = frozenset({"in", "an", "am", "so"})


def _detected_language(query: str) -> str:
    """The query's language, told by the words that say something about it: not towns'
    names nor the words German and English share ("Kita in Marl" was taken for English)."""
    names = _name_terms()
    words = [w for w in tokens(query) if fold(w) not in SHARED_WORDS and term(w) not in names]
    return embeddings.query_language(" ".join(words) + ("?" if "?" in query else ""))


# Up to this many words, a query whose words the texts use is read in the texts' language.
FEW_WORDS = 2


def _words_of_the_texts(query: str, kind: str) -> bool:
    """Whether the query is at most FEW_WORDS words (stopwords aside), each as typed a word
    of the texts of `kind`."""
    typed = [term(w) for w in tokens(query) if len(w) > 1]
    meaningful = {t for t in typed if t not in STOPWORDS}
    if not meaningful or len(meaningful) > FEW_WORDS:
        return False
    snap = _snapshot.current() if LEXICAL_ENGINE == "memory" else None
    return _in_kind(meaningful, kind, snap) == meaningful


def search_ranked(
    *, kind: str, query: str, limit: int = MAX_RESULTS, semantic: bool = True
) -> SearchResult:
    """Object ids of `kind` ranked for `query` (best first): full text fused with embeddings.

    Without the model or without vectors for `kind`, this is the full-text ranking alone.
    """
    language = _detected_language(query)
    spoken = {code for code, _name in settings.LANGUAGES}
    other = language in spoken and language != settings.LANGUAGE_CODE
    # German compounds are in Latin script; in Arabic script the same matching finds a word
    # with its article ("كتاب" in "الكتاب"), so only Latin-script words are left whole.
    latin = all(fold(word).isascii() for word in tokens(query))
    if other and latin and _words_of_the_texts(query, kind):
        # One or two words the texts of the kind use, taken for another language: the
        # detector guesses on a single word ("Kaution" is English to it, 0.56).
        other, language = False, settings.LANGUAGE_CODE
    result = lexical_ranked(kind=kind, query=query, limit=limit, german=not (other and latin))
    # A town's name the other words are found without (they are, together: the results).
    place_words = _narrow_by_names(kind, query, result, limit) if not other else ""
    if not other and result.ranked and result.all_words_matched:
        # A language the platform does not speak, in words the index has ("Hebamme" was
        # taken for Latin): the index's language misread.
        language = settings.LANGUAGE_CODE
    result.language = language
    german_keywords = language == "de" and result.keywords and result.words <= KEYWORD_WORDS
    result.place_words = place_words = place_words if german_keywords else ""
    if not semantic or not query.strip() or not embeddings.has_vectors(kind):
        return result
    lexical = result.any_words
    by_meaning = language == settings.LANGUAGE_CODE and not lexical
    share = LEXICAL_SHARE if language == "de" else LEXICAL_SHARE_OTHER
    listed = other and result.listed
    latent_terms = language != settings.LANGUAGE_CODE
    if (result.all_words_matched or place_words) and (german_keywords or listed):
        # German keywords with exact matches ("Deutschkurs Herten"): those are the results;
        # the model only orders them (each scored exactly: no search over every document). A
        # short question ("Was kostet ein Integrationskurs?") is not restricted to its words.
        # So are words of another language that the synonym list gives a meaning ("طبيب" in
        # "Arzt, Ärztin ..., طبيب"): the model alone reads single words of other languages
        # poorly ("doktor" found "Digitalsprechstunde" first).
        lexical = result.ranked
        similar = embeddings.similarities_of(
            kind=kind,
            query=query,
            object_ids=lexical.ids,
            latent_terms=latent_terms,
        )
        if listed:
            share = LEXICAL_SHARE_LISTED
    else:
        similar = embeddings.semantic_ranking(
            kind=kind, query=query, limit=SEMANTIC_CANDIDATES, latent_terms=latent_terms
        )
    if not similar:
        return result
    if by_meaning:
        margin = SEMANTIC_MARGIN_BY_MEANING
    else:
        margin = SEMANTIC_MARGIN if language == "de" else SEMANTIC_MARGIN_OTHER
    fused = fuse(
        lexical,
        similar,
        lexical_share=share,
        floor=SEMANTIC_FLOOR if language == "de" else SEMANTIC_FLOOR_OTHER,
        margin=margin,
    )
    return SearchResult(
        ranked=fused[:limit],
        did_you_mean=result.did_you_mean if language == "de" else "",
        all_words_matched=result.all_words_matched,
        question=result.question,
        words=result.words,
        terms=result.terms,
        listed=result.listed,
        language=language,
        by_meaning=by_meaning and bool(fused),
        place_words=place_words,
    )


def _narrow_by_names(kind: str, query: str, result: SearchResult, limit: int) -> str:
    """A town's name narrows the other words, it does not widen them. Where no document holds
    every word ("Schuldnerberatung Herten" with no such offer in Herten), only the documents
    the other words find alone stay in `result` (the demo's offers in Herten were among 72
    results for that query, now 14); they keep their order, the name still counting in it.
    The name's words when the other words were all found together, else ""."""
    if result.all_words_matched or not result.any_words:
        return ""
    names = _name_terms()
    words = tokens(query)
    named = [word for word in words if term(word) in names]
    others = [word for word in words if word not in named]
    if not named or not others:
        return ""
    holding = lexical_ranked(kind=kind, query=" ".join(others), limit=limit)
    if not holding.any_words:
        return ""
    # The other words as they would find alone: together where they are found together.
    found = holding.ranked if holding.all_words_matched else holding.any_words
    result.any_words = result.any_words.where(np.isin(result.any_words.ids, found.ids))
    result.ranked = result.ranked.where(np.isin(result.ranked.ids, found.ids))
    return " ".join(named) if holding.all_words_matched else ""


# Ranked ids in SQL -------------------------------------------------------------------------


def ids_subquery(ids: list[int]) -> RawSQL:
    """For `pk__in=`: the ranked ids as ONE parameter (a JSON or array value), not one
    parameter per id – building and sending long IN lists dominated the time of a search
    with facets (a dozen queries share the same ids)."""
    ids = [int(i) for i in ids]
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])


def rank_position(ids: list[int], *, table: str, missing: int) -> RawSQL:
    """An annotation: the position of the row's id in `ids` (0 = best), `missing` if absent."""
    ids = [int(i) for i in ids]
    column = f'{connection.ops.quote_name(table)}."id"'
    # Only the quoted table name of a model is formatted in; the ids are parameters.
    if connection.vendor == "postgresql":
        return RawSQL(  # noqa: S611
            f"COALESCE(array_position(%s::bigint[], {column}) - 1, %s)",
            [ids, missing],
            output_field=IntegerField(),
        )
    return RawSQL(  # noqa: S611
        f"COALESCE((SELECT key FROM json_each(%s) WHERE value = {column}), %s)",  # noqa: S608
        [json.dumps(ids), missing],
        output_field=IntegerField(),
    )


# Readiness (`/readyz`) -------------------------------------------------------------------------


def search_index_check():
    """The search index's readiness: its tables answer, with its size and the embedding
    backlog (passages still without vectors or latent terms; `manage.py embed` and the
    after-commit thread work it off). Counts only: `/readyz` is public."""
    from wegweiser.ops.health import OK, CheckResult

    from .models import SearchPassage

    documents = dict(SearchDocument.objects.order_by().values_list("kind").annotate(n=Count("pk")))
    detail = {
        "documents": documents,
        "passages_without_vectors": SearchPassage.objects.filter(vector__isnull=True).count(),
    }
    if getattr(settings, "SEARCH_LATENT_TERMS", True):
        detail["passages_without_terms"] = SearchPassage.objects.filter(terms__isnull=True).count()
    return CheckResult(OK, detail)
