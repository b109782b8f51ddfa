"""Blocking keys as two sorted arrays, key and row: millions of keys cost tens of megabytes, and a
query's candidates come from a few binary searches, each row weighted by the keys it shares (a rare
key counting more than a common one). Shared by the person index and the organisation index."""

from array import array
from collections.abc import Iterable

import numpy as np


class Postings:
    def __init__(self):
        self._new_keys, self._new_rows = array("q"), array("l")
        self._keys = np.empty(0, dtype=np.int64)
        self._rows = np.empty(0, dtype=np.int64)

    def add(self, row: int, keys: Iterable[int]) -> None:
        keys = list(keys)
        self._new_keys.extend(keys)
        self._new_rows.extend([row] * len(keys))

    def _sorted(self) -> tuple[np.ndarray, np.ndarray]:
        """The arrays, with what was added since the last query merged in."""
        if self._new_keys:
            keys = np.concatenate([self._keys, np.frombuffer(self._new_keys, dtype=np.int64)])
            rows = np.concatenate([self._rows, np.frombuffer(self._new_rows, dtype=np.int64)])
            order = np.argsort(keys, kind="stable")
            self._keys, self._rows = keys[order], rows[order]
            self._new_keys, self._new_rows = array("q"), array("l")
        return self._keys, self._rows

    def freeze(self) -> None:
        """Sort what was added now: before the index is shared between threads."""
        self._sorted()

    def weighted(self, query_keys: dict[int, float], common: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(rows, totals): every row sharing a key with the query, and the sum over the shared keys of
        the key's strength / log2(1 + how many rows have it). With ``common``, keys on more rows than
        that are left out when the query has rarer ones (they say little and cost much)."""
        keys, rows = self._sorted()
        empty = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64))
        if not query_keys or not len(keys):
            return empty
        query = np.fromiter(query_keys, dtype=np.int64, count=len(query_keys))
        strength = np.fromiter(query_keys.values(), dtype=np.float64, count=len(query_keys))
        start, end = np.searchsorted(keys, query, "left"), np.searchsorted(keys, query, "right")
        found = end > start
        if not found.any():
            return empty
        if common is not None:
            rare = found & (end - start <= common)
            if rare.any():
                found = rare
        start, end, strength = start[found], end[found], strength[found]
        counts = end - start
        weights = np.repeat(strength / np.log2(1 + counts), counts)
        # The positions of every posting of every found key, without a Python loop.
        firsts = np.cumsum(counts) - counts
        hit_rows = rows[np.repeat(start - firsts, counts) + np.arange(counts.sum())]
        unique, inverse = np.unique(hit_rows, return_inverse=True)
        return unique, np.bincount(inverse, weights=weights)
