"""The network graph (shelter.network) built from the records of some cases, as the reader may see them:
names and identifier values where identity is revealed, pseudonyms and kinds otherwise. One node for
one identifier across cases (its digest), unless a coordinator rejected their link."""

from shelter.identifiers.normalise import normalise
from shelter.network.graph import Records, build
from shelter.records import sealing
from shelter.records.models import Act, Involvement, Organisation

from .models import Actor, Identifier, Link, LinkStatus


def records_of(cases) -> Records:
    cases = list(cases)
    case_ids = [c.pk for c in cases]
    reveal = sealing.current().reveal
    rejected = set(Link.objects.filter(status=LinkStatus.REJECTED).values_list("key", flat=True))
    actors = list(Actor.objects.filter(case_id__in=case_ids).prefetch_related("names"))
    records = Records()
    organisations = set()
    for actor in actors:
        organisations |= {actor.organisation_id, actor.claimed_organisation_id} - {None}
        records.actors.append({"id": str(actor.pk), "case": str(actor.case_id), "label": actor.display_name(), "kind": actor.kind,
                               "organisation": str(actor.organisation_id) if actor.organisation_id else None,
                               "claimed_organisation": str(actor.claimed_organisation_id) if actor.claimed_organisation_id else None})
    records.organisations = [{"id": str(o.pk), "label": o.name, "country": o.country} for o in Organisation.objects.filter(pk__in=organisations)]
    for identifier in Identifier.objects.filter(case_id__in=case_ids, actor__isnull=False).exclude(digest=""):
        shared = identifier.digest if identifier.digest not in rejected else f"{identifier.digest}:{identifier.case_id}"
        value = identifier.value if reveal else None
        records.identifiers.append({"id": str(identifier.pk), "case": str(identifier.case_id), "node": shared, "kind": identifier.kind,
                                    "label": value or identifier.get_kind_display(), "value": _compared(identifier) if reveal else None,
                                    "owner": f"actor:{identifier.actor_id}"})
    involvements = (Involvement.objects.filter(case_id__in=case_ids, actor__isnull=False).select_related("incident")
                    .prefetch_related("incident__tactics"))
    incidents = {}
    for involvement in involvements:
        incident = involvement.incident
        incidents[incident.pk] = {"id": str(incident.pk), "case": str(incident.case_id), "label": incident.label(),
                                  "date": incident.date or "", "host_state": incident.host_state}
        records.involvements.append({"actor": str(involvement.actor_id), "incident": str(incident.pk), "role": involvement.role})
    records.incidents = list(incidents.values())
    for act in Act.objects.filter(incident_id__in=list(incidents)).select_related("person"):
        records.targets.append({"person": str(act.person_id), "case": str(act.case_id), "label": act.person.display_name(),
                                "incident": str(act.incident_id)})
    return records


def _compared(identifier) -> str:
    return normalise(identifier.kind, identifier.value, identifier.country)


def graph_of(cases):
    return build(records_of(cases))
