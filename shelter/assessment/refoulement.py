"""Non-refoulement risk assessment: would returning this person to that state expose them to a real risk
of torture or ill-treatment?

Structured as the European Court of Human Rights and the UN Committee against Torture reason
(data/refoulement.json cites the judgments): "substantial grounds for believing there is a real risk"
(Soering; Saadi), an absolute prohibition (Chahal), risk assessed at the time of the decision,
membership of a group systematically at risk as enough (Saadi § 132), a flagrant denial of justice as
a bar of its own (Othman), and the individual factors of CAT General Comment No. 4.

- Individual factors come from the facts (charges, profiles, incidents, requests, asylum, interim
  measures) and from what the user states (``manual``).
- General factors come from the destination's country profile (data/countries.json, each statement
  with its sources) and from Shelter's own count of what became of people returned there.
- Diplomatic assurances are weighed by the Othman v. United Kingdom § 189 criteria and can lower the
  level by one step only when they meet most criteria and the destination has no record of breaking
  them.

Decision on countries: a destination that is not an ISO 3166-1 code (or a state that no longer
exists) is refused with ``UnknownCountry``; a valid code without a country profile is assessed as
``insufficient_information``, with the individual factors still listed, because a return can be
planned to any country and the caseworker needs to know what is missing.

All weights, thresholds and texts live in data/*.json; this module only evaluates them.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from shelter import countries, wording
from shelter.assessment import charges as charge_table
from shelter.assessment import facts
from shelter.assessment import sources as reference_sources

DATA = Path(__file__).parent / "data"
LEVELS = ("very_high", "high", "moderate", "low", "insufficient_information")

# What a user may state that the records cannot show (the keys of ``manual``).
VISIBILITY_VALUES = ("high", "medium", "low")


class UnknownCountry(ValueError):
    """The destination is not a country Shelter can assess (not ISO 3166-1 alpha-2, or a former state)."""


# ---------------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Factor:
    """One factor of the assessment. ``present`` says whether it weighs towards a risk; ``level`` (0-3)
    and ``as_of`` are set for general factors, which describe the destination rather than the person."""

    id: str
    label: dict
    present: bool
    weight: float
    evidence: tuple[dict, ...] = ()
    citations: tuple[dict, ...] = ()
    level: int | None = None
    as_of: int | None = None

    def as_dict(self) -> dict:
        data = {"id": self.id, "label": dict(self.label), "present": self.present, "weight": self.weight,
                "evidence": [dict(e) for e in self.evidence], "citations": [dict(c) for c in self.citations]}
        if self.level is not None:
            data["level"] = self.level
        if self.as_of is not None:
            data["as_of"] = self.as_of
        return data


@dataclass(frozen=True)
class AssuranceCheck:
    """One Othman § 189 criterion: ``answer`` as stated (None when not stated), ``satisfied`` whether it
    supports relying on the assurances."""

    id: str
    label: dict
    othman: str
    answer: bool | None
    satisfied: bool
    weight: float
    basis: dict

    def as_dict(self) -> dict:
        return {"id": self.id, "label": dict(self.label), "othman": self.othman, "answer": self.answer,
                "satisfied": self.satisfied, "weight": self.weight, "basis": dict(self.basis)}


@dataclass(frozen=True)
class AssuranceReview:
    checks: tuple[AssuranceCheck, ...]
    quality: float  # the weighted share of criteria satisfied, 0-1
    relied_on: bool
    explanation: dict

    def as_dict(self) -> dict:
        return {"quality": self.quality, "relied_on": self.relied_on, "explanation": dict(self.explanation)}


@dataclass(frozen=True)
class RiskAssessment:
    destination: str
    method_version: str
    level: str
    individual: tuple[Factor, ...]
    general: tuple[Factor, ...]
    assurances: tuple[AssuranceCheck, ...] | None
    conclusion: dict
    citations: tuple[dict, ...]
    scores: dict
    notes: tuple[dict, ...] = ()
    assurance_review: AssuranceReview | None = None
    assessed_on: str = ""

    def as_dict(self) -> dict:
        method = _method()
        return {
            "destination": self.destination,
            "destination_name": wording.country_name(self.destination),
            "method_version": self.method_version,
            "data_versions": data_versions(),
            "assessed_on": self.assessed_on,
            "level": self.level,
            "level_label": dict(method["levels"][self.level]),
            "scores": dict(self.scores),
            "individual": [f.as_dict() for f in self.individual],
            "general": [f.as_dict() for f in self.general],
            "assurances": None if self.assurances is None else [c.as_dict() for c in self.assurances],
            "assurance_review": None if self.assurance_review is None else self.assurance_review.as_dict(),
            "principles": [{"text": dict(p["text"]), "citations": [_citation(c) for c in p["citations"]]}
                           for p in method["principles"]],
            "notes": [dict(n) for n in self.notes],
            "conclusion": dict(self.conclusion),
            "disclaimer": dict(method["disclaimer"]),
            "citations": [dict(c) for c in self.citations],
        }


# ---------------------------------------------------------------------------------------------------
# Reference data


@cache
def _load(name: str) -> dict:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def method() -> dict:
    """data/refoulement.json as loaded: factors, weights, Othman criteria, texts (for forms and views)."""
    return _load("refoulement")


_method = method


def country_profiles() -> dict:
    """data/countries.json as loaded: ``{"version", "sources", "countries": {code: profile}}``."""
    return _load("countries")


def treaties(data: Iterable[dict] | Mapping | None = None) -> list[dict]:
    """The regional treaties (data/treaties.json), or ``data`` given in the same shape (the whole
    document or its list of treaties)."""
    if data is None:
        data = _load("treaties")
    if isinstance(data, Mapping):
        data = data["treaties"]
    return list(data)


def shared_treaties(a: str, b: str, data: Iterable[dict] | Mapping | None = None) -> list[dict]:
    """Treaties in force for both states (withdrawn states are not in ``parties``)."""
    a, b = a.upper(), b.upper()
    return [t for t in treaties(data) if a in t["parties"] and b in t["parties"]]


def data_versions() -> dict:
    return {"method": _method()["version"], "countries": country_profiles()["version"],
            "treaties": _load("treaties")["version"]}


def _citation(key: str) -> dict:
    """A citation of the method (a document of the registry at a pinpoint), as the result cites it."""
    return _source(_method()["citations"][key], reference_sources.registry())


def _citations(keys: Iterable[str]) -> tuple[dict, ...]:
    return tuple(_citation(k) for k in keys)


# ---------------------------------------------------------------------------------------------------
# Small helpers: countries, bilingual texts (shelter/wording.py words them)


def country_code(value: str) -> str:
    """Upper-case ISO code, or UnknownCountry saying why it cannot be assessed."""
    code = (value or "").strip().upper()
    if code in countries.HISTORIC:
        raise UnknownCountry(f"{value!r} names a state that no longer exists: name its successor state")
    if not countries.is_country(code):
        raise UnknownCountry(f"{value!r} is not a country code: use ISO 3166-1 alpha-2, such as 'TJ'")
    return code


def _label(group: str, code: str) -> dict:
    return _method()["labels"][group].get(code) or wording.as_is(code)


def _text(key: str) -> dict:
    return _method()["texts"][key]


def _upper(code: str) -> str:
    return (code or "").strip().upper()


# ---------------------------------------------------------------------------------------------------
# Charges


def charge_accusations(charge: facts.Charge, state: str = "") -> set[str]:
    """The accusation codes (shelter/data/accusations.json) a charge text reads as, by the shared
    classifier (shelter/assessment/charges.py: keywords, and the criminal-code articles of the
    charging state)."""
    return set(charge_table.classify_charge(charge, state).categories) - {"other", "none"}


# ---------------------------------------------------------------------------------------------------
# What the person's records say, seen from one destination


@dataclass(frozen=True)
class _Case:
    person: facts.Person
    destination: str
    manual: Mapping
    profile: Mapping | None
    sources: Mapping
    on: datetime.date

    def incidents_by_destination(self) -> list[facts.Incident]:
        return [i for i in self.person.incidents if _upper(i.origin_state) == self.destination]

    def requests_by_destination(self) -> list[facts.Request]:
        return [r for r in self.person.requests if _upper(r.requesting_state) == self.destination]

    def statement(self, factor: str) -> Mapping | None:
        if not self.profile:
            return None
        return next((s for s in self.profile.get("statements", ()) if s["factor"] == factor), None)


def _incident_evidence(incident: facts.Incident) -> dict:
    tactics = wording.join(wording.term("tactics", t) for t in incident.tactics) if incident.tactics else {"en": "—", "ru": "—"}
    return wording.render(_text("incident"), date=incident.date or "—", place=wording.country_name(_upper(incident.host_state)),
                   tactics=tactics, outcome=_label("outcomes", incident.outcome or "unknown"))


def _accusation_evidence(incident: facts.Incident) -> dict:
    return wording.render(_text("incident_accusation"), date=incident.date or "—",
                   place=wording.country_name(_upper(incident.host_state)), accusation=wording.term("accusations", incident.accusation))


def _request_name(request: facts.Request) -> dict:
    return _label("requests", request.kind)


def _charged(case: _Case, category: str) -> list[dict]:
    """Evidence that the destination charges the person with ``category`` (extremism or political)."""
    codes = set(_method()["charges"]["accusations"][category])
    evidence = [_accusation_evidence(i) for i in case.incidents_by_destination() if i.accusation in codes]
    for request in case.requests_by_destination():
        for charge in request.charges:
            read = charge_accusations(charge, request.requesting_state) & codes
            if read:
                text = wording.render(_text("charge"), text=charge.text or charge.translation,
                               category=wording.join(wording.term("accusations", c) for c in sorted(read)))
                evidence.append(wording.render(_text("request"), kind=_request_name(request), reference=request.reference,
                                        state=wording.country_name(case.destination), charges=text))
    return evidence


def _accusation_codes(case: _Case) -> set[str]:
    """The accusation codes that apply, from incidents and from the charges of requests."""
    codes = {i.accusation for i in case.incidents_by_destination() if i.accusation}
    for request in case.requests_by_destination():
        for charge in request.charges:
            codes |= charge_accusations(charge, request.requesting_state)
    return codes


def _manual_evidence(case: _Case, key: str) -> tuple[bool, list[dict]]:
    value = case.manual.get(key)
    return (value is True), ([dict(_text("manual"))] if value is True else [])


# ---------------------------------------------------------------------------------------------------
# Individual factors: one function each, returning (present, evidence)


def _extremism_charge(case: _Case):
    evidence = _charged(case, "extremism")
    return bool(evidence), evidence


def _political_charge(case: _Case):
    evidence = _charged(case, "political")
    return bool(evidence), evidence


def _capital_charge(case: _Case):
    statement = case.statement("death_penalty")
    if not statement or statement["level"] < 2:
        return False, []
    charged = _accusation_codes(case) & set(_method()["charges"]["accusations"]["capital"])
    if not charged:
        return False, []
    return True, [wording.render(_text("capital"), country=wording.country_name(case.destination), statement=statement["text"]),
                  wording.join(wording.term("accusations", c) for c in sorted(charged))]


def _group_at_risk(case: _Case):
    statement = case.statement("groups_at_risk")
    if not statement or statement["level"] < 2:
        return False, []
    groups = statement.get("groups", {})
    matched = [wording.term("profiles", p) for p in case.person.profiles if p in groups.get("profiles", ())]
    matched += [wording.term("accusations", a) for a in sorted(_accusation_codes(case)) if a in groups.get("accusations", ())]
    if not matched:
        return False, []
    return True, [wording.render(_text("group"), matched=wording.join(matched), statement=statement["text"])]


def _political_or_religious_profile(case: _Case):
    risk_profiles = _method()["risk_profiles"]
    profiles = [p for p in case.person.profiles if p in risk_profiles]
    if not profiles:
        return False, []
    return True, [wording.render(_text("profile"), labels=wording.join(wording.term("profiles", p) for p in profiles))]


def _wanted_by_destination(case: _Case):
    evidence = [wording.render(_text("request"), kind=_request_name(r), reference=r.reference,
                        state=wording.country_name(case.destination), charges=_charges_summary(r))
                for r in case.requests_by_destination()]
    closed = {"refused", "deleted", "closed"}
    pursuing = {"extradition", "red_notice", "diffusion", "wanted_list", "interstate_list", "deportation"}
    evidence += [_process_evidence(p, _label("requests", p.kind)) for p in case.person.processes
                 if p.kind in pursuing and _upper(p.requesting_state) == case.destination and p.status not in closed]
    return bool(evidence), evidence


def _charges_summary(request: facts.Request) -> str:
    return "; ".join(c.text or c.translation for c in request.charges) or "—"


def _process_evidence(process: facts.Process, kind) -> dict:
    date = f", {process.opened_on}" if process.opened_on else ""
    status = _label("process_status", process.status) if process.status else "—"
    return wording.render(_text("process"), kind=kind, status=status, date=date)


# Tactics that show the destination's interest in the person abroad, short of violence or spying (those,
# and trials in absentia, are factors of their own).
_PURSUIT = {"detention", "extradition_request", "interpol_abuse", "unlawful_deportation", "threats", "smear",
            "host_state_pressure", "document_denial"}


def _prior_ill_treatment(case: _Case):
    harmed = {"detained", "imprisoned", "injured"}
    evidence = [_incident_evidence(i) for i in case.incidents_by_destination()
                if i.role == "victim" and _upper(i.host_state) == case.destination
                and ({"detention", "assault"} & set(i.tactics) or i.outcome in harmed)]
    if case.manual.get("prior_ill_treatment") is True:
        evidence.append(dict(_text("manual")))
    return bool(evidence), evidence


def _pursued_abroad(case: _Case):
    evidence = [_incident_evidence(i) for i in case.incidents_by_destination()
                if i.role == "victim" and _upper(i.host_state) != case.destination and _PURSUIT & set(i.tactics)]
    return bool(evidence), evidence


def _abduction_or_attack(case: _Case):
    def violent(i: facts.Incident) -> bool:
        tactics = set(i.tactics)
        return bool(tactics & {"rendition", "abduction", "assassination"}) or (
            "assault" in tactics and _upper(i.host_state) != case.destination)

    evidence = [_incident_evidence(i) for i in case.incidents_by_destination() if i.role == "victim" and violent(i)]
    return bool(evidence), evidence


def _surveillance(case: _Case):
    evidence = [_incident_evidence(i) for i in case.incidents_by_destination()
                if {"surveillance", "digital_attack"} & set(i.tactics)]
    return bool(evidence), evidence


def _relatives_targeted(case: _Case):
    evidence = [_incident_evidence(i) for i in case.incidents_by_destination()
                if i.role == "proxy_victim" or "coercion_by_proxy" in i.tactics]
    return bool(evidence), evidence


def _trial_in_absentia(case: _Case):
    evidence = [wording.render(_text("in_absentia"), kind=_request_name(r), reference=r.reference)
                for r in case.requests_by_destination() if r.in_absentia]
    evidence += [_incident_evidence(i) for i in case.incidents_by_destination() if "trial_in_absentia" in i.tactics]
    return bool(evidence), evidence


def _asylum_granted(case: _Case):
    evidence = []
    for status in case.person.asylum:
        if status.status in ("refugee", "subsidiary"):
            since = wording.render(_text("since"), date=status.since) if status.since else ""
            evidence.append(wording.render(_text("asylum"), status=_label("asylum", status.status),
                                    state=wording.country_name(_upper(status.host_state)), since=since))
    return bool(evidence), evidence


def _interim_measures(case: _Case):
    ended = {"refused", "closed", "deleted"}
    evidence = [_process_evidence(p, _text("interim_measures")) for p in case.person.processes
                if p.kind == "interim_measures" and p.status not in ended]
    return bool(evidence), evidence


def _visibility(case: _Case):
    value = case.manual.get("visibility")
    if value is None:
        return False, []
    return value == "high", [wording.render(_text("visibility"), value=value)]


def _onward_removal(case: _Case):
    """Return to a third state that can hand the person on to a state that pursues them (CAT GC4)."""
    pursuers = {_upper(i.origin_state) for i in case.person.incidents} | {_upper(r.requesting_state)
                                                                          for r in case.person.requests}
    pursuers = sorted(p for p in pursuers - {case.destination, ""} if countries.is_country(p))
    evidence = []
    for other in pursuers:
        for treaty in shared_treaties(case.destination, other):
            if treaty["eases_returns"] >= 2:
                evidence.append(wording.render(_text("onward_treaty"), country=wording.country_name(case.destination),
                                        other=wording.country_name(other), treaty=treaty["short"]))
    transfers = case.statement("irregular_transfers")
    if pursuers and transfers and transfers["level"] >= 3:
        evidence.append(wording.render(_text("onward_transfers"), country=wording.country_name(case.destination),
                                statement=transfers["text"]))
    return bool(evidence), evidence


_EVALUATORS = {
    "extremism_charge": _extremism_charge,
    "political_charge": _political_charge,
    "capital_charge": _capital_charge,
    "group_at_risk": _group_at_risk,
    "political_or_religious_profile": _political_or_religious_profile,
    "wanted_by_destination": _wanted_by_destination,
    "prior_ill_treatment": _prior_ill_treatment,
    "pursued_abroad": _pursued_abroad,
    "abduction_or_attack": _abduction_or_attack,
    "surveillance": _surveillance,
    "relatives_targeted": _relatives_targeted,
    "trial_in_absentia": _trial_in_absentia,
    "asylum_granted": _asylum_granted,
    "interim_measures": _interim_measures,
    "visibility": _visibility,
    "onward_removal": _onward_removal,
}


def _individual_factors(case: _Case) -> list[Factor]:
    factors = []
    for definition in _method()["individual_factors"]:
        evaluate = _EVALUATORS.get(definition["id"])
        present, evidence = evaluate(case) if evaluate else _manual_evidence(case, definition["id"])
        factors.append(Factor(definition["id"], definition["label"], present, _individual_weight(definition, case),
                              tuple(evidence), _citations(definition["citations"])))
    return factors


def _individual_weight(definition: Mapping, case: _Case) -> float:
    """The factor's weight; one that depends on how grave a general statement is ("weight_by_level":
    membership of a group weighs more where its persecution is systematic) takes it from that level."""
    by_level = definition.get("weight_by_level")
    statement = case.statement(by_level["of"]) if by_level else None
    if statement:
        return float(by_level.get(str(statement["level"]), definition["weight"]))
    return float(definition["weight"])


# ---------------------------------------------------------------------------------------------------
# General factors


def _general_factors(case: _Case, record: facts.StateRecord | None) -> list[Factor]:
    factors = []
    for definition in _method()["general_factors"]:
        if definition["id"] == "returnee_outcomes":
            factor = _returnee_factor(definition, case.destination, record)
        else:
            factor = _statement_factor(definition, case)
        if factor is not None:
            factors.append(factor)
    return factors


def _statement_factor(definition: Mapping, case: _Case) -> Factor | None:
    statement = case.statement(definition["id"])
    if statement is None:
        return None
    sources = tuple(_source(s, case.sources) for s in statement["sources"])
    return Factor(definition["id"], definition["label"], statement["level"] > 0, float(definition["weight"]),
                  (dict(statement["text"]),), sources + _citations(definition["citations"]),
                  level=statement["level"], as_of=statement.get("as_of"))


def _source(entry, registry: Mapping) -> dict:
    """A statement's source: a key of the document registry, a source written out in full, or either
    with its pinpoint."""
    return reference_sources.as_cited(entry, registry)


def _returnee_factor(definition: Mapping, destination: str, record: facts.StateRecord | None) -> Factor | None:
    """Shelter's own figure: of the documented returns to the destination, how many ended badly."""
    if record is None or record.returned <= 0:
        return None
    rules = _method()["returnees"]
    detained = min(record.detained_after_return, record.returned)
    rate = detained / record.returned
    level = next(r["level"] for r in rules["rates"] if rate >= r["min"])
    few = record.returned < rules["min_cases"]
    evidence = [wording.render(rules["text"], returned=record.returned, detained=detained,
                        country=wording.country_name(destination))]
    if few:
        evidence.append(dict(rules["few_cases"]))
    weight = float(rules["weight_few_cases"] if few else definition["weight"])
    return Factor(definition["id"], definition["label"], level > 0, weight, tuple(evidence), (), level=level)


def general_score(factors: Iterable[Factor]) -> float | None:
    """The weighted mean level (0-3) of the general factors. A death penalty that is abolished says
    nothing about torture, so factors marked ``aggravating_only`` count only when they aggravate."""
    aggravating_only = {d["id"] for d in _method()["general_factors"] if d.get("aggravating_only")}
    counted = [f for f in factors if f.level is not None and (f.id not in aggravating_only or f.level > 0)]
    total = sum(f.weight for f in counted)
    if not total:
        return None
    return round(sum(f.level * f.weight for f in counted) / total, 2)


# ---------------------------------------------------------------------------------------------------
# Diplomatic assurances (Othman v. United Kingdom § 189)


def review_assurances(given: Mapping, case: _Case, prior_ill_treatment: bool,
                      general_band: str | None) -> AssuranceReview:
    rules = _method()["assurances"]
    checks = tuple(_assurance_check(check, given, case, prior_ill_treatment) for check in rules["checks"])
    total = sum(c.weight for c in checks)
    quality = round(sum(c.weight for c in checks if c.satisfied) / total, 2) if total else 0.0
    record = case.statement("assurances_record")
    texts = rules["texts"]
    percent = round(quality * 100)
    if record and record["level"] > rules["max_record_level"]:
        return AssuranceReview(checks, quality, False, dict(texts["poor_record"]))
    if general_band == "grave":
        return AssuranceReview(checks, quality, False, dict(texts["systematic"]))
    if quality < rules["rely_min_quality"]:
        failed = sorted((c for c in checks if not c.satisfied), key=lambda c: -c.weight)
        return AssuranceReview(checks, quality, False, wording.render(texts["low_quality"], quality=percent,
                                                                 failed=wording.join(c.label for c in failed[:4])))
    return AssuranceReview(checks, quality, True, wording.render(texts["relied_on"], quality=percent))


def _assurance_check(check: Mapping, given: Mapping, case: _Case, prior_ill_treatment: bool) -> AssuranceCheck:
    texts = _method()["assurances"]["texts"]
    if check.get("computed"):
        answer, basis = _computed_assurance(check["id"], case), texts["computed"]
    elif check["id"] == "prior_ill_treatment" and "prior_ill_treatment" not in given:
        answer, basis = prior_ill_treatment, texts["computed"]
    else:
        answer = given.get(check["id"])
        basis = _text("manual") if answer is not None else texts["unknown"]
    # Not stated means not established: the state relying on assurances must show they are reliable.
    satisfied = answer is not None and answer == check["favourable_when"]
    return AssuranceCheck(check["id"], check["label"], check["othman"], answer, satisfied, float(check["weight"]),
                          dict(basis))


def _computed_assurance(check_id: str, case: _Case) -> bool | None:
    if not case.profile:
        return None
    if check_id == "echr_party":
        return bool(case.profile.get("echr_party"))
    if check_id == "effective_protection_system":
        torture, monitoring = case.statement("torture_pretrial"), case.statement("monitoring_access")
        if torture is None or monitoring is None:
            return None
        return torture["level"] <= 1 and monitoring["level"] <= 1
    return None


# ---------------------------------------------------------------------------------------------------
# Assessment


def assess(person: facts.Person, destination: str, *, record: facts.StateRecord | None,
           manual: Mapping | None = None, profiles: Mapping | None = None,
           on: datetime.date | None = None) -> RiskAssessment:
    """Assess the risk of returning ``person`` to ``destination`` (ISO 3166-1 alpha-2).

    ``record`` is Shelter's count for the destination as origin state (returnee outcomes); ``manual``
    what the user states beyond the records (keys in data/refoulement.json ``manual_keys``, with
    ``assurances`` a dict of Othman criteria); ``profiles`` replaces the country profiles of
    data/countries.json (the whole document, or a mapping of code to profile); ``on`` is the day of
    the decision (today by default), against which dated evidence is flagged."""
    code = country_code(destination)
    if record is not None and _upper(record.state) != code:
        raise ValueError(f"the state record is for {record.state!r}, not for the destination {code!r}")
    profile_set, sources = _profiles(profiles)
    case = _Case(person, code, _validated_manual(manual), profile_set.get(code), sources,
                 on or datetime.date.today())

    individual = _individual_factors(case)
    general = _general_factors(case, record)
    individual_points = sum(f.weight for f in individual if f.present)
    g_score = general_score(general) if case.profile else None
    g_band = _band("general_bands", g_score) if g_score is not None else None
    i_band = _band("individual_bands", individual_points)

    level = _method()["matrix"][g_band][i_band] if g_band else "insufficient_information"
    review = None
    if _assurances_given(case.manual):
        prior = next(f.present for f in individual if f.id == "prior_ill_treatment")
        review = review_assurances(case.manual["assurances"], case, prior, g_band)
        if review.relied_on and level != "insufficient_information":
            level = _lower(level)

    notes = _notes(case, general)
    scores = {"general": g_score, "general_band": g_band, "individual": individual_points, "individual_band": i_band}
    conclusion = _conclusion(case, level, g_band, i_band, individual, review, notes)
    return RiskAssessment(
        destination=code, method_version=_method()["version"], level=level, individual=tuple(individual),
        general=tuple(general), assurances=None if review is None else review.checks, conclusion=conclusion,
        citations=_all_citations(individual, general), scores=scores, notes=tuple(notes),
        assurance_review=review, assessed_on=case.on.isoformat())


def _profiles(profiles: Mapping | None) -> tuple[dict, Mapping]:
    """The country profiles and the sources registry their statements refer to."""
    registry = reference_sources.registry()
    if profiles is None:
        return country_profiles()["countries"], registry
    if "countries" in profiles:
        return {k.upper(): v for k, v in profiles["countries"].items()}, {**registry, **profiles.get("sources", {})}
    return {k.upper(): v for k, v in profiles.items()}, registry


def _validated_manual(manual: Mapping | None) -> Mapping:
    """Refuse misspelt keys and wrong types: a silently ignored "confesion_evidence" would understate risk."""
    manual = dict(manual or {})
    known = _method()["manual_keys"]
    unknown = sorted(set(manual) - set(known))
    if unknown:
        raise ValueError(f"unknown manual factor(s) {', '.join(unknown)}; known: {', '.join(known)}")
    for key, value in manual.items():
        if key == "visibility":
            if value is not None and value not in VISIBILITY_VALUES:
                raise ValueError(f"visibility must be one of {', '.join(VISIBILITY_VALUES)}, not {value!r}")
        elif key == "assurances":
            _validate_assurances(value)
        elif value is not None and not isinstance(value, bool):
            raise ValueError(f"manual factor {key!r} must be true or false, not {value!r}")
    return manual


def _validate_assurances(given) -> None:
    if not isinstance(given, Mapping):
        raise ValueError("assurances must be a mapping of Othman criteria to true or false")
    known = {"given"} | {c["id"] for c in _method()["assurances"]["checks"] if not c.get("computed")}
    unknown = sorted(set(given) - known)
    if unknown:
        raise ValueError(f"unknown assurance criteria {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    wrong = sorted(k for k, v in given.items() if v is not None and not isinstance(v, bool))
    if wrong:
        raise ValueError(f"assurance criteria must be true or false: {', '.join(wrong)}")


def _assurances_given(manual: Mapping) -> bool:
    given = manual.get("assurances")
    return isinstance(given, Mapping) and given.get("given", True) is not False


def _band(kind: str, score: float) -> str:
    return next(b["band"] for b in _method()[kind] if score >= b["min"])


def _band_label(kind: str, band: str) -> dict:
    return next(b["label"] for b in _method()[kind] if b["band"] == band)


def _lower(level: str) -> str:
    order = _method()["order"]
    return order[max(order.index(level) - 1, 0)]


def _notes(case: _Case, general: list[Factor]) -> list[dict]:
    """What the reader must check before deciding: missing profile, evidence older than the window."""
    if not case.profile:
        return [wording.render(_text("no_profile"), country=wording.country_name(case.destination))]
    oldest_allowed = case.on.year - _method()["stale_after_years"]
    dated = [f for f in general if f.as_of is not None and f.as_of < oldest_allowed]
    if not dated:
        return []
    return [wording.render(_text("dated"), factors=wording.join((f.label for f in dated), "; "), year=max(f.as_of for f in dated))]


def _conclusion(case: _Case, level: str, g_band: str | None, i_band: str, individual: list[Factor],
                review: AssuranceReview | None, notes: list[dict]) -> dict:
    templates = _method()["conclusions"]
    present = [f.label for f in individual if f.present]
    factors = wording.join(present, "; ") if present else templates["no_factors"]
    values = {"country": wording.country_name(case.destination), "individual": _band_label("individual_bands", i_band),
              "factors": factors}
    if g_band:
        values["general"] = _band_label("general_bands", g_band)
    parts = [wording.render(templates[level], **values)]
    if review is not None:
        parts.append(review.explanation)
    parts += notes
    return wording.join(parts, " ")


def _all_citations(individual: list[Factor], general: list[Factor]) -> tuple[dict, ...]:
    """Every document the assessment relies on, once: the principles, then each factor's citations."""
    seen, result = set(), []
    principle_citations = [_citation(k) for p in _method()["principles"] for k in p["citations"]]
    present = [f for f in individual if f.present] + list(general)
    for citation in principle_citations + [c for f in present for c in f.citations]:
        key = (citation.get("title"), citation.get("reference"), citation.get("year"))
        if key not in seen:
            seen.add(key)
            result.append(dict(citation))
    return tuple(result)
