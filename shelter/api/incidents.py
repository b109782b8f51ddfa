"""Incidents with their tactics, sources, acts (who was targeted) and involvements (who acted)."""

from typing import Literal
from uuid import UUID

from django.db import transaction
from django.db.models import prefetch_related_objects
from ninja import PatchDict, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field, model_validator

from shelter.actors.involved import actor_named, actors_by_name
from shelter.actors.models import Actor
from shelter.audit.log import record
from shelter.records.models import (
    Act,
    ActorKind,
    ActRole,
    IN_LIST_ORDER,
    Complicity,
    Incident,
    Involvement,
    Organisation,
    Outcome,
    Person,
    Source,
    Term,
)

from .common import (
    apply,
    audit_write,
    completed,
    get_or_404,
    page,
    reject_nulls,
    replace_children,
    reveals_identity,
    same_case,
    set_related,
    values_of,
    visible,
    writable,
    writable_case,
)
from .schemas import (
    AccusationCode,
    Country,
    KeysetPaging,
    LongText,
    Out,
    Page,
    ProfileCode,
    RequiredCountry,
    RequiredPartialDate,
    ShortText,
    Stamped,
    TacticCode,
)

router = Router(tags=["incidents"])
INVOLVEMENT_ROLES = ["", *(value for value, _ in Involvement._meta.get_field("role").choices)]


class ActIn(Schema):
    person_id: UUID
    role: ActRole = ActRole.VICTIM
    proxy_for_id: UUID | None = None
    source_ids: list[UUID] = Field([], max_length=100)


class InvolvementIn(Schema):
    actor_kind: ActorKind = ActorKind.UNKNOWN
    organisation_id: UUID | None = None
    actor_id: UUID | None = Field(None, description="an actor of the incident's case")
    actor_name: ShortText = Field("", description="or a name: the case's actor known by it, else a new actor of the case")
    role: Literal[tuple(INVOLVEMENT_ROLES)] = ""

    @model_validator(mode="after")
    def _one_actor_and_an_officer_is_named(self):
        if self.actor_id and self.actor_name.strip():
            raise ValueError("give actor_id or actor_name, not both")
        # As the web form: a "named officer" without a name would read as a name that was hidden.
        if self.actor_kind == ActorKind.OFFICER and not self.actor_id and not self.actor_name.strip():
            raise ValueError("a named officer needs actor_id or actor_name; if the name is not known, use actor_kind 'unknown'")
        return self


class IncidentFields(Schema):
    title: ShortText = ""
    date: RequiredPartialDate
    origin_state: RequiredCountry
    host_state: RequiredCountry
    place: ShortText = ""
    tactics: list[TacticCode] = Field([], max_length=50)
    narrative: LongText = ""
    outcome: Outcome = Outcome.UNKNOWN
    host_complicity: Complicity = Complicity.UNKNOWN
    people_targeted: int = Field(1, ge=0, le=1_000_000)
    accusation: AccusationCode = ""
    source_ids: list[UUID] = Field([], max_length=500)
    acts: list[ActIn] = Field([], max_length=500, description="replaces all acts when given")
    involvements: list[InvolvementIn] = Field([], max_length=500, description="replaces all when given")


class IncidentIn(IncidentFields):
    case_id: UUID


class ActOut(Out):
    id: UUID
    person_id: UUID
    person_pseudonym: str
    role: ActRole
    proxy_for_id: UUID | None
    source_ids: list[UUID]


class InvolvementOut(Out):
    id: UUID
    actor_kind: ActorKind
    organisation_id: UUID | None
    actor_id: UUID | None
    actor_display_name: str | None = Field(description="the actor's name, or its pseudonym where identity data is hidden")
    actor_name: str | None = Field(description="the name, null where identity data is hidden")
    role: str


class IncidentOut(Stamped):
    case_id: UUID
    title: str | None
    date: str
    origin_state: str
    host_state: str
    place: str | None
    tactics: list[str]
    narrative: str | None
    outcome: Outcome
    host_complicity: Complicity
    people_targeted: int
    accusation: str
    source_ids: list[UUID]
    acts: list[ActOut]
    involvements: list[InvolvementOut]


class IncidentFilters(KeysetPaging):
    origin: Country = ""
    host: Country = ""
    tactic: TacticCode = ""
    year: int | None = Field(None, ge=1850, le=2100)
    profile: ProfileCode = ""


SCALARS = (
    "title", "date", "origin_state", "host_state", "place", "narrative", "outcome", "host_complicity",
    "people_targeted", "accusation",
)  # fmt: skip


def act_out(act) -> dict:
    return {
        "id": act.pk,
        "person_id": act.person_id,
        "person_pseudonym": act.person.pseudonym,  # the same for every role: it reveals nothing
        "role": act.role,
        "proxy_for_id": act.proxy_for_id,
        "source_ids": [s.pk for s in act.sources.all()],
    }


def incident_out(incident) -> dict:
    out = values_of(incident, ("id", "case_id", "created_at", "updated_at", *SCALARS))
    out["tactics"] = [term.code for term in incident.tactics.all()]
    out["source_ids"] = [s.pk for s in incident.sources.all()]
    out["acts"] = [act_out(act) for act in incident.acts.all()]
    out["involvements"] = [involvement_out(i) for i in incident.involvements.all()]
    return out


def involvement_out(involvement) -> dict:
    """An involvement with its actor: the id, and the name or (for those who may not read identity
    data) the pseudonym. A name still written on an older record is shown until it is moved."""
    reveal = reveals_identity()
    if involvement.actor_id:
        actor = involvement.actor
        name, shown = (actor.primary_name(), actor.display_name()) if reveal else (None, actor.pseudonym)
    else:
        name = involvement.actor_name if reveal else None
        shown = name or None
    return {"id": involvement.pk, "actor_kind": involvement.actor_kind, "organisation_id": involvement.organisation_id,
            "actor_id": involvement.actor_id, "actor_display_name": shown, "actor_name": name, "role": involvement.role}


CHILDREN = ("tactics", "sources", "acts__sources", "acts__person", "involvements__actor__names")


def with_children(queryset):
    return queryset.prefetch_related(*CHILDREN)


def save_incident(request, incident, values: dict) -> list[str]:
    """Write validated ``values``; the names of the fields that changed. References to persons and
    sources must stay within the incident's case."""
    case = incident.case
    changed = apply(incident, {k: v for k, v in values.items() if k in SCALARS})
    if changed or incident._state.adding:
        incident.save()
    if "tactics" in values:
        if set_related(incident.tactics, Term.objects.filter(thesaurus="tactics", code__in=values["tactics"])):
            changed.append("tactics")
    if "source_ids" in values:
        if set_related(incident.sources, same_case(Source, values["source_ids"], case, "source_ids")):
            changed.append("source_ids")
    if "acts" in values and replace_acts(incident, values["acts"]):
        changed.append("acts")
    if "involvements" in values and replace_involvements(request, incident, values["involvements"]):
        changed.append("involvements")
    return changed


def replace_acts(incident, acts) -> bool:
    case = incident.case
    desired = []
    for act in completed(ActIn, acts):
        people = [act["person_id"]] + ([act["proxy_for_id"]] if act["proxy_for_id"] else [])
        same_case(Person, people, case, "acts.person_id")
        sources = same_case(Source, act["source_ids"], case, "acts.source_ids")
        desired.append({**act, "source_ids": sorted(s.pk for s in sources)})

    def describe(act):
        return {
            "person_id": act.person_id,
            "role": act.role,
            "proxy_for_id": act.proxy_for_id,
            "source_ids": sorted(s.pk for s in act.sources.all()),
        }

    def create(item):
        act = Act.objects.create(
            incident=incident, person_id=item["person_id"], role=item["role"], proxy_for_id=item["proxy_for_id"]
        )
        act.sources.set(item["source_ids"])

    return replace_children(incident.acts.all(), desired, describe, create)


def replace_involvements(request, incident, involvements) -> bool:
    involvements = completed(InvolvementIn, involvements)
    known = set(Organisation.objects.filter(pk__in=[i["organisation_id"] for i in involvements]).values_list("pk", flat=True))
    if any(i["organisation_id"] and i["organisation_id"] not in known for i in involvements):
        raise HttpError(422, "involvements.organisation_id: no such organisation")
    desired = with_actors(request, incident.case, involvements)
    fields = ["actor_kind", "organisation_id", "actor_id", "role"]
    return replace_children(
        incident.involvements.all(),
        desired,
        describe=lambda i: {field: getattr(i, field) for field in fields},
        create=lambda item: Involvement.objects.create(incident=incident, **item),
    )


def with_actors(request, case, involvements) -> list[dict]:
    """Each involvement with the id of its actor: one of the case's (422 otherwise, the same answer for an
    actor of another case and an unknown id), or the one a name gives (found again, else created)."""
    same_case(Actor, [i["actor_id"] for i in involvements if i["actor_id"]], case, "involvements.actor_id")
    by_name = None
    desired = []
    for item in involvements:
        name = item.pop("actor_name").strip()
        if name:
            by_name = actors_by_name(case) if by_name is None else by_name
            organisation = Organisation.objects.filter(pk=item["organisation_id"]).first() if item["organisation_id"] else None
            actor, created = actor_named(case, name, item["actor_kind"], organisation, by_name)
            if created:
                record(request.user, "create", actor, request=request, fields=["names", "kind", "organisation"])
            item["actor_id"] = actor.pk
        desired.append(item)
    return desired


@router.get("", response=Page[IncidentOut])
def list_incidents(request, filters: Query[IncidentFilters]):
    incidents = visible(request, Incident).filter_by(
        origin=filters.origin, host=filters.host, tactic=filters.tactic, year=filters.year or "", profile=filters.profile
    )
    return page(with_children(incidents.in_list_order()), filters, incident_out, keyset=IN_LIST_ORDER)


@router.get("/{id}", response=IncidentOut)
def get_incident(request, id: UUID):
    incident = get_or_404(request, Incident, id)
    prefetch_related_objects([incident], *CHILDREN)  # its acts and involvements read as the list reads them
    return incident_out(incident)


@router.post("", response={201: IncidentOut})
def create_incident(request, payload: IncidentIn):
    with transaction.atomic():
        case = writable_case(request, payload.case_id)
        incident = Incident(case=case)
        save_incident(request, incident, payload.model_dump(exclude={"case_id"}))
        audit_write(request, "create", incident, sorted(payload.model_fields_set - {"case_id"}))
    return Status(201, incident_out(incident))


@router.patch("/{id}", response=IncidentOut)
def update_incident(request, id: UUID, payload: PatchDict[IncidentFields]):
    values = reject_nulls(payload, IncidentFields)
    with transaction.atomic():
        incident = writable(request, Incident, id)
        changed = save_incident(request, incident, values)
        audit_write(request, "update", incident, changed)
    return incident_out(incident)
