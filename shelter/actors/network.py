"""The network graph (shelter.network) built from the records of some cases, as the reader may see them:
names and identifier values where identity is revealed, pseudonyms and kinds otherwise. One node for
one identifier across cases (its digest), unless a coordinator rejected their link.

Two ways in: ``graph_of(cases)``, every record of the cases (exports); and ``neighbourhood``, only
what lies within a few steps of one record, found step by step in the database, so that an ego view
costs what it shows and not what the whole network holds."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Q

from shelter.identifiers.normalise import normalise
from shelter.network.graph import Records, build
from shelter.records import sealing
from shelter.records.models import Act, Incident, Involvement, Organisation, Person

from .models import Actor, ActorName, Identifier, Link, LinkKind, LinkSide, LinkStatus

KINDS = ("actor", "identifier", "incident", "person", "org")


@dataclass(frozen=True)
class Filters:
    """What a view narrows the network to; the record at its centre is always kept. Periods are
    partial dates (YYYY, YYYY-MM, YYYY-MM-DD): an incident is kept when dated within, an actor unless
    it was last seen before the period or first seen after it."""

    actor_kinds: frozenset = frozenset()
    confidences: frozenset = frozenset()
    since: str = ""
    until: str = ""

    def actors(self, queryset):
        if self.actor_kinds:
            queryset = queryset.filter(kind__in=self.actor_kinds)
        if self.confidences:
            queryset = queryset.filter(confidence__in=self.confidences)
        if self.since:
            queryset = queryset.exclude(Q(last_seen__lt=self.since) & ~Q(last_seen=""))
        if self.until:
            queryset = queryset.exclude(first_seen__gt=_end_of(self.until))
        return queryset

    def incidents(self, queryset):
        if self.since:
            queryset = queryset.filter(date__gte=self.since)
        if self.until:
            queryset = queryset.filter(date__lte=_end_of(self.until))
        return queryset


def _end_of(partial: str) -> str:
    """The largest text a date within ``partial`` can be ("2021" takes in "2021-12-31")."""
    return partial + "~"


class _Scope:
    """The cases a reader sees, the filters, and the links coordinators rejected (whose identifiers
    stay one node per case)."""

    def __init__(self, cases, filters: Filters, centre: tuple[str, str] | None = None):
        self.cases, self.filters, self.centre = cases, filters, centre  # cases None: every case (a coordinator)
        self.rejected = set(Link.objects.filter(kind=LinkKind.IDENTIFIER, status=LinkStatus.REJECTED).values_list("key", flat=True))

    def within(self, queryset):
        """The queryset's records in the reader's cases (no filter for a reader of every case: on a large
        instance the planner then uses the indexes of the relation asked for)."""
        return queryset if self.cases is None else queryset.filter(case__in=self.cases)

    def actors(self):
        found = self.filters.actors(self.within(Actor.objects.all()))
        if self.centre and self.centre[0] == "actor":
            found = found | self.within(Actor.objects.filter(pk=self.centre[1]))
        return found

    def incidents(self):
        found = self.filters.incidents(self.within(Incident.objects.all()))
        if self.centre and self.centre[0] == "incident":
            found = found | self.within(Incident.objects.filter(pk=self.centre[1]))
        return found

    def identifiers(self):
        return self.within(Identifier.objects.exclude(digest=""))

    def node_key(self, digest: str, case_id) -> str:
        return _node_key(digest, case_id, digest in self.rejected)

    def identifiers_with_keys(self, keys):
        """(node key, row) of the identifiers of those nodes in the reader's cases."""
        digests = {key.split(":")[0] for key in keys}
        for row in self.identifiers().filter(digest__in=digests).values("pk", "digest", "case_id", "actor_id", "person_id", "incident_id"):
            if (key := self.node_key(row["digest"], row["case_id"])) in keys:
                yield key, row


def _node_key(digest: str, case_id, rejected: bool) -> str:
    """One node for an identifier in every case, unless a coordinator rejected their link: then one a case."""
    return f"{digest}:{case_id}" if rejected else digest


def identifier_node_key(identifier: Identifier) -> str:
    rejected = Link.objects.filter(kind=LinkKind.IDENTIFIER, status=LinkStatus.REJECTED, key=identifier.digest).exists()
    return _node_key(identifier.digest, identifier.case_id, rejected)


def neighbourhood(cases, centre: tuple[str, str], radius: int = 1, filters: Filters = Filters()) -> Records:
    """The records within ``radius`` steps of ``centre`` — ("actor", id), ("identifier", node key),
    ("incident", id), ("person", id) or ("org", id) — in the reader's ``cases``."""
    scope = _Scope(cases, filters, centre)
    reached = {kind: set() for kind in KINDS}
    frontier = {kind: set() for kind in KINDS}
    frontier[centre[0]].add(str(centre[1]))
    for step in range(radius + 1):
        for kind in KINDS:
            reached[kind] |= frontier[kind]
        if step == radius or not any(frontier.values()):
            break
        found = _next_to(scope, frontier)
        frontier = {kind: found[kind] - reached[kind] for kind in KINDS}
    return _records(scope, reached)


def _next_to(scope: _Scope, frontier: dict) -> dict:
    """The records one step from the frontier's."""
    found = {kind: set() for kind in KINDS}

    def owners(rows):
        for row in rows:
            for kind, column in (("actor", "actor_id"), ("person", "person_id"), ("incident", "incident_id")):
                if row[column]:
                    found[kind].add(str(row[column]))

    def keys(rows):
        found["identifier"].update(scope.node_key(digest, case) for digest, case in rows)

    if actors := frontier["actor"]:
        for organisation, claimed in scope.actors().filter(pk__in=actors).values_list("organisation_id", "claimed_organisation_id"):
            found["org"].update(str(o) for o in (organisation, claimed) if o)
        keys(scope.identifiers().filter(actor_id__in=actors).values_list("digest", "case_id"))
        found["incident"].update(str(i) for i in Involvement.objects.filter(
            actor_id__in=actors, incident__in=scope.incidents()).values_list("incident_id", flat=True))
    if actors:
        found["actor"].update(a for pair, _ in _same_actor_pairs(actors) for a in pair)
    if frontier["identifier"]:
        owners(row for _key, row in scope.identifiers_with_keys(frontier["identifier"]))
    if incidents := frontier["incident"]:
        found["actor"].update(str(a) for a in Involvement.objects.filter(
            incident_id__in=incidents, actor__in=scope.actors()).values_list("actor_id", flat=True))
        found["person"].update(str(p) for p in scope.within(Act.objects.filter(incident_id__in=incidents)).values_list("person_id", flat=True))
        keys(scope.identifiers().filter(incident_id__in=incidents).values_list("digest", "case_id"))
    if persons := frontier["person"]:
        found["incident"].update(str(i) for i in Act.objects.filter(
            person_id__in=persons, incident__in=scope.incidents()).values_list("incident_id", flat=True))
        keys(scope.identifiers().filter(person_id__in=persons).values_list("digest", "case_id"))
    if organisations := frontier["org"]:
        found["actor"].update(str(a) for a in scope.actors().filter(
            Q(organisation_id__in=organisations) | Q(claimed_organisation_id__in=organisations)).values_list("pk", flat=True))
    # Owners outside the reader's view or the filters are not reached.
    found["actor"] = {str(a) for a in scope.actors().filter(pk__in=found["actor"]).values_list("pk", flat=True)}
    found["incident"] = {str(i) for i in scope.incidents().filter(pk__in=found["incident"]).values_list("pk", flat=True)}
    return found


def records_of(cases) -> Records:
    """Every record of the cases (an export)."""
    scope = _Scope(cases, Filters())
    # Subqueries, not lists of ids: an export may hold more records than a database takes parameters.
    incidents = Involvement.objects.filter(case__in=cases, actor__isnull=False).values("incident_id")
    reached = {"actor": scope.actors().values("pk"), "incident": incidents,
               "person": Act.objects.filter(incident_id__in=incidents).values("person_id"),
               "org": {str(pk) for pair in scope.actors().values_list("organisation_id", "claimed_organisation_id") for pk in pair if pk},
               "identifier": None}  # every actor's
    return _records(scope, reached)


def _records(scope: _Scope, reached: dict) -> Records:
    """The records of the reached nodes, and the relations among them only (none to a node not reached)."""
    reveal = sealing.current().reveal
    records = Records()
    actors = list(scope.within(Actor.objects.filter(pk__in=reached["actor"])))
    names = _primary_names(scope, reached["actor"]) if reveal else {}
    for actor in actors:
        records.actors.append({"id": str(actor.pk), "case": str(actor.case_id), "label": names.get(actor.pk) or actor.pseudonym, "kind": actor.kind,
                               "confidence": actor.confidence, "first_seen": actor.first_seen, "last_seen": actor.last_seen,
                               **{relation: _reached(reached["org"], getattr(actor, f"{relation}_id"))
                                  for relation in ("organisation", "claimed_organisation")}})
    records.organisations = [{"id": str(o.pk), "label": o.name, "country": o.country} for o in Organisation.objects.filter(pk__in=reached["org"])]
    incidents = scope.within(Incident.objects.filter(pk__in=reached["incident"])).prefetch_related("tactics")
    records.incidents = [{"id": str(i.pk), "case": str(i.case_id), "label": i.label(), "date": i.date or "", "host_state": i.host_state}
                         for i in incidents]
    records.persons = [{"id": str(p.pk), "case": str(p.case_id), "label": p.display_name()}
                       for p in scope.within(Person.objects.filter(pk__in=reached["person"])).prefetch_related("names")]
    if reached["identifier"] is None:  # every actor's identifier (an export)
        shared, identifiers = {}, scope.identifiers().filter(actor_id__in=reached["actor"])
    else:
        shared = _records_per_key(scope, reached["identifier"])
        owned = (Q(actor_id__in=reached["actor"]) | Q(person_id__in=reached["person"]) | Q(incident_id__in=reached["incident"]))
        identifiers = scope.identifiers().filter(owned, digest__in={key.split(":")[0] for key in reached["identifier"]})
    for identifier in identifiers.iterator(chunk_size=5000):
        key = scope.node_key(identifier.digest, identifier.case_id)
        if reached["identifier"] is not None and key not in reached["identifier"]:
            continue
        owner = next(f"{kind}:{pk}" for kind, pk in (("actor", identifier.actor_id), ("person", identifier.person_id),
                                                      ("incident", identifier.incident_id)) if pk)
        records.identifiers.append({"id": str(identifier.pk), "case": str(identifier.case_id), "node": key, "kind": identifier.kind,
                                    "label": identifier.value if reveal else identifier.get_kind_display(),
                                    "value": _compared(identifier) if reveal else None, "owner": owner, "shared": shared.get(key, 1)})
    records.involvements = [{"actor": str(a), "incident": str(i), "role": role} for a, i, role in Involvement.objects.filter(
        actor_id__in=reached["actor"], incident_id__in=reached["incident"]).values_list("actor_id", "incident_id", "role")]
    loaded = {actor["id"] for actor in records.actors}
    records.same_actors = [{"a": a, "b": b, "status": status} for (a, b), status in _same_actor_pairs(reached["actor"])
                           if a in loaded and b in loaded]
    records.targets = [{"person": str(p), "case": str(c), "incident": str(i)} for p, c, i in Act.objects.filter(
        person_id__in=reached["person"], incident_id__in=reached["incident"]).values_list("person_id", "case_id", "incident_id")]
    return records


def _same_actor_pairs(actors) -> list[tuple[list[str], str]]:
    """The pairs of actors, and the status, of the same-actor links of ``actors`` that no coordinator
    rejected. Whether the reader may see the other actor is settled by the caller."""
    mine = LinkSide.objects.filter(link__kind=LinkKind.SAME_ACTOR, actor_id__in=actors).exclude(link__status=LinkStatus.REJECTED)
    pairs, status = defaultdict(list), {}
    for link_id, actor_id, link_status in LinkSide.objects.filter(link_id__in=mine.values("link_id")).values_list(
            "link_id", "actor_id", "link__status"):
        pairs[link_id].append(str(actor_id))
        status[link_id] = link_status
    return [(sorted(pair), status[link_id]) for link_id, pair in pairs.items() if len(pair) == 2]


def _primary_names(scope: _Scope, actors) -> dict:
    """Each actor's primary name (else its first alias), in one query rather than one an actor."""
    found = {}
    names = scope.within(ActorName.objects.filter(actor__in=actors)).order_by("actor_id", "-kind", "created_at")
    for name in names.iterator(chunk_size=5000):  # "primary" sorts after "alias": descending, it comes first
        found.setdefault(name.actor_id, name.value)
    return found


def _records_per_key(scope: _Scope, keys: set) -> dict:
    """How many records of the reader's cases each identifier has, reached or not: the ego view shows
    the most shared first."""
    return Counter(key for key, _row in scope.identifiers_with_keys(keys))


def _reached(organisations: set, pk) -> str | None:
    return str(pk) if pk and str(pk) in organisations else None


def _compared(identifier) -> str:
    return normalise(identifier.kind, identifier.value, identifier.country)


def graph_of(cases):
    return build(records_of(cases))
