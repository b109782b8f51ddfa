"""A brief's recommendations, drawn from its scorecard by the rules of data/recommendations.json.

Pure Python, no Django. Each recommendation carries its text in both languages, the states it names,
the figures that triggered it and the rule's sources, so a reader can check why it was made.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from shelter import countries

from .scorecard import RETURN_OUTCOMES, RETURN_TACTICS, Scope, in_scope

DATA = Path(__file__).parent / "data" / "recommendations.json"
ASSESSMENT_COUNTRIES = Path(__file__).resolve().parent.parent / "assessment" / "data" / "countries.json"


@cache
def rules() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@cache
def very_high_return_risk() -> frozenset[str]:
    """States whose country profile holds a statement of grave or systematic concern."""
    level = rules()["return_risk"]["very_high_level"]
    profiles = json.loads(ASSESSMENT_COUNTRIES.read_text(encoding="utf-8"))["countries"]
    return frozenset(code for code, p in profiles.items() if any(s.get("level", 0) >= level for s in p["statements"]))


def _states(codes, language: str) -> str:
    return ", ".join(countries.name(c, language) for c in codes)


def recommend(card: dict, incidents, s: Scope, data: dict | None = None, high_risk=None) -> list[dict]:
    """Every rule of ``data`` (the data file by default) that the scorecard ``card`` of ``s`` meets."""
    data = data or rules()
    high_risk = very_high_return_risk() if high_risk is None else high_risk
    by_code = {r["code"]: r for r in data["rules"]}
    found = []

    def add(code, states, **extra):
        rule = by_code[code]
        text = {lang: rule["text"][lang].format(states=_states(states, lang), **{k: v[lang] for k, v in extra.items()})
                for lang in ("en", "ru")}
        found.append({"code": code, "text": text, "states": list(states), "sources": rule["sources"]})
        return found[-1]

    if s.side == "host" and "halt_returns" in by_code:
        returned_to = sorted({i["origin"] for i in incidents if in_scope(i, s) and i.get("origin") in high_risk and (
            set(i.get("tactics") or ()) & RETURN_TACTICS or i.get("outcome") in RETURN_OUTCOMES)})
        if returned_to:
            add("halt_returns", returned_to)
    if s.side == "host" and "review_interpol_requests" in by_code:
        requesting = sorted(state for state, _ in card["requesting_states"])
        if card["requests"] and requesting:
            add("review_interpol_requests", requesting)
    trade = data.get("trade", {}).get(s.state)
    if s.side == "origin" and trade and card["incident_count"] and "trade_conditionality" in by_code:
        made = add("trade_conditionality", [s.state], arrangement=trade["arrangement"])
        made["sources"] = [*made["sources"], trade["source"]]
        made["uncertain"] = bool(trade.get("uncertain"))
    return found
