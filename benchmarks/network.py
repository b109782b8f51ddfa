"""Benchmark of link discovery between cases (shelter.actors.links.discover_all): 200,000 identifiers of
actors in 20,000 cases on a fresh SQLite instance — mostly phones and Telegram accounts of their own,
and 2,000 phone numbers recorded three times each in random cases, written differently in each — linked in one pass
(target: under 10 s). Also times building the network graph of all of it and an ego view around the
busiest identifier. Records are stored in bulk first; that is not timed.

    .venv/bin/python benchmarks/network.py [--identifiers N] [--cases N] [--json OUT.json] [--readme benchmarks/README.md]
"""

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shared import fresh_instance, write_figures  # noqa: E402

SHARED = 2000




def phone(rng) -> str:
    return f"+99890{rng.randint(1000000, 9999999)}"


def written(number: str, rng) -> str:
    rest = number[4:]
    return rng.choice((number, number[1:], f"+998 {rest[:2]} {rest[2:5]}-{rest[5:7]}-{rest[7:]}", f"00998{rest}"))


def run(identifiers: int, case_count: int) -> dict:
    fresh_instance("shelter-network-")
    from shelter.actors import links
    from shelter.actors.models import Actor, Identifier, LinkSide, identifier_digest
    from shelter.crypto import aead, keys
    from shelter.network.graph import ego
    from shelter.records import sealing
    from shelter.records.models import Case

    rng = random.Random(14)
    with sealing.scope(reveal=True):
        cases = [Case(reference=f"B-{n:06d}", title="Benchmark") for n in range(case_count)]
        for case in cases:  # as Case.save does, without its query per reference
            case.wrapped_key = keys.wrap(sealing.master_key(), aead.new_key(), sealing.case_label(case.pk))
        cases = Case.objects.bulk_create(cases, batch_size=5000)
        actors = Actor.objects.bulk_create([Actor(case=cases[n % case_count], kind="informant") for n in range(identifiers // 2)],
                                           batch_size=5000)
        shared = [phone(rng) for _ in range(SHARED)]
        rows = []
        for n in range(identifiers):
            actor = actors[n % len(actors)]
            if n < SHARED * 3:  # each shared number three times, in cases chosen at random, written differently
                actor = actors[rng.randrange(len(actors))]
                kind, value = "phone", written(shared[n % SHARED], rng)
            elif n % 2:
                kind, value = "telegram", f"user_{n}"
            else:
                kind, value = "phone", phone(rng)
            rows.append(Identifier(actor=actor, case_id=actor.case_id, kind=kind, value=value, digest=identifier_digest(kind, value)))
        Identifier.objects.bulk_create(rows, batch_size=5000)
        start = time.perf_counter()
        count = links.discover_all()
        discover_seconds = time.perf_counter() - start
        from shelter.actors.network import graph_of

        start = time.perf_counter()
        graph = graph_of(cases)
        graph_seconds = time.perf_counter() - start
        busiest = max((n for n, d in graph.nodes(data=True) if d["kind"] == "identifier"), key=graph.degree)
        start = time.perf_counter()
        shown, more = ego(graph, busiest, radius=3, cap=500)
        ego_ms = (time.perf_counter() - start) * 1000
    return {"identifiers": identifiers, "cases": case_count, "links": count, "sides": LinkSide.objects.count(),
            "discover_seconds": round(discover_seconds, 2),
            "graph_nodes": graph.number_of_nodes(), "graph_seconds": round(graph_seconds, 1),
            "ego_nodes": shown.number_of_nodes(), "ego_more": more, "ego_ms": round(ego_ms, 1)}


def figures(r: dict) -> str:
    return (f"Link discovery, on SQLite: {r['identifiers']:,} identifiers of actors in {r['cases']:,} cases, "
            f"{SHARED:,} phone numbers among them recorded three times each in cases chosen at random, written differently, linked in one pass "
            f"(`links.discover_all`) in **{r['discover_seconds']} s** (target < 10 s): {r['links']:,} links with "
            f"{r['sides']:,} sides. Building the graph of all of it took {r['graph_seconds']} s "
            f"({r['graph_nodes']:,} nodes); an ego view of {r['ego_nodes']} nodes around the busiest identifier "
            f"({r['ego_more']:,} more left out) was cut from it in {r['ego_ms']} ms. The ego view is not yet served "
            f"as a page, so the page's own time is not measured.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--identifiers", type=int, default=200_000)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--json")
    parser.add_argument("--readme")
    args = parser.parse_args()
    result = run(args.identifiers, args.cases)
    print(figures(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2), encoding="utf-8")
    if args.readme:
        write_figures(args.readme, "network", figures(result))


if __name__ == "__main__":
    main()
