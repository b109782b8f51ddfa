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

from django.db.models import Prefetch

from shelter import thesaurus
from shelter.publishing.dataset import Facts
from shelter.records.models import Act, ActRole, Confidentiality, Incident, Person, PublicationConsent

TARGET_ROLES = (ActRole.VICTIM, ActRole.PROXY_VICTIM)


@dataclass
class Selection:
    facts: list[Facts] = field(default_factory=list)
    left_out: Counter = field(default_factory=Counter)


def _profile(person: Person) -> str:
    """One profile per target, the first in the thesaurus's order, so the choice does not depend on
    the order the profiles were entered in."""
    codes = {t.code for t in person.profiles.all()}
    return next((c for c in thesaurus.codes("profiles") if c in codes), "")


def incidents():
    qs = Incident.objects.filter(case__never_publish=False, case__wrapped_key__isnull=False).order_by()
    return qs.prefetch_related(
        "tactics",
        "sources",
        Prefetch("acts", queryset=Act.objects.filter(role__in=TARGET_ROLES).select_related("person")
                 .prefetch_related("person__profiles").order_by("created_at", "id")),
    )


def select(from_year: int | None = None, to_year: int | None = None, progress=None) -> Selection:
    selection = Selection()
    left_out = selection.left_out
    left_out["never_publish"] = Incident.objects.filter(case__never_publish=True).count()
    for incident in incidents().iterator(chunk_size=2000):
        if progress:
            progress()
        year = int(incident.date[:4]) if incident.date and incident.date[:4].isdigit() else None
        if year is None:
            left_out["no_year"] += 1
            continue
        if (from_year and year < from_year) or (to_year and year > to_year):
            left_out["outside_period"] += 1
            continue
        # A victim before a relative targeted as proxy: the row describes the person aimed at.
        targets = [act.person for act in sorted(incident.acts.all(), key=lambda act: act.role != ActRole.VICTIM)]
        if not targets:
            left_out["no_target"] += 1
            continue
        consents = {p.publication_consent for p in targets}
        if PublicationConsent.NONE in consents or not consents <= {PublicationConsent.ANONYMISED, PublicationConsent.NAMED}:
            left_out["no_consent"] += 1
            continue
        named = consents == {PublicationConsent.NAMED} and any(
            s.confidentiality == Confidentiality.PUBLIC for s in incident.sources.all()
        )
        primary = targets[0]
        selection.facts.append(Facts(
            year=year,
            origin=incident.origin_state,
            host=incident.host_state,
            tactics=tuple(t.code for t in incident.tactics.all()),
            profile=_profile(primary),
            gender=primary.gender,
            outcome=incident.outcome,
            complicity=incident.host_complicity,
            named=named,
        ))
    return selection
