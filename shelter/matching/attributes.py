"""Comparing what is known besides the name: birth date, nationality, gender, documents.

Each comparison returns a contribution to the score (positive when the facts agree, negative when they
contradict) and a sentence saying why, or None when there is nothing to compare.
"""

import json
from functools import cache

from shelter.dates import PartialDate

from .phonetic import DATA

DATE_AGREES = {"day": 0.08, "month": 0.05, "year": 0.03}
DATE_SWAPPED = 0.02
DATE_SAME_YEAR_CONFLICT = -0.15
DATE_YEAR_APART = -0.2
DATE_YEARS_APART = -0.4
NATIONALITY_AGREES, NATIONALITY_CONFLICT = 0.02, -0.1
GENDER_CONFLICT = -0.35
SAME_DOCUMENT = 0.3

Contribution = tuple[float, str] | None


def birth_date(a: PartialDate | None, b: PartialDate | None) -> Contribution:
    if a is None or b is None:
        return None
    if a.year != b.year:
        apart = abs(a.year - b.year)
        return (DATE_YEAR_APART if apart == 1 else DATE_YEARS_APART), f"born {a} and {b}: {apart} years apart"
    if a.month and b.month and a.month != b.month:
        if a.day and b.day and (a.month, a.day) == (b.day, b.month):
            return DATE_SWAPPED, f"born {a} and {b}: day and month swapped"
        return DATE_SAME_YEAR_CONFLICT, f"born {a} and {b}: same year, different month"
    if a.day and b.day and a.day != b.day:
        return DATE_SAME_YEAR_CONFLICT, f"born {a} and {b}: same month, different day"
    precision = min(a.precision, b.precision, key=("year", "month", "day").index)
    return DATE_AGREES[precision], f"born {a} and {b}: agree to the {precision}"


@cache
def _soviet() -> frozenset[str]:
    successors = json.loads((DATA / "nationalities.json").read_text("utf-8"))["successors"]
    return frozenset(successors["states"])


def nationality(a: str | None, b: str | None) -> Contribution:
    if not a or not b:
        return None
    if a == b:
        return NATIONALITY_AGREES, f"both {a.upper()}"
    if {a, b} & {"su"} and ({a, b} - {"su"}) <= _soviet():
        return NATIONALITY_AGREES, f"{a.upper()} and {b.upper()}: the USSR and a successor state"
    return NATIONALITY_CONFLICT, f"{a.upper()} and {b.upper()} differ"


def gender(a: str | None, b: str | None) -> Contribution:
    if not a or not b or a == b:
        return None
    return GENDER_CONFLICT, f"{a} and {b}"


def documents(a: frozenset[str], b: frozenset[str]) -> Contribution:
    shared = a & b
    if not shared:
        return None
    return SAME_DOCUMENT, "same document number"
