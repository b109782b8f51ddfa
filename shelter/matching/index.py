"""Screening: an in-memory index of a registry's blocking keys, candidate retrieval and ranked alerts."""

from collections import Counter
from dataclasses import dataclass

from .keys import person_keys
from .person import Person
from .score import THRESHOLD, Result, score

MAX_CANDIDATES = 50


@dataclass(frozen=True, slots=True)
class Alert:
    candidate: object
    result: Result


class Index:
    """Registry persons by blocking key. Keys are stored as Python hashes to keep 100,000 persons small."""

    def __init__(self):
        self._ids: list = []
        self._persons: list[Person] = []
        self._postings: dict[int, int | list[int]] = {}

    def __len__(self) -> int:
        return len(self._persons)

    def add(self, identifier, person: Person) -> None:
        row = len(self._persons)
        self._ids.append(identifier)
        self._persons.append(person)
        postings = self._postings
        for key in person_keys(person):
            h = hash(key)
            current = postings.get(h)
            if current is None:
                postings[h] = row
            elif isinstance(current, int):
                postings[h] = [current, row]
            else:
                current.append(row)

    def candidates(self, person: Person, limit: int = MAX_CANDIDATES) -> list[int]:
        """Rows sharing the most keys with ``person``, at most ``limit`` of them."""
        hits = Counter()
        postings = self._postings
        for key in person_keys(person):
            found = postings.get(hash(key))
            if found is None:
                continue
            if isinstance(found, int):
                hits[found] += 1
            else:
                hits.update(found)
        return [row for row, _ in hits.most_common(limit)]

    def screen(self, person: Person, threshold: float = THRESHOLD, limit: int = MAX_CANDIDATES) -> list[Alert]:
        """Alerts for every candidate scoring at or above ``threshold``, best first."""
        alerts = []
        for row in self.candidates(person, limit):
            result = score(person, self._persons[row])
            if result.score >= threshold:
                alerts.append(Alert(self._ids[row], result))
        alerts.sort(key=lambda alert: -alert.result.score)
        return alerts

    def person(self, identifier_row: int) -> Person:
        return self._persons[identifier_row]
