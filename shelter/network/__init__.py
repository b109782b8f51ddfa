"""The network of actors, organisations, identifiers, incidents and targeted persons across cases, as a
graph (networkx): its measures, a "who to look at" ranking with reasons, and exports (GraphML, GEXF,
FollowTheMoney). Plain Python, no Django: the graph is built from plain records (graph.Records)."""
