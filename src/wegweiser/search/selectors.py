"""Queries against the index: ranked matches with stemming, compounds, synonyms and typos.

Each query word becomes a set of index terms with a confidence: the word itself (1.0), its
synonyms (0.9), compounds that contain it ("Kurs" → "Deutschkurs", 0.7) and, when the word is
not in the vocabulary at all, the terms within edit distance 1–2 (typos, 0.6). Documents must
match every word; when none does, the best partial matches are returned (natural questions).
Scores are BM25 over term weights (title terms weigh more).
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum
from django.db.models.functions import Length

from .models import SearchDocument, SearchPosting, SearchTerm, SynonymGroup
from .text import edit_distance, fold, term, terms, tokens

K1 = 1.2
B = 0.75
MAX_WORDS = 10
MAX_RESULTS = 1000
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
    ]
}


@dataclass
class SearchResult:
    ranked: list[tuple[str, float]] = field(default_factory=list)
    did_you_mean: str = ""
    all_words_matched: bool = True


def _synonym_terms(word_term: str) -> set[str]:
    found: set[str] = set()
    for group in SynonymGroup.objects.all().only("members"):
        members = [m.strip() for m in group.members.split(",") if m.strip()]
        member_terms = [terms(m) for m in members]
        if any(mt == [word_term] for mt in member_terms):
            for mt in member_terms:
                found.update(t for t in mt if t not in STOPWORDS)
    found.discard(word_term)
    return found


def _typo_terms(word_term: str) -> list[tuple[str, str]]:
    limit = 1 if len(word_term) < 8 else 2
    candidates = (
        SearchTerm.objects.annotate(n=Length("term"))
        .filter(n__gte=len(word_term) - limit, n__lte=len(word_term) + limit, document_count__gt=0)
        .filter(term__startswith=word_term[0])
        .values_list("term", "document_count", "display")
    )
    scored = [
        (edit_distance(word_term, t, limit), -count, t, display) for t, count, display in candidates
    ]
    best = sorted(s for s in scored if s[0] <= limit)
    return [(t, display or t) for _d, _c, t, display in best[:5]]


def _expand(word_term: str, word_length: int) -> tuple[dict[str, float], str]:
    """Index terms for one query word with their confidence, and a correction if it was a typo."""
    expansion: dict[str, float] = {}
    vocabulary = dict(
        SearchTerm.objects.filter(term=word_term, document_count__gt=0).values_list("term", "pk")
    )
    if vocabulary:
        expansion[word_term] = 1.0
    for synonym in _synonym_terms(word_term):
        expansion.setdefault(synonym, 0.9)
    # Compounds and longer forms: "Kurs" (stem "kur") finds "Deutschkurs"; short words would
    # match too much, so the typed word needs four letters.
    if word_length >= 4 and len(word_term) >= 3:
        compounds = SearchTerm.objects.filter(document_count__gt=0).filter(term__endswith=word_term)
        prefixed = SearchTerm.objects.filter(document_count__gt=0).filter(
            term__startswith=word_term
        )
        for t in list(compounds.values_list("term", flat=True)[:50]) + list(
            prefixed.values_list("term", flat=True)[:50]
        ):
            expansion.setdefault(t, 0.7)
    correction = ""
    if not expansion and len(word_term) >= 4:
        typos = _typo_terms(word_term)
        for t, _display in typos:
            expansion.setdefault(t, 0.6)
        if typos:
            correction = typos[0][1]
    return expansion, correction


def search_ranked(*, kind: str, query: str, limit: int = MAX_RESULTS) -> SearchResult:
    """Object ids of `kind` ranked for `query` (best first), with a "did you mean" when useful."""
    words = tokens(query)[: MAX_WORDS * 2]
    lengths: dict[str, int] = {}
    originals: dict[str, str] = {}
    for w in words:
        if len(w) > 1 or w.isdigit():
            lengths[term(w)] = max(lengths.get(term(w), 0), len(fold(w)))
            originals.setdefault(term(w), w)
    word_terms = list(lengths)
    meaningful = [t for t in word_terms if t not in STOPWORDS] or word_terms
    meaningful = meaningful[:MAX_WORDS]
    if not meaningful:
        return SearchResult()
    expansions = []
    corrections = []
    for word_term in meaningful:
        expansion, correction = _expand(word_term, lengths[word_term])
        expansions.append(expansion)
        corrections.append(correction or originals[word_term])
    all_terms = {t for e in expansions for t in e}
    if not all_terms:
        return SearchResult()
    term_rows = dict(SearchTerm.objects.filter(term__in=all_terms).values_list("term", "pk"))
    document_counts = dict(
        SearchTerm.objects.filter(term__in=all_terms).values_list("pk", "document_count")
    )
    total = SearchDocument.objects.filter(kind=kind).count() or 1
    average = (
        SearchDocument.objects.filter(kind=kind).aggregate(s=Sum("length"))["s"] or 1
    ) / total
    postings = SearchPosting.objects.filter(
        term_id__in=term_rows.values(), document__kind=kind
    ).values_list("term_id", "document_id", "weight", "document__length", "document__object_id")
    by_term: dict[int, list[tuple[int, int, int, str]]] = defaultdict(list)
    for term_id, document_id, weight, length, object_id in postings:
        by_term[term_id].append((document_id, weight, length, object_id))
    scores: dict[str, float] = defaultdict(float)
    matched_words: dict[str, int] = defaultdict(int)
    for expansion in expansions:
        best: dict[str, float] = {}
        for t, confidence in expansion.items():
            term_id = term_rows.get(t)
            if term_id is None:
                continue
            df = document_counts.get(term_id, 0)
            idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
            for _document_id, weight, length, object_id in by_term.get(term_id, []):
                tf = weight * (K1 + 1) / (weight + K1 * (1 - B + B * length / average))
                best[object_id] = max(best.get(object_id, 0.0), confidence * idf * tf)
        for object_id, value in best.items():
            scores[object_id] += value
            matched_words[object_id] += 1
    complete = {o: s for o, s in scores.items() if matched_words[o] == len(expansions)}
    pool = complete or scores
    ranked = sorted(
        pool.items(), key=lambda item: (-item[1] - 10 * matched_words[item[0]], item[0])
    )[:limit]
    did_you_mean = ""
    if any(c != originals[t] for c, t in zip(corrections, meaningful, strict=True)):
        did_you_mean = " ".join(corrections)
    return SearchResult(ranked=ranked, did_you_mean=did_you_mean, all_words_matched=bool(complete))


def suggest_titles(*, kind: str, prefix: str, limit: int = 8) -> list[str]:
    """Autocomplete: titles of documents with a word starting like the typed text."""
    text = " ".join(prefix.split())[:60]
    if len(text) < 2:
        return []
    titles = (
        SearchDocument.objects.filter(kind=kind, title__icontains=text)
        .order_by("title")
        .values_list("title", flat=True)
        .distinct()[:limit]
    )
    return list(titles)
