"""Scoring two persons: the best alignment of their names, then birth date, nationality, gender and
documents, each with its contribution, so that every score can be explained.

``THRESHOLD`` is the one documented default: a pair scoring at or above it is a match.
"""

from dataclasses import dataclass

from . import attributes
from .compare import NameComparison, compare_names
from .person import Person

THRESHOLD = 0.75


@dataclass(frozen=True, slots=True)
class Result:
    score: float
    names: NameComparison
    adjustments: tuple[tuple[str, float, str], ...]

    @property
    def match(self) -> bool:
        return self.score >= THRESHOLD

    def explanation(self) -> list[dict]:
        """Which features fired and how much each contributed, in order."""
        names = self.names
        features = [{
            "feature": "name",
            "contribution": round(names.score, 4),
            "a": names.a.text,
            "b": names.b.text,
            "parts": [{"a": m.a.text, "b": m.b.text, "similarity": round(m.similarity, 4), "reason": m.reason}
                      for m in names.matches if m.a.role != "particle"],
            "only_in_a": [p.text for p in names.unmatched_a if p.role != "particle"],
            "only_in_b": [p.text for p in names.unmatched_b if p.role != "particle"],
            "notes": list(names.notes),
        }]
        features += [{"feature": feature, "contribution": round(value, 4), "detail": detail}
                     for feature, value, detail in self.adjustments]
        return features


def best_names(a: Person, b: Person) -> NameComparison:
    best = None
    for name_a in a.names:
        for name_b in b.names:
            comparison = compare_names(name_a, name_b)
            if best is None or comparison.score > best.score:
                best = comparison
    return best


def score(a: Person, b: Person) -> Result:
    names = best_names(a, b)
    adjustments = []
    for feature, contribution in (
        ("birth_date", attributes.birth_date(a.birth_date, b.birth_date)),
        ("nationality", attributes.nationality(a.nationality, b.nationality)),
        ("gender", attributes.gender(a.gender or names.a.gender, b.gender or names.b.gender)),
        ("documents", attributes.documents(a.documents, b.documents)),
    ):
        if contribution is not None:
            adjustments.append((feature, *contribution))
    total = names.score + sum(value for _, value, _ in adjustments)
    return Result(round(min(1.0, max(0.0, total)), 4), names, tuple(adjustments))
