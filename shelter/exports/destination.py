"""The destination state's documented record, read from the incidents the reader may see: how many, by
tactic and by year, inside its borders and abroad, and which of them the item's capabilities serve
(an IMSI catcher ↔ surveillance of relatives at home; an extraction kit ↔ phones seized at the border;
spyware ↔ hacked exiles). Plain Python, no Django: the app passes the incidents as rows."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One incident the destination state perpetrated: its tactics, year, and whether it happened on
    its own territory (the host state is the origin state) or abroad."""
    tactics: tuple[str, ...]
    year: str
    inside: bool


def record(country: str, rows: Iterable[Row], capabilities: Iterable[dict] = ()) -> dict:
    """``capabilities``: each ``{"code", "title", "tactics": [{"code", "why"}]}``."""
    rows = list(rows)
    by_tactic, inside, abroad, by_year = Counter(), Counter(), Counter(), Counter()
    for row in rows:
        if row.year:
            by_year[row.year] += 1
        for tactic in row.tactics:
            by_tactic[tactic] += 1
            (inside if row.inside else abroad)[tactic] += 1
    capabilities = list(capabilities)
    served = {t["code"] for capability in capabilities for t in capability.get("tactics", ())}
    matches = []
    for capability in capabilities:
        for link in capability.get("tactics", ()):
            if by_tactic[link["code"]]:
                matches.append({"capability": capability["code"], "capability_title": capability.get("title", {}),
                                "tactic": link["code"], "incidents": by_tactic[link["code"]],
                                "why": link.get("why", {})})
    return {
        "country": country,
        "incidents": len(rows),
        "inside_borders": sum(1 for row in rows if row.inside),
        "abroad": sum(1 for row in rows if not row.inside),
        "incidents_by_tactic": dict(sorted(by_tactic.items(), key=lambda kv: (-kv[1], kv[0]))),
        "by_tactic_and_place": {t: {"inside": inside[t], "abroad": abroad[t]} for t in by_tactic},
        "by_year": dict(sorted(by_year.items())),
        "capability_matches": matches,
        # incidents with at least one tactic the item serves (an incident of two such tactics counts once)
        "incidents_served": sum(1 for row in rows if served & set(row.tactics)),
    }
