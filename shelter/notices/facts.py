"""Shelter's records as the assessments read them (``shelter.assessment.facts``).

Everything here is read with the caller's access: the person's own records come from their case;
a state's documented record is counted across every case, as counts only, so no case is revealed.
"""

from collections import Counter

from django.db.models import Count, Q

from shelter.assessment import facts
from shelter.records import sealing
from shelter.records.models import Act, ActRole, Incident, Outcome

from .models import AlertStatus, Notice, NoticeAlert, RequestKind, RequestSource

# The outcomes thesaurus has one "after return" outcome; a disappearance or a death may happen abroad.
RETURNS = (Outcome.RETURNED, Outcome.IMPRISONED)


def text(value) -> str:
    return "" if not value or isinstance(value, sealing.Hidden) else str(value)


def request_facts(notice: Notice) -> facts.Request:
    return facts.Request(
        reference=notice.source_id, kind=notice.kind, requesting_state=notice.requesting_state,
        charges=tuple(
            facts.Charge(text=c.get("charge", ""), translation=c.get("translation", "") or "",
                         issuing_state=c.get("issuing_state", "") or "")
            for c in notice.charge_list()
        ),
        issued_on=notice.issued_on or "", charged_on=notice.charged_on or "", in_absentia=notice.in_absentia,
        facts_summary=text(notice.facts_summary),
        penalty_years=float(notice.penalty_years) if notice.penalty_years is not None else None,
        public=is_public(notice),
    )


def is_public(notice: Notice) -> bool | None:
    """On Interpol's public list? Imported from it, yes; a diffusion never is; a request entered by
    hand, not known."""
    if notice.kind == RequestKind.DIFFUSION:
        return False
    return True if notice.source != RequestSource.MANUAL else None


def person_facts(person) -> facts.Person:
    """The person's profile, statuses, processes, the incidents that targeted them (or a relative on
    their account) and every notice confirmed as theirs."""
    return facts.Person(
        profiles=tuple(person.profiles.values_list("code", flat=True)),
        nationalities=tuple(person.nationalities),
        gender=person.gender or "",
        asylum=tuple(
            facts.AsylumStatus(host_state=s.host_country, status=s.status, since=s.since or "", until=s.until or "")
            for s in person.asylum_statuses.all()
        ),
        processes=tuple(
            facts.Process(kind=p.kind, requesting_state=p.requesting_state, deciding_state=p.deciding_state,
                          status=p.status, opened_on=p.opened_on or "", decided_on=p.decided_on or "")
            for p in person.legal_processes.all()
        ),
        incidents=incidents_of(person),
        requests=tuple(request_facts(notice) for notice in confirmed_notices(person)),
    )


def confirmed_notices(person):
    """The notices confirmed to concern ``person`` that every user of the person's case may read:
    public ones and requests entered on that case. A request entered on another case stays out even
    once a coordinator confirmed it here: the dossier, signs of abuse and stored risk assessments
    computed from these are read by this case's users."""
    ids = NoticeAlert.objects.filter(person=person, status=AlertStatus.CONFIRMED).values("notice_id")
    notices = Notice.objects.filter(Q(case=None) | Q(case=person.case_id), pk__in=ids)
    return notices.order_by("issued_on", "first_seen_at")


def incidents_of(person) -> tuple[facts.Incident, ...]:
    acts = Act.objects.filter(case=person.case).filter(person=person) | Act.objects.filter(
        case=person.case, proxy_for=person, role=ActRole.PROXY_VICTIM
    )
    acts = acts.select_related("incident").prefetch_related("incident__tactics").order_by("incident__date")
    return tuple(incident_facts(act.incident, role=act.role) for act in acts)


def incident_facts(incident, role: str = "victim") -> facts.Incident:
    return facts.Incident(
        date=incident.date or "", origin_state=incident.origin_state, host_state=incident.host_state,
        tactics=tuple(t.code for t in incident.tactics.all()), outcome=incident.outcome, role=role,
        accusation=incident.accusation,
    )


def state_record(state: str) -> facts.StateRecord:
    """What Shelter documents about ``state`` as an origin state, in counts across all cases."""
    incidents = Incident.objects.filter(origin_state=state)
    outcomes = Counter(dict(incidents.values_list("outcome").annotate(n=Count("pk"))))
    tactics = Counter(dict(incidents.values_list("tactics__code").annotate(n=Count("pk", distinct=True))))
    tactics.pop(None, None)
    return facts.StateRecord(
        state=state, incidents=incidents.count(), cases=incidents.values("case").distinct().count(),
        by_tactic=dict(tactics),
        returned=sum(outcomes[o] for o in RETURNS),
        detained_after_return=outcomes[Outcome.IMPRISONED],
    )


def documented_incidents(origin: str) -> list[facts.Incident]:
    """Every incident by ``origin``, reduced to what the travel advisory counts (no identity data)."""
    # The case too: reading a row's fields asks for its case (its key), a query a row if deferred.
    rows = Incident.objects.filter(origin_state=origin).prefetch_related("tactics").only(
        "case", "date", "origin_state", "host_state", "outcome", "accusation"
    )
    return [incident_facts(incident) for incident in rows]
