"""Benchmark of link discovery between cases (shelter.actors.links.discover_all): 200,000 identifiers of
actors in 20,000 cases on a fresh SQLite instance — mostly phones and Telegram accounts of their own,
and 2,000 phone numbers recorded three times each in random cases, written differently in each — linked in one pass
(target: under 10 s). Then the ego view as a coordinator's browser asks for it (the page and its JSON,
served by Django's test client; target: under 300 ms for up to 500 nodes) around an agency that 600
actors of random cases claim to be from, and two steps around one of them; and, for comparison, the
graph of all of it built at once, as an export does. Records are stored in bulk first; that is not timed.

    .venv/bin/python benchmarks/network.py [--identifiers N] [--cases N] [--json OUT.json] [--readme benchmarks/README.md]
"""

import argparse
import gc
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shared import fresh_instance, write_figures  # noqa: E402

SHARED = 2000
AGENCY_ACTORS = 600
REQUESTS = 5  # each view is asked for this many times; the median counts




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
    from shelter.records import sealing
    from shelter.records.models import Case, Organisation

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
        members = [a.pk for a in rng.sample(actors, AGENCY_ACTORS)]
        del rows, actors, cases  # a server does not hold the bulk import's objects: neither may the timed views
        gc.collect()
        gc.freeze()  # what is left (Django, the instance) is a long-lived server's heap, as gunicorn's preload leaves it
        agency = Organisation.objects.create(name="SNB", kind="security_service", country="UZ")
        Actor.objects.filter(pk__in=members).update(claimed_organisation=agency)
        one_of_them = Actor.objects.filter(claimed_organisation=agency).first()
        views = {"agency": _served(f"org:{agency.pk}", 1), "agency_two_steps": _served(f"actor:{one_of_them.pk}", 2)}
        from shelter.actors.network import graph_of

        start = time.perf_counter()
        graph = graph_of(Case.objects.all())
        graph_seconds = time.perf_counter() - start
    return {"identifiers": identifiers, "cases": case_count, "links": count, "sides": LinkSide.objects.count(),
            "discover_seconds": round(discover_seconds, 2),
            "graph_nodes": graph.number_of_nodes(), "graph_seconds": round(graph_seconds, 1), **views}


def _served(centre: str, radius: int) -> dict:
    """The median time of the ego view's page and of its JSON, for a coordinator, at the largest cap."""
    from django.test import Client
    from django.utils import timezone

    from shelter.accounts import mfa
    from shelter.accounts.models import User

    user = User.objects.filter(username="benchmark").first() or User.objects.create_user("benchmark", role="coordinator")
    mfa.pending_device(user).__class__.objects.filter(user=user).update(confirmed_at=timezone.now())  # enrolled, as MFA requires
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    params = {"centre": centre, "radius": radius, "cap": 500}
    timed = {}
    for name, url in (("page", "/network/ego/"), ("json", "/network/ego.json")):
        times = []
        for _ in range(REQUESTS):
            start = time.perf_counter()
            response = client.get(url, params)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (response.status_code, response.get("Location"))
        timed[f"{name}_ms"] = round(statistics.median(times), 1)
    data = client.get("/network/ego.json", params).json()
    return {"nodes": len(data["nodes"]), "more": data["more"], **timed}


def figures(r: dict) -> str:
    return (f"Link discovery, on SQLite: {r['identifiers']:,} identifiers of actors in {r['cases']:,} cases, "
            f"{SHARED:,} phone numbers among them recorded three times each in cases chosen at random, written differently, linked in one pass "
            f"(`links.discover_all`) in **{r['discover_seconds']} s** (target < 10 s): {r['links']:,} links with "
            f"{r['sides']:,} sides. The ego view, served as a coordinator asks for it (median of {REQUESTS}): around an agency that "
            f"{AGENCY_ACTORS} actors of random cases claim to be from, {r['agency']['nodes']} nodes ({r['agency']['more']} more left out) "
            f"in **{r['agency']['page_ms']} ms** as a page and {r['agency']['json_ms']} ms as JSON; two steps around one of those actors, "
            f"{r['agency_two_steps']['nodes']} nodes in **{r['agency_two_steps']['page_ms']} ms** as a page and "
            f"{r['agency_two_steps']['json_ms']} ms as JSON (target < 300 ms for up to 500 nodes). The view finds its neighbourhood "
            f"step by step in the database; building the graph of all of it at once, as an export does, took {r['graph_seconds']} s "
            f"({r['graph_nodes']:,} nodes).")


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
