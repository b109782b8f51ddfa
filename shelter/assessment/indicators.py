"""Indicators that a Red Notice, diffusion or extradition request abuses Interpol or extradition to
pursue a person for political reasons.

``assess`` runs the rules of ``data/indicators.json`` (read and checked by ``indicator_rules``; the
checks they call are in ``indicator_checks``) over the facts of one request, and lists each indicator
that fires with its evidence and citations, a score (the sum of their weights), a level and advice.
Labels, advice and evidence come in English and Russian ({"en": ..., "ru": ...}), worded by the rules
file. It weighs signs; it does not decide: a lawyer reads the evidence.
"""

import datetime
from dataclasses import dataclass

from shelter.assessment import charges as charge_table
from shelter.assessment import facts, indicator_rules
from shelter.assessment.indicator_checks import CHECKS, Case
from shelter.assessment.indicator_rules import Recommendation, RulesError, RuleSet

__all__ = ["Advice", "Assessment", "Indicator", "RulesError", "assess", "load_rules"]

LIVE_PROCESS = ("pending", "active", "appeal")


@dataclass(frozen=True)
class Indicator:
    id: str
    label: dict[str, str]
    weight: float  # the rule's weight times how strongly the facts fit
    evidence: tuple[dict[str, str], ...]  # each {"en": ..., "ru": ...}
    citations: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"id": self.id, "label": dict(self.label), "weight": _number(self.weight),
                "evidence": [dict(line) for line in self.evidence], "citations": list(self.citations)}


@dataclass(frozen=True)
class Advice:
    id: str
    text: dict[str, str]
    citations: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"id": self.id, "text": dict(self.text), "citations": list(self.citations)}


@dataclass(frozen=True)
class Assessment:
    rules_version: str
    indicators: tuple[Indicator, ...]
    score: float
    level: str  # strong, moderate, weak, none
    recommendations: tuple[Advice, ...]
    charges_version: str = ""
    charges: tuple[charge_table.Classification, ...] = ()
    levels: tuple[tuple[str, float], ...] = ()  # each level and the score it starts from, highest first

    def as_dict(self) -> dict:
        return {
            "thresholds": {level: _number(minimum) for level, minimum in self.levels},
            "rules_version": self.rules_version,
            "charges_version": self.charges_version,
            "score": _number(self.score),
            "level": self.level,
            "indicators": [indicator.as_dict() for indicator in self.indicators],
            "recommendations": [advice.as_dict() for advice in self.recommendations],
            "charges": [{"text": c.text, "state": c.state, "articles": list(c.articles),
                         "categories": list(c.categories), "flags": list(c.flags)} for c in self.charges],
        }


def load_rules(path=None) -> RuleSet:
    """The rules file at ``path`` (default: ``data/indicators.json``), checked; RulesError says why not."""
    return indicator_rules.load_rules(path)


def assess(request: facts.Request, person: facts.Person | None, record: facts.StateRecord | None, *,
           rules: RuleSet | None = None, today: datetime.date | None = None) -> Assessment:
    rules = rules or indicator_rules.default_rules()
    table = charge_table.default_table()
    classified = tuple((charge, charge_table.classify_charge(charge, request.requesting_state, table=table))
                       for charge in request.charges)
    case = Case(request, person or facts.Person(), record, classified, today or datetime.date.today())
    indicators = tuple(_run(rule, case, rules) for rule in rules.rules)
    indicators = tuple(indicator for indicator in indicators if indicator is not None)
    score = round(sum(indicator.weight for indicator in indicators), 1)
    level = _level(score, rules)
    return Assessment(
        rules_version=rules.version,
        indicators=indicators,
        score=score,
        level=level,
        recommendations=_advice(rules, case, indicators, level),
        charges_version=table.version,
        charges=tuple(classification for _, classification in classified),
        levels=tuple(rules.levels),
    )


def _run(rule, case: Case, rules: RuleSet) -> Indicator | None:
    finding = CHECKS[rule.kind].function(rule.params, case)
    if finding is None:
        return None
    return Indicator(rule.id, rule.label, round(rule.weight * finding.strength, 1),
                     rules.evidence(rule, finding.evidence), rule.legal_basis)


def _level(score: float, rules: RuleSet) -> str:
    return next((level for level, minimum in rules.levels if score >= minimum), "none")


# -- advice ---------------------------------------------------------------------------------------------

def _advice(rules: RuleSet, case: Case, indicators: tuple[Indicator, ...], level: str) -> tuple[Advice, ...]:
    fired = {indicator.id for indicator in indicators}
    asked_by_rules = {key for rule in rules.rules if rule.id in fired for key in rule.recommendations}
    given = [r for r in rules.recommendations
             if r.id in asked_by_rules or any(_holds(when, case, fired, level) for when in r.when)]
    return tuple(_as_advice(r) for r in given)


def _as_advice(recommendation: Recommendation) -> Advice:
    return Advice(recommendation.id, recommendation.text, recommendation.citations)


def _holds(when: dict, case: Case, fired: set[str], level: str) -> bool:
    """Every condition of one alternative holds (indicator_rules.CONDITIONS lists them)."""
    request = case.request
    tests = {
        "levels": lambda levels: level in levels,
        "request_kinds": lambda kinds: request.kind in kinds,
        "processes": lambda rule: any(p.kind in rule["kinds"] and p.status in rule.get("statuses", LIVE_PROCESS)
                                        for p in case.person.processes),
        "notice_not_public": lambda expected: _not_public(request) == expected,
        "rules_fired": lambda ids: bool(fired & set(ids)),
    }
    return all(tests[name](value) for name, value in when.items())


def _not_public(request: facts.Request) -> bool:
    # A diffusion is never published; a notice is not public when the record says so.
    return request.kind == "diffusion" or (request.kind == "red_notice" and request.public is False)


def _number(value: float):
    return int(value) if float(value).is_integer() else value
