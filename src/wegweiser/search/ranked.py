"""A ranking as two numpy arrays: object ids and their scores, best first.

Full text, embeddings and their fusion pass on up to a thousand documents per search. As lists
of (object id, score) pairs, building, joining, sorting and converting them took about a fifth
of a search at 100,000 offers (ADR 0011, addendum); as arrays they are joined and sorted in C.
`Ranked` still reads as the sequence of pairs it replaces (iteration, indexing, comparison with
a list), so callers that show a few results need not know.
"""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np


def id_array(ids: Iterable[str]) -> np.ndarray:
    """Object ids as an array: int64 when every id is an integer as written ("17", the primary
    keys of offers and pages: compared and looked up in C without string comparisons), a
    text array otherwise."""
    if isinstance(ids, np.ndarray) and ids.dtype.kind in "iU":
        return ids
    ids = list(ids)
    try:
        numbers = np.fromiter(map(int, ids), dtype=np.int64, count=len(ids))
    except (TypeError, ValueError, OverflowError):
        return np.asarray(ids, dtype=str)
    if all(str(n) == i for n, i in zip(numbers.tolist(), ids, strict=True)):
        return numbers
    return np.asarray(ids, dtype=str)


def same_kind(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two id arrays as comparable arrays: as text when one of them is (an index built when a
    kind held an id that is no integer)."""
    if a.dtype.kind == b.dtype.kind:
        return a, b
    return a.astype(str), b.astype(str)


def positions_in(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The position of each of `wanted` in `ids`, -1 where absent (for ids searched once;
    `IdPositions` for a snapshot's)."""
    if not ids.size:
        return np.full(len(wanted), -1, dtype=np.int64)
    ids, wanted = same_kind(ids, wanted)
    order = np.argsort(ids, kind="stable")
    at = order[np.minimum(np.searchsorted(ids, wanted, sorter=order), ids.size - 1)]
    return np.where(ids[at] == wanted, at, -1)


class IdPositions:
    """Where each object id is in an id array, built once for a snapshot's ids: for integer ids
    (the usual case) a table indexed by the id itself, so that finding a thousand ids is one
    gather; otherwise the ids sorted, for a binary search."""

    # The table holds an entry per integer up to the largest id: used while that is at most
    # this many entries per id (ids of deleted objects leave gaps).
    SPREAD = 4

    def __init__(self, ids: np.ndarray) -> None:
        self.ids = ids
        self.table = None
        if ids.dtype.kind == "i" and ids.size and int(ids.min()) >= 0:
            largest = int(ids.max())
            if largest < self.SPREAD * ids.size + 1024:
                self.table = np.full(largest + 1, -1, dtype=np.int32)
                # Reversed: a repeated id keeps its first position, as the binary search does.
                self.table[ids[::-1]] = np.arange(ids.size - 1, -1, -1)
                return
        self.order = np.argsort(ids, kind="stable")
        self.sorted = ids[self.order]

    def of(self, wanted: np.ndarray) -> np.ndarray:
        """The position of each of `wanted` (an `id_array`), -1 where absent."""
        if not self.ids.size:
            return np.full(len(wanted), -1, dtype=np.int64)
        if self.ids.dtype.kind != wanted.dtype.kind:
            return positions_in(self.ids, wanted)
        if self.table is not None:
            inside = (wanted >= 0) & (wanted < self.table.size)
            found = np.full(len(wanted), -1, dtype=np.int64)
            found[inside] = self.table[wanted[inside]]
            return found
        at = np.minimum(np.searchsorted(self.sorted, wanted), self.ids.size - 1)
        return np.where(self.sorted[at] == wanted, self.order[at], -1)


class Ranked(Sequence):
    """Object ids (`ids`, an `id_array`) and their scores (`scores`, float64), best first."""

    __slots__ = ("ids", "scores")

    def __init__(self, ids: Any = (), scores: Any = ()) -> None:
        self.ids = id_array(ids)
        self.scores = np.asarray(scores, dtype=np.float64)
        if self.ids.shape != self.scores.shape:
            raise ValueError("one score per id")

    @classmethod
    def of(cls, pairs: "Iterable[tuple[str, float]] | Ranked") -> "Ranked":
        if isinstance(pairs, Ranked):
            return pairs
        pairs = list(pairs)
        return cls([pair[0] for pair in pairs], [pair[1] for pair in pairs])

    def __len__(self) -> int:
        return int(self.ids.size)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Ranked(self.ids[index], self.scores[index])
        return str(self.ids[index]), float(self.scores[index])

    def __iter__(self) -> Iterator[tuple[str, float]]:
        return zip(map(str, self.ids.tolist()), self.scores.tolist(), strict=True)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Ranked | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"Ranked({list(self)!r})"

    def where(self, mask: np.ndarray) -> "Ranked":
        """The pairs where `mask` (a bool array over them, or positions) holds, in order."""
        return Ranked(self.ids[mask], self.scores[mask])

    def sorted(self) -> "Ranked":
        """By score (best first), ties by object id."""
        order = np.lexsort((self.ids, -self.scores))
        return self.where(order)

    def pks(self) -> np.ndarray:
        """The object ids as integers (int64): the primary keys of the objects."""
        if self.ids.dtype.kind == "i":
            return self.ids
        return np.fromiter(map(int, self.ids.tolist()), dtype=np.int64, count=len(self))
