"""The actor an involvement names: found among the case's actors by name, or created.

An incident's involvement says how someone acted (an agency, a named officer, an informant) and, since
actors are records, which actor of the case it was. A name written on an involvement — by the incident
form, the API, or on records from before actors existed (``shelter.actors.legacy``) — becomes an actor
of the same case: the same written name within a case is one actor, never one across cases (that is for
coordinators to decide, through links).
"""

import unicodedata

from shelter.records.models import ActorKind as InvolvedAs
from shelter.records.models import OrganisationKind

from .models import Actor, ActorKind, Confidence

# An officer's kind follows from the service they are from; an officer of any other body is "unknown".
OFFICER_OF = {OrganisationKind.SECURITY_SERVICE: ActorKind.INTELLIGENCE_OFFICER, OrganisationKind.POLICE: ActorKind.POLICE}


def actor_kind_for(involved_as: str, organisation=None) -> str:
    """The kind of actor an involvement's kind (and the agency beside it) tells."""
    if involved_as == InvolvedAs.INFORMANT:
        return ActorKind.INFORMANT
    if involved_as == InvolvedAs.OFFICER and organisation is not None:
        return OFFICER_OF.get(organisation.kind, ActorKind.UNKNOWN)
    return ActorKind.UNKNOWN


def same_name(name: str) -> str:
    """The form in which two writings of a name count as one: compatible characters, case and spacing
    ignored. Nothing looser (transliteration, spelling variants): a wrong merge would join two people."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def actors_by_name(case) -> dict[str, Actor]:
    """The case's actors under each of their names (primary names win over aliases, older actors over
    newer). Reads sealed names: call where identity data is revealed."""
    found = {}
    for actor in Actor.objects.filter(case=case).prefetch_related("names").order_by("created_at", "pk"):
        for name in sorted(actor.names.all(), key=lambda n: n.kind != "primary"):
            found.setdefault(same_name(name.value), actor)
    return found


def actor_named(case, name: str, involved_as: str, organisation=None, known: dict | None = None) -> tuple[Actor, bool]:
    """The actor of ``case`` known by ``name``, or a new one (alleged, of the kind the involvement
    tells, from its organisation); whether it was created. ``known`` (from ``actors_by_name``) saves
    reading the case's names again, and learns the new actor."""
    known = actors_by_name(case) if known is None else known
    key = same_name(name)
    if key in known:
        return known[key], False
    actor = Actor.objects.create(case=case, kind=actor_kind_for(involved_as, organisation), organisation=organisation,
                                 confidence=Confidence.ALLEGED)
    actor.set_names(name.strip())
    known[key] = actor
    return actor, True
