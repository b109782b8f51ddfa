"""Reading and checking the abuse-indicator rules file (``data/indicators.json``).

The file decides which indicators exist, their weights, thresholds, labels, citations and the advice they
lead to; the code only offers the named checks (``indicator_checks.CHECKS``) they call. A rule the code
cannot honour — an unknown check, a missing label, citation or parameter — is refused at load time with
the rule and the reason, rather than silently skipped in an assessment.
"""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from shelter.assessment.indicator_checks import CHECKS

DATA = Path(__file__).parent / "data" / "indicators.json"

LANGUAGES = ("en", "ru")
LEVELS = ("strong", "moderate", "weak")  # "none" below the weakest
CONDITIONS = {"levels", "request_kinds", "processes", "notice_not_public", "rules_fired"}


class RulesError(ValueError):
    """The rules file cannot be used; the message names the rule and the reason."""


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    weight: float
    label: dict[str, str]
    legal_basis: tuple[str, ...]
    params: dict = field(default_factory=dict)
    recommendations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recommendation:
    id: str
    text: dict[str, str]
    when: tuple[dict, ...] = ()  # alternatives: given when all conditions of any one hold
    citations: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleSet:
    version: str
    levels: tuple[tuple[str, float], ...]  # (level, minimum score), strongest first
    rules: tuple[Rule, ...]
    recommendations: tuple[Recommendation, ...]

    def recommendation(self, key: str) -> Recommendation:
        return next(r for r in self.recommendations if r.id == key)


@cache
def default_rules() -> RuleSet:
    return load_rules()


def load_rules(path: Path | str | None = None) -> RuleSet:
    path = Path(path or DATA)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise RulesError(f"{path.name}: not valid JSON ({e})") from e
    return parse_rules(data, origin=path.name)


def parse_rules(data: dict, origin: str = "rules") -> RuleSet:
    def fail(message: str):
        raise RulesError(f"{origin}: {message}")

    if not data.get("version"):
        fail("no version: an assessment must name the rules that made it")
    recommendations = tuple(_recommendation(raw, fail) for raw in data.get("recommendations", []))
    known_advice = [r.id for r in recommendations]
    if len(set(known_advice)) != len(known_advice):
        fail("a recommendation id appears twice")
    rules = tuple(_rule(raw, set(known_advice), fail) for raw in data.get("rules", []))
    if not rules:
        fail("no rules")
    ids = [rule.id for rule in rules]
    if len(set(ids)) != len(ids):
        fail(f"rule ids appear twice: {sorted({i for i in ids if ids.count(i) > 1})}")
    for advice in recommendations:
        for alternative in advice.when:
            unknown = set(alternative.get("rules_fired", ())) - set(ids)
            if unknown:
                fail(f"recommendation {advice.id!r} waits for unknown rules {sorted(unknown)}")
    return RuleSet(data["version"], _levels(data.get("levels"), fail), rules, recommendations)


def _rule(raw: dict, known_advice: set[str], fail) -> Rule:
    name = raw.get("id") or fail("a rule has no id")
    kind = raw.get("kind")
    if kind not in CHECKS:
        fail(f"rule {name!r} has unknown kind {kind!r}: the code offers {', '.join(sorted(CHECKS))}")
    weight = raw.get("weight")
    if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight <= 0:
        fail(f"rule {name!r}: weight must be a positive number, not {weight!r}")
    label = _texts(raw.get("label"), f"rule {name!r}: label", fail)
    legal_basis = raw.get("legal_basis")
    if not isinstance(legal_basis, list) or not legal_basis or not all(isinstance(c, str) and c.strip() for c in legal_basis):
        fail(f"rule {name!r} cites no legal basis: every rule must say what it rests on")
    params = raw.get("params", {})
    missing = [p for p in CHECKS[kind].required if p not in params]
    if missing:
        fail(f"rule {name!r}: kind {kind!r} needs parameter(s) {', '.join(missing)}")
    if CHECKS[kind].validate:
        try:
            CHECKS[kind].validate(params)
        except (ValueError, KeyError, TypeError) as e:
            fail(f"rule {name!r}: {e}")
    advice = tuple(raw.get("recommendations", ()))
    if unknown := [key for key in advice if key not in known_advice]:
        fail(f"rule {name!r} refers to unknown recommendation(s) {unknown}")
    return Rule(name, kind, float(weight), label, tuple(legal_basis), params, advice)


def _recommendation(raw: dict, fail) -> Recommendation:
    name = raw.get("id") or fail("a recommendation has no id")
    text = _texts(raw.get("text"), f"recommendation {name!r}: text", fail)
    when = raw.get("when", [])
    when = [when] if isinstance(when, dict) else when
    for alternative in when:
        if unknown := set(alternative) - CONDITIONS:
            fail(f"recommendation {name!r}: unknown condition(s) {sorted(unknown)} (known: {', '.join(sorted(CONDITIONS))})")
        if bad := set(alternative.get("levels", ())) - set(LEVELS) - {"none"}:
            fail(f"recommendation {name!r}: unknown level(s) {sorted(bad)}")
        if "processes" in alternative and not alternative["processes"].get("kinds"):
            fail(f"recommendation {name!r}: the processes condition names no kinds")
    return Recommendation(name, text, tuple(when), tuple(raw.get("citations", ())))


def _texts(value, what: str, fail) -> dict[str, str]:
    if not isinstance(value, dict):
        fail(f"{what} is missing")
    for language in LANGUAGES:
        if not (value.get(language) or "").strip():
            fail(f"{what} has no {language!r} text")
    return dict(value)


def _levels(raw, fail) -> tuple[tuple[str, float], ...]:
    if not isinstance(raw, dict) or set(raw) != set(LEVELS):
        fail(f"levels must give the minimum score of each of {', '.join(LEVELS)}")
    minimums = [raw[level] for level in LEVELS]
    if not all(isinstance(m, (int, float)) for m in minimums) or not minimums[0] > minimums[1] > minimums[2] > 0:
        fail(f"levels must rise: 0 < weak < moderate < strong (got {raw})")
    return tuple((level, float(raw[level])) for level in LEVELS)
