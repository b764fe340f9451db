"""Change tokens: one small row per cached structure, read once per search.

Every write that changes what a cache holds sets its token to a NEW RANDOM value inside the
writing transaction. Each process compares the token with the one its cache was built from.
A random value (not a counter) matters: a rolled-back transaction (every test, a failed
import) brings a counter back to an old value while another process may already have cached
the data written in between; a random token never comes back.
"""

import secrets
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Generic, TypeVar

from .models import SearchGeneration

LEXICAL = "lexical"
VECTORS = "vectors"
OFFERS = "offers"
SYNONYMS = "synonyms"
ALL = (LEXICAL, VECTORS, OFFERS, SYNONYMS)

_scope: ContextVar[dict | None] = ContextVar("search_tokens", default=None)

T = TypeVar("T")


class TokenCache(Generic[T]):
    """Per process, one value per key, kept while the change token it was built for stays.

    `build(token, key, previous)` makes the value; `previous` is the value of an older token
    (or None), for builds that patch rather than start over. One build at a time; after it
    the heap the build fetched is handed back (release_memory).
    """

    def __init__(self, build: Callable[[Any, Hashable, T | None], T]) -> None:
        self._build = build
        self._values: dict[Hashable, tuple[Any, T]] = {}
        self._lock = threading.Lock()

    def get(self, token: Any, key: Hashable = None) -> T:
        cached = self._values.get(key)
        if cached is not None and cached[0] == token:
            return cached[1]
        with self._lock:
            cached = self._values.get(key)
            if cached is not None and cached[0] == token:
                return cached[1]
            value = self._build(token, key, cached[1] if cached is not None else None)
            self._values[key] = (token, value)
            release_memory()
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


@contextmanager
def tokens_scope() -> Iterator[None]:
    """Read all tokens in ONE query for the block (a search request) instead of one query per
    cache; writes inside the block update the values read."""
    if _scope.get() is not None:
        yield
        return
    reset = _scope.set(tokens_read(*ALL))
    try:
        yield
    finally:
        _scope.reset(reset)


def token_read(name: str) -> int | None:
    scoped = _scope.get()
    if scoped is not None and name in scoped:
        return scoped[name]
    return SearchGeneration.objects.filter(name=name).values_list("value", flat=True).first()


def tokens_read(*names: str) -> dict[str, int | None]:
    """Several tokens in one query."""
    found = dict(SearchGeneration.objects.filter(name__in=names).values_list("name", "value"))
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
    import contextlib
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)
