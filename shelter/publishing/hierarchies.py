"""Generalisation ladders for the quasi-identifiers of the open incident dataset (issue 16).

Pure Python, no Django. Each ladder is a list of levels; level 0 is the value as recorded and
every further level is computed from it. Every level carries the source it follows
(data/hierarchies.json). An empty value (not recorded) stays empty at every level but the
last, where it becomes '*' like every other value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Callable

DATA = Path(__file__).parent / "data" / "hierarchies.json"
SHELTER_DATA = Path(__file__).resolve().parent.parent / "data"
WITHHELD = "*"


@dataclass(frozen=True)
class Level:
    name: str
    source: str


@dataclass(frozen=True)
class Hierarchy:
    qi: str
    levels: tuple[Level, ...]
    _fn: Callable[[str, int], str]

    @property
    def depth(self) -> int:
        """Number of levels, level 0 included."""
        return len(self.levels)

    def generalise(self, value, level: int) -> str:
        if not 0 <= level < self.depth:
            raise ValueError(f"{self.qi}: no level {level} (0..{self.depth - 1})")
        value = "" if value is None else str(value)
        if level == 0:
            return value
        return self._fn(value, level)


@cache
def data() -> dict:
    """The ladders' data file as read."""
    return json.loads(DATA.read_text(encoding="utf-8"))



@cache
def physical_tactics() -> frozenset[str]:
    terms = json.loads((SHELTER_DATA / "tactics.json").read_text(encoding="utf-8"))["terms"]
    return frozenset(t["code"] for t in terms if t.get("category") == "physical")


@cache
def tactic_codes() -> frozenset[str]:
    terms = json.loads((SHELTER_DATA / "tactics.json").read_text(encoding="utf-8"))["terms"]
    return frozenset(t["code"] for t in terms)


def _levels(qi: str) -> tuple[Level, ...]:
    return tuple(Level(lv["name"], lv["source"]) for lv in data()[qi]["levels"])


def _year(value: str, level: int) -> str:
    if level == 3:
        return WITHHELD
    if not value:
        return ""
    year = int(value)
    if level == 1:
        start = year - (year - 2014) % 3
        return f"{start}-{start + 2}"
    start = year - year % 5
    return f"{start}-{start + 4}"


def _country(qi: str) -> Callable[[str, int], str]:
    top = len(data()[qi]["levels"]) - 1
    withheld = data()[qi]["levels"][-1]["name"] == "withheld"

    def fn(value: str, level: int) -> str:
        if withheld and level == top:
            return WITHHELD
        if not value:
            return ""
        entry = data()["countries"]["codes"][value.upper()]
        return entry["subregion"] if level == 1 else entry["region"]

    return fn


def _mapped(qi: str) -> Callable[[str, int], str]:
    levels = data()[qi]["levels"]
    top = len(levels) - 1

    def fn(value: str, level: int) -> str:
        if level == top:
            return WITHHELD
        if not value:
            return ""
        return levels[level]["map"][value]

    return fn


def _withheld(value: str, level: int) -> str:
    return WITHHELD


def _tactics(value: str, level: int) -> str:
    if level == 2:
        return WITHHELD
    codes = [c for c in value.split("+") if c]
    if not codes:
        return ""
    unknown = set(codes) - tactic_codes()
    if unknown:
        raise KeyError(f"unknown tactic codes: {sorted(unknown)}")
    return "physical" if physical_tactics() & set(codes) else "non_physical"


def tactics_value(codes) -> str:
    """The level-0 value of a set of tactic codes: sorted, deduplicated, joined with '+'."""
    return "+".join(sorted(set(codes)))


@cache
def hierarchies() -> dict[str, Hierarchy]:
    fns = {
        "year": _year,
        "host": _country("host"),
        "origin": _country("origin"),
        "profile": _mapped("profile"),
        "gender": _withheld,
        "tactics": _tactics,
        "outcome": _mapped("outcome"),
    }
    return {qi: Hierarchy(qi, _levels(qi), fn) for qi, fn in fns.items()}


def country_codes() -> list[str]:
    return list(data()["countries"]["codes"])


def countries_source() -> str:
    return data()["countries"]["source"]
