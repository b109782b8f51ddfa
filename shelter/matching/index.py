"""Screening: an in-memory index of a registry's blocking keys, candidate retrieval and ranked alerts.

The index is two sorted arrays, key and row, so that 100,000 persons' millions of keys cost tens of
megabytes and a query finds its candidates with a few binary searches.
"""

from array import array
from dataclasses import dataclass

import numpy as np

from .keys import person_hashed_keys
from .person import Person
from .score import THRESHOLD, Result, score

MAX_CANDIDATES = 50


@dataclass(frozen=True, slots=True)
class Alert:
    candidate: object
    result: Result


class Index:
    """Registry persons by blocking key (as 64-bit hashes)."""

    def __init__(self):
        self._ids: list = []
        self._persons: list[Person] = []
        self._new_keys, self._new_rows = array("q"), array("l")
        self._keys = np.empty(0, dtype=np.int64)
        self._rows = np.empty(0, dtype=np.int64)

    def __len__(self) -> int:
        return len(self._persons)

    def add(self, identifier, person: Person) -> None:
        row = len(self._persons)
        self._ids.append(identifier)
        self._persons.append(person)
        keys = person_hashed_keys(person)
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

    def candidates(self, person: Person, limit: int = MAX_CANDIDATES) -> list[int]:
        """Rows sharing the most keys with ``person``, at most ``limit`` of them. A key of two whole
        parts counts more than one of a slip form, and a key shared by many (every Elena
        Aleksandrovna) less than a rare one."""
        keys, rows = self._sorted()
        query_keys = person_hashed_keys(person)
        if not query_keys or not len(keys):
            return []
        query = np.fromiter(query_keys, dtype=np.int64, count=len(query_keys))
        strength = np.fromiter(query_keys.values(), dtype=np.float64, count=len(query_keys))
        start, end = np.searchsorted(keys, query, "left"), np.searchsorted(keys, query, "right")
        found = end > start
        if not found.any():
            return []
        start, end, strength = start[found], end[found], strength[found]
        counts = end - start
        weights = np.repeat(strength / np.log2(1 + counts), counts)
        # The positions of every posting of every found key, without a Python loop.
        firsts = np.cumsum(counts) - counts
        hit_rows = rows[np.repeat(start - firsts, counts) + np.arange(counts.sum())]
        unique, inverse = np.unique(hit_rows, return_inverse=True)
        totals = np.bincount(inverse, weights=weights)
        best = np.argsort(-totals, kind="stable")[:limit]
        return unique[best].tolist()

    def screen(self, person: Person, threshold: float = THRESHOLD, limit: int = MAX_CANDIDATES) -> list[Alert]:
        """Alerts for every candidate scoring at or above ``threshold``, best first."""
        alerts = []
        for row in self.candidates(person, limit):
            result = score(person, self._persons[row])
            if result.score >= threshold:
                alerts.append(Alert(self._ids[row], result))
        alerts.sort(key=lambda alert: -alert.result.score)
        return alerts

    def person(self, row: int) -> Person:
        return self._persons[row]
