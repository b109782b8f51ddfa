"""Travel-risk advisory: for an exile from one state, which host and transit countries are dangerous.

A country ranks higher the more Shelter's incidents show the origin state reaching its nationals
there — detentions, extradition requests, unlawful deportations, renditions and abductions, attacks —
and the worse those incidents ended (a return or imprisonment weighs more than a release); and the
more regional treaties in force bind both that country and the origin state (data/treaties.json:
the Minsk and Chisinau conventions, the Shanghai and SCO conventions, the European Convention on
Extradition), since they give the origin state a legal route to the person.

A country with treaties but no incidents still appears, as does any country the caller names in
``candidates``: the absence of records is not proof of safety. Weights, thresholds and texts are in
data/travel.json.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from shelter import countries, wording
from shelter.assessment import facts
from shelter.assessment import sources as reference_sources
from shelter.assessment.refoulement import UnknownCountry, country_code, treaties as load_treaties

DATA = Path(__file__).parent / "data" / "travel.json"

__all__ = ["HostRisk", "UnknownCountry", "rank"]


@dataclass(frozen=True)
class HostRisk:
    country: str
    score: float
    level: str
    counts: dict  # incidents by kind and by outcome, plus "incidents" (how many were counted)
    treaties: tuple[dict, ...]
    reasons: tuple[dict, ...]

    def as_dict(self) -> dict:
        return {"country": self.country, "country_name": wording.country_name(self.country), "score": self.score,
                "level": self.level, "level_label": dict(_level_label(self.level)), "counts": dict(self.counts),
                "treaties": [dict(t) for t in self.treaties], "reasons": [dict(r) for r in self.reasons]}


@cache
def _method() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def rank(origin: str, incidents: Iterable[facts.Incident], *, treaties: Iterable[dict] | Mapping | None = None,
         candidates: Iterable[str] | None = None) -> list[HostRisk]:
    """Host and transit countries for an exile from ``origin``, most dangerous first.

    ``incidents`` may be every incident Shelter holds: only those in which ``origin`` acted
    (origin_state) in another country (host_state) count. ``treaties`` replaces data/treaties.json
    (the document or its list); ``candidates`` are countries to include even without incidents or
    treaties (the places an exile plans to travel through)."""
    origin = country_code(origin)
    treaty_list = load_treaties(treaties)
    abroad = _incidents_abroad(origin, incidents)

    by_country: dict[str, list[facts.Incident]] = {}
    for incident in abroad:
        by_country.setdefault(_upper(incident.host_state), []).append(incident)
    hosts = set(by_country) | _treaty_partners(origin, treaty_list) | {country_code(c) for c in candidates or ()}
    hosts.discard(origin)

    risks = [_host_risk(origin, host, by_country.get(host, []), treaty_list) for host in hosts]
    return sorted(risks, key=lambda r: (-r.score, r.country))


def _upper(code: str) -> str:
    return (code or "").strip().upper()


def _incidents_abroad(origin: str, incidents: Iterable[facts.Incident]) -> list[facts.Incident]:
    """The origin state's acts in other countries that bear on being detained or sent back; a host code
    that is not a country is skipped."""
    return [i for i in incidents if _upper(i.origin_state) == origin and _upper(i.host_state) != origin
            and countries.is_country(_upper(i.host_state)) and _counts(i)]


def _kinds(incident: facts.Incident) -> list[dict]:
    return [k for k in _method()["kinds"] if set(k["tactics"]) & set(incident.tactics)]


def _outcome_weight(incident: facts.Incident) -> float:
    return next((o["weight"] for o in _method()["outcomes"] if o["id"] == incident.outcome), 0)


def _counts(incident: facts.Incident) -> bool:
    # Threats or smears alone say little about being detained or sent back from that country.
    return bool(_kinds(incident) or _outcome_weight(incident))


def _treaty_partners(origin: str, treaty_list: list[dict]) -> set[str]:
    return {party for t in treaty_list if origin in t["parties"] for party in t["parties"]}


def _host_risk(origin: str, host: str, incidents: list[facts.Incident], treaty_list: list[dict]) -> HostRisk:
    counts, incident_score = _count(incidents)
    shared = [t for t in treaty_list if origin in t["parties"] and host in t["parties"]]
    score = round(incident_score + _treaty_score(shared), 2)
    level = next(band["level"] for band in _method()["levels"] if score >= band["min"])
    reasons = _reasons(origin, host, counts, shared)
    return HostRisk(host, score, level, counts, tuple(_treaty_entry(t) for t in shared), tuple(reasons))


def _count(incidents: list[facts.Incident]) -> tuple[dict, float]:
    """Counts by kind and outcome, and the incidents' score: each incident scores its heaviest kind
    (one event is not counted twice for being both a detention and an extradition request) plus the
    weight of its outcome."""
    method = _method()
    counter: Counter = Counter()
    score = 0.0
    for incident in incidents:
        matched = _kinds(incident)
        counter["incidents"] += 1
        counter.update(k["id"] for k in matched)
        if _outcome_weight(incident):
            counter[incident.outcome] += 1
        score += max((k["weight"] for k in matched), default=0) + _outcome_weight(incident)
    counts = {"incidents": counter["incidents"]}
    counts.update({k["id"]: counter[k["id"]] for k in method["kinds"]})
    counts.update({o["id"]: counter[o["id"]] for o in method["outcomes"]})
    return counts, score


def _treaty_score(shared: list[dict]) -> float:
    if not shared:
        return 0.0
    rules = _method()["treaty_scoring"]
    strongest = max(t["eases_returns"] for t in shared)
    return strongest * rules["strongest"] + rules["each_further"] * (len(shared) - 1)


def _treaty_entry(treaty: Mapping) -> dict:
    return {"id": treaty["id"], "name": dict(treaty["name"]), "short": dict(treaty["short"]),
            "eases_returns": treaty["eases_returns"], "effect": dict(treaty["effect"]),
            "source": reference_sources.as_cited(treaty["sources"][0]),
            "sources": [reference_sources.as_cited(s) for s in treaty["sources"]]}


def _reasons(origin: str, host: str, counts: dict, shared: list[dict]) -> list[dict]:
    texts, method = _method()["texts"], _method()
    origin_name, host_name = wording.country_name(origin), wording.country_name(host)
    reasons = []
    if counts["incidents"]:
        kinds = [(k["label"], counts[k["id"]]) for k in method["kinds"] if counts[k["id"]]]
        reasons.append(wording.render(texts["incidents"], count=counts["incidents"], origin=origin_name, country=host_name,
                               kinds=_tally(kinds)))
        outcomes = [(o["label"], counts[o["id"]]) for o in method["outcomes"] if counts[o["id"]]]
        if outcomes:
            reasons.append(wording.render(texts["outcomes"], outcomes=_tally(outcomes)))
    for treaty in shared:
        reasons.append(wording.render(texts["treaty"], country=host_name, origin=origin_name, treaty=treaty["short"]))
    if not reasons:
        reasons.append(dict(texts["nothing"]))
    return reasons


def _tally(items: list[tuple[dict, int]]) -> dict:
    """"detentions: 2; extradition requests: 1" — label and number, which needs no plural forms."""
    return {lang: "; ".join(f"{label[lang]}: {n}" for label, n in items) for lang in wording.LANGUAGES}


def _level_label(level: str) -> dict:
    return next(band["label"] for band in _method()["levels"] if band["level"] == level)
