"""Benchmark of publishing the open dataset (issue 16): `shelter publish --k K --output DIR` end to end on a
SQLite instance of generated incidents — reading them, k-anonymising, writing the Frictionless package —
for k = 3, 5 and 10, with the information kept (the share of quasi-identifier cells generalised or
suppressed), and pycanon's check of the written CSV timed beside it in the same run.

    .venv/bin/python benchmarks/publishing.py [--incidents N] [--json OUT.json] [--readme benchmarks/README.md]

The incidents are fictional and skewed as documented data are: a few origin and host states hold most
of them, later years more than earlier ones, one to three tactics, most targets men. Every target
consented to anonymised publication, so that every incident reaches the k-anonymity step.
"""

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from shared import fresh_instance, write_figures  # noqa: E402

ORIGINS = ["UZ", "TJ", "RU", "TM", "KZ", "KG", "BY", "AZ", "CN", "TR", "IR", "EG", "RW", "SA"]
HOSTS = ["RU", "TR", "KZ", "DE", "PL", "US", "GB", "UA", "LT", "FR", "SE", "AE", "KG", "EG", "TH", "NL", "CZ", "AT",
         "GE", "AM", "BY", "IN", "JP", "CA", "FI", "NO", "IT", "ES", "BE", "CH", "KR", "MY", "ID", "PK", "AF", "SY"]
OUTCOMES = ["unknown", "ongoing", "released", "protected", "detained", "returned", "imprisoned", "disappeared",
            "killed", "injured"]
KS = (3, 5, 10)
SEED = 16


def weighted(rng, values, skew=1.3):
    return rng.choices(values, weights=[1 / (i + 1) ** skew for i in range(len(values))])[0]


def populate(n: int) -> float:
    from shelter import thesaurus
    from shelter.crypto import aead, keys
    from shelter.records import sealing
    from shelter.records.models import Act, Case, Incident, Person, Term

    rng = random.Random(SEED)
    start = time.perf_counter()
    terms = {(t.thesaurus, t.code): t.pk for t in Term.objects.all()}
    tactics, profiles = thesaurus.codes("tactics"), thesaurus.codes("profiles")
    with sealing.scope(reveal=True):
        cases = [Case(reference=f"P-{i:06d}", title="Benchmark") for i in range(max(1, n // 20))]
        for case in cases:  # as Case.save does, without its query per reference
            case.wrapped_key = keys.wrap(sealing.master_key(), aead.new_key(), sealing.case_label(case.pk))
        cases = Case.objects.bulk_create(cases, batch_size=5000)
        for begin in range(0, n, 20000):
            size = min(20000, n - begin)
            persons = Person.objects.bulk_create([
                Person(case=cases[(begin + i) % len(cases)], gender=rng.choices(["male", "female", ""], [70, 25, 5])[0],
                       publication_consent="anonymised")
                for i in range(size)], batch_size=5000)
            incidents = Incident.objects.bulk_create([
                Incident(case=p.case, date=f"{2014 + min(12, int(rng.triangular(0, 13, 12)))}",
                         origin_state=weighted(rng, ORIGINS), host_state=weighted(rng, HOSTS),
                         outcome=rng.choice(OUTCOMES), host_complicity=rng.choice(["unknown", "none", "passive", "active"]))
                for p in persons], batch_size=5000)
            Act.objects.bulk_create([Act(incident=i, case_id=i.case_id, person=p, role="victim")
                                     for i, p in zip(incidents, persons)], batch_size=5000)
            Incident.tactics.through.objects.bulk_create([
                Incident.tactics.through(incident_id=i.pk, term_id=terms[("tactics", code)])
                for i in incidents for code in rng.sample(tactics, rng.choice([1, 1, 1, 2, 2, 3]))], batch_size=5000)
            Person.profiles.through.objects.bulk_create([
                Person.profiles.through(person_id=p.pk, term_id=terms[("profiles", weighted(rng, profiles, 0.8))])
                for p in persons if rng.random() < 0.9], batch_size=5000)
    return time.perf_counter() - start


def check_with_pycanon(directory: Path, qis: list[str]) -> tuple[int, float]:
    import pandas as pd
    from pycanon import anonymity

    start = time.perf_counter()
    frame = pd.read_csv(directory / "incidents.csv", dtype=str, keep_default_na=False)
    k = anonymity.k_anonymity(frame, qis)
    return int(k), time.perf_counter() - start


def publish(k: int, out: Path) -> dict:
    from django.core.management import call_command

    start, cpu = time.perf_counter(), time.process_time()
    call_command("publish", "--k", str(k), "--output", str(out), stdout=StringIO(), stderr=StringIO())
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    descriptor = json.loads((out / "datapackage.json").read_text())
    resource_ = {r["name"]: r for r in descriptor["resources"]}["incidents"]
    checked_k, check_seconds = check_with_pycanon(out, resource_["quasiIdentifiers"])
    control = resource_["disclosureControl"]
    return {
        "k": k, "seconds": round(wall, 1), "cpu_seconds": round(cpu, 1),
        "rows": int(resource_["description"].split("; ")[1].split()[0]),
        "rows_suppressed": control["rowsSuppressed"], "share_changed": control["shareOfCellsChanged"],
        "levels": control["levels"], "pycanon_k": checked_k, "pycanon_seconds": round(check_seconds, 1),
    }


def run(n: int) -> dict:
    fresh_instance("shelter-publishing-")
    populate_seconds = populate(n)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in KS:
            results.append(publish(k, Path(tmp) / f"k{k}"))
            print(f"k={k}: {results[-1]}", file=sys.stderr)
    return {"incidents": n, "populate_seconds": round(populate_seconds, 1), "runs": results,
            "peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def figures(r: dict) -> str:
    lines = [
        f"`shelter publish --k K --output DIR` end to end on SQLite with {r['incidents']:,} generated incidents "
        f"(reading them, k-anonymising over the seven quasi-identifiers with at most 5% of rows suppressed, writing "
        f"CSV, JSON, datapackage.json and the codebooks); target < 60 s. pycanon reads the written CSV and computes k "
        f"itself, in the same run. Peak memory of the process: {r['peak_memory_mb']:,} MB.",
        "",
        "| k | time | CPU | rows published | rows suppressed | cells generalised or suppressed | generalisation chosen | k by pycanon (its time) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for x in r["runs"]:
        levels = ", ".join(f"{q}: {name}" for q, name in x["levels"].items())
        lines.append(f"| {x['k']} | **{x['seconds']} s** | {x['cpu_seconds']} s | {x['rows']:,} | {x['rows_suppressed']:,} | "
                     f"{x['share_changed']:.1%} | {levels} | {x['pycanon_k']} ({x['pycanon_seconds']} s) |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=200_000)
    parser.add_argument("--json")
    parser.add_argument("--readme")
    args = parser.parse_args()
    result = run(args.incidents)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    text = figures(result)
    print(text)
    if args.readme:
        write_figures(args.readme, "publishing", text)


if __name__ == "__main__":
    main()
