"""Measures of the network: its components, who is central (degree) and who brokers between others
(betweenness), its communities, actors active in several host countries, how it grew year by year, and a
"who to look at" ranking whose every rank comes with its reasons (as codes and numbers, for the reader's
language)."""

from collections import Counter

import networkx as nx

BETWEENNESS_SAMPLE = 500  # above this many nodes betweenness is estimated from a sample of sources


def simple(graph: nx.MultiGraph) -> nx.Graph:
    return nx.Graph(graph)


def measures(graph: nx.MultiGraph) -> dict:
    g = simple(graph)
    if not len(g):
        return {"components": [], "degree": {}, "betweenness": {}, "communities": []}
    sample = BETWEENNESS_SAMPLE if len(g) > BETWEENNESS_SAMPLE else None
    return {"components": [sorted(c) for c in sorted(nx.connected_components(g), key=len, reverse=True)],
            "degree": nx.degree_centrality(g),
            "betweenness": nx.betweenness_centrality(g, k=sample, seed=0),
            "communities": [sorted(c) for c in nx.community.louvain_communities(g, seed=0)] if g.number_of_edges() else []}


def same_person(graph: nx.MultiGraph, actor: str) -> set[str]:
    """The actor and the actors of other records that share an identifier with it (likely one person)."""
    found = {actor}
    for identifier in graph.neighbors(actor):
        if graph.nodes[identifier]["kind"] == "identifier":
            found |= {n for n in graph.neighbors(identifier) if graph.nodes[n]["kind"] == "actor"}
    return found


def activity(graph: nx.MultiGraph, actor: str) -> dict:
    """Cases and host countries of the actor and of its likely other records."""
    records = same_person(graph, actor)
    cases = set().union(*(graph.nodes[a]["cases"] for a in records))
    incidents = {n for a in records for n in graph.neighbors(a) if graph.nodes[n]["kind"] == "incident"}
    countries = {graph.nodes[i].get("host_state") for i in incidents} - {"", None}
    return {"records": records, "cases": cases, "countries": countries, "incidents": incidents}


def ranking(graph: nx.MultiGraph, top: int = 20, measured: dict | None = None) -> list[dict]:
    """Actors worth a closer look, each with its score and its reasons: seen in several cases, active in
    several host countries, a broker between parts of the network, many incidents."""
    measured = measured or measures(graph)
    between = measured["betweenness"]
    rows = []
    for node, data in graph.nodes(data=True):
        if data["kind"] != "actor":
            continue
        seen = activity(graph, node)
        reasons = []
        if len(seen["cases"]) > 1:
            reasons.append({"reason": "cases", "n": len(seen["cases"])})
        if len(seen["countries"]) > 1:
            reasons.append({"reason": "countries", "n": len(seen["countries"]), "countries": sorted(seen["countries"])})
        if between.get(node, 0) >= 0.05:
            reasons.append({"reason": "broker", "share": round(between[node], 3)})
        if len(seen["incidents"]) > 2:
            reasons.append({"reason": "incidents", "n": len(seen["incidents"])})
        if not reasons:
            continue
        score = (len(seen["cases"]) - 1) + (len(seen["countries"]) - 1) + 10 * between.get(node, 0) + 0.25 * len(seen["incidents"])
        rows.append({"node": node, "label": data["label"], "score": round(score, 3), "reasons": reasons})
    return sorted(rows, key=lambda r: (-r["score"], r["node"]))[:top]


def active_by_year(graph: nx.MultiGraph) -> dict[int, int]:
    """Year by year: how many actors acted in an incident of that year."""
    actors: dict[int, set] = {}
    for node, data in graph.nodes(data=True):
        if data["kind"] == "incident" and data.get("date"):
            actors.setdefault(int(data["date"][:4]), set()).update(
                n for n in graph.neighbors(node) if graph.nodes[n]["kind"] == "actor")
    return {year: len(found) for year, found in sorted(actors.items())}


def over_time(graph: nx.MultiGraph) -> list[dict]:
    """Year by year: how many incidents and actors the network had by then (edges dated by incidents)."""
    years = Counter()
    actors_by_year: dict[str, set] = {}
    for node, data in graph.nodes(data=True):
        if data["kind"] == "incident" and data.get("date"):
            year = data["date"][:4]
            years[year] += 1
            actors_by_year.setdefault(year, set()).update(n for n in graph.neighbors(node) if graph.nodes[n]["kind"] == "actor")
    rows, seen_actors, incidents = [], set(), 0
    for year in sorted(years):
        incidents += years[year]
        seen_actors |= actors_by_year[year]
        rows.append({"year": int(year), "incidents": incidents, "actors": len(seen_actors)})
    return rows
