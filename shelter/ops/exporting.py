"""Plain dicts of a case's records, for the exports. The pseudonymised dicts are built without
ever reading a sealed field: persons appear by pseudonym, and nothing of the identity tier is
touched (the export also runs in a non-revealing scope, so a slip shows "[hidden]", not data)."""

from shelter.records import sealing
from shelter.records.models import Incident, LegalProcess, Organisation, Person, Source


class IdentityUnavailable(Exception):
    pass


def revealed(value) -> str:
    """A sealed value that must be readable here (a full export of a case that is not erased)."""
    if isinstance(value, sealing.Hidden):
        raise IdentityUnavailable(value.reason)
    return value


def person_ref(person: Person, pseudonymise: bool) -> str:
    return person.pseudonym if pseudonymise else str(person.pk)


def actor_ref(actor, pseudonymise: bool) -> str:
    return actor.pseudonym if pseudonymise else str(actor.pk)


def case_dict(case, pseudonymise: bool) -> dict:
    data = {"reference": case.reference, "status": case.status, "opened_on": case.opened_on.isoformat()}
    if not pseudonymise:
        data.update(title=revealed(case.title), notes=revealed(case.notes))
    return data


def persons_of(case):
    return Person.objects.filter(case=case).prefetch_related("names", "profiles").order_by("created_at", "pk")


def person_dict(person: Person, pseudonymise: bool) -> dict:
    data = {
        "id": person_ref(person, pseudonymise),
        "pseudonym": person.pseudonym,
        "nationalities": list(person.nationalities),
        "gender": person.gender,
        "profiles": [term.code for term in person.profiles.all()],
    }
    if not pseudonymise:
        data.update(
            names=[
                {"value": revealed(n.value), "kind": n.kind, "script": n.script, "language": n.language}
                for n in person.names.all()
            ],
            birth_date=revealed(person.birth_date),
            birth_place=revealed(person.birth_place),
            external_id=revealed(person.external_id),
        )
    return data


def incidents_of(case):
    return (
        Incident.objects.filter(case=case)
        .prefetch_related("tactics", "sources", "acts__person", "acts__proxy_for", "involvements__organisation",
                          "involvements__actor__names")
        .order_by("date", "created_at", "pk")
    )


def incident_dict(incident: Incident, pseudonymise: bool) -> dict:
    data = {
        "id": str(incident.pk),
        "date": incident.date,
        "origin_state": incident.origin_state,
        "host_state": incident.host_state,
        "tactics": [term.code for term in incident.tactics.all()],
        "accusation": incident.accusation,
        "outcome": incident.outcome,
        "host_complicity": incident.host_complicity,
        "people_targeted": incident.people_targeted,
        "sources": [str(source.pk) for source in incident.sources.all()],
        "acts": [
            {
                "person": person_ref(act.person, pseudonymise),
                "role": act.role,
                "proxy_for": person_ref(act.proxy_for, pseudonymise) if act.proxy_for else None,
            }
            for act in incident.acts.all()
        ],
        "involvements": [involvement_dict(inv, pseudonymise) for inv in incident.involvements.all()],
    }
    if not pseudonymise:
        data.update(
            title=revealed(incident.title), place=revealed(incident.place), narrative=revealed(incident.narrative)
        )
    return data


def involvement_dict(involvement, pseudonymise: bool) -> dict:
    data = {
        "id": str(involvement.pk),
        "actor_kind": involvement.actor_kind,
        "organisation": str(involvement.organisation_id) if involvement.organisation_id else None,
        "actor": actor_ref(involvement.actor, pseudonymise) if involvement.actor_id else None,
        "role": involvement.role,
    }
    if not pseudonymise:
        data["actor_name"] = involvement_name(involvement)
    return data


def involvement_name(involvement) -> str | None:
    """The name of whoever acted: its actor's, or the name written on older records."""
    if involvement.actor_id:
        return revealed(involvement.actor.primary_name())
    return revealed(involvement.actor_name)


def legal_processes_of(case):
    return LegalProcess.objects.filter(case=case).select_related("person", "deciding_body").order_by("created_at", "pk")


def legal_process_dict(process: LegalProcess, pseudonymise: bool) -> dict:
    data = {
        "id": str(process.pk),
        "person": person_ref(process.person, pseudonymise),
        "kind": process.kind,
        "status": process.status,
        "requesting_state": process.requesting_state,
        "deciding_state": process.deciding_state,
        "deciding_body": str(process.deciding_body_id) if process.deciding_body_id else None,
        "opened_on": process.opened_on,
        "decided_on": process.decided_on,
        "deadline": process.deadline.isoformat() if process.deadline else None,
    }
    if not pseudonymise:
        data.update(reference=revealed(process.reference), outcome=revealed(process.outcome))
    return data


def sources_of(case):
    return Source.objects.filter(case=case).order_by("created_at", "pk")


def source_dict(source: Source, pseudonymise: bool) -> dict:
    data = {
        "id": str(source.pk),
        "kind": source.kind,
        "language": source.language,
        "published_on": source.published_on,
        "reliability": source.reliability,
        "confidentiality": source.confidentiality,
    }
    if not pseudonymise:
        data.update(title=revealed(source.title), url=revealed(source.url), notes=revealed(source.notes))
    return data


def organisation_dict(organisation: Organisation) -> dict:
    """Agencies and other organisations are public knowledge, not part of the identity tier."""
    return {
        "id": str(organisation.pk),
        "name": organisation.name,
        "kind": organisation.kind,
        "country": organisation.country,
        "aliases": list(organisation.aliases),
    }


def organisations_referenced(incidents, processes) -> list[Organisation]:
    ids = {inv.organisation_id for incident in incidents for inv in incident.involvements.all() if inv.organisation_id}
    ids |= {process.deciding_body_id for process in processes if process.deciding_body_id}
    return list(Organisation.objects.filter(pk__in=ids).order_by("name", "pk"))


# --- requests, their alerts, and return-risk assessments ---------------------------------------


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def notices_of(cases):
    """The notices and requests tied to ``cases`` (entered on one, or raising an alert on one),
    public or entered on one of them: a request entered on another case stays with that case."""
    from django.db.models import Q

    from shelter.notices.models import Notice

    tied = Q(case__in=cases) | Q(alerts__case__in=cases)
    own = Q(case=None) | Q(case__in=cases)
    return Notice.objects.filter(tied & own).distinct().order_by("first_seen_at", "pk")


def notice_dict(notice, pseudonymise: bool) -> dict:
    data = {
        "id": str(notice.pk),
        "source": notice.source,
        "kind": notice.kind,
        "case": notice.case.reference if notice.case_id else None,
        "requesting_state": notice.requesting_state,
        "nationalities": list(notice.nationalities or []),
        "issued_on": notice.issued_on,
        "charged_on": notice.charged_on,
        "in_absentia": notice.in_absentia,
        "penalty_years": None if notice.penalty_years is None else float(notice.penalty_years),
        "version": notice.version,
        "first_seen_at": _iso(notice.first_seen_at),
        "last_seen_at": _iso(notice.last_seen_at),
        "withdrawn_at": _iso(notice.withdrawn_at),
    }
    if not pseudonymise:
        data.update(
            reference=revealed(notice.source_id), request_reference=revealed(notice.request_reference),
            name=revealed(notice.name), forename=revealed(notice.forename), aliases=notice.alias_list(),
            birth_date=revealed(notice.birth_date), place_of_birth=revealed(notice.place_of_birth),
            charges=notice.charge_list(), facts_summary=revealed(notice.facts_summary),
        )
    return data


def alerts_of(case):
    from shelter.notices.models import NoticeAlert

    return NoticeAlert.objects.filter(case=case).select_related("person").order_by("created_at", "pk")


def alert_dict(alert, pseudonymise: bool, exported_notices: set[str]) -> dict:
    notice = str(alert.notice_id)
    data = {
        "id": str(alert.pk),
        "person": person_ref(alert.person, pseudonymise),
        # A request entered on a case outside the export is not in it: the alert says only that it matched.
        "notice": notice if notice in exported_notices else None,
        "score": round(alert.score, 4),
        "status": alert.status,
        "decided_at": _iso(alert.decided_at),
        "legal_process": str(alert.process_id) if alert.process_id else None,
    }
    if not pseudonymise:
        data["reason"] = revealed(alert.reason)
    return data


def risk_assessments_of(case):
    from shelter.returns.models import RiskAssessment

    return RiskAssessment.objects.filter(case=case).select_related("person").order_by("created_at", "pk")


def risk_assessment_dict(assessment, pseudonymise: bool) -> dict:
    import json

    data = {
        "id": str(assessment.pk),
        "person": person_ref(assessment.person, pseudonymise),
        "destination": assessment.destination,
        "number": assessment.number,
        "method_version": assessment.method_version,
        "created_at": _iso(assessment.created_at),
    }
    if not pseudonymise:
        manual = revealed(assessment.manual_factors)
        data.update(level=revealed(assessment.level), result=assessment.result_dict(),
                    manual_factors=json.loads(manual) if manual else {})
    return data
