"""Links across cases, found without exposing them:

- **the same identifier**: identifiers of different cases with one keyed digest (the same phone,
  account or plate, however it was written) become one link;
- **likely the same actor**: actors of different cases whose names the matcher finds alike, with a
  shared organisation, place or period (``same_actor``; the rule in ``shelter.network.likeness``).

Only coordinators see a link's sides. Links are found as identifiers, actors and their names are
saved, and all at once after an import (``deferred``, ``discover_all``)."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models import Count, Exists, OuterRef

from shelter.identifiers.normalise import family

from . import name_index, same_actor
from .models import Actor, ActorName, ActorNameKey, Identifier, Link, LinkKind, LinkSide, LinkStatus

# Within ``deferred``: the list of actors' names saved so far, indexed in one pass at the end.
_deferred: ContextVar[list | None] = ContextVar("links_deferred", default=None)
# Within ``holding``: the actor whose links are found once, when its names are all saved.
_held: ContextVar[object | None] = ContextVar("links_held", default=None)


@contextmanager
def deferred():
    """Identifiers and actors saved within are not linked one by one, nor actors' names indexed one
    by one: the names are indexed and all links found in one pass at the end (an import).
    Context-local, so that other requests keep linking as they save."""
    pending: list[ActorName] = []
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    _index_pending(pending)
    discover_all()


def _index_pending(names: list[ActorName]) -> None:
    """The names saved within ``deferred`` that are still there (an import replaces an actor's names:
    the first ones saved may be gone), each once, in one write."""
    latest = {name.pk: name for name in names}
    ids = list(latest)
    alive = set()
    for start in range(0, len(ids), same_actor.CHUNK):
        chunk = ids[start : start + same_actor.CHUNK]
        ActorNameKey.objects.filter(name_id__in=chunk).delete()
        alive |= set(ActorName.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    name_index.index_names(name for pk, name in latest.items() if pk in alive)


@contextmanager
def holding(actor: Actor):
    """The actor's names saved within are indexed at once, but its links are found once, at the end:
    names replaced one by one would otherwise let a link go and come back in between."""
    if _deferred.get() is not None or _held.get() is not None:
        yield
        return
    token = _held.set(actor.pk)
    try:
        yield
    finally:
        _held.reset(token)
    discover_actor(actor)


def on_name_saved(name: ActorName) -> None:
    pending = _deferred.get()
    if pending is not None:
        pending.append(name)
        return
    name_index.index_name(name)
    if _held.get() != name.actor_id:
        discover_actor(name.actor)


def on_actor_changed(actor: Actor) -> None:
    """An actor's organisation, dates or incidents changed: its likeness to others may have too."""
    if _deferred.get() is None and _held.get() != actor.pk:
        discover_actor(actor)


@transaction.atomic
def discover_actor(actor: Actor) -> list[Link]:
    """The actor's same-actor links as they stand now (``same_actor.discover``)."""
    return same_actor.discover(actor)


def on_save(identifier: Identifier) -> None:
    if _deferred.get() is None:
        discover(identifier)


@transaction.atomic
def discover(identifier: Identifier) -> Link | None:
    """The link of the identifier's digest when it is recorded in another case too; None otherwise.
    A link a coordinator rejected opens again when a further case joins it: that is new evidence."""
    moved = LinkSide.objects.filter(identifier=identifier).exclude(link__key=identifier.digest)
    left = set(moved.values_list("link_id", flat=True))
    moved.delete()
    drop_single_sided(left)
    if not identifier.digest:
        return None
    same = list(Identifier.objects.filter(digest=identifier.digest).values_list("pk", "case_id"))
    if len({case for _, case in same}) < 2:
        return None
    link, _ = Link.objects.get_or_create(key=identifier.digest, defaults={
        "kind": LinkKind.IDENTIFIER, "identifier_kind": family(identifier.kind)})
    known_cases = set(link.sides.values_list("case_id", flat=True))
    LinkSide.objects.bulk_create([LinkSide(link=link, case_id=case, identifier_id=pk) for pk, case in same],
                                 ignore_conflicts=True)
    if known_cases and {case for _, case in same} - known_cases and link.status == LinkStatus.REJECTED:
        link.status, link.decided_at, link.decided_by = LinkStatus.OPEN, None, None
        link.save(update_fields=["status", "decided_at", "decided_by"])
    return link


@transaction.atomic
def discover_all() -> int:
    """Every link the stored identifiers and actors make, in one pass (after an import, or to check);
    how many links there are."""
    _discover_all_identifiers()
    same_actor.discover_all()
    return Link.objects.count()


def _discover_all_identifiers() -> None:
    """Sides are added, rejected links that a further case joined open again, and links whose
    identifiers no longer join two cases go."""
    shared = (Identifier.objects.exclude(digest="").values("digest")
              .annotate(cases=Count("case", distinct=True)).filter(cases__gt=1).values("digest"))
    rows = Identifier.objects.filter(digest__in=shared).values_list("digest", "pk", "case_id", "kind")
    by_digest: dict[str, list] = {}
    for digest, pk, case, kind in rows.iterator(chunk_size=20000):
        by_digest.setdefault(digest, []).append((pk, case, kind))
    links = {link.key: link for link in Link.objects.filter(kind=LinkKind.IDENTIFIER)}
    Link.objects.bulk_create([Link(key=digest, kind=LinkKind.IDENTIFIER, identifier_kind=family(found[0][2]))
                              for digest, found in by_digest.items() if digest not in links], batch_size=5000)
    links = {link.key: link for link in Link.objects.filter(kind=LinkKind.IDENTIFIER)}
    known = {}
    for link_id, case in LinkSide.objects.values_list("link_id", "case_id").iterator(chunk_size=20000):
        known.setdefault(link_id, set()).add(case)
    reopen = [link.pk for digest, link in links.items() if digest in by_digest and link.status == LinkStatus.REJECTED
              and {case for _, case, _ in by_digest[digest]} - known.get(link.pk, set()) and known.get(link.pk)]
    Link.objects.filter(pk__in=reopen).update(status=LinkStatus.OPEN, decided_at=None, decided_by=None)
    LinkSide.objects.bulk_create([LinkSide(link=links[digest], case_id=case, identifier_id=pk)
                                 for digest, found in by_digest.items() for pk, case, _ in found],
                                 ignore_conflicts=True, batch_size=5000)
    Link.objects.filter(kind=LinkKind.IDENTIFIER).exclude(key__in=shared).delete()


def drop_single_sided(link_ids) -> None:
    """Links that no longer join two cases (a side erased or changed) are no links."""
    for link in Link.objects.filter(pk__in=list(link_ids)):
        if link.sides.values("case_id").distinct().count() < 2:
            link.delete()


def recorded_elsewhere(identifier: Identifier) -> bool:
    """All a caseworker may learn: that the identifier is recorded in another case too (not which, nor
    in how many), unless a coordinator found the match to be chance."""
    return LinkSide.objects.filter(identifier=identifier).exclude(link__status=LinkStatus.REJECTED).exists()


def recorded_elsewhere_expression():
    """`recorded_elsewhere` as an expression to annotate identifiers with: one query for a page."""
    return Exists(LinkSide.objects.filter(identifier=OuterRef("pk")).exclude(link__status=LinkStatus.REJECTED))


def identifiers_recorded_elsewhere(identifiers) -> set:
    """The ids of those of ``identifiers`` that `recorded_elsewhere` holds for, in one query."""
    return set(LinkSide.objects.filter(identifier__in=identifiers).exclude(link__status=LinkStatus.REJECTED)
               .values_list("identifier_id", flat=True))


def may_be_recorded_elsewhere(actor: Actor) -> bool:
    """All a caseworker may learn of a likely same actor: "may also be recorded in another case"."""
    return same_actor.may_be_recorded_elsewhere(actor)
