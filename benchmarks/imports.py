"""Imports at scale (issue 17): `shelter persons import` of generated JSON Lines files as a user runs
it, each into a new instance — wall time, throughput, CPU time and the peak resident memory of the
process — and what the name index then holds per person.

    .venv/bin/python benchmarks/imports.py [--sizes 10000,100000,1000000] [--database-url URL]
                                           [--readme benchmarks/README.md]

Persons come from `synthetic.py` (fictional; names in Cyrillic, the people's own Latin and five
romanisations of Russian, a share with aliases). Without --database-url each size gets SQLite in a
temporary home; with a PostgreSQL URL, that database is DROPPED and created again for each size.
"""

import argparse
import datetime
import json
import os
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


def import_once(lines: Path, size: int, url: str | None) -> dict:
    home = Path(tempfile.mkdtemp(prefix="shelter-import-"))
    env = {**os.environ, "SHELTER_HOME": str(home), "DJANGO_SETTINGS_MODULE": "shelter.settings"}
    env.pop("SHELTER_DATABASE_URL", None)
    if url:
        recreate(url)
        env["SHELTER_DATABASE_URL"] = url
    subprocess.run([str(SHELTER), "migrate", "-v", "0"], env=env, check=True)
    before = os.times()
    start = time.perf_counter()
    process = subprocess.Popen([str(SHELTER), "persons", "import", str(lines)], env=env,
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
    sizes = index_sizes(url)
    return {"lines": size, "bytes": lines.stat().st_size, "wall_s": round(wall, 1),
            "cpu_s": round((after.children_user - before.children_user) + (after.children_system - before.children_system), 1),
            "persons_per_s": round(size / wall), "peak_mib": round(watch.peak["driver"] / 2**20),
            "index": {what: {"rows": rows, "bytes": size_bytes} for what, (rows, size_bytes) in sizes.items()},
            "summary": out.strip()}


def measure(sizes: list[int], url: str | None) -> dict:
    work = Path(tempfile.mkdtemp(prefix="shelter-import-files-"))
    data = synthetic.generate(max(sizes), 1, seed=4)
    rows = []
    for size in sizes:
        lines = work / f"persons-{size}.jsonl"
        synthetic.write_jsonl(lines, data.registry[:size])
        rows.append(import_once(lines, size, url))
        print(json.dumps(rows[-1]), flush=True)
    database = "PostgreSQL" if url else "SQLite"
    return {"database": database, "rows": rows}


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
                     f"{row['persons_per_s']:,} | {row['peak_mib']:,} MiB | {per_person[0]} | {per_person[1]} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--database-url", help="a PostgreSQL database to drop and create again for each size")
    parser.add_argument("--readme")
    args = parser.parse_args()
    sizes = sorted(int(n) for n in args.sizes.split(","))
    result = measure(sizes, args.database_url)
    text = figures(result)
    print(text)
    if args.readme:
        write_figures(args.readme, "imports", text)


if __name__ == "__main__":
    main()
