"""Screening: an in-memory index of a registry's blocking keys, candidate retrieval and ranked alerts.

The keys are kept as ``postings.Postings``, so that 100,000 persons' millions of keys cost tens of
megabytes and a query finds its candidates with a few binary searches.
"""

from dataclasses import dataclass

import numpy as np

from .keys import person_hashed_keys
from .person import Person
from .postings import Postings
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
        self._postings = Postings()

    def __len__(self) -> int:
        return len(self._persons)

    def add(self, identifier, person: Person) -> None:
        row = len(self._persons)
        self._ids.append(identifier)
        self._persons.append(person)
        self._postings.add(row, person_hashed_keys(person))

    def candidates(self, person: Person, limit: int = MAX_CANDIDATES) -> list[int]:
        """Rows sharing the most keys with ``person``, at most ``limit`` of them. A key of two whole
        parts counts more than one of a slip form, and a key shared by many (every Elena
        Aleksandrovna) less than a rare one."""
        unique, totals = self._postings.weighted(person_hashed_keys(person))
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
