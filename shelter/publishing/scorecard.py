"""A state's scorecard (issue 16): what the documented incidents and legal processes say of one state,
seen as the origin that reaches abroad or as the host where it happens, over a period of years.

Pure Python, no Django: the input is plain dicts (the web views build them from the records a reader
may see; the static site from every publishable case), so the same figures come out of both.

An incident::

    {"year": 2021, "origin": "UZ", "host": "TR", "tactics": ["detention"], "outcome": "returned",
     "host_complicity": "active", "people_targeted": 1,
     "targets": [{"id": "…", "profiles": ["opposition"]}]}

A legal process::

    {"kind": "red_notice", "requesting_state": "UZ", "deciding_state": "TR", "status": "refused", "year": 2020}

Counts are of documented records, not of prevalence: the page that shows them says so.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
SHELTER_DATA = Path(__file__).resolve().parent.parent / "data"
SIDES = ("origin", "host")
# The years a scorecard may cover: Freedom House's data start in 2014, Shelter's records earlier.
FIRST_YEAR, LAST_YEAR = 1991, 2100
# Outcomes in the order a reader weighs them (the worst last), as Incident.outcome codes them.
OUTCOMES = ("detained", "returned", "imprisoned", "disappeared", "killed", "injured", "released", "protected",
            "ongoing", "unknown")
COMPLICITY = ("active", "passive", "none", "unknown")
# The processes a state starts to get a person back, and the CCF's review of Interpol's files.
REQUESTS = ("red_notice", "diffusion", "extradition", "deportation", "wanted_list", "interstate_list")
CCF = ("ccf", "ccf_access", "ccf_deletion")
STATUSES = ("pending", "active", "granted", "refused", "deleted", "appeal", "closed")
# What happened to the people sent back: incidents that ended in a return, or were a return.
RETURN_TACTICS = frozenset({"unlawful_deportation", "rendition", "abduction"})
RETURN_OUTCOMES = frozenset({"returned", "imprisoned"})


class ScopeError(ValueError):
    """A scorecard asked for something that is not one: an unknown side, a state that is not an ISO
    code, a period the wrong way round. ``field`` says which part."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Scope:
    state: str
    side: str
    from_year: int
    to_year: int

    @property
    def years(self) -> list[int]:
        return list(range(self.from_year, self.to_year + 1))

    @property
    def counterpart(self) -> str:
        """The other end of an incident: an origin's hosts, a host's origins."""
        return "host" if self.side == "origin" else "origin"


def scope(state: str, side: str, from_year, to_year) -> Scope:
    """A checked scope; raises ScopeError (never anything else) on bad input."""
    if side not in SIDES:
        raise ScopeError("side", "the side is origin or host")
    state = (state or "").strip().upper()
    if len(state) != 2 or not state.isascii() or not state.isalpha():
        raise ScopeError("state", "the state is a two-letter ISO 3166 code")
    years = []
    for name, value in (("from", from_year), ("to", to_year)):
        try:
            year = int(str(value).strip())
        except (TypeError, ValueError):
            raise ScopeError(name, "a year is four digits") from None
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ScopeError(name, f"a year between {FIRST_YEAR} and {LAST_YEAR}")
        years.append(year)
    if years[0] > years[1]:
        raise ScopeError("from", "the period starts before it ends")
    return Scope(state, side, years[0], years[1])


def year_of(date: str) -> int | None:
    """The year of a partial date 'YYYY[-MM[-DD]]', or None."""
    head = (date or "")[:4]
    return int(head) if len(head) == 4 and head.isdigit() else None


@cache
def tactic_terms() -> tuple[dict, ...]:
    return tuple(json.loads((SHELTER_DATA / "tactics.json").read_text(encoding="utf-8"))["terms"])


@cache
def physical_tactics() -> tuple[str, ...]:
    return tuple(t["code"] for t in tactic_terms() if t.get("category") == "physical")


@cache
def freedom_house_codes() -> dict[str, str]:
    """Shelter's physical tactic → Freedom House's code (abduction counts as rendition)."""
    return {t["code"]: t["freedom_house"] for t in tactic_terms() if t.get("freedom_house")}


def freedom_house_order() -> list[str]:
    return list(dict.fromkeys(freedom_house_codes().values()))


def in_scope(incident: dict, s: Scope) -> bool:
    year = incident.get("year")
    return incident.get(s.side) == s.state and year is not None and s.from_year <= year <= s.to_year


def process_in_scope(process: dict, s: Scope) -> bool:
    """A request seen from the origin is one it made; from the host, one the host decides. A CCF
    complaint is about the origin's data at Interpol: it belongs to the requesting state's card."""
    year = process.get("year")
    if year is None or not s.from_year <= year <= s.to_year:
        return False
    if process.get("kind") in CCF or s.side == "origin":
        return process.get("requesting_state") == s.state
    return process.get("deciding_state") == s.state


def _ordered(counter: Counter, order) -> list[tuple[str, int]]:
    """(code, n) pairs, known codes in their order first, then the rest by count; no zeros."""
    known = [(code, counter[code]) for code in order if counter.get(code)]
    rest = sorted(((c, n) for c, n in counter.items() if c not in order and n), key=lambda p: (-p[1], p[0]))
    return known + rest


def _by_status(processes: list[dict], kinds) -> list[dict]:
    rows = []
    for kind in kinds:
        statuses = Counter(p.get("status") or "pending" for p in processes if p.get("kind") == kind)
        if statuses:
            rows.append({"kind": kind, "total": sum(statuses.values()), "statuses": _ordered(statuses, STATUSES)})
    return rows


def build(incidents, processes, s: Scope, freedom_house: dict | None = None) -> dict:
    """The scorecard of ``s`` from every incident and process given (those out of scope are skipped)."""
    chosen = [i for i in incidents if in_scope(i, s)]
    requests = [p for p in processes if process_in_scope(p, s)]
    tactic_order = [t["code"] for t in tactic_terms()]
    physical = set(physical_tactics())
    fh = freedom_house_codes()

    by_year = {year: Counter() for year in s.years}
    tactics, fh_counts, outcomes, complicity, counterparts, returnees = (Counter() for _ in range(6))
    profile_targets: dict[str, set] = {}
    physical_count = 0
    people = 0
    for incident in chosen:
        codes = set(incident.get("tactics") or ())
        by_year[incident["year"]].update(codes or {"unrecorded"})
        tactics.update(codes)
        fh_counts.update({fh[c] for c in codes if c in fh})
        physical_count += bool(codes & physical)
        outcomes[incident.get("outcome") or "unknown"] += 1
        complicity[incident.get("host_complicity") or "unknown"] += 1
        counterparts[incident.get(s.counterpart) or ""] += 1
        people += int(incident.get("people_targeted") or 0)
        if codes & RETURN_TACTICS or incident.get("outcome") in RETURN_OUTCOMES:
            returnees[incident.get("outcome") or "unknown"] += 1
        for target in incident.get("targets") or ():
            for profile in target.get("profiles") or ("unrecorded",):
                profile_targets.setdefault(profile, set()).add(target["id"])
    counterparts.pop("", None)
    used = [c for c in tactic_order if any(by_year[y].get(c) for y in s.years)]
    if any(by_year[y].get("unrecorded") for y in s.years):
        used.append("unrecorded")
    return {
        "state": s.state, "side": s.side, "counterpart_side": s.counterpart,
        "from_year": s.from_year, "to_year": s.to_year, "years": s.years,
        "incident_count": len(chosen), "people_targeted": people, "physical_count": physical_count,
        "by_year": [{"year": y, "total": sum(1 for i in chosen if i["year"] == y),
                     "tactics": [(c, by_year[y].get(c, 0)) for c in used]} for y in s.years],
        "tactics_used": used,
        "tactics": _ordered(tactics, tactic_order),
        "physical": [(c, n) for c, n in _ordered(tactics, tactic_order) if c in physical],
        "non_physical": [(c, n) for c, n in _ordered(tactics, tactic_order) if c not in physical],
        "freedom_house_tactics": _ordered(fh_counts, freedom_house_order()),
        "profiles": _ordered(Counter({p: len(ids) for p, ids in profile_targets.items()}), ()),
        "outcomes": _ordered(outcomes, OUTCOMES),
        "complicity": _ordered(complicity, COMPLICITY),
        "returnees": _ordered(returnees, OUTCOMES),
        "counterparts": _ordered(counterparts, ()),
        "requests": _by_status(requests, REQUESTS),
        # Who asked: for a host, the states whose requests it decided (an origin asked them all itself).
        "requesting_states": _ordered(Counter(p.get("requesting_state") or "" for p in requests
                                              if p.get("kind") in REQUESTS and p.get("requesting_state")), ()),
        "ccf": _by_status(requests, CCF),
        "freedom_house": freedom_house_figures(s, freedom_house),
    }


@cache
def _freedom_house_data() -> dict:
    return json.loads((DATA / "freedom_house.json").read_text(encoding="utf-8"))


def freedom_house_figures(s: Scope, data: dict | None = None) -> dict:
    """Freedom House's published figures for the state on this side, where a source gives them;
    otherwise its global figures, as context (never a per-country figure it did not publish)."""
    data = data or _freedom_house_data()
    own = data.get("countries", {}).get(s.state, {}).get(s.side, [])
    return {"country": list(own), "global": list(data.get("global", [])), "sources": data.get("sources", {}),
            "version": data.get("version", "")}
