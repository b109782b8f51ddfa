"""Reading and checking the abuse-indicator rules file (``data/indicators.json``).

The file decides which indicators exist, their weights, thresholds, labels, citations and the advice they
lead to, and how their evidence is worded (its ``evidence`` wordings and ``evidence_terms`` words, in each
language); the code only offers the named checks (``indicator_checks.CHECKS``) they call. A rule the code
cannot honour — an unknown check, a missing label, citation, parameter or wording — is refused at load time
with the rule and the reason, rather than silently skipped in an assessment.
"""

import json
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from shelter import thesaurus
from shelter.assessment.indicator_checks import CHECKS, Join, Label, Say, Term
from shelter.wording import LANGUAGES, PLURAL_FORMS, number, plural_form

DATA = Path(__file__).parent / "data" / "indicators.json"

LEVELS = ("strong", "moderate", "weak")  # "none" below the weakest
CONDITIONS = {"levels", "request_kinds", "processes", "notice_not_public", "rules_fired"}


class RulesError(ValueError):
    """The rules file cannot be used; the message names the rule and the reason."""


@dataclass(frozen=True)
class Wording:
    """How evidence is worded: the ``evidence`` section (wordings by id: a text per language, or plural
    forms) and ``evidence_terms`` (words by group and code, per language) of the rules file."""
    evidence: dict[str, dict]
    terms: dict[str, dict[str, dict[str, str]]]

    def render(self, value, says: Iterable[str] | None = None, terms: Iterable[str] | None = None) -> dict[str, str]:
        """What a check said (a Say, Term, Label, Join or plain value), in words, in each language. With
        ``says`` and ``terms`` (what the check declared), a wording or term group it did not declare is an
        error, as is one the file lacks: a check must never say what the rules file cannot word."""
        self._verify(value, None if says is None else set(says), None if terms is None else set(terms))
        return {language: self._words(value, language) for language in LANGUAGES}

    def _verify(self, value, says, terms) -> None:
        if isinstance(value, Say):
            if value.id not in self.evidence:
                raise RulesError(f"the evidence section has no wording {value.id!r}")
            if says is not None and value.id not in says:
                raise RulesError(f"a check says {value.id!r} without declaring it")
            for _, part in value.values:
                self._verify(part, says, terms)
        elif isinstance(value, Term):
            if value.group not in self.terms:
                raise RulesError(f"evidence_terms has no group {value.group!r}")
            if terms is not None and value.group not in terms:
                raise RulesError(f"a check uses the terms {value.group!r} without declaring them")
            if value.fallback is not None:
                self._verify(value.fallback, says, terms)
        elif isinstance(value, Join):
            for part in (*value.items, value.separator):
                self._verify(part, says, terms)

    def _words(self, value, language: str) -> str:
        if isinstance(value, Say):
            template = self.evidence[value.id][language]
            if isinstance(template, dict):
                template = template[plural_form(language, value.count)]
            try:
                return template.format(**{name: self._words(part, language) for name, part in value.values})
            except KeyError as e:
                raise RulesError(f"evidence {value.id!r}: the {language!r} text needs {{{e.args[0]}}}, "
                                 "which the check does not give") from e
        if isinstance(value, Term):
            entry = self.terms[value.group].get(value.code)
            if entry:
                return entry[language]
            return self._words(value.fallback, language) if value.fallback is not None else value.code
        if isinstance(value, Label):
            return thesaurus.label(value.vocabulary, value.code, language)
        if isinstance(value, Join):
            return self._words(value.separator, language).join(self._words(item, language) for item in value.items)
        if isinstance(value, bool) or value is None:
            raise TypeError(f"evidence values are text, numbers or words, not {value!r}")
        if isinstance(value, (int, float)):
            return number(value, language)
        return str(value)


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
    wording: Wording = field(default_factory=lambda: Wording({}, {}))
    citations_ru: dict[str, str] = field(default_factory=dict)  # each legal basis and citation in Russian

    def recommendation(self, key: str) -> Recommendation:
        return next(r for r in self.recommendations if r.id == key)

    def evidence(self, rule: Rule, said: Iterable) -> tuple[dict[str, str], ...]:
        """The evidence a rule's check found, in words ({"en": ..., "ru": ...} each)."""
        check = CHECKS[rule.kind]
        return tuple(self.wording.render(item, _wordings_of(rule), check.terms) for item in said)


def _wordings_of(rule: Rule) -> set[str]:
    check = CHECKS[rule.kind]
    return set(check.says) | {rule.params[name] for name in check.wording_params if name in rule.params}


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
    wording = _wording(data, fail)
    rules = tuple(_rule(raw, set(known_advice), wording, fail) for raw in data.get("rules", []))
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
    citations_ru = data.get("citations_ru", {})
    cited = {c for rule in rules for c in rule.legal_basis} | {c for advice in recommendations for c in advice.citations}
    if untranslated := sorted(cited - set(citations_ru)):
        fail(f"citations without their Russian in citations_ru: {untranslated[:3]}")
    return RuleSet(data["version"], _levels(data.get("levels"), fail), rules, recommendations, wording, citations_ru)


def _rule(raw: dict, known_advice: set[str], wording: Wording, fail) -> Rule:
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
    for parameter in CHECKS[kind].wording_params:
        if parameter in params and not isinstance(params[parameter], str):
            fail(f"rule {name!r}: parameter {parameter} must name a wording of the evidence section")
    advice = tuple(raw.get("recommendations", ()))
    if unknown := [key for key in advice if key not in known_advice]:
        fail(f"rule {name!r} refers to unknown recommendation(s) {unknown}")
    rule = Rule(name, kind, float(weight), label, tuple(legal_basis), params, advice)
    if missing := sorted(_wordings_of(rule) - set(wording.evidence)):
        fail(f"rule {name!r}: the evidence section has no wording {', '.join(map(repr, missing))}")
    if missing := sorted(set(CHECKS[kind].terms) - set(wording.terms)):
        fail(f"rule {name!r}: evidence_terms has no group {', '.join(map(repr, missing))}")
    return rule


def _wording(data: dict, fail) -> Wording:
    evidence, terms = data.get("evidence"), data.get("evidence_terms")
    if not isinstance(evidence, dict) or not isinstance(terms, dict):
        fail("the evidence and evidence_terms sections are missing: they word the evidence of the indicators")
    for key, wording in evidence.items():
        if not isinstance(wording, dict):
            fail(f"evidence {key!r} is missing")
        fields = {language: _fields(wording.get(language), language, f"evidence {key!r}", fail) for language in LANGUAGES}
        if len({frozenset(names) for names in fields.values()}) > 1:
            fail(f"evidence {key!r}: the languages fill different placeholders ({fields})")
    for group, words in terms.items():
        if not isinstance(words, dict):
            fail(f"evidence_terms {group!r} must map codes to words")
        for code, word in words.items():
            _texts(word, f"evidence_terms {group!r}: {code!r}", fail)
    return Wording(evidence, terms)


def _fields(template, language: str, what: str, fail) -> list[str]:
    """The placeholders of one language's wording (plain text, or its plural forms)."""
    if isinstance(template, dict):
        if missing := [form for form in PLURAL_FORMS[language] if form not in template]:
            fail(f"{what} has no {language!r} plural form(s) {', '.join(missing)}")
        texts = [template[form] for form in PLURAL_FORMS[language]]
    else:
        texts = [template]
    names = []
    for text in texts:
        if not isinstance(text, str) or not text.strip():
            fail(f"{what} has no {language!r} text")
        try:
            names += [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
        except ValueError as e:
            fail(f"{what}: the {language!r} text is malformed ({e})")
    if any(not name.isidentifier() for name in names):
        fail(f"{what}: placeholders are plain names, such as {{state}}")
    return sorted(set(names))


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
