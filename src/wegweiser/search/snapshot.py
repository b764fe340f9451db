"""An in-memory snapshot of the full-text index, for ranking without SQL (ADR 0004, addendum).

The tables (SearchDocument, SearchTerm, SearchPosting) stay the transactional source of truth.
Each process keeps numpy arrays built from them: per kind the documents (object ids, lengths)
and the postings in CSR form (term → document indices, weights); the vocabulary sorted, so
that exact, prefix, suffix (compound) and typo lookups need no query. The snapshot is rebuilt
when the `lexical` change token moved (one cheap query per search; see tokens.py).
"""

import bisect
import functools
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from django.db import connection
from django.utils import timezone

from . import tokens
from .models import SearchTerm
from .ranked import id_array
from .text import edit_distance, typo_order, typo_start_keys

CHUNK = 200_000
# Postings whose saturated term frequency a kind keeps (8 bytes each: 8 MB at most).
SATURATION_CACHE = 1_000_000
# Documents of words with several expansions whose best value a kind keeps (12 bytes each).
WORD_CACHE = 1_000_000
TYPO_CACHE = 10_000
_NO_ROWS = (id_array([]), np.zeros(0), np.zeros(0, dtype=np.int16))


@dataclass
class KindIndex:
    db_ids: np.ndarray  # SearchDocument pk per document
    object_ids: np.ndarray  # text array (search/ranked.py)
    lengths: np.ndarray  # float64 per document
    order_rank: np.ndarray  # position of each document when sorted by object id (as text)
    indptr: np.ndarray  # CSR over the vocabulary (sorted terms)
    documents: np.ndarray  # int32 document indices
    weights: np.ndarray  # uint16 posting weights (occurrences, title ×3)
    _norm: tuple | None = field(default=None, repr=False, compare=False)
    _saturation: dict = field(default_factory=dict, repr=False, compare=False)
    # Per word with several expansions (its terms and factors): its documents and their best
    # values, up to WORD_CACHE documents in all.
    _words: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def total(self) -> int:
        return len(self.object_ids) or 1

    @functools.cached_property
    def average(self) -> float:
        # A snapshot's lengths never change (a new build makes a new KindIndex).
        return (float(self.lengths.sum()) or 1.0) / self.total

    def frequency(self, term_index: int) -> int:
        """How many of the kind's documents hold the term (BM25's document frequency)."""
        return int(self.indptr[term_index + 1] - self.indptr[term_index])

    def norm(self, k1: float, b: float, average: float) -> np.ndarray:
        """BM25's length normalisation per document (kept for the last parameters)."""
        key = (k1, b, average)
        if self._norm is None or self._norm[0] != key:
            self._norm = (key, k1 * ((1 - b) + (b * self.lengths) / float(average)))
        return self._norm[1]

    def saturation(self, term_index: int, k1: float, b: float, average: float) -> np.ndarray:
        """BM25's saturated term frequency of each posting of a term, before its idf:
        weight × (k1 + 1) / (weight + norm). Kept per term, up to SATURATION_CACHE values in
        all: a search's common words come back in most searches (and every typo, synonym and
        compound of them), and computing it is most of ranking a word."""
        key = (term_index, k1, b, average)
        cached = self._saturation.get(key)
        if cached is None:
            start, end = self.indptr[term_index], self.indptr[term_index + 1]
            weight = self.weights[start:end]
            norm = self.norm(k1, b, average)[self.documents[start:end]]
            cached = weight * (k1 + 1) / (weight + norm)
            # A list first: another thread of the worker may add a term meanwhile.
            held = sum(len(values) for values in list(self._saturation.values()))
            if held + len(cached) > SATURATION_CACHE:
                self._saturation.clear()
            self._saturation[key] = cached
        return cached


@dataclass
class LexicalSnapshot:
    token: int | None
    terms: list[str]  # sorted, only terms with document_count > 0
    pks: np.ndarray  # SearchTerm pk per term
    counts: np.ndarray  # document_count per term
    lengths: np.ndarray  # len(term)
    reversed_terms: list[str]  # sorted reversed terms, for suffix lookups
    reversed_index: np.ndarray  # term index of each reversed term
    kinds: dict[str, KindIndex] = field(default_factory=dict)
    built_seconds: float = 0.0
    # When the build started reading (wall clock) and whether the next build may start from
    # this one (not when built inside a transaction: it may hold data that is rolled back).
    started_at: datetime | None = None
    reusable: bool = False
    # How the postings were obtained: "full" (all from the database) or "delta".
    source: str = "full"
    # Typo candidates per (word, edit limit): the same unknown words come back, and the
    # vocabulary of a snapshot never changes (TYPO_CACHE entries at most).
    _typos: dict = field(default_factory=dict, repr=False, compare=False)
    # Query words' expansions (search.selectors._expand), TYPO_CACHE entries at most.
    expansions: dict = field(default_factory=dict, repr=False, compare=False)

    def index(self, term: str) -> int | None:
        i = bisect.bisect_left(self.terms, term)
        return i if i < len(self.terms) and self.terms[i] == term else None

    def _most_common(self, indices, limit: int) -> list[str]:
        """The `limit` terms in most documents (ties by id), like the SQL reference."""
        indices = np.asarray(indices, dtype=np.int64)
        order = np.lexsort((self.pks[indices], -self.counts[indices]))
        return [self.terms[i] for i in indices[order[:limit]].tolist()]

    def with_prefix(self, prefix: str, limit: int) -> list[str]:
        """The most common terms starting with `prefix`."""
        start = bisect.bisect_left(self.terms, prefix)
        end = bisect.bisect_left(self.terms, prefix + "\U0010ffff")
        return self._most_common(np.arange(start, end), limit)

    def with_suffix(self, suffix: str, limit: int) -> list[str]:
        """The most common terms ending with `suffix` (compounds: "kurs" → "deutschkurs")."""
        key = suffix[::-1]
        start = bisect.bisect_left(self.reversed_terms, key)
        end = bisect.bisect_left(self.reversed_terms, key + "\U0010ffff")
        return self._most_common(self.reversed_index[start:end], limit)

    def typo_candidates(self, word_term: str, limit: int, kind: str = "") -> list[tuple[str, str]]:
        """Terms within `limit` edits that may start as the word does (`typo_start_keys`),
        best first (`typo_order`). With `kind`, only terms documents of that kind hold, ordered
        by how many of them do: a word of the info pages is no correction for the offers."""
        key = (word_term, limit, kind)
        found = self._typos.get(key)
        if found is None:
            found = self._typo_candidates(word_term, limit, kind)
            if len(self._typos) >= TYPO_CACHE:
                self._typos.clear()
            self._typos[key] = found
        return list(found)

    def _typo_candidates(self, word_term: str, limit: int, kind: str) -> list[tuple[str, str]]:
        prefixes, pairs = typo_start_keys(word_term)
        prefixes += [letter + pair for letter in self.first_letters for pair in pairs]
        spans = []
        for prefix in prefixes:
            start = bisect.bisect_left(self.terms, prefix)
            end = bisect.bisect_left(self.terms, prefix + "\U0010ffff")
            if end > start:
                spans.append(np.arange(start, end))
        if not spans:
            return []
        span = np.unique(np.concatenate(spans))
        near = span[np.abs(self.lengths[span] - len(word_term)) <= limit]
        counts = self.counts[near]
        if kind:
            index = self.kinds.get(kind)
            if index is None:
                return []
            counts = index.indptr[near + 1] - index.indptr[near]
        scored = []
        for i, count in zip(near.tolist(), counts.tolist(), strict=True):
            if not count:
                continue
            t = self.terms[i]
            distance = edit_distance(word_term, t, limit)
            if distance <= limit:
                scored.append(typo_order(word_term, distance, count, t))
        best = [order[-1] for order in sorted(scored)[:5]]
        if not best:
            return []
        # The display forms (for "did you mean") of the few chosen terms only.
        displays = dict(SearchTerm.objects.filter(term__in=best).values_list("term", "display"))
        return [(t, displays.get(t) or t) for t in best]

    @functools.cached_property
    def first_letters(self) -> list[str]:
        """The letters terms start with (for typos in a word's first letter)."""
        letters: list[str] = []
        i = 0
        while i < len(self.terms):
            letter = self.terms[i][0]
            letters.append(letter)
            i = bisect.bisect_left(self.terms, letter + "\U0010ffff", i)
        return letters

    def bm25(
        self,
        kind: str,
        factors: list[tuple[int, int, float]],
        average: float,
        *,
        words: int,
        limit: int,
        coverage_first: bool,
        k1: float,
        b: float,
        phrases: list[tuple[tuple[int, ...], int, tuple[float, ...]]] = (),
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Like the SQL ranking: per document the best expansion of each word, summed. An
        expansion is a term, or a phrase: terms a document must all contain, scored by the
        mean of theirs. The object ids, their scores and how many words each has (arrays)."""
        index = self.kinds.get(kind)
        if index is None or not (factors or phrases):
            return _NO_ROWS
        n = len(index.object_ids)
        if words == 1:
            # One word: its matches and values need no array over every document, and every
            # match covers the one word.
            candidates, values = self._word(index, factors, phrases, 0, n, k1, b, average)
            top, values = self._top(index, candidates, values, limit)
            return index.object_ids[top], values, np.ones(top.size, dtype=np.int16)
        score = np.zeros(n)
        covered = np.zeros(n, dtype=np.int16)
        for word in range(words):
            docs, value = self._word(index, factors, phrases, word, n, k1, b, average)
            if word:
                score[docs] += value
                covered[docs] += 1
            else:  # nothing to add to yet: a scatter without the gather
                score[docs] = value
                covered[docs] = 1
        # The documents with most words first, level by level (a count per level instead of
        # a bincount over every document: the levels are few).
        levels = range(words, 0, -1) if coverage_first else [0]
        chosen: list[np.ndarray] = []
        chosen_values: list[np.ndarray] = []
        need = limit
        for level in levels:
            candidates = np.flatnonzero(covered == level if level else covered)
            if not candidates.size:
                continue
            part, part_values = self._top(index, candidates, score[candidates], need)
            chosen.append(part)
            chosen_values.append(part_values)
            need -= part.size
            if need <= 0:
                break
        if not chosen:
            return _NO_ROWS
        top = np.concatenate(chosen)
        return index.object_ids[top], np.concatenate(chosen_values), covered[top]

    def _word(self, index: KindIndex, factors, phrases, word: int, n: int, k1, b, average):
        """The documents matching one word (ascending document indices) and per document the
        value of its best expansion of the word."""
        parts = tuple(
            (term_index, factor)
            for term_index, word_number, factor in factors
            if word_number == word and index.indptr[term_index + 1] > index.indptr[term_index]
        )
        word_phrases = tuple(
            (tuple(term_indices), tuple(weights))
            for term_indices, word_number, weights in phrases
            if word_number == word
        )
        if len(parts) == 1 and not word_phrases:  # one expansion: each document once
            term_index, factor = parts[0]
            docs = index.documents[index.indptr[term_index] : index.indptr[term_index + 1]]
            return docs, factor * index.saturation(term_index, k1, b, average)
        if not parts and not word_phrases:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        # Kept like the saturation: a search's words come back in most searches, and the best
        # expansion per document is most of ranking such a word (its typos, synonyms and
        # compounds together hold up to a few hundred thousand postings).
        key = (parts, word_phrases, k1, b, average)
        found = index._words.get(key)
        if found is None:
            found = self._best_expansions(index, parts, word_phrases, n, k1, b, average)
            held = sum(docs.size for docs, _values in list(index._words.values()))
            if held + found[0].size > WORD_CACHE:
                index._words.clear()
            index._words[key] = found
        return found

    @classmethod
    def _best_expansions(cls, index: KindIndex, parts, word_phrases, n: int, k1, b, average):
        # Every value is positive (idf > 0, saturation > 0), so 0 marks "no match": a plain
        # array over all documents instead of a masked one (20× faster). A term's postings,
        # and a phrase's documents, hold each document once: a gather and a scatter instead
        # of ufunc.at (several times faster).
        word_best = np.zeros(n)
        for number, (term_index, factor) in enumerate(parts):
            docs = index.documents[index.indptr[term_index] : index.indptr[term_index + 1]]
            value = factor * index.saturation(term_index, k1, b, average)
            word_best[docs] = np.maximum(word_best[docs], value) if number else value
        for term_indices, weights in word_phrases:
            docs, value = cls._phrase(index, term_indices, weights, k1, b, average)
            word_best[docs] = np.maximum(word_best[docs], value)
        docs = np.flatnonzero(word_best > 0)  # a bool array: nonzero is fast on it
        found = docs.astype(np.int32), word_best[docs]
        for array in found:  # shared by the searches that ask for the word
            array.flags.writeable = False
        return found

    @staticmethod
    def _phrase(index: KindIndex, term_indices, weights, k1: float, b: float, average: float):
        """The documents with every term of a phrase, and the mean of the terms' values."""
        docs = None
        positions: list[np.ndarray] = []  # per term: its postings of those documents
        for term_index in term_indices:
            term_docs = index.documents[index.indptr[term_index] : index.indptr[term_index + 1]]
            if docs is None:
                docs, positions = term_docs, [np.arange(term_docs.size)]
                continue
            docs, mine, theirs = np.intersect1d(
                docs, term_docs, assume_unique=True, return_indices=True
            )
            positions = [p[mine] for p in positions] + [theirs]
        value = np.zeros(docs.size)
        for term_index, factor, at in zip(term_indices, weights, positions, strict=True):
            value += factor * index.saturation(term_index, k1, b, average)[at]
        return docs, value / len(term_indices)

    @staticmethod
    def _top(index: KindIndex, candidates: np.ndarray, values: np.ndarray, need: int):
        """The `need` best of the candidate documents (by value, then object id) and their
        values."""
        if need <= 0 or candidates.size == 0:
            return candidates[:0], values[:0]
        if candidates.size > 8 * need:
            # Selecting among tens of thousands is the cost: a bound from every 8th value
            # leaves about 2 × need of them, and is used only if at least `need` are above
            # it – then it is at most the need-th best value, and nothing is lost.
            sample = values[::8]
            rank = sample.size - max(1, need // 4)
            bound = np.partition(sample, rank)[rank]
            above = values >= bound
            if np.count_nonzero(above) >= need:
                candidates, values = candidates[above], values[above]
        if candidates.size > need:
            kth = np.partition(values, values.size - need)[values.size - need]
            keep = values >= kth
            candidates, values = candidates[keep], values[keep]
        order = np.lexsort((index.order_rank[candidates], -values))[:need]
        return candidates[order], values[order]


# The snapshot per process; a new build starts from the previous one (delta postings).
_snapshots: tokens.TokenCache[LexicalSnapshot] = tokens.TokenCache(
    lambda token, _key, previous: build(token, previous=previous)
)


def _fetch(sql: str, columns: int, dtype=np.int64) -> np.ndarray:
    """Rows of numbers straight into one array, a chunk at a time (no list of all rows)."""
    parts = []
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while True:
            rows = cursor.fetchmany(CHUNK)
            if not rows:
                break
            parts.append(np.array(rows, dtype=dtype).reshape(len(rows), columns))
    if not parts:
        return np.zeros((0, columns), dtype=dtype)
    return np.concatenate(parts)


def _postings(
    snap: LexicalSnapshot, document_ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All postings as (vocabulary position, position in `document_ids`, weight) arrays,
    without the postings of terms or documents the snapshot does not know.

    The database concatenates each document's postings into one text ("term,weight,..."),
    and numpy parses the numbers in C: a few hundred thousand strings travel instead of
    millions of row tuples, and no Python object is made per number. Each chunk is mapped to
    positions at once, so the whole is held only as 32-bit positions and 16-bit weights:
    10 bytes per posting instead of 24 for rows of three int64 and their filtered copies
    (a full build at 8.5 million postings peaked at 820 MB before, 450 MB now).
    """
    if connection.vendor == "postgresql":
        pairs = "string_agg(term_id::text || ',' || weight::text, ',')"
    else:
        pairs = "group_concat(term_id || ',' || weight, ',')"
    terms: list[np.ndarray] = [np.zeros(0, dtype=np.int32)]
    documents: list[np.ndarray] = [np.zeros(0, dtype=np.int32)]
    weights: list[np.ndarray] = [np.zeros(0, dtype=np.uint16)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT document_id, {pairs} FROM search_searchposting GROUP BY document_id"  # noqa: S608 - constant
        )
        while True:
            rows = cursor.fetchmany(20_000)
            if not rows:
                break
            numbers = np.fromstring(",".join(text for _d, text in rows), dtype=np.int64, sep=",")
            numbers = numbers.reshape(-1, 2)
            sizes = [(text.count(",") + 1) // 2 for _d, text in rows]
            row_documents = np.repeat(np.array([d for d, _t in rows], dtype=np.int64), sizes)
            term_index = _term_positions(snap, numbers[:, 0])
            document_index = _positions(document_ids, row_documents)
            known = (term_index >= 0) & (document_index >= 0)
            terms.append(term_index[known].astype(np.int32))
            documents.append(document_index[known].astype(np.int32))
            weights.append(np.minimum(numbers[known, 1], 65535).astype(np.uint16))
    return np.concatenate(terms), np.concatenate(documents), np.concatenate(weights)


# A build may start from the previous snapshot: its postings are reused for every document
# not changed since it was built (`updated_at` within MARGIN before its start, or new), and
# only the changed documents' postings are read. The margin covers transactions that commit
# a while after their writes; bulk work changes more than DELTA_MAX documents and is read
# in full. Vocabulary counts and document lengths are always read fresh, so the result is
# the same as a full build.
DELTA_MAX = 5_000
MARGIN = timedelta(minutes=10)


def _changed_documents(previous: LexicalSnapshot, document_ids: np.ndarray) -> np.ndarray | None:
    """Ids of the documents changed or added since `previous` was built, or None when more
    than DELTA_MAX changed (then a full read is cheaper)."""
    from .models import SearchDocument

    since = previous.started_at - MARGIN
    changed = list(
        SearchDocument.objects.filter(updated_at__gte=since).values_list("pk", flat=True)[
            : DELTA_MAX + 1
        ]
    )
    known = np.concatenate([k.db_ids for k in previous.kinds.values()] or [np.zeros(0, int)])
    new = np.setdiff1d(document_ids, known)
    changed = np.union1d(np.asarray(changed, dtype=np.int64), new)
    return None if changed.size > DELTA_MAX else changed


def _postings_of(document_ids: np.ndarray) -> np.ndarray:
    """The postings of a few documents as rows (term pk, document pk, weight)."""
    fresh = [np.zeros((0, 3), dtype=np.int64)]
    with connection.cursor() as cursor:
        ids = document_ids.tolist()
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            marks = ",".join(["%s"] * len(part))
            cursor.execute(
                "SELECT term_id, document_id, weight FROM search_searchposting "  # noqa: S608 - placeholders only
                f"WHERE document_id IN ({marks})",
                part,
            )
            rows = cursor.fetchall()
            if rows:
                fresh.append(np.array(rows, dtype=np.int64).reshape(len(rows), 3))
    return np.concatenate(fresh)


def _term_positions(snap: LexicalSnapshot, term_pks: np.ndarray) -> np.ndarray:
    """Vocabulary position of each term pk, -1 for terms outside the vocabulary."""
    order = np.argsort(snap.pks)
    where = _positions(snap.pks[order], term_pks)
    return np.where(where >= 0, order[where], -1)


def _positions(sorted_ids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Position of each id in `sorted_ids`, -1 where absent (a document written after the
    documents were read has postings but is not part of this snapshot)."""
    if not len(sorted_ids):
        return np.full(len(ids), -1, dtype=np.int64)
    where = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
    return np.where(sorted_ids[where] == ids, where, -1)


def _csr(terms: np.ndarray, size: int) -> np.ndarray:
    indptr = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(terms, minlength=size), out=indptr[1:])
    return indptr


def _patched(
    previous: KindIndex | None,
    old_terms: np.ndarray,
    db_ids: np.ndarray,
    changed: np.ndarray,
    fresh: np.ndarray,
    size: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One kind's postings (indptr, documents, weights) from the previous snapshot's, without
    the changed and deleted documents, plus the changed documents' `fresh` postings (rows of
    vocabulary position, document id, weight). `old_terms` maps the previous vocabulary
    positions to the new ones (-1: gone); both are sorted by term, so the postings stay in
    term order and the fresh ones are inserted at the end of their term's run."""
    if previous is not None and len(previous.documents):
        same = _positions(db_ids, previous.db_ids)
        same[np.isin(previous.db_ids, changed)] = -1
        local = same[previous.documents]
        terms = old_terms[np.repeat(np.arange(len(previous.indptr) - 1), np.diff(previous.indptr))]
        keep = (local >= 0) & (terms >= 0)
        terms, documents, weights = terms[keep], local[keep], previous.weights[keep]
    else:
        terms = np.zeros(0, dtype=np.int64)
        documents = np.zeros(0, dtype=np.int64)
        weights = np.zeros(0, dtype=np.uint16)
    order = np.argsort(fresh[:, 0], kind="stable")
    fresh = fresh[order]
    at = np.searchsorted(terms, fresh[:, 0], side="right")
    documents = np.insert(documents, at, np.searchsorted(db_ids, fresh[:, 1]))
    weights = np.insert(weights, at, np.minimum(fresh[:, 2], 65535).astype(np.uint16))
    indptr = _csr(np.concatenate([terms, fresh[:, 0]]), size)
    return indptr, documents.astype(np.int32), weights.astype(np.uint16)


def build(token: int | None, previous: LexicalSnapshot | None = None) -> LexicalSnapshot:
    started = time.monotonic()
    started_at = timezone.now()
    reusable = not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, term, document_count FROM search_searchterm WHERE document_count > 0"
        )
        vocabulary = sorted(cursor.fetchall(), key=lambda row: row[1])
        cursor.execute("SELECT id, kind, object_id, length FROM search_searchdocument ORDER BY id")
        documents = cursor.fetchall()
    terms = [row[1] for row in vocabulary]
    pks = np.array([row[0] for row in vocabulary], dtype=np.int64)
    reversed_pairs = sorted((t[::-1], i) for i, t in enumerate(terms))
    snap = LexicalSnapshot(
        token=token,
        terms=terms,
        pks=pks,
        counts=np.array([row[2] for row in vocabulary], dtype=np.int64),
        lengths=np.array([len(t) for t in terms], dtype=np.int64),
        reversed_terms=[r for r, _i in reversed_pairs],
        reversed_index=np.array([i for _r, i in reversed_pairs], dtype=np.int64),
        started_at=started_at,
        reusable=reusable,
    )
    document_ids = np.array([row[0] for row in documents], dtype=np.int64)
    kinds = sorted({row[1] for row in documents})
    document_kind = np.array([kinds.index(row[1]) for row in documents], dtype=np.int32)
    changed = None
    if previous is not None and previous.reusable and reusable and previous.started_at:
        changed = _changed_documents(previous, document_ids)
        # The previous vocabulary positions in the new one (it may have new or lost terms);
        # both are sorted by term, so the map keeps the order (a term's text never changes).
        old_terms = _term_positions(snap, previous.pks)
        if np.any(np.diff(old_terms[old_terms >= 0]) <= 0):
            changed = None
    if changed is not None:  # patch the previous snapshot's postings
        snap.source = "delta"
        rows = _postings_of(changed)
        rows[:, 0] = _term_positions(snap, rows[:, 0])
        row_document = _positions(document_ids, rows[:, 1])
        keep = (rows[:, 0] >= 0) & (row_document >= 0)
        rows, row_kind = rows[keep], document_kind[row_document[keep]]
    else:
        snap.source = "full"
        term_index, document_index, posting_weights = _postings(snap, document_ids)
    for number, kind in enumerate(kinds):
        members = np.flatnonzero(document_kind == number)
        db_ids = document_ids[members]
        if changed is not None:
            indptr, kind_documents, weights = _patched(
                previous.kinds.get(kind),
                old_terms,
                db_ids,
                changed,
                rows[row_kind == number],
                len(terms),
            )
        else:
            local = np.full(len(documents), -1, dtype=np.int32)
            local[members] = np.arange(members.size)
            if len(kinds) == 1:  # all postings are this kind's: no masked copies
                kind_terms, kind_postings, weights = term_index, document_index, posting_weights
            else:
                mine = document_kind[document_index] == number
                kind_terms, kind_postings = term_index[mine], document_index[mine]
                weights = posting_weights[mine]
            order = np.argsort(kind_terms, kind="stable")
            indptr = _csr(kind_terms, len(terms))
            kind_documents = local[kind_postings[order]]
            weights = weights[order]
        object_ids = [documents[i][2] for i in members.tolist()]
        order_rank = np.empty(len(object_ids), dtype=np.int64)
        order_rank[sorted(range(len(object_ids)), key=object_ids.__getitem__)] = np.arange(
            len(object_ids)
        )
        snap.kinds[kind] = KindIndex(
            db_ids=db_ids,
            object_ids=id_array(object_ids),
            lengths=np.array([documents[i][3] for i in members.tolist()], dtype=np.float64),
            order_rank=order_rank,
            indptr=indptr,
            documents=kind_documents,
            weights=weights,
        )
    snap.built_seconds = time.monotonic() - started
    return snap


def current() -> LexicalSnapshot:
    """The snapshot of the index as this transaction sees it (rebuilt when the token moved)."""
    return _snapshots.get(tokens.token_read(tokens.LEXICAL))
