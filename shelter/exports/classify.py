"""Reading the description of a proposed export and naming the Annex I entries it may fall under.

``classify(description, control_code="", parameters=None)`` runs the rules of
``data/classification.json`` over the description (English, Russian, some German and Uzbek), adjusts
their confidence by the exporter's answers to the rules' questions (``parameters``), adds the code the
exporter declared, and returns a ``Classification``: the candidate entries, highest confidence first
(a declared code first of all), each with what was seen; whether the described item is a
cyber-surveillance item in the sense of Art. 2(20) of Regulation (EU) 2021/821, listed or not; and the
capabilities it has. It says what Shelter saw; the classification stays the exporter's.
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from shelter.exports import controls
from shelter.exports.controls import ScreeningError, UnknownControlCode

__all__ = [
    "BadParameters",
    "Candidate",
    "Classification",
    "DescriptionTooLong",
    "ScreeningError",
    "Seen",
    "UnknownControlCode",
    "classify",
    "rules",
]

MAX_LENGTH = 20_000  # characters of description: an item's description, not a catalogue
MAX_WORDS = 5  # matched words kept per rule
DECLARED = "declared"
CONFIDENCE = (DECLARED, "high", "medium", "low")  # highest first
NONE = "none"  # an adjustment that drops the rule
# Folded, one character for one, so that match positions stay those of the original text.
FOLD = str.maketrans({"ё": "е", "Ё": "Е", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
                      "\u2015": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " "})


class DescriptionTooLong(ScreeningError):
    """The description is longer than MAX_LENGTH characters."""


class BadParameters(ScreeningError):
    """A parameter is unknown or has a value its question does not allow."""


class ClassificationDataError(ValueError):
    """classification.json is malformed; the message names the rule and the problem."""


@dataclass(frozen=True)
class Seen:
    """One thing Shelter saw for a candidate: a rule and the words of the description that matched it,
    or the exporter's declaration."""
    rule: str  # a rule id of classification.json, or "declared"
    words: tuple[str, ...] = ()  # the words of the description that matched (none for a declaration)
    adjusted: str = ""  # what set the confidence other than the rule's own: "parameters: ..." or "text: '...'"

    @property
    def declared(self) -> bool:
        return self.rule == DECLARED

    def describe(self, language: str = "en") -> str:
        if self.declared:
            return "заявлено экспортёром" if language == "ru" else "declared by the exporter"
        quote = ("«{}»" if language == "ru" else "'{}'").format
        text = ("правило {}: {}" if language == "ru" else "rule {}: {}").format(self.rule, ", ".join(quote(w) for w in self.words))
        if self.adjusted:
            text += (" (уточнено: {})" if language == "ru" else " (adjusted by {})").format(self.adjusted)
        return text

    def as_dict(self) -> dict:
        return {"rule": self.rule, "words": list(self.words), "adjusted": self.adjusted}


@dataclass(frozen=True)
class Candidate:
    code: str  # "5A001.f"
    list: str  # "EU Annex I"
    title: dict  # {"en": ..., "ru": ...}
    basis: tuple[Seen, ...]  # what was seen, the declaration first
    confidence: str  # "declared", "high", "medium" or "low"
    reason: dict  # {"en": ..., "ru": ...}: why this entry, from the strongest thing seen
    capabilities: tuple[str, ...] = ()

    @property
    def declared(self) -> bool:
        return self.confidence == DECLARED

    def as_dict(self) -> dict:
        return {"code": self.code, "list": self.list, "title": dict(self.title), "confidence": self.confidence,
                "basis": [seen.as_dict() for seen in self.basis], "reason": dict(self.reason),
                "capabilities": list(self.capabilities)}


@dataclass(frozen=True)
class Classification:
    candidates: list[Candidate]  # highest confidence first; a declared code first of all
    cyber_surveillance: bool  # the described item is within Art. 2(20), listed or not
    capabilities: list[str]  # in the order of capabilities.json
    declared: str = ""  # the declared code as the exporter wrote it ("" if none)
    versions: dict = field(default_factory=dict)  # {"controls": ..., "classification": ...}

    def as_dict(self) -> dict:
        return {"candidates": [c.as_dict() for c in self.candidates], "cyber_surveillance": self.cyber_surveillance,
                "capabilities": list(self.capabilities), "declared": self.declared, "versions": dict(self.versions)}


@dataclass(frozen=True)
class Adjustment:
    confidence: str
    reason: dict
    when: tuple[tuple[str, object], ...] = ()  # parameter, wanted value (or tuple of values)
    when_text: re.Pattern | None = None
    cyber_surveillance: bool | None = None

    def applies(self, text: str, parameters: dict) -> str:
        """What made it apply ("" if it does not)."""
        if self.when_text is not None:
            match = self.when_text.search(text)
            return f"text: '{match.group(0)}'" if match else ""
        for name, wanted in self.when:
            value = parameters.get(name)
            if value is None or not (value in wanted if isinstance(wanted, tuple) else value == wanted):
                return ""
        return "parameters: " + ", ".join(f"{name}={_shown(parameters[name])}" for name, _ in self.when)


@dataclass(frozen=True)
class Rule:
    id: str
    patterns: tuple[re.Pattern, ...]
    context: tuple[re.Pattern, ...]
    unless: tuple[re.Pattern, ...]
    entries: tuple[str, ...]  # codes as controls.json writes them
    confidence: str
    capabilities: tuple[str, ...]
    cyber_surveillance: bool
    reason: dict
    adjust: tuple[Adjustment, ...]
    cites: tuple
    verified: dict

    def words(self, folded: str, original: str) -> tuple[str, ...]:
        """The words of the description that fire the rule, or () when it does not fire."""
        if self.context and not any(p.search(folded) for p in self.context):
            return ()
        if any(p.search(folded) for p in self.unless):
            return ()
        found: dict[str, tuple[int, str]] = {}  # folded word -> (position, word as written)
        for pattern in self.patterns:
            for match in pattern.finditer(folded):
                start, end = _whole_words(folded, match.start(), match.end())
                word = original[start:end].strip()[:80]
                if word and (word.casefold() not in found or start < found[word.casefold()][0]):
                    found[word.casefold()] = (start, word)
        return tuple(word for _, word in sorted(found.values())[:MAX_WORDS])  # in the order of the description

    def decide(self, folded: str, parameters: dict) -> tuple[str, dict, bool, str]:
        """(confidence, reason, cyber-surveillance, what adjusted it) for a description that fires the rule."""
        for adjustment in self.adjust:
            why = adjustment.applies(folded, parameters)
            if why:
                cs = self.cyber_surveillance if adjustment.cyber_surveillance is None else adjustment.cyber_surveillance
                return adjustment.confidence, adjustment.reason, cs, why
        return self.confidence, self.reason, self.cyber_surveillance, ""


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """A match widened to whole words: 'ИМСИ-ловушк' of 'ИМСИ-ловушка' is shown as the word."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def _shown(value) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _bilingual(where: str, value) -> dict:
    if not isinstance(value, dict) or any(not str(value.get(language, "")).strip() for language in controls.LANGUAGES):
        raise ClassificationDataError(f"classification.json: {where}: needs non-empty English and Russian text")
    return dict(value)


def _compile(where: str, patterns) -> tuple[re.Pattern, ...]:
    if not isinstance(patterns, list) or not all(isinstance(p, str) and p for p in patterns):
        raise ClassificationDataError(f"classification.json: {where}: patterns must be a list of regular expressions")
    try:
        return tuple(re.compile(p, re.IGNORECASE) for p in patterns)
    except re.error as error:
        raise ClassificationDataError(f"classification.json: {where}: {error}") from None


@cache
def _data() -> tuple[str, dict, tuple[Rule, ...], tuple[str, ...]]:
    data = json.loads((controls.DATA / "classification.json").read_text(encoding="utf-8"))
    parameters = data["parameters"]
    for name, spec in parameters.items():
        if spec.get("type") not in ("bool", "choice") or (spec["type"] == "choice" and not spec.get("choices")):
            raise ClassificationDataError(f"classification.json: parameter {name}: type must be bool, or choice with choices")
        _bilingual(f"parameter {name}", spec.get("question"))
    capabilities = {c.code for c in controls.capabilities()}
    rules, ids = [], set()
    for item in data["rules"]:
        rid = item.get("id", "")
        if not rid or rid in ids:
            raise ClassificationDataError(f"classification.json: rule {rid or '?'}: missing or repeated id")
        ids.add(rid)
        for code in item.get("entries", []):
            if controls.find(code) is None or controls.find(code).code != code:
                raise ClassificationDataError(f"classification.json: rule {rid}: entry {code!r} is not in controls.json")
        if item.get("confidence") not in CONFIDENCE[1:]:
            raise ClassificationDataError(f"classification.json: rule {rid}: confidence must be one of {CONFIDENCE[1:]}")
        if any(c not in capabilities for c in item.get("capabilities", [])):
            raise ClassificationDataError(f"classification.json: rule {rid}: a capability is not in capabilities.json")
        adjustments = []
        for number, adjust in enumerate(item.get("adjust", []), 1):
            where = f"rule {rid}, adjustment {number}"
            if adjust.get("confidence") not in CONFIDENCE[1:] + (NONE,):
                raise ClassificationDataError(f"classification.json: {where}: confidence must be one of {CONFIDENCE[1:] + (NONE,)}")
            when = []
            for name, wanted in adjust.get("when", {}).items():
                values = tuple(wanted) if isinstance(wanted, list) else (wanted,)
                if name not in parameters or any(not _allowed(parameters[name], v) for v in values):
                    raise ClassificationDataError(f"classification.json: {where}: parameter {name}={wanted!r} is not a question's answer")
                when.append((name, tuple(wanted) if isinstance(wanted, list) else wanted))
            text = _compile(where, [adjust["when_text"]])[0] if "when_text" in adjust else None
            if bool(when) == bool(text):
                raise ClassificationDataError(f"classification.json: {where}: give either 'when' or 'when_text'")
            adjustments.append(Adjustment(adjust["confidence"], _bilingual(where, adjust.get("reason")), tuple(when), text,
                                          adjust.get("cyber_surveillance")))
        cites, verified = item.get("cites"), item.get("verified")
        if not cites or not isinstance(verified, dict) or verified.get("how") not in controls.HOW:
            raise ClassificationDataError(f"classification.json: rule {rid}: needs cites and verified")
        rules.append(Rule(rid, _compile(f"rule {rid}", item.get("patterns")), _compile(f"rule {rid} context", item.get("context", [])) if item.get("context") else (),
                          _compile(f"rule {rid} unless", item.get("unless", [])) if item.get("unless") else (),
                          tuple(item.get("entries", [])), item["confidence"], tuple(item.get("capabilities", [])),
                          bool(item.get("cyber_surveillance")), _bilingual(f"rule {rid}", item.get("reason")), tuple(adjustments),
                          tuple(cites), dict(verified)))
    return data["version"], parameters, tuple(rules), tuple(data.get("negative_examples", []))


def _allowed(spec: dict, value) -> bool:
    return isinstance(value, bool) if spec["type"] == "bool" else value in spec["choices"]


def version() -> str:
    return _data()[0]


def rules() -> tuple[Rule, ...]:
    return _data()[2]


def parameters() -> dict:
    """The questions a rule may ask: {name: {"type": "bool" | "choice", "choices": [...], "question": {"en", "ru"}}}."""
    return json.loads(json.dumps(_data()[1]))


def negative_examples() -> tuple[str, ...]:
    """Descriptions of items that are not surveillance technology, which must match no rule."""
    return _data()[3]


def _checked(values: Mapping | None) -> dict:
    if values is None:
        return {}
    if not isinstance(values, Mapping):
        raise BadParameters({"en": "Parameters must be given as names and values.", "ru": "Параметры задаются как имена и значения."})
    known = _data()[1]
    checked = {}
    for name, value in values.items():
        if name not in known:
            raise BadParameters({"en": f"Unknown parameter {name!r}; the questions are: {', '.join(known)}.",
                                 "ru": f"Неизвестный параметр {name!r}; вопросы: {', '.join(known)}."})
        if value is None:
            continue  # not answered
        if not _allowed(known[name], value):
            allowed = "true or false" if known[name]["type"] == "bool" else ", ".join(known[name]["choices"])
            allowed_ru = "true или false" if known[name]["type"] == "bool" else ", ".join(known[name]["choices"])
            raise BadParameters({"en": f"Parameter {name!r} cannot be {value!r}: give {allowed}.",
                                 "ru": f"Параметр {name!r} не может быть {value!r}: допустимо {allowed_ru}."})
        checked[name] = value
    return checked


def classify(description: str, control_code: str = "", parameters: Mapping | None = None) -> Classification:
    """The Annex I entries a described item may fall under. DescriptionTooLong for a description over
    MAX_LENGTH characters, BadParameters for an unknown question or answer, UnknownControlCode for a
    declared code Shelter does not hold — each a ScreeningError (ValueError) with a reason in English
    and Russian."""
    description = description or ""
    if not isinstance(description, str):
        raise ScreeningError({"en": "The description must be text.", "ru": "Описание должно быть текстом."})
    if len(description) > MAX_LENGTH:
        raise DescriptionTooLong({
            "en": f"The description has {len(description)} characters; Shelter reads at most {MAX_LENGTH}. Describe the item itself.",
            "ru": f"В описании {len(description)} символов; Shelter читает не более {MAX_LENGTH}. Опишите сам товар."})
    answers = _checked(parameters)
    declared = controls.entry(control_code) if (control_code or "").strip() else None

    folded = description.translate(FOLD)
    seen: dict[str, list] = {}  # code -> [(rank, order, confidence, reason, Seen)]
    cyber_surveillance, capabilities = False, set()
    order = 0
    if declared is not None:
        seen[declared.code] = [(0, order, DECLARED, None, Seen(DECLARED))]
        cyber_surveillance |= declared.cyber_surveillance_listed
        capabilities.update(declared.capabilities)
    for rule in rules():
        words = rule.words(folded, description)
        if not words:
            continue
        confidence, reason, cs, adjusted = rule.decide(folded, answers)
        if confidence == NONE:
            continue
        cyber_surveillance |= cs
        capabilities.update(rule.capabilities)
        for code in rule.entries:
            order += 1
            seen.setdefault(code, []).append((CONFIDENCE.index(confidence), order, confidence, reason, Seen(rule.id, words, adjusted)))

    candidates = []
    for code, sightings in seen.items():
        sightings.sort(key=lambda s: (s[0], s[1]))
        best = sightings[0]
        entry = controls.entry(code)
        reason = best[3] if best[2] != DECLARED else _declared_reason(len(sightings) > 1)
        candidates.append((best[0], min(s[1] for s in sightings), Candidate(
            code=entry.code, list=entry.list, title=dict(entry.title), basis=tuple(s[4] for s in sightings),
            confidence=best[2], reason=dict(reason), capabilities=entry.capabilities)))
    candidates.sort(key=lambda c: (c[0], c[1]))
    order_of = {c.code: i for i, c in enumerate(controls.capabilities())}
    return Classification(
        candidates=[c[2] for c in candidates], cyber_surveillance=cyber_surveillance,
        capabilities=sorted(capabilities, key=lambda c: order_of.get(c, len(order_of))),
        declared=(control_code or "").strip() if declared else "",
        versions={"controls": controls.version(), "classification": version()})


def _declared_reason(also_seen: bool) -> dict:
    if also_seen:
        return {"en": "Declared by the exporter; Shelter's reading of the description points to it too. The classification stays the exporter's.",
                "ru": "Заявлено экспортёром; прочтение описания Shelter тоже указывает на этот пункт. Классификация остаётся за экспортёром."}
    return {"en": "Declared by the exporter; Shelter's reading of the description did not point to it. The classification stays the exporter's.",
            "ru": "Заявлено экспортёром; прочтение описания Shelter на этот пункт не указывает. Классификация остаётся за экспортёром."}
