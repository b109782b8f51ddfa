"""Actors of a case and their identifiers; the links between cases (coordinators). Names and values are
identity data: null for researchers. Of a link, a caseworker learns only ``recorded_elsewhere`` (an
identifier) and ``may_be_recorded_elsewhere`` (a likely same actor): no case, no count, no score."""

from typing import Literal
from uuid import UUID

from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from shelter.actors import links, same_actor
from shelter.actors.models import Actor, ActorKind, Confidence, Identifier, IdentifierKind, Link, LinkSide, LinkStatus
from shelter.audit.log import record
from shelter.identifiers.normalise import IdentifierError
from shelter.records.models import Organisation

from .common import get_or_404, page, require_coordinator, reveals_identity, visible, writable, writable_case
from .schemas import CasePaging, Country, LongText, Out, Page, PartialDate, ShortText, Stamped

router = Router(tags=["actors"])
links_router = Router(tags=["actors"])


class IdentifierOut(Out):
    id: UUID
    kind: str
    value: str | None
    country: str
    recorded_elsewhere: bool


class ActorOut(Stamped):
    case_id: UUID
    pseudonym: str
    kind: str
    confidence: str
    organisation_id: UUID | None
    claimed_organisation_id: UUID | None
    first_seen: str
    last_seen: str
    names: list[str] | None
    identifiers: list[IdentifierOut]
    may_be_recorded_elsewhere: bool  # likely the same actor in another case: not which, how many, or how likely


class ActorIn(Schema):
    case_id: UUID
    name: ShortText = Field(min_length=1)
    aliases: list[ShortText] = Field(default=[], max_length=50)
    kind: Literal[tuple(ActorKind.values)] = ActorKind.UNKNOWN
    confidence: Literal[tuple(Confidence.values)] = Confidence.ALLEGED
    organisation_id: UUID | None = None
    claimed_organisation_id: UUID | None = None
    first_seen: PartialDate = ""
    last_seen: PartialDate = ""
    notes: LongText = ""


class IdentifierIn(Schema):
    kind: Literal[tuple(IdentifierKind.values)]
    value: ShortText = Field(min_length=1)
    country: Country = ""


def identifier_out(identifier: Identifier) -> dict:
    return {"id": identifier.pk, "kind": identifier.kind, "value": identifier.value if reveals_identity() else None,
            "country": identifier.country,
            "recorded_elsewhere": elsewhere if (elsewhere := getattr(identifier, "elsewhere", None)) is not None
            else links.recorded_elsewhere(identifier)}


def actor_out(actor: Actor) -> dict:
    reveal = reveals_identity()
    return {"id": actor.pk, "created_at": actor.created_at, "updated_at": actor.updated_at, "case_id": actor.case_id,
            "pseudonym": actor.pseudonym, "kind": actor.kind, "confidence": actor.confidence,
            "organisation_id": actor.organisation_id, "claimed_organisation_id": actor.claimed_organisation_id,
            "first_seen": actor.first_seen, "last_seen": actor.last_seen,
            "names": [n.value for n in actor.names.all()] if reveal else None,
            "identifiers": [identifier_out(i) for i in actor.identifiers.all()],
            "may_be_recorded_elsewhere": elsewhere if (elsewhere := getattr(actor, "elsewhere", None)) is not None
            else links.may_be_recorded_elsewhere(actor)}


def _organisation(pk):
    if pk is None:
        return None
    found = Organisation.objects.filter(pk=pk).first()
    if found is None:
        raise HttpError(422, "no organisation with that id")
    return found


@router.get("", response=Page[ActorOut])
def list_actors(request, paging: Query[CasePaging]):
    # Whether each actor and identifier is recorded elsewhere read with them, not one query each.
    actors = (visible(request, Actor).prefetch_related(*children())
              .annotate(elsewhere=same_actor.may_be_recorded_elsewhere_expression()))
    return page(actors, paging, actor_out)


def children() -> tuple:
    """An actor's names, and its identifiers with whether each is recorded elsewhere."""
    return "names", Prefetch("identifiers", Identifier.objects.annotate(elsewhere=links.recorded_elsewhere_expression()))


@router.post("", response={201: ActorOut})
def create_actor(request, body: ActorIn):
    case = writable_case(request, body.case_id)
    with transaction.atomic():
        actor = Actor.objects.create(case=case, kind=body.kind, confidence=body.confidence, first_seen=body.first_seen,
                                     last_seen=body.last_seen, notes=body.notes, organisation=_organisation(body.organisation_id),
                                     claimed_organisation=_organisation(body.claimed_organisation_id))
        actor.set_names(body.name, body.aliases)
        record(request.user, "create", actor, request=request)
    return Status(201, actor_out(actor))


@router.get("/{id}", response=ActorOut)
def get_actor(request, id: UUID):
    actor = get_or_404(request, Actor, id)
    prefetch_related_objects([actor], *children())  # not a query an identifier
    return actor_out(actor)


@router.post("/{id}/identifiers", response={201: IdentifierOut})
def add_identifier(request, id: UUID, body: IdentifierIn):
    """A phone, an account, a plate… of the actor; 422 with the reason when it is not one of its kind."""
    actor = writable(request, Actor, id)
    try:
        identifier = Identifier.objects.create(actor=actor, kind=body.kind, value=body.value, country=body.country)
    except IdentifierError as e:
        raise HttpError(422, f"not a valid {body.kind}: {e}") from e
    record(request.user, "create", identifier, request=request)
    return Status(201, identifier_out(identifier))


class SideOut(Out):
    case_id: UUID
    case_reference: str
    actor_id: UUID | None
    value: str | None  # the identifier as recorded (identifier links)
    names: list[str] | None  # the actor's names (same-actor links)


class ReasonOut(Out):
    code: Literal["name", "one_part_name", "organisation", "city", "country", "period"]
    contribution: float
    similarity: float | None = None


class LinkOut(Out):
    id: UUID
    name: str
    kind: str
    identifier_kind: str
    status: str
    score: float | None  # same_actor: 0..1 (shelter.network.likeness)
    reasons: list[ReasonOut]
    sides: list[SideOut]


class DecisionIn(Schema):
    decision: Literal["confirmed", "rejected"]



def side_out(side) -> dict:
    if side.actor_id:
        return {"case_id": side.case_id, "case_reference": side.case.reference, "actor_id": side.actor_id,
                "value": None, "names": [n.value for n in side.actor.names.all()]}
    return {"case_id": side.case_id, "case_reference": side.case.reference,
            "actor_id": side.identifier.actor_id if side.identifier else None,
            "value": side.identifier.value if side.identifier else None, "names": None}


def sides_of_links() -> Prefetch:
    """Every side of a list of links, with its case, identifier and actor's names, in one query each."""
    return Prefetch("sides", LinkSide.objects.select_related("case", "identifier__case", "actor").prefetch_related("actor__names"))


def link_out(link: Link) -> dict:
    if "sides" in getattr(link, "_prefetched_objects_cache", {}):
        sides = link.sides.all()
    else:
        sides = link.sides.select_related("case", "identifier", "actor").prefetch_related("actor__names")
    return {"id": link.pk, "name": str(link), "kind": link.kind, "identifier_kind": link.identifier_kind,
            "status": link.status, "score": link.score, "reasons": link.reasons, "sides": [side_out(s) for s in sides]}


@links_router.get("", response=list[LinkOut])
def list_links(request, status: Literal[tuple(LinkStatus.values)] | None = None):
    require_coordinator(request, "links between cases")
    shown = Link.objects.filter(status=status) if status else Link.objects.all()
    return [link_out(link) for link in shown.prefetch_related(sides_of_links())]


@links_router.post("/{id}/decision", response=LinkOut)
def decide_link(request, id: UUID, body: DecisionIn):
    require_coordinator(request, "links between cases")
    link = Link.objects.filter(pk=id).first()
    if link is None:
        raise HttpError(404, "no such link")
    link.status, link.decided_by, link.decided_at = body.decision, request.user, timezone.now()
    link.save(update_fields=["status", "decided_by", "decided_at"])
    record(request.user, "update", link, request=request, fields=["status"], decision=body.decision)
    return link_out(link)
