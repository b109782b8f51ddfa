"""The named checks the abuse-indicator rules call (``data/indicators.json`` names one per rule as its
``kind``). Each check reads the facts of one case with the rule's parameters and returns a Finding — the
factual evidence, and how strongly the facts fit (1.0 fully) — or None when it does not fire.

Evidence is short factual statements built from codes, dates, states, references and charge texts: never a
person's name. A check does not word them: it says which wording of the rules file's ``evidence`` section
applies (``Say``) and with which values — plain text inserted as it is, a word of ``evidence_terms``
(``Term``), a thesaurus label (``Label``), a list (``Join``) or another wording. ``indicator_rules`` puts
them into words, in each language. Every check declares the wordings and term groups it may use, so that a
rules file lacking one is refused when loaded.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from shelter import dates
from shelter.assessment import charges as charge_table
from shelter.assessment import facts


@dataclass(frozen=True)
class Case:
    request: facts.Request
    person: facts.Person
    record: facts.StateRecord | None
    charges: tuple[tuple[facts.Charge, charge_table.Classification], ...]
    today: datetime.date

    @property
    def state(self) -> str:
        return (self.request.requesting_state or "").upper()


# -- what a check says ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Say:
    """A wording of the rules file's ``evidence`` section, with the values of its placeholders. A wording
    with plural forms is chosen by ``count`` (also its ``{n}``)."""
    id: str
    values: tuple[tuple[str, object], ...] = ()
    count: float | None = None


@dataclass(frozen=True)
class Term:
    """A word of the rules file's ``evidence_terms`` (group, code); an unknown code reads as ``fallback``,
    or as the code itself."""
    group: str
    code: str
    fallback: object = None


@dataclass(frozen=True)
class Label:
    """The label of a code of a Shelter thesaurus (``shelter/data``)."""
    vocabulary: str
    code: str


@dataclass(frozen=True)
class Join:
    items: tuple
    separator: object = ", "  # plain text, or a wording


def say(id: str, *, count: float | None = None, **values) -> Say:
    if count is not None:
        values["n"] = count
    return Say(id, tuple(values.items()), count)


@dataclass(frozen=True)
class Finding:
    evidence: tuple[Say, ...]
    strength: float = 1.0


@dataclass(frozen=True)
class Check:
    function: Callable[[dict, Case], Finding | None]
    required: tuple[str, ...]
    validate: Callable[[dict], None] | None = None  # raises ValueError on malformed parameters
    says: tuple[str, ...] = ()  # the wordings of the evidence section the check may use
    terms: tuple[str, ...] = ()  # the groups of evidence_terms it may use
    wording_params: tuple[str, ...] = ()  # parameters that name a wording of the evidence section


CHECKS: dict[str, Check] = {}


def check(kind: str, *required: str, validate=None, says=(), terms=(), wording_params=()):
    def register(function):
        CHECKS[kind] = Check(function, required, validate, tuple(says), tuple(terms), tuple(wording_params))
        return function
    return register


# -- (a) the requesting state's documented record ----------------------------------------------------

@check("state_record", "tactics", "min_uses", "strong_uses", "returnees",
       says=("record_uses", "record_tactic", "record_returnees"), terms=("tactics",))
def state_record(params: dict, case: Case) -> Finding | None:
    record = case.record
    if record is None or record.state.upper() != case.state:
        return None  # a record of another state says nothing about this request
    uses = {tactic: record.by_tactic.get(tactic, 0) for tactic in params["tactics"] if record.by_tactic.get(tactic, 0)}
    total = sum(uses.values())
    returnees = params["returnees"]
    detained_share = record.detained_after_return / record.returned if record.returned else 0.0
    returnees_harmed = record.returned >= returnees["min_returned"] and detained_share >= returnees["min_share_detained"]
    if total < params["min_uses"] and not returnees_harmed:
        return None
    evidence = []
    if total:
        listed = Join(tuple(say("record_tactic", tactic=Term("tactics", tactic), count=count)
                            for tactic, count in sorted(uses.items(), key=lambda item: -item[1])))
        evidence.append(say("record_uses", total=total, state=case.state, tactics=listed,
                            incidents=record.incidents, cases=record.cases))
    if record.returned:
        evidence.append(say("record_returnees", detained=record.detained_after_return, returned=record.returned,
                            state=case.state))
    strong = total >= params["strong_uses"] or returnees_harmed
    return Finding(tuple(evidence), 1.0 if strong else params.get("partial_strength", 0.5))


# -- (b) charges typical of political cases -----------------------------------------------------------

@check("charge_category", "categories", "evidence", says=("and", "profiles"), terms=("charge_categories",),
       wording_params=("evidence",))
def charge_category(params: dict, case: Case) -> Finding | None:
    """Charges of the given categories (with or without given flags); optionally only against people of
    given profiles, or only when no charge of the request carries a flag (a violent act alleged anywhere
    in the request)."""
    if any(set(params.get("without_flags_in_request", ())) & set(c.flags) for _, c in case.charges):
        return None
    fitting = [c for _, c in case.charges if _charge_fits(c, params)]
    if not fitting:
        return None
    evidence = [say(params["evidence"], categories=_categories(c, params), charge=shorten(c.text)) for c in fitting]
    if listed := params.get("profiles"):
        held = [code for code in case.person.profiles if code in listed]
        if not held:
            return None
        evidence.append(_profiles(held))
    return Finding(tuple(evidence))


def _charge_fits(classification: charge_table.Classification, params: dict) -> bool:
    flags = set(classification.flags)
    return (classification.has_any(params["categories"])
            and set(params.get("with_flags", ())) <= flags
            and not set(params.get("without_flags", ())) & flags)


def _categories(classification: charge_table.Classification, params: dict) -> Join:
    # Short names (evidence_terms), as the thesaurus' labels are written for lists, not sentences.
    return Join(tuple(Term("charge_categories", code) for code in classification.categories if code in params["categories"]),
                say("and"))


def shorten(text: str, limit: int = 140) -> str:
    """A charge text as it is, on one line, cut at ``limit`` characters (the wordings quote it)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _profiles(codes) -> Say:
    return say("profiles", profiles=Join(tuple(Label("profiles", code) for code in codes), "; "))


# -- (c) the person's profile -------------------------------------------------------------------------

@check("profile", "profiles", says=("profiles",))
def profile(params: dict, case: Case) -> Finding | None:
    strengths = params["profiles"]
    held = [code for code in case.person.profiles if code in strengths]
    if not held:
        return None
    return Finding((_profiles(held),), max(strengths[code] for code in held))


# -- (d) refugee or asylum status in any country ------------------------------------------------------

@check("asylum_status", "status_strength", says=("protection", "protection_since", "other_nationality"),
       terms=("asylum_statuses",))
def asylum_status(params: dict, case: Case) -> Finding | None:
    strengths = params["status_strength"]
    protected = [status for status in case.person.asylum
                 if status.status in strengths
                 and status.host_state.upper() != case.state  # protection in the requesting state is no protection from it
                 and not _ended(status.until, case.today)]
    if not protected:
        return None
    evidence = [say("protection_since", status=Term("asylum_statuses", s.status), state=s.host_state, since=s.since)
                if s.since else say("protection", status=Term("asylum_statuses", s.status), state=s.host_state)
                for s in protected]
    strength = max(strengths[s.status] for s in protected)
    nationalities = {code.upper() for code in case.person.nationalities}
    if nationalities and case.state not in nationalities:
        # The policy protects from the country of feared persecution; protection from another is weaker evidence.
        evidence.append(say("other_nationality", state=case.state))
        strength *= params.get("other_state_strength", 0.5)
    return Finding(tuple(evidence), strength)


def _ended(until: str, today: datetime.date) -> bool:
    end = parse_date(until)
    return end is not None and last_day(end) < today


# -- (e) charges brought after the person left --------------------------------------------------------

@check("charged_after_departure", "process_kinds",
       says=("charged_after_departure", "issued_after_departure", "trace_asylum", "trace_incident", "trace_process"),
       terms=("asylum_records", "proceedings"))
def charged_after_departure(params: dict, case: Case) -> Finding | None:
    request = case.request
    charged_on = request.charged_on or (request.issued_on if params.get("fallback_to_issued_on") else "")
    charged = parse_date(charged_on)
    abroad = _earliest_abroad(case, params["process_kinds"])
    if charged is None or abroad is None:
        return None
    since, where = abroad
    if not definitely_after(charged, since):
        return None
    which = "charged_after_departure" if request.charged_on else "issued_after_departure"
    return Finding((say(which, date=charged.iso(), trace=where, since=since.iso()),))


def _earliest_abroad(case: Case, process_kinds) -> tuple[dates.PartialDate, Say] | None:
    """The earliest dated trace of the person outside the requesting state."""
    traces = []
    for status in case.person.asylum:
        traces.append((status.since, say("trace_asylum", record=Term("asylum_records", status.status), state=status.host_state)))
    for incident in case.person.incidents:
        if incident.role == "victim" and incident.host_state and incident.host_state.upper() not in (incident.origin_state.upper(), case.state):
            traces.append((incident.date, say("trace_incident", state=incident.host_state)))
    for process in case.person.processes:
        if process.kind in process_kinds and process.deciding_state and process.deciding_state.upper() != case.state:
            traces.append((process.opened_on, say("trace_process", proceedings=Term("proceedings", process.kind),
                                                  state=process.deciding_state)))
    dated = [(date, where) for text, where in traces if (date := parse_date(text)) is not None]
    return min(dated, key=lambda trace: trace[0].first_day()) if dated else None


# -- (f) trial in absentia ----------------------------------------------------------------------------

@check("in_absentia", "incident_tactics", says=("in_absentia_request", "in_absentia_incident", "undated"))
def in_absentia(params: dict, case: Case) -> Finding | None:
    evidence = [say("in_absentia_request")] if case.request.in_absentia else []
    for incident in _incidents_of(case, params["incident_tactics"]):
        evidence.append(say("in_absentia_incident", date=incident.date or say("undated"), state=incident.origin_state))
    return Finding(tuple(evidence)) if evidence else None


# -- (g) vague facts, and penalties below Interpol's thresholds ---------------------------------------

def _validate_vague_facts(params: dict) -> None:
    for name, pattern in params["elements"].items():
        try:
            re.compile(pattern)
        except re.error as e:
            raise ValueError(f"element {name!r}: the pattern does not compile ({e})") from e


@check("vague_facts", "min_chars", "min_words", "elements", validate=_validate_vague_facts,
       says=("no_summary", "short_summary", "summary_lacks", "summary_lacks_what"), terms=("summary_elements",))
def vague_facts(params: dict, case: Case) -> Finding | None:
    """A simple, explainable reading: no summary, a very short one, or one that does not say who did
    what and when (a person, enough words to describe an act, a year or date)."""
    summary = charge_table.normalise(case.request.facts_summary)
    short = params.get("short_strength", 1.0)
    if not summary:
        return Finding((say("no_summary"),), short)
    if len(summary) < params["min_chars"]:
        return Finding((say("short_summary", count=len(summary)),), short)
    missing = [Term("summary_elements", name) for name, pattern in params["elements"].items() if not re.search(pattern, summary)]
    if len(summary.split()) < params["min_words"]:
        missing.append(say("summary_lacks_what", count=params["min_words"]))
    if not missing:
        return None
    return Finding((say("summary_lacks", missing=Join(tuple(missing))),), params.get("missing_strength", 0.5))


@check("penalty_threshold", "prosecution_min_years", "sentence_min_years",
       says=("sentence_below_threshold", "penalty_below_threshold", "years", "months"))
def penalty_threshold(params: dict, case: Case) -> Finding | None:
    years = case.request.penalty_years
    if years is None:
        return None
    # A conviction (Shelter knows of those in absentia) is measured by the sentence left to serve.
    convicted = case.request.in_absentia
    threshold = params["sentence_min_years"] if convicted else params["prosecution_min_years"]
    if years >= threshold:
        return None
    what = "sentence_below_threshold" if convicted else "penalty_below_threshold"
    return Finding((say(what, penalty=_years(years), threshold=_years(threshold)),))


def _years(value: float) -> Say:
    if value < 1:
        return say("months", count=round(value * 12))
    return say("years", count=value)


# -- (h) earlier refusals and interim measures; (i) repeated requests after them ----------------------

def _process_matches(process: facts.Process, matches) -> bool:
    return any(process.kind in m["kinds"] and process.status in m["statuses"] for m in matches)


_PROCESS_WORDINGS = ("process", "process_by", "process_requested_by", "process_on")


def describe_process(process: facts.Process) -> Say:
    """What became of a process: its outcome, then who decided, who asked and when, each when known."""
    outcome = Term("process_outcomes", f"{process.kind} {process.status}",
                   fallback=f"{process.kind.replace('_', ' ')} {process.status}".strip())
    when = process.decided_on or process.opened_on
    return say("process", outcome=outcome,
               by=say("process_by", state=process.deciding_state) if process.deciding_state else "",
               requested_by=say("process_requested_by", state=process.requesting_state) if process.requesting_state else "",
               on=say("process_on", date=when) if when else "")


@check("earlier_refusal", "matches", says=_PROCESS_WORDINGS, terms=("process_outcomes",))
def earlier_refusal(params: dict, case: Case) -> Finding | None:
    same_state_only = params.get("same_state_only", True)
    found = [process for process in case.person.processes
             if _process_matches(process, params["matches"])
             and not (same_state_only and process.requesting_state and process.requesting_state.upper() != case.state)]
    return Finding(tuple(describe_process(p) for p in found)) if found else None


@check("repeated_request", "refusals", says=("repeated_request", *_PROCESS_WORDINGS),
       terms=("request_kinds", "process_outcomes"))
def repeated_request(params: dict, case: Case) -> Finding | None:
    """A request by the same state issued after one of its requests was refused or deleted."""
    refusals = [(date, process) for process in case.person.processes
                if _process_matches(process, params["refusals"]) and process.requesting_state.upper() == case.state
                and (date := parse_date(process.decided_on or process.opened_on)) is not None]
    evidence = []
    for request in _requests_of_the_state(case):
        issued = parse_date(request.issued_on)
        earlier = [(date, p) for date, p in refusals if issued is not None and definitely_after(issued, date)]
        if earlier:
            latest = max(earlier, key=lambda item: item[0].first_day())[1]
            evidence.append(say("repeated_request", kind=Term("request_kinds", request.kind), reference=request.reference,
                                issued=request.issued_on, earlier=describe_process(latest)))
    return Finding(tuple(evidence)) if evidence else None


def _requests_of_the_state(case: Case) -> list[facts.Request]:
    requests = {case.request.reference: case.request}
    for request in case.person.requests:
        if request.requesting_state.upper() == case.state:
            requests.setdefault(request.reference, request)
    return list(requests.values())


# -- (j) concurrent repression in Shelter's records ---------------------------------------------------

# The wording of an incident by the person's role in it (a relative targeted on their account, a witness).
_INCIDENT_WORDINGS = {"victim": "incident", "proxy_victim": "incident_against_relative", "witness": "incident_as_witness"}


@check("incidents", "match", says=(*_INCIDENT_WORDINGS.values(), "undated", "unknown_place", "more"), terms=("tactics",))
def incidents(params: dict, case: Case) -> Finding | None:
    """Incidents by the requesting state matching any of ``match`` ({tactics, roles?}); ``abroad_only``
    keeps those that happened outside it."""
    found = []
    for incident in case.person.incidents:
        if incident.origin_state.upper() != case.state:
            continue
        if params.get("abroad_only") and incident.host_state.upper() in ("", case.state):
            continue
        tactics = _matching_tactics(incident, params["match"])
        if tactics:
            found.append(say(_INCIDENT_WORDINGS.get(incident.role, "incident"), date=incident.date or say("undated"),
                             place=incident.host_state or say("unknown_place"),
                             tactics=Join(tuple(Term("tactics", t) for t in tactics))))
    limit = params.get("max_evidence", 5)
    if len(found) > limit:
        found = found[:limit] + [say("more", count=len(found) - limit)]
    return Finding(tuple(found)) if found else None


def _matching_tactics(incident: facts.Incident, matches) -> list[str]:
    tactics = []
    for m in matches:
        if "roles" in m and incident.role not in m["roles"]:
            continue
        tactics += [t for t in incident.tactics if t in m["tactics"] and t not in tactics]
    return tactics


def _incidents_of(case: Case, tactics) -> list[facts.Incident]:
    return [i for i in case.person.incidents if i.origin_state.upper() == case.state and set(i.tactics) & set(tactics)]


# -- partial dates ------------------------------------------------------------------------------------

def parse_date(text: str) -> dates.PartialDate | None:
    try:
        return dates.parse(text) if text else None
    except dates.PartialDateError:
        return None


def last_day(date: dates.PartialDate) -> datetime.date:
    if date.day:
        return datetime.date(date.year, date.month, date.day)
    if date.month:
        following = datetime.date(date.year + date.month // 12, date.month % 12 + 1, 1)
        return following - datetime.timedelta(days=1)
    return datetime.date(date.year, 12, 31)


def definitely_after(later: dates.PartialDate, earlier: dates.PartialDate) -> bool:
    """True only when every day ``later`` may stand for comes after every day ``earlier`` may: "2016"
    is not after "2016-03", "2016-04" is."""
    return later.first_day() > last_day(earlier)
