"""What of the instance's records may be published: incidents read into the coded ``Facts`` of
shelter.publishing, with the consent and "never publish" rules applied.

Left out: incidents of cases marked "never publish" and of crypto-erased cases; incidents with a
targeted person (victim or relative targeted as proxy) who has not consented to publication;
incidents with no target or no year; incidents outside the period. Nothing sealed is decrypted:
the facts are all plain codes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import islice

from shelter import thesaurus
from shelter.publishing.dataset import Facts
from shelter.records.models import CONSENTED, Act, ActRole, Confidentiality, Incident, Person, PublicationConsent

TARGET_ROLES = (ActRole.VICTIM, ActRole.PROXY_VICTIM)


@dataclass
class Selection:
    facts: list[Facts] = field(default_factory=list)
    left_out: Counter = field(default_factory=Counter)


CHUNK = 5000


def _facts_of(chunk: list[dict]) -> dict:
    """For a chunk of incidents (as values): their tactics, targets, targets' profiles and public sources,
    in one query each — plain values, no model instances, so that hundreds of thousands stay quick."""
    ids = [i["id"] for i in chunk]
    tactics, targets, public = {}, {}, set()
    for incident, code in Incident.tactics.through.objects.filter(incident_id__in=ids).values_list("incident_id", "term__code"):
        tactics.setdefault(incident, []).append(code)
    acts = (Act.objects.filter(incident_id__in=ids, role__in=TARGET_ROLES).order_by("created_at", "id")
            .values_list("incident_id", "role", "person_id", "person__gender", "person__publication_consent"))
    for incident, role, person, gender, consent in acts:
        targets.setdefault(incident, []).append((role != ActRole.VICTIM, person, gender, consent))
    persons = {t[1] for ts in targets.values() for t in ts}
    profiles = {}
    for person, code in Person.profiles.through.objects.filter(person_id__in=persons).values_list("person_id", "term__code"):
        profiles.setdefault(person, set()).add(code)
    public = set(Incident.sources.through.objects.filter(incident_id__in=ids, source__confidentiality=Confidentiality.PUBLIC)
                 .values_list("incident_id", flat=True))
    return {"tactics": tactics, "targets": targets, "profiles": profiles, "public": public}


def _profile(codes: set[str]) -> str:
    """One profile per target, the first in the thesaurus's order, so the choice does not depend on
    the order the profiles were entered in."""
    return next((c for c in thesaurus.codes("profiles") if c in codes), "")


def select(from_year: int | None = None, to_year: int | None = None, progress=None) -> Selection:
    selection = Selection()
    left_out = selection.left_out
    left_out["never_publish"] = Incident.objects.filter(case__never_publish=True).count()
    incidents = (Incident.objects.of_publishable_cases().order_by()
                 .values("id", "date", "origin_state", "host_state", "outcome", "host_complicity"))
    rows = incidents.iterator(chunk_size=CHUNK)
    while chunk := list(islice(rows, CHUNK)):
        related = _facts_of(chunk)
        for incident in chunk:
            selection.facts.extend(_facts(incident, related, left_out, from_year, to_year))
        if progress:
            progress(len(chunk))
    return selection


def _facts(incident, related, left_out, from_year, to_year) -> list[Facts]:
    """The incident's facts, or nothing (counted in ``left_out`` with the reason)."""
    date = incident["date"] or ""
    year = int(date[:4]) if date[:4].isdigit() else None
    if year is None:
        left_out["no_year"] += 1
        return []
    if (from_year and year < from_year) or (to_year and year > to_year):
        left_out["outside_period"] += 1
        return []
    # A victim before a relative targeted as proxy: the row describes the person aimed at.
    targets = sorted(related["targets"].get(incident["id"], []), key=lambda t: t[0])
    if not targets:
        left_out["no_target"] += 1
        return []
    consents = {t[3] for t in targets}
    if not consents <= set(CONSENTED):
        left_out["no_consent"] += 1
        return []
    _, person, gender, _ = targets[0]
    return [Facts(
        year=year,
        origin=incident["origin_state"],
        host=incident["host_state"],
        tactics=tuple(related["tactics"].get(incident["id"], ())),
        profile=_profile(related["profiles"].get(person, set())),
        gender=gender,
        outcome=incident["outcome"],
        complicity=incident["host_complicity"],
        named=consents == {PublicationConsent.NAMED} and incident["id"] in related["public"],
    )]
