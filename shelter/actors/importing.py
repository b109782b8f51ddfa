"""Actors read from a file (shelter.exchange.actor_lines) into a case: an actor already imported under the
same id is updated, not duplicated — its names replaced by the file's, its identifiers kept where the
file has them still (so that a coordinator's decision on their links stands) and the others removed.
An actor's `incidents` are ids of the case's incidents; it is recorded as involved in each. Links
across cases are found once the whole file is in (`links.discover_all`), not line by line."""

from dataclasses import dataclass

from django.db import transaction

from shelter.exchange.actor_lines import ActorLine
from shelter.records.models import Organisation, OrganisationKind

from shelter.records.models import ActorKind, Incident, Involvement

from . import links
from .models import Actor, Identifier, external_id_digest, identifier_digest


class IncidentNotFound(ValueError):
    """An actor line names an incident the case does not have."""


@dataclass
class Imported:
    created: int = 0
    updated: int = 0


def _organisation(name: str) -> Organisation | None:
    if not name:
        return None
    found = Organisation.objects.filter(name__iexact=name).first()
    return found or Organisation.objects.create(name=name, kind=OrganisationKind.STATE_BODY)


@transaction.atomic
def import_actors(case, lines: list[ActorLine], progress=lambda n: None) -> Imported:
    result = Imported()
    with links.deferred():
        for line in lines:
            actor = Actor.objects.filter(case=case, external_id_index=external_id_digest(case.pk, line.id)).first()
            if actor is None:
                actor = Actor(case=case, external_id=line.id)
                result.created += 1
            else:
                result.updated += 1
            actor.kind, actor.organisation = line.kind, _organisation(line.organisation)
            actor.save()
            actor.set_names(line.name, line.aliases)
            _identifiers(actor, line)
            _incidents(case, actor, line)
            progress(1)
    return result


def _identifiers(actor: Actor, line: ActorLine) -> None:
    kept = {(i.kind, i.digest): i for i in actor.identifiers.all()}
    wanted = {(item.kind, identifier_digest(item.kind, item.value, item.country)): item for item in line.identifiers}
    for key, identifier in kept.items():
        if key not in wanted:
            identifier.delete()
    for key, item in wanted.items():
        if key not in kept:
            Identifier.objects.create(actor=actor, kind=item.kind, value=item.value, country=item.country)


# How an involvement of older records names each kind of actor.
INVOLVED_AS = {"intelligence_officer": ActorKind.OFFICER, "police": ActorKind.OFFICER, "consular": ActorKind.OFFICER,
               "informant": ActorKind.INFORMANT, "provocateur": ActorKind.INFORMANT}


def _incidents(case, actor: Actor, line: ActorLine) -> None:
    for reference in line.incidents:
        incident = Incident.objects.filter(case=case, pk=_uuid(reference)).first() if _uuid(reference) else None
        if incident is None:
            raise IncidentNotFound(f"line {line.line}: id {line.id!r}: no incident {reference!r} in case {case.reference}")
        if not Involvement.objects.filter(incident=incident, actor=actor).exists():
            Involvement.objects.create(incident=incident, actor=actor, organisation=actor.organisation,
                                       actor_kind=INVOLVED_AS.get(actor.kind, ActorKind.UNKNOWN))


def _uuid(text: str):
    import uuid

    try:
        return uuid.UUID(text)
    except ValueError:
        return None
