"""The graph of the network, built from plain records. Nodes are keyed by kind: `actor:…`, `org:…`,
`identifier:…` (one node for one identifier in every case that records it, unless a coordinator found
the match to be chance), `incident:…`, `person:…`. Each node and edge carries the cases it comes from,
so that what a user may see can be cut out of it (subgraph_for)."""

from dataclasses import dataclass, field

import networkx as nx


@dataclass
class Records:
    """What a graph is built from; every id is a string, every label already what the reader may see."""

    actors: list[dict] = field(default_factory=list)  # id, case, label, kind, organisation?, claimed_organisation?, confidence?, first_seen?, last_seen?
    organisations: list[dict] = field(default_factory=list)  # id, label, country
    identifiers: list[dict] = field(default_factory=list)  # id, case, node (shared key), kind, label, owner ("actor:…"), value?, shared?
    incidents: list[dict] = field(default_factory=list)  # id, case, label, date, host_state
    involvements: list[dict] = field(default_factory=list)  # actor, incident, role
    persons: list[dict] = field(default_factory=list)  # id, case, label
    targets: list[dict] = field(default_factory=list)  # person, case, incident (label, when not in persons)
    same_actors: list[dict] = field(default_factory=list)  # a, b (actor ids), status: records a coordinator linked


def build(records: Records) -> nx.MultiGraph:
    graph = nx.MultiGraph()
    for org in records.organisations:
        graph.add_node(f"org:{org['id']}", kind="organisation", label=org["label"], country=org.get("country", ""), cases=set())
    for actor in records.actors:
        node = f"actor:{actor['id']}"
        graph.add_node(node, kind="actor", actor_kind=actor.get("kind", ""), label=actor["label"], cases={actor["case"]},
                       confidence=actor.get("confidence", ""), first_seen=actor.get("first_seen", ""), last_seen=actor.get("last_seen", ""))
        for relation in ("organisation", "claimed_organisation"):
            if actor.get(relation):
                graph.add_edge(node, f"org:{actor[relation]}", relation="member_of" if relation == "organisation" else "claims",
                               cases={actor["case"]}, date="")
    for incident in records.incidents:
        graph.add_node(f"incident:{incident['id']}", kind="incident", label=incident["label"], date=incident.get("date", ""),
                       host_state=incident.get("host_state", ""), cases={incident["case"]})
    for person in records.persons:
        graph.add_node(f"person:{person['id']}", kind="person", label=person["label"], cases={person["case"]})
    for identifier in records.identifiers:
        node = f"identifier:{identifier['node']}"
        if node not in graph:  # record: one of its rows, to name the node without its digest
            graph.add_node(node, kind="identifier", identifier_kind=identifier["kind"], label=identifier["label"],
                           value=identifier.get("value"), cases=set(), record=identifier["id"], shared=identifier.get("shared", 1))  # value: only where the reader may see it
        graph.nodes[node]["cases"].add(identifier["case"])
        graph.add_edge(identifier["owner"], node, relation="uses", cases={identifier["case"]}, date="")
    for involvement in records.involvements:
        incident = graph.nodes.get(f"incident:{involvement['incident']}", {})
        graph.add_edge(f"actor:{involvement['actor']}", f"incident:{involvement['incident']}", relation=involvement.get("role") or "involved",
                       cases=set(incident.get("cases", ())), date=incident.get("date", ""))
    for target in records.targets:
        node = f"person:{target['person']}"
        if node not in graph:
            graph.add_node(node, kind="person", label=target.get("label", ""), cases={target["case"]})
        incident = graph.nodes.get(f"incident:{target['incident']}", {})
        graph.add_edge(node, f"incident:{target['incident']}", relation="targeted", cases={target["case"]}, date=incident.get("date", ""))
    for pair in records.same_actors:
        a, b = f"actor:{pair['a']}", f"actor:{pair['b']}"
        if a in graph and b in graph:
            graph.add_edge(a, b, relation="same_actor" if pair.get("status") == "confirmed" else "likely_same_actor",
                           cases=graph.nodes[a]["cases"] | graph.nodes[b]["cases"], date="")
    for node, data in graph.nodes(data=True):  # organisations are public: they belong to the cases that name them
        if data["kind"] == "organisation":
            data["cases"] = set().union(*(d["cases"] for _, _, d in graph.edges(node, data=True))) if graph.degree(node) else set()
    return graph


def subgraph_for(graph: nx.MultiGraph, cases: set) -> nx.MultiGraph:
    """What a user who sees ``cases`` may see: the nodes and edges of those cases only (a shared
    identifier keeps only its edges within them, so it links nothing it may not see)."""
    keep = [n for n, d in graph.nodes(data=True) if d["cases"] & cases]
    sub = nx.MultiGraph()
    for node in keep:
        data = dict(graph.nodes[node])
        data["cases"] = data["cases"] & cases
        sub.add_node(node, **data)
    for a, b, data in graph.edges(data=True):
        if a in sub and b in sub and data["cases"] & cases:
            sub.add_edge(a, b, **{**data, "cases": data["cases"] & cases})
    return sub


def ego(graph: nx.MultiGraph, centre: str, radius: int = 1, cap: int = 20) -> tuple[nx.MultiGraph, int]:
    """The neighbourhood of ``centre`` up to ``radius`` steps, at most ``cap`` nodes besides it; and how
    many more there were. Nearer nodes first; at one distance the kinds take turns, the most connected
    of each first, so that thirty phones do not hide the incidents and the agency."""
    reach = nx.single_source_shortest_path_length(graph, centre, cutoff=radius)
    others = []
    for distance in range(1, radius + 1):
        by_kind: dict[str, list] = {}
        for node in sorted((n for n, d in reach.items() if d == distance), key=lambda n: (-graph.degree(n), -graph.nodes[n].get("shared", 1), n)):
            by_kind.setdefault(graph.nodes[node].get("kind", ""), []).append(node)
        queues = [by_kind[kind] for kind in sorted(by_kind)]
        while any(queues):
            others.extend(queue.pop(0) for queue in queues if queue)
    shown = [centre, *others[:cap]]
    return graph.subgraph(shown).copy(), max(0, len(others) - cap)
