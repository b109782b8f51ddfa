"""The risk of a person's return to a state, and the documented cases that compare.

The engine (``shelter.assessment.refoulement``) decides; this module gathers the facts and keeps what
must be kept: a risk assessment is stored each time it is made, earlier ones left as they were.
"""

import json

from django.db import transaction
from django.db.models import Max

from shelter.assessment import refoulement
from shelter.assessment import sources as reference_sources
from shelter.audit.log import record
from shelter.notices import facts as record_facts
from shelter.records import access
from shelter.records.models import Incident

from .models import RiskAssessment

# --- comparable cases ---------------------------------------------------------------------------

COMPARABLE_INCIDENTS = 25
COURTS = ("European Court of Human Rights", "UN Committee against Torture", "UN Human Rights Committee")


def comparable_cases(person, states, user=None) -> dict:
    """What compares with this person's case: judgments on returns to the requesting states (from the
    country profiles), incidents by those states documented in the cases ``user`` can see (other
    people's, shown by their labels, which name nobody), and each state's documented record in counts."""
    states = [state for state in dict.fromkeys(states) if state and len(state) == 2]
    data = refoulement.country_profiles()
    profiles = data.get("countries", {})
    judgments = {}
    for state in states:
        for statement in profiles.get(state, {}).get("statements", []):
            for citation in statement.get("sources", []):
                _, source, _ = reference_sources.resolve(citation)
                if any(court in source.get("publisher", "") for court in COURTS):
                    judgments.setdefault(source.get("reference") or source.get("title"), source)
    incidents = Incident.objects.filter(origin_state__in=states).exclude(acts__person=person)
    if user is not None:
        incidents = incidents.filter(case__in=access.visible_cases(user))
    return {
        "judgments": sorted(judgments.values(), key=lambda s: (str(s.get("year", "")), str(s.get("title", "")))),
        "incidents": list(incidents.prefetch_related("tactics").distinct()[:COMPARABLE_INCIDENTS]),
        "states": [record_facts.state_record(state) for state in states],
    }


# --- return risk ---------------------------------------------------------------------------------


@transaction.atomic
def assess_risk(person, destination: str, *, user=None, manual: dict | None = None, request=None):
    """Assess the risk of returning ``person`` to ``destination`` and keep it as a new assessment:
    earlier ones stay as they were. Raises ``refoulement.UnknownCountry`` for a destination that is
    not a country."""
    destination = refoulement.country_code(destination)
    result = refoulement.assess(record_facts.person_facts(person), destination,
                                record=record_facts.state_record(destination), manual=manual or {})
    earlier = RiskAssessment.objects.filter(person=person, destination=destination).aggregate(n=Max("number"))["n"]
    stored = RiskAssessment.objects.create(
        person=person, destination=destination, number=(earlier or 0) + 1, method_version=result.method_version,
        level=result.level, result=json.dumps(result.as_dict(), ensure_ascii=False),
        manual_factors=json.dumps(manual or {}, ensure_ascii=False), assessed_by=user,
    )
    record(user or "cli", "create", stored, request=request, fields=["result"], destination=destination,
           number=stored.number)
    return stored


def latest_risks(person) -> list:
    """The newest assessment of each destination assessed for ``person``."""
    latest = {}
    for assessment in person.risk_assessments.order_by("destination", "-number"):
        latest.setdefault(assessment.destination, assessment)
    return list(latest.values())


def under_current_data(stored) -> dict | None:
    """When ``stored`` was made with reference data since corrected: the versions it used and the
    level the current data give for the same facts and answers (None if its data are current).
    Nothing is stored: the assessment keeps what it said; assessing again records the new one."""
    used = stored.result_dict().get("data_versions") or {}
    current = refoulement.data_versions()
    if not used or used == current:
        return None
    manual = json.loads(stored.manual_factors) if isinstance(stored.manual_factors, str) and stored.manual_factors else {}
    result = refoulement.assess(record_facts.person_facts(stored.person), stored.destination,
                                record=record_facts.state_record(stored.destination), manual=manual)
    return {"used": used, "current": current, "level": result.level, "level_label": result.as_dict()["level_label"],
            "changed": result.level != stored.result_dict().get("level")}
