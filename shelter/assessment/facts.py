"""What the assessments read: a notice or request, the person it concerns, and the requesting
state's documented record — plain values built by the Django adapter from Shelter's records.

Dates are ISO partial dates as text ("1979", "1979-08", "1979-08-15"), compared with
``shelter.dates``. Countries are ISO 3166-1 alpha-2 codes in upper case ("TJ"); an Interpol code
that is not ISO (such as "914") is kept as written.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Charge:
    text: str  # as the warrant or request states it, in its own language
    translation: str = ""  # Interpol's English translation, where given
    issuing_state: str = ""


@dataclass(frozen=True)
class Request:
    """A Red Notice, diffusion, extradition request, deportation order or wanted list entry."""

    reference: str  # the source's own identifier ("2026/12345") or Shelter's for manual entries
    kind: str  # red_notice, diffusion, extradition, deportation, wanted_list, interstate_list
    requesting_state: str
    charges: tuple[Charge, ...] = ()
    issued_on: str = ""  # when the notice or request was issued
    charged_on: str = ""  # when the criminal case was opened or the charges brought
    in_absentia: bool = False  # convicted or sentenced in absentia
    facts_summary: str = ""  # the request's own summary of the facts ("" when not known)
    penalty_years: float | None = None  # the maximum penalty, or the sentence left to serve
    public: bool | None = None  # on Interpol's public list (None: not known; a diffusion never is)


@dataclass(frozen=True)
class AsylumStatus:
    host_state: str
    status: str  # applied, refugee, subsidiary, humanitarian, rejected, withdrawn
    since: str = ""
    until: str = ""


@dataclass(frozen=True)
class Process:
    """A legal process recorded for the person (shelter.records LegalProcess)."""

    kind: str  # shelter.records.models.ProcessKind: red_notice, …, wanted_list, interstate_list, asylum, ccf, court …
    requesting_state: str = ""
    deciding_state: str = ""
    status: str = ""  # pending, active, granted, refused, deleted, appeal, closed
    opened_on: str = ""
    decided_on: str = ""


@dataclass(frozen=True)
class Incident:
    """An incident in which the person, or a relative on their account, was targeted."""

    date: str
    origin_state: str  # the state that acted
    host_state: str  # where it happened
    tactics: tuple[str, ...] = ()  # codes of shelter/data/tactics.json
    outcome: str = ""  # unknown, ongoing, released, protected, detained, returned, imprisoned, disappeared, killed, injured
    role: str = "victim"  # victim, proxy_victim (a relative targeted on the person's account), witness
    accusation: str = ""  # a code of shelter/data/accusations.json


@dataclass(frozen=True)
class Person:
    profiles: tuple[str, ...] = ()  # codes of shelter/data/profiles.json
    nationalities: tuple[str, ...] = ()
    gender: str = ""
    asylum: tuple[AsylumStatus, ...] = ()
    processes: tuple[Process, ...] = ()
    incidents: tuple[Incident, ...] = ()
    requests: tuple[Request, ...] = ()  # every notice and request linked to the person


@dataclass(frozen=True)
class StateRecord:
    """What Shelter's own incident data documents about one origin state, in counts only (across all
    cases: no record is identified)."""

    state: str
    incidents: int = 0
    cases: int = 0
    by_tactic: dict[str, int] = field(default_factory=dict)
    # Returnees: incidents whose outcome is "returned", and what became of them afterwards.
    returned: int = 0
    detained_after_return: int = 0  # imprisoned, disappeared or killed after return
