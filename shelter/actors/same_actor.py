"""Links of the kind "likely the same actor": two actors of different cases whose names the matcher finds
alike and whose records share a corroborating fact (``shelter.network.likeness`` has the rule and its
threshold). Candidates are found blind — actors of other cases sharing a digest of the name index
(``name_index``) — and only then are the two records read, server-side in a scope of their own, to be
scored. What is stored is the pair's link: a keyed digest of the two actors' ids, the score, and the
reasons as codes (never a name or a place).

Coordinators' decisions are kept: a rejected pair stays rejected, a confirmed one stays confirmed,
whatever later edits do to its score (the score and reasons are updated, for the record). An open link
whose pair no longer reaches the threshold goes: nobody decided on it, and it would only add noise.
"""

from collections import defaultdict
from uuid import UUID

from django.db import connection

from shelter.network.likeness import NO_LIKENESS, ActorFacts, Likeness, likeness, shared_facts
from shelter.records import sealing
from shelter.records.models import Involvement

from .models import Actor, ActorName, ActorNameKey, Link, LinkKind, LinkSide, LinkStatus

PAIR_DOMAIN = "actor.same_actor"
CHUNK = 500  # actors read per query: well under any database's limit of query parameters


def pair_key(a, b) -> str:
    """The link's key: a keyed digest of the two actors' ids, in either order."""
    first, second = sorted((str(a), str(b)))
    return sealing.blind(f"{first}|{second}", PAIR_DOMAIN)


# --- finding candidates ----------------------------------------------------------------------------


def candidates_of(actor: Actor) -> set[UUID]:
    """Actors of other cases with a name-index digest in common with the actor's names."""
    digests = ActorNameKey.objects.filter(actor=actor).values("digest")
    return set(ActorNameKey.objects.filter(digest__in=digests).exclude(case_id=actor.case_id)
               .values_list("actor_id", flat=True).distinct())


def linked_with(actor: Actor) -> set[UUID]:
    """Actors already in a same-actor link with the actor (to score again, or to let go)."""
    links = Link.objects.filter(kind=LinkKind.SAME_ACTOR, sides__actor=actor).values("pk")
    return set(LinkSide.objects.filter(link__in=links).exclude(actor=actor).values_list("actor_id", flat=True))


def candidate_pairs() -> set[tuple[UUID, UUID]]:
    """Every pair of actors of different cases sharing a digest, each pair once, in one query."""
    table = connection.ops.quote_name(ActorNameKey._meta.db_table)
    actor, case, digest = (connection.ops.quote_name(ActorNameKey._meta.get_field(f).column) for f in ("actor", "case", "digest"))
    sql = (f"SELECT DISTINCT a.{actor}, b.{actor} FROM {table} a JOIN {table} b "  # noqa: S608 — names from the model
           f"ON a.{digest} = b.{digest} AND a.{actor} < b.{actor} AND a.{case} <> b.{case}")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {(_uuid(a), _uuid(b)) for a, b in cursor.fetchall()}


def _uuid(value) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))  # SQLite gives the hex text


# --- what is compared ------------------------------------------------------------------------------


def facts_of(actor_ids) -> dict[UUID, tuple[UUID, ActorFacts]]:
    """Each actor's case and what the engine compares of it, read in a scope of its own: the
    discovery runs server-side, whoever saved the record that set it off, and its reads are no one's."""
    found = {}
    ids = list(actor_ids)
    with sealing.scope(reveal=True):
        for start in range(0, len(ids), CHUNK):
            found.update(_facts_of_chunk(ids[start : start + CHUNK]))
    return found


def _facts_of_chunk(ids) -> dict[UUID, tuple[UUID, ActorFacts]]:
    names, places = defaultdict(list), defaultdict(list)
    for name in sorted(ActorName.objects.filter(actor_id__in=ids), key=lambda n: n.kind != "primary"):
        if isinstance(name.value, str) and not isinstance(name.value, sealing.Hidden):
            names[name.actor_id].append(name.value)
    for involvement in Involvement.objects.filter(actor_id__in=ids).select_related("incident"):
        places[involvement.actor_id].append(involvement.incident)
    return {actor.pk: (actor.case_id, _facts(actor, names[actor.pk], places[actor.pk]))
            for actor in Actor.objects.filter(pk__in=ids).exclude(case__wrapped_key=None)}


def _facts(actor: Actor, names: list[str], incidents: list) -> ActorFacts:
    cities = set()
    for incident in incidents:
        place = incident.place
        if isinstance(place, str) and place and not isinstance(place, sealing.Hidden):
            cities.add((incident.host_state or "", place))
    return ActorFacts(
        names=tuple(names),
        organisations=frozenset(str(o) for o in (actor.organisation_id, actor.claimed_organisation_id) if o),
        countries=frozenset(i.host_state for i in incidents if i.host_state),
        cities=frozenset(cities),
        dates=tuple(d for d in (actor.first_seen, actor.last_seen, *(i.date for i in incidents)) if d),
        kind=actor.kind,
    )


# --- settling pairs --------------------------------------------------------------------------------


def discover(actor: Actor) -> list[Link]:
    """Score the actor against its candidates and the actors it is linked with; the links it has now."""
    others = candidates_of(actor) | linked_with(actor)
    if not others:
        return []
    facts = facts_of(others | {actor.pk})
    existing = _links_by_key([pair_key(actor.pk, other) for other in others])
    settled = [settle(actor.pk, other, facts, existing.get(pair_key(actor.pk, other))) for other in others]
    return [link for link in settled if link is not None]


def discover_all() -> int:
    """Every pair the name index proposes, and every pair already linked, scored again; how many
    same-actor links there are."""
    existing = _linked_pairs()
    pairs = candidate_pairs() | set(existing)
    facts = facts_of({actor for pair in pairs for actor in pair})
    for a, b in pairs:
        settle(a, b, facts, existing.get((a, b)))
    return Link.objects.filter(kind=LinkKind.SAME_ACTOR).count()


def _linked_pairs() -> dict[tuple[UUID, UUID], Link]:
    """The pairs already linked, in the order candidate_pairs gives them (looked up by pair, not by
    key: a key is a keyed digest, and common names make a million pairs to look up)."""
    links = {link.pk: link for link in Link.objects.filter(kind=LinkKind.SAME_ACTOR)}
    sides = defaultdict(list)
    for link_id, actor_id in LinkSide.objects.filter(link__kind=LinkKind.SAME_ACTOR).values_list("link_id", "actor_id"):
        sides[link_id].append(actor_id)
    return {tuple(sorted(actors, key=str)): links[link_id] for link_id, actors in sides.items() if len(actors) == 2}


def _links_by_key(keys) -> dict[str, Link]:
    return {link.key: link for link in Link.objects.filter(key__in=keys)}


def settle(a: UUID, b: UUID, facts: dict, link: Link | None) -> Link | None:
    """Create, update or let go of the pair's link as its likeness now says; the link, if any is left.
    A pair without a link that shares no corroborating fact is left at once: it can never link, and
    common names make many such pairs, whose names would be compared for nothing."""
    if link is None and not _may_link(a, b, facts):
        return None
    found = _likeness(a, b, facts)
    if found.linked:
        return _keep(a, b, facts, found, link)
    if link is None:
        return None
    if link.status == LinkStatus.OPEN:
        link.delete()
        return None
    _record(link, found)  # a coordinator decided: the decision stands, the score is kept current
    return link


def _may_link(a: UUID, b: UUID, facts: dict) -> bool:
    return a in facts and b in facts and bool(shared_facts(facts[a][1], facts[b][1]))


def _likeness(a: UUID, b: UUID, facts: dict) -> Likeness:
    if a not in facts or b not in facts or facts[a][0] == facts[b][0]:
        return NO_LIKENESS  # an erased or deleted actor, or two actors of one case: no link
    return likeness(facts[a][1], facts[b][1])


def _keep(a: UUID, b: UUID, facts: dict, found: Likeness, link: Link | None) -> Link:
    if link is None:  # or found by a save elsewhere since: the key is the pair's
        link, created = Link.objects.get_or_create(key=pair_key(a, b), defaults={
            "kind": LinkKind.SAME_ACTOR, "score": found.score, "reasons": [r.as_dict() for r in found.reasons]})
        if not created:
            _record(link, found)
    else:
        _record(link, found)
    LinkSide.objects.bulk_create([LinkSide(link=link, case_id=facts[actor][0], actor_id=actor) for actor in (a, b)],
                                 ignore_conflicts=True)
    return link


def _record(link: Link, found: Likeness) -> None:
    reasons = [r.as_dict() for r in found.reasons]
    if link.score != found.score or link.reasons != reasons:
        link.score, link.reasons = found.score, reasons
        link.save(update_fields=["score", "reasons"])


def may_be_recorded_elsewhere_expression():
    """`may_be_recorded_elsewhere` as an expression to annotate actors with: one query for a page."""
    from django.db.models import Exists, OuterRef

    return Exists(LinkSide.objects.filter(actor=OuterRef("pk"), link__kind=LinkKind.SAME_ACTOR)
                  .exclude(link__status=LinkStatus.REJECTED))


def may_be_recorded_elsewhere(actor: Actor) -> bool:
    """All a caseworker may learn: that the actor may also be recorded in another case (not which,
    nor in how many, nor how likely), unless a coordinator found the likeness to be chance."""
    return (LinkSide.objects.filter(actor=actor, link__kind=LinkKind.SAME_ACTOR)
            .exclude(link__status=LinkStatus.REJECTED).exists())
