"""The network engine on records built in the test: one node per shared identifier joins two cases'
actors, a user's view keeps only their cases, the ranking gives its reasons, and the exports read back
(networkx reads the GraphML, FollowTheMoney validates the entities)."""

import io

import networkx as nx

from shelter.network import analysis, export
from shelter.network.graph import Records, build, ego, subgraph_for


def records() -> Records:
    return Records(
        organisations=[{"id": "snb", "label": "SNB", "country": "UZ"}],
        actors=[{"id": "a1", "case": "c1", "label": "Rustam", "kind": "informant", "organisation": "snb"},
                {"id": "a2", "case": "c2", "label": "R. K.", "kind": "consular"},
                {"id": "a3", "case": "c3", "label": "Dilshod", "kind": "informant"}],
        identifiers=[{"id": "i1", "case": "c1", "node": "d-phone", "kind": "phone", "label": "phone", "value": "+998901234567", "owner": "actor:a1"},
                     {"id": "i2", "case": "c2", "node": "d-phone", "kind": "phone", "label": "phone", "value": "+998901234567", "owner": "actor:a2"},
                     {"id": "i3", "case": "c2", "node": "d-plate", "kind": "plate", "label": "plate", "value": "UZ:01A123BC", "owner": "actor:a2"},
                     {"id": "i4", "case": "c3", "node": "d-other", "kind": "phone", "label": "phone", "value": "+998907654321", "owner": "actor:a3"}],
        incidents=[{"id": "e1", "case": "c1", "label": "Approach", "date": "2023-04", "host_state": "TR"},
                   {"id": "e2", "case": "c2", "label": "Threat", "date": "2024-01", "host_state": "DE"},
                   {"id": "e3", "case": "c3", "label": "Visit", "date": "2024-06", "host_state": "TR"}],
        involvements=[{"actor": "a1", "incident": "e1"}, {"actor": "a2", "incident": "e2"}, {"actor": "a3", "incident": "e3"}],
        targets=[{"person": "p1", "case": "c1", "label": "P-AAAAAA", "incident": "e1"}])


def test_a_shared_identifier_is_one_node_joining_two_cases():
    graph = build(records())
    assert graph.nodes["identifier:d-phone"]["cases"] == {"c1", "c2"}
    assert nx.has_path(graph, "actor:a1", "actor:a2") and not nx.has_path(graph, "actor:a1", "actor:a3")


def test_a_users_view_keeps_only_their_cases():
    view = subgraph_for(build(records()), {"c1"})
    assert "actor:a2" not in view and view.nodes["identifier:d-phone"]["cases"] == {"c1"}
    assert all(d["cases"] <= {"c1"} for _, _, d in view.edges(data=True))


def test_the_ranking_says_why():
    [first, *_] = analysis.ranking(build(records()))
    assert first["node"] in ("actor:a1", "actor:a2")
    reasons = {r["reason"]: r for r in first["reasons"]}
    assert reasons["cases"]["n"] == 2 and reasons["countries"]["countries"] == ["DE", "TR"]


def test_measures_and_growth_over_time():
    graph = build(records())
    measured = analysis.measures(graph)
    assert len(measured["components"]) == 2 and measured["betweenness"]["identifier:d-phone"] > 0
    assert analysis.over_time(graph) == [{"year": 2023, "incidents": 1, "actors": 1}, {"year": 2024, "incidents": 3, "actors": 3}]


def test_actors_are_counted_by_the_year_they_acted():
    assert analysis.active_by_year(build(records())) == {2023: 1, 2024: 2}


def test_an_ego_view_is_capped_and_says_how_many_more():
    graph = build(records())
    shown, more = ego(graph, "identifier:d-phone", radius=2, cap=2)
    assert len(shown) == 3 and more > 0 and "identifier:d-phone" in shown


def test_graphml_and_gexf_read_back():
    graph = build(records())
    back = nx.read_graphml(io.BytesIO(export.graphml(graph)))
    assert set(back.nodes) == set(graph.nodes) and back.number_of_edges() == graph.number_of_edges()
    assert nx.read_gexf(io.BytesIO(export.gexf(graph))).number_of_nodes() == graph.number_of_nodes()


def test_followthemoney_entities_validate():
    given = records()
    given.actors.append({"id": "a4", "case": "c1", "label": "Major Aliev", "kind": "intelligence_officer", "organisation": "snb"})
    given.actors[1]["claimed_organisation"] = "snb"
    given.involvements.append({"actor": "a4", "incident": "e1", "role": "instigator"})
    entities = export.entities(build(given))
    schemas = {e.schema.name for e in entities}
    assert {"Person", "Organization", "Membership", "Employment", "Associate", "Vehicle", "UnknownLink"} <= schemas
    assert export.validate(entities) == []
    employment = next(e for e in entities if e.schema.name == "Employment")
    aliev = next(e for e in entities if e.schema.name == "Person" and e.get("name") == ["Major Aliev"])
    assert employment.get("employee") == [aliev.id]
    claims = [e for e in entities if e.schema.name == "UnknownLink" and e.get("role") == ["claims to be from"]]
    assert len(claims) == 1
    rustam = next(e for e in entities if e.schema.name == "Person" and "Rustam" in e.get("name"))
    assert rustam.get("phone") == ["+998901234567"]
