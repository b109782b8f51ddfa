"""The open incident dataset: coded facts in, k-anonymous rows out (issue 16).

Pure Python, no Django: the app reads incidents into ``Facts`` (codes only — no names, narratives,
places, references or dates finer than the year ever reach this module) and this module decides
what may be published and how coarsely.

Two sets of rows come out. The k-anonymous rows: the quasi-identifiers generalised and rows
suppressed by ``anonymise``. And the named rows: incidents whose every target consented to be named
and which a public source already reports, published at full detail in a resource of their own —
mixed into the k-anonymous rows they would form groups smaller than k by design.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from shelter import thesaurus

from .anonymise import Result, anonymise
from .hierarchies import WITHHELD, tactics_value

COLUMNS_FILE = Path(__file__).parent / "data" / "columns.json"
QUASI_IDENTIFIERS = ("year", "origin", "host", "tactics", "profile", "gender", "outcome")
SENSITIVE = "outcome"  # the attribute l-diversity protects: it then stops being a quasi-identifier


@cache
def columns_data() -> dict:
    return json.loads(COLUMNS_FILE.read_text(encoding="utf-8"))


def column_names() -> list[str]:
    return [c["name"] for c in columns_data()["columns"]]


@dataclass(frozen=True)
class Facts:
    """One incident as the dataset sees it: codes only."""

    year: int
    origin: str
    host: str
    tactics: tuple[str, ...]
    profile: str
    gender: str
    outcome: str
    complicity: str
    named: bool = False  # every target consented to be named and a public source reports it

    def row(self) -> dict:
        return {
            "year": str(self.year),
            "origin": self.origin,
            "host": self.host,
            "tactics": tactics_value(self.tactics),
            "profile": self.profile,
            "gender": self.gender,
            "outcome": self.outcome,
            "complicity": self.complicity,
        }


@dataclass
class Publication:
    rows: list[dict]  # k-anonymous
    named_rows: list[dict]  # full detail, by consent
    quasi_identifiers: list[str]
    k: int
    l_diversity: int | None
    report: dict


@cache
def _freedom_house_codes() -> dict[str, str]:
    return {t["code"]: t["freedom_house"] for t in thesaurus.terms("tactics") if t.get("freedom_house")}


def _with_freedom_house(row: dict) -> dict:
    """Add the columns that line up with Freedom House's data, read from the (possibly generalised)
    tactics: the FH codes only while the set of tactics is published as it is."""
    tactics = row["tactics"]
    out = dict(row)
    if tactics == WITHHELD:
        out["physical"], out["fh_tactics"] = None, WITHHELD
    elif tactics in ("physical", "non_physical"):
        out["physical"] = tactics == "physical"
        out["fh_tactics"] = WITHHELD if out["physical"] else ""
    else:
        codes = sorted({_freedom_house_codes()[c] for c in tactics.split("+") if c in _freedom_house_codes()})
        out["physical"], out["fh_tactics"] = bool(codes), "+".join(codes)
    return {name: out.get(name, "") for name in column_names()}


def _sorted(rows: list[dict]) -> list[dict]:
    """In the order of their values: the order of the records would tell when each was entered."""
    return sorted(rows, key=lambda r: tuple(str(r[c]) for c in column_names()))


def publish(
    facts: list[Facts],
    k: int,
    *,
    max_suppression: float = 0.05,
    l_diversity: int | None = None,
) -> Publication:
    """Raises ``anonymise.NoSolution`` when k (and l) cannot be met within the suppression budget."""
    qis = [q for q in QUASI_IDENTIFIERS if not (l_diversity and q == SENSITIVE)]
    protected = [f.row() for f in facts if not f.named]
    named = [f.row() for f in facts if f.named]
    result: Result = anonymise(
        protected, qis, k, max_suppression=max_suppression,
        l_diversity=(SENSITIVE, l_diversity) if l_diversity else None,
    )
    report = dict(result.report, rows_named=len(named))
    return Publication(
        rows=_sorted([_with_freedom_house(r) for r in result.rows]),
        named_rows=_sorted([_with_freedom_house(r) for r in named]),
        quasi_identifiers=qis,
        k=k,
        l_diversity=l_diversity,
        report=report,
    )
