"""Change tokens: one small row per cached structure, read once per search.

Every write that changes what a cache holds sets its token to a NEW RANDOM value inside the
writing transaction. Each process compares the token with the one its cache was built from.
A random value (not a counter) matters: a rolled-back transaction (every test, a failed
import) brings a counter back to an old value while another process may already have cached
the data written in between; a random token never comes back.
"""

import functools
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import connection, connections

from .models import SearchGeneration

logger = logging.getLogger(__name__)

LEXICAL = "lexical"
VECTORS = "vectors"
OFFERS = "offers"
SYNONYMS = "synonyms"
ALL = (LEXICAL, VECTORS, OFFERS, SYNONYMS)

_scope: ContextVar["_Scope | None"] = ContextVar("search_tokens", default=None)
# The keys of the caches that answered with an older value in the current scope.
_stale: ContextVar[list | None] = ContextVar("search_stale", default=None)

T = TypeVar("T")


def background_build_seconds() -> float | None:
    """Builds that took at least this long run in the background next time (None: never).

    Setting SEARCH_BACKGROUND_BUILD_SECONDS or WEGWEISER_SEARCH_BACKGROUND_BUILD_SECONDS;
    an empty value or "off" switches it off."""
    value = getattr(
        settings,
        "SEARCH_BACKGROUND_BUILD_SECONDS",
        os.environ.get("WEGWEISER_SEARCH_BACKGROUND_BUILD_SECONDS", 1.0),
    )
    if value in (None, "", "off"):
        return None
    return float(value)


@dataclass(frozen=True)
class _Entry(Generic[T]):
    token: Any
    value: T
    seconds: float  # how long the slowest build of its key took
    failed: bool = False  # its successor failed in the background: the next one waits


class TokenCache(Generic[T]):
    """Per process, one value per key, kept while the change token it was built for stays.

    `build(token, key, previous)` makes the value; `previous` is the value of an older token
    (or None), for builds that patch rather than start over. One build at a time; after it
    the heap the build fetched is handed back (release_memory, keep_mmap_threshold).

    Once a key's build took `background_build_seconds()` or longer (100,000 offers: 2-5 s),
    its builds are not waited for again: after each change the previous value keeps
    answering while a thread builds the new one (outside any transaction; a search inside one, which may have
    written, still builds and waits). Small installations build in milliseconds and always
    see every write in the next search; large ones see it a few seconds later instead of
    every worker stalling on it.
    """

    instances: "list[TokenCache]" = []  # every cache of the process (join_all, tests)

    def __init__(self, build: Callable[[Any, Hashable, T | None], T]) -> None:
        TokenCache.instances.append(self)
        self._build = build
        self._values: dict[Hashable, _Entry[T]] = {}
        self._lock = threading.Lock()  # one build at a time
        self._threads_lock = threading.Lock()
        self._threads: dict[Hashable, threading.Thread] = {}

    def get(self, token: Any, key: Hashable = None) -> T:
        cached = self._values.get(key)
        if cached is not None and cached.token == token:
            return cached.value
        if cached is not None and self._may_answer_stale(cached):
            self._build_in_background(token, key)
            stale = _stale.get()
            if stale is not None:
                stale.append(key)
            return cached.value
        with self._lock:
            cached = self._values.get(key)
            if cached is not None and cached.token == token:
                return cached.value
            return self._store(token, key, cached)

    def _store(self, token: Any, key: Hashable, cached: "_Entry[T] | None") -> T:
        """Build and keep the value (the caller holds the build lock)."""
        keep_mmap_threshold()
        started = time.monotonic()
        value = self._build(token, key, cached.value if cached is not None else None)
        seconds = time.monotonic() - started
        if cached is not None:
            # The slowest build decides, not the last: a quick delta build after a slow full
            # one made the next change wait in the request again (100,000 offers: the first
            # search after a save took 48 ms or 3.3 s, depending on the build before).
            seconds = max(seconds, cached.seconds)
        self._values[key] = _Entry(token, value, seconds)
        release_memory()
        return value

    @staticmethod
    def _may_answer_stale(cached: "_Entry[T]") -> bool:
        threshold = background_build_seconds()
        return (
            threshold is not None
            and cached.seconds >= threshold
            and not cached.failed
            and not connection.in_atomic_block
        )

    def _build_in_background(self, token: Any, key: Hashable) -> None:
        with self._threads_lock:
            running = self._threads.get(key)
            if running is not None and running.is_alive():
                return
            thread = threading.Thread(
                target=self._build_later, args=(token, key), name="search-build", daemon=True
            )
            self._threads[key] = thread
            thread.start()

    def _build_later(self, token: Any, key: Hashable) -> None:
        try:
            with self._lock:
                cached = self._values.get(key)
                if cached is None or cached.token != token:
                    self._store(token, key, cached)
        except Exception:
            logger.exception("search: background build failed; the next search builds it")
            with self._lock:
                cached = self._values.get(key)
                if cached is not None:  # the next search waits for the build (and sees why)
                    self._values[key] = replace(cached, failed=True)
        finally:
            connections.close_all()  # this thread's own database connections

    def join(self, timeout: float | None = None) -> None:
        """Wait for running background builds (tests, benchmarks)."""
        with self._threads_lock:
            threads = list(self._threads.values())
        for thread in threads:
            thread.join(timeout)

    def clear(self) -> None:
        self.join()
        with self._lock:
            self._values.clear()


def join_all() -> None:
    """Wait for the background builds of every cache (tests, benchmarks)."""
    for cache in TokenCache.instances:
        cache.join()


class _Scope(dict):
    """The tokens of one scope, read in one query when the first of them is needed (a request
    that never searches reads none)."""

    loaded = False

    def load(self) -> "_Scope":
        if not self.loaded:
            read = tokens_read(*ALL)
            read.update(self)  # bumped in this scope before the first read
            self.update(read)
            self.loaded = True
        return self


@contextmanager
def tokens_scope() -> Iterator[None]:
    """Read all tokens in ONE query for the block (a request: `TokensScopeMiddleware`)
    instead of one query per cache, the first time one is needed; writes inside the block
    update the values read."""
    if _scope.get() is not None:
        yield
        return
    reset = _scope.set(_Scope())
    reset_stale = _stale.set([])
    try:
        yield
    finally:
        _stale.reset(reset_stale)
        _scope.reset(reset)


def served_stale() -> bool:
    """Whether a cache answered with the value of an older token in this scope (its new
    value was still being built): such a result must not be cached under the new tokens."""
    return bool(_stale.get())


def token_read(name: str) -> int | None:
    scoped = _scope.get()
    if scoped is not None and name in ALL:
        return scoped.load()[name]
    return tokens_read(name)[name]


def tokens_read(*names: str) -> dict[str, int | None]:
    """Several tokens in one query.

    Every search request reads them: plain SQL, as the ORM took 0.5 ms of a 13 ms request
    to build this query again each time.
    """
    if not names:
        return {}
    table = connection.ops.quote_name(SearchGeneration._meta.db_table)
    marks = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, value FROM {table} WHERE name IN ({marks})", names)  # noqa: S608 - placeholders only
        found = dict(cursor.fetchall())
    return {name: found.get(name) for name in names}


def token_bump(name: str) -> None:
    value = secrets.randbits(62) + 1
    scoped = _scope.get()
    if scoped is not None:
        scoped[name] = value
    if not SearchGeneration.objects.filter(name=name).update(value=value):
        _row, created = SearchGeneration.objects.get_or_create(name=name, defaults={"value": value})
        if not created:
            SearchGeneration.objects.filter(name=name).update(value=value)


def synonyms_changed(**_kwargs) -> None:
    """Signal receiver: a synonym group was saved or deleted."""
    token_bump(SYNONYMS)


def release_memory() -> None:
    """After a snapshot build: collect the garbage and hand freed heap pages back to the
    system (glibc keeps them otherwise, so a worker's resident memory would stay at the peak
    of the build – the rows fetched from the database – instead of the snapshot's size)."""
    import gc

    gc.collect()
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


# glibc's mallopt parameter, and the size from which a block gets its own memory mapping
# (returned to the system when freed). A search's arrays (100,000 offers: under 1 MB) stay
# below it and come from the heap; the large arrays of a snapshot build are above it.
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 4 * 1024 * 1024


@functools.cache
def keep_mmap_threshold() -> bool:
    """Before the first build: fix glibc's mmap threshold instead of letting it grow.

    glibc raises the threshold to the size of each large block freed (up to 32 MB), so after
    the first arrays of a build were freed the next ones came from the heap, which kept much
    of them even after malloc_trim: at 100,000 offers a warmed worker held 410-420 MB, with
    the threshold fixed 365-375 MB (search latency unchanged). False without glibc.
    """
    libc = _glibc()
    return libc is not None and bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))


@functools.cache
def _glibc():
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt, libc.malloc_trim  # noqa: B018 - both exist, or this is not glibc
    except (OSError, AttributeError):
        return None
    return libc
