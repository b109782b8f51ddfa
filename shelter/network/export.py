"""The network written for other tools: GraphML and GEXF (Gephi, Cytoscape, networkx itself), and
FollowTheMoney entities (Aleph, OpenSanctions' tools): actors as Person, organisations as Organization,
employments and memberships, claimed affiliations, associates (actors of one incident), vehicles,
addresses, an actor's phones and e-mail addresses as its properties, and actors sharing an identifier
as UnknownLink."""

import io
import json

import networkx as nx
from followthemoney import model

from shelter.exchange import ftm

PHONE_KINDS = {"phone", "whatsapp", "signal", "imo", "viber"}
EMPLOYEES = {"intelligence_officer", "police", "consular"}  # actor kinds a state agency employs


def _flat(graph: nx.MultiGraph) -> nx.MultiGraph:
    """GraphML and GEXF take plain values: the sets of cases become counts."""
    flat = nx.MultiGraph()
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **{k: (len(v) if isinstance(v, set) else v) for k, v in data.items() if v is not None})
    for a, b, data in graph.edges(data=True):
        flat.add_edge(a, b, **{k: (len(v) if isinstance(v, set) else v) for k, v in data.items() if v is not None})
    return flat


FORMATS = ("graphml", "gexf", "ftm")


def serialise(graph: nx.MultiGraph, fmt: str) -> bytes:
    """The graph in one of FORMATS: GraphML, GEXF, or FollowTheMoney entities one JSON object a line."""
    if fmt == "ftm":
        return "".join(json.dumps(e.to_dict(), ensure_ascii=False) + "\n" for e in entities(graph)).encode()
    return graphml(graph) if fmt == "graphml" else gexf(graph)


def graphml(graph: nx.MultiGraph) -> bytes:
    out = io.BytesIO()
    nx.write_graphml(_flat(graph), out)
    return out.getvalue()


def gexf(graph: nx.MultiGraph) -> bytes:
    out = io.BytesIO()
    nx.write_gexf(_flat(graph), out)
    return out.getvalue()


def entities(graph: nx.MultiGraph) -> list:
    """FollowTheMoney entities of the graph (its labels as they are: a pseudonymised graph gives
    pseudonymised entities)."""
    made = {}
    for node, data in graph.nodes(data=True):
        if data["kind"] == "actor":
            made[node] = ftm.new_entity("Person", "actor", node)
            ftm.add(made[node], "name", data["label"])
        elif data["kind"] == "organisation":
            made[node] = ftm.new_entity("Organization", "organisation", node)
            ftm.add(made[node], "name", data["label"])
            ftm.add(made[node], "country", data.get("country") or None)
    links = []
    for node, data in graph.nodes(data=True):
        if data["kind"] != "identifier":
            continue
        owners = [n for n in graph.neighbors(node) if n in made and graph.nodes[n]["kind"] == "actor"]
        kind, value = data["identifier_kind"], data.get("value")  # no value in a pseudonymised graph
        for owner in owners if value else []:
            if kind in PHONE_KINDS:
                ftm.add(made[owner], "phone", value)
            elif kind == "email":
                ftm.add(made[owner], "email", value)
            elif kind == "plate":
                vehicle = made.setdefault(node, ftm.new_entity("Vehicle", "vehicle", node))
                ftm.add(vehicle, "registrationNumber", value)
                ftm.add(vehicle, "owner", made[owner].id)
            elif kind == "address":
                address = made.setdefault(node, ftm.new_entity("Address", "address", node))
                ftm.add(address, "full", value)
                ftm.add(made[owner], "addressEntity", address.id)
        for first, second in zip(owners, owners[1:]):
            link = ftm.new_entity("UnknownLink", "shared-identifier", f"{node}:{first}:{second}")
            ftm.add(link, "subject", made[first].id)
            ftm.add(link, "object", made[second].id)
            ftm.add(link, "role", f"share a {kind}")
            links.append(link)
    for a, b, data in graph.edges(data=True):
        if data["relation"] in ("member_of", "claims") and a in made and b in made:
            links.append(_affiliation(graph, made, *((a, b) if graph.nodes[a]["kind"] == "actor" else (b, a)), data["relation"]))
    links.extend(_associates(graph, made))
    return [*made.values(), *links]


def _affiliation(graph, made, actor: str, org: str, relation: str):
    """An officer's established agency is their employer; an informant's is a membership; a claimed
    affiliation ("said he was from the consulate") stays a claim."""
    if relation == "claims":
        claim = ftm.new_entity("UnknownLink", "claims", f"{actor}:{org}")
        ftm.add(claim, "subject", made[actor].id)
        ftm.add(claim, "object", made[org].id)
        ftm.add(claim, "role", "claims to be from")
        return claim
    if graph.nodes[actor].get("actor_kind") in EMPLOYEES:
        employment = ftm.new_entity("Employment", "employment", f"{actor}:{org}")
        ftm.add(employment, "employee", made[actor].id)
        ftm.add(employment, "employer", made[org].id)
        return employment
    membership = ftm.new_entity("Membership", "membership", f"{actor}:{org}")
    ftm.add(membership, "member", made[actor].id)
    ftm.add(membership, "organization", made[org].id)
    return membership


def _associates(graph, made) -> list:
    """Actors who acted in one incident are associates."""
    found = []
    for node, data in graph.nodes(data=True):
        if data["kind"] != "incident":
            continue
        actors = sorted({n for n in graph.neighbors(node) if n in made and graph.nodes[n]["kind"] == "actor"})
        for i, first in enumerate(actors):
            for second in actors[i + 1:]:
                associate = ftm.new_entity("Associate", "associate", f"{node}:{first}:{second}")
                ftm.add(associate, "person", made[first].id)
                ftm.add(associate, "associate", made[second].id)
                ftm.add(associate, "relationship", "acted in one incident")
                ftm.add(associate, "date", data.get("date") or None)
                found.append(associate)
    return found


def validate(entities_) -> list[str]:
    """What FollowTheMoney's schema validation finds wrong with the entities (empty when all are valid):
    required properties present, every value valid for its type."""
    problems = []
    for entity in entities_:
        try:
            model.get(entity.schema.name).validate(entity.to_dict())
        except Exception as e:  # noqa: BLE001 — followthemoney's InvalidData, with the properties at fault
            problems.append(f"{entity.schema.name} {entity.id}: {getattr(e, 'errors', e)}")
    return problems
