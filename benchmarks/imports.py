"""Imports at scale (issue 17): `shelter persons import` of generated JSON Lines files, or `shelter
import` of generated incident spreadsheets (CSV), as a user runs them, each into a new instance —
wall time, throughput, CPU time and the peak resident memory of the process — and, for persons, what
the name index then holds per person.

    .venv/bin/python benchmarks/imports.py [--what persons|incidents] [--sizes 10000,100000,1000000]
                                           [--database-url URL] [--readme benchmarks/README.md]

Persons come from `synthetic.py` (fictional; names in Cyrillic, the people's own Latin and five
romanisations of Russian, a share with aliases); incidents are fictional rows of every column the
import maps. Without --database-url each size gets SQLite in a temporary home; with a PostgreSQL
URL, that database is DROPPED and created again for each size.
"""

import argparse
import datetime
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402
from shared import write_figures  # noqa: E402
from spark import Watch  # noqa: E402

SHELTER = Path(sys.executable).parent / "shelter"
TABLES = {"search tokens": "records_nametoken", "blocking keys": "screening_blockingkey"}


def recreate(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(url.replace(parts.path, "/postgres"), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')


def index_sizes(url: str | None) -> dict:
    """Rows and bytes (tables with their indexes) of the name index, on PostgreSQL."""
    if not url:
        return {}
    import psycopg

    with psycopg.connect(url) as db:
        return {what: db.execute(f"SELECT count(*), pg_total_relation_size('{table}') FROM {table}").fetchone()
                for what, table in TABLES.items()}


def new_instance(url: str | None, size: int) -> dict:
    """The environment of a new, migrated instance whose import limits let ``size`` rows in."""
    home = Path(tempfile.mkdtemp(prefix="shelter-import-"))
    env = {**os.environ, "SHELTER_HOME": str(home), "DJANGO_SETTINGS_MODULE": "shelter.settings",
           "SHELTER_IMPORT_MAX_ROWS": str(size), "SHELTER_IMPORT_MAX_MB": "10000"}
    env.pop("SHELTER_DATABASE_URL", None)
    if url:
        recreate(url)
        env["SHELTER_DATABASE_URL"] = url
    subprocess.run([str(SHELTER), "migrate", "-v", "0"], env=env, check=True)
    return env


def new_case(env: dict) -> str:
    made = subprocess.run([str(SHELTER), "shell", "-c", "from shelter.records.models import Case; "
                           "print(Case.objects.create(title='Imported incidents').reference)"],
                          env=env, check=True, capture_output=True, text=True)
    return made.stdout.split()[-1]  # shell may first say what it imported


def import_once(command: list[str], source: Path, size: int, env: dict) -> dict:
    before = os.times()
    start = time.perf_counter()
    process = subprocess.Popen([str(SHELTER), *command], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    watch = Watch(process.pid)
    watch.start()
    out, _ = process.communicate()
    wall = time.perf_counter() - start
    watch.stop.set()
    watch.join()
    after = os.times()
    if process.returncode:
        raise SystemExit(f"the import of {size:,} lines failed")
    return {"lines": size, "bytes": source.stat().st_size, "wall_s": round(wall, 1),
            "cpu_s": round((after.children_user - before.children_user) + (after.children_system - before.children_system), 1),
            "per_s": round(size / wall), "peak_mib": round(watch.peak["driver"] / 2**20), "summary": out.strip()}


def measure(sizes: list[int], url: str | None) -> dict:
    work = Path(tempfile.mkdtemp(prefix="shelter-import-files-"))
    data = synthetic.generate(max(sizes), 1, seed=4)
    rows = []
    for size in sizes:
        lines = work / f"persons-{size}.jsonl"
        synthetic.write_jsonl(lines, data.registry[:size])
        rows.append(import_once(["persons", "import", str(lines)], lines, size, new_instance(url, size)))
        rows[-1]["index"] = {what: {"rows": count, "bytes": size_bytes} for what, (count, size_bytes) in index_sizes(url).items()}
        print(json.dumps(rows[-1]), flush=True)
    database = "PostgreSQL" if url else "SQLite"
    return {"database": database, "rows": rows}


INCIDENT_COLUMNS = ["Date", "Perpetrator", "Country", "Tactic", "Title", "Description", "City", "Outcome", "N"]
MAPPING = {"columns": dict(zip(["date", "origin_state", "host_state", "tactics", "title", "narrative", "place",
                                "outcome", "people_targeted"], INCIDENT_COLUMNS)), "separator": ";"}
ORIGINS = ["UZ", "TJ", "RU", "AZ", "KZ", "TM", "BY", "KG"]
HOSTS = [("TR", "Istanbul"), ("RU", "Moscow"), ("DE", "Berlin"), ("FR", "Paris"), ("PL", "Warsaw"),
         ("LT", "Vilnius"), ("UA", "Kyiv"), ("US", "New York"), ("GB", "London"), ("SE", "Stockholm")]
TACTICS = ["detention", "interpol_abuse", "extradition_request", "coercion_by_proxy", "threats", "surveillance",
           "digital_attack", "unlawful_deportation", "abduction", "assault"]
OUTCOMES = ["unknown", "released", "returned", "ongoing"]


def write_incidents(path: Path, size: int, seed: int = 4) -> None:
    """``size`` fictional incident rows, every one different (no duplicates for the import to refuse)."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(INCIDENT_COLUMNS)
        for n in range(size):
            host, city = rng.choice(HOSTS)
            tactics = rng.sample(TACTICS, rng.randint(1, 3))
            narrative = (f"Fictional incident {n}: the person was {tactics[0].replace('_', ' ')} in {city} after "
                         f"a request from {rng.choice(ORIGINS)}; relatives were questioned {rng.randint(1, 9)} times.")
            out.writerow([f"{rng.randint(2000, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", rng.choice(ORIGINS),
                          host, ";".join(tactics), f"Incident {n} in {city}", narrative, city, rng.choice(OUTCOMES),
                          rng.randint(1, 4)])


def measure_incidents(sizes: list[int], url: str | None) -> dict:
    work = Path(tempfile.mkdtemp(prefix="shelter-import-files-"))
    mapping = work / "mapping.json"
    mapping.write_text(json.dumps(MAPPING))
    rows = []
    for size in sizes:
        table = work / f"incidents-{size}.csv"
        write_incidents(table, size)
        env = new_instance(url, size)
        command = ["import", str(table), "--mapping", str(mapping), "--case", new_case(env)]
        rows.append(import_once(command, table, size, env))
        print(json.dumps(rows[-1]), flush=True)
    database = "PostgreSQL" if url else "SQLite"
    return {"database": database, "rows": rows}


def incident_figures(r: dict) -> str:
    lines = [f"Measured {datetime.date.today().isoformat()} by `benchmarks/imports.py --what incidents` on {r['database']}, "
             "2 cores; the machine may have been shared with other jobs. Each CSV file into a new case of a new instance, "
             "`shelter import` as a user runs it; peak memory is the resident set of the import process, sampled every 0.2 s.",
             "", "| rows | file | wall | CPU | incidents/s | peak memory |", "|---|---|---|---|---|---|"]
    for row in r["rows"]:
        lines.append(f"| {row['lines']:,} | {row['bytes'] / 2**20:.0f} MiB | {row['wall_s']:.0f} s | {row['cpu_s']:.0f} s | "
                     f"{row['per_s']:,} | {row['peak_mib']:,} MiB |")
    return "\n".join(lines)


def figures(r: dict) -> str:
    lines = [f"Measured {datetime.date.today().isoformat()} by `benchmarks/imports.py` on {r['database']}, 2 cores; "
             "the machine may have been shared with other jobs. Each file into a new instance, `shelter persons import` as "
             "a user runs it; peak memory is the resident set of the import process, sampled every 0.2 s.", "",
             "| lines | file | wall | CPU | persons/s | peak memory | blocking keys per person | name index per person |",
             "|---|---|---|---|---|---|---|---|"]
    for row in r["rows"]:
        index = row["index"]
        per_person = (f"{index['blocking keys']['rows'] / row['lines']:.0f}" if index else "—",
                      f"{sum(v['bytes'] for v in index.values()) / row['lines'] / 1024:.1f} KiB" if index else "—")
        lines.append(f"| {row['lines']:,} | {row['bytes'] / 2**20:.0f} MiB | {row['wall_s']:.0f} s | {row['cpu_s']:.0f} s | "
                     f"{row['per_s']:,} | {row['peak_mib']:,} MiB | {per_person[0]} | {per_person[1]} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--what", choices=("persons", "incidents"), default="persons")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--database-url", help="a PostgreSQL database to drop and create again for each size")
    parser.add_argument("--readme")
    args = parser.parse_args()
    sizes = sorted(int(n) for n in args.sizes.split(","))
    if args.what == "persons":
        text = figures(measure(sizes, args.database_url))
    else:
        text = incident_figures(measure_incidents(sizes, args.database_url))
    print(text)
    if args.readme:
        write_figures(args.readme, "imports" if args.what == "persons" else "incident imports", text)


if __name__ == "__main__":
    main()
