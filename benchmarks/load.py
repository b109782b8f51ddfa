"""Load test of the web app and the API (issue 17): 20 users (locust, benchmarks/locustfile.py) over the
dashboard, case, person and incident pages, incident lists with every filter, name search, screening,
alert triage and the API's lists, against `shelter demo` served by waitress on loopback; p95 and
requests per second per endpoint.

    .venv/bin/python benchmarks/load.py [--home DIR] [--scale N] [--users 20] [--seconds 60] [--workers 2]
                                        [--json OUT.json] [--readme benchmarks/README.md --marker load]

The database is the instance's (SHELTER_DATABASE_URL, or SQLite in the home); the server is
`shelter serve --workers N` (N waitress processes of 8 threads).

Without --home a new instance is made in a temporary directory (the demo, plus N scale persons with
--scale: `shelter demo --scale`). Bounded: the number of users, the duration and loopback only.
locust comes with the `bench` extra (`pip install -e ".[bench]"`); it is not a dependency of Shelter.
"""

import argparse
import datetime
import csv
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from shared import write_figures  # noqa: E402

BIN = Path(sys.executable).parent
ACCOUNTS = ("coordinator", "caseworker")
FILTERS = [{}, {"origin": "UZ"}, {"host": "TR"}, {"tactic": "detention"}, {"year": "2021"}, {"profile": "journalist"},
           {"origin": "TJ", "year": "2022"}, {"origin": "RU", "host": "DE", "tactic": "threats"}]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(home: Path, scale: int) -> None:
    command = [str(BIN / "shelter"), "demo", "--no-serve"] + (["--scale", str(scale)] if scale else [])
    subprocess.run(command, check=True, env=os.environ, stdout=subprocess.DEVNULL)


def targets(path: Path) -> dict:
    """Ids each account may open, names to search, API tokens: read once, in this process."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shelter.settings")
    import django

    django.setup()
    from shelter.accounts.models import ApiToken, User
    from shelter.notices.models import NoticeAlert
    from shelter.ops.demo_data import DEMO_PASSWORD
    from shelter.records import sealing
    from shelter.records.access import visible_cases
    from shelter.records.models import Incident, Person, PersonName

    rng = random.Random(17)
    found = {"password": DEMO_PASSWORD, "accounts": list(ACCOUNTS), "filters": FILTERS, "ids": {}, "tokens": {}}
    for username in ACCOUNTS:
        user = User.objects.get(username=username)
        sample = lambda qs: [str(pk) for pk in qs.order_by("?").values_list("pk", flat=True)[:200]]  # noqa: E731
        found["ids"][username] = {
            "cases": sample(visible_cases(user)),
            "persons": sample(Person.objects.visible_to(user)),
            "incidents": sample(Incident.objects.visible_to(user)),
            "alerts": sample(NoticeAlert.objects.visible_to(user)),
        }
        found["tokens"][username] = ApiToken.objects.issue(user, "load test", days=1)[1]
    with sealing.scope(reveal=True):
        found["names"] = [n.value for n in rng.sample(list(PersonName.objects.all()[:2000]), 50)]
    found["pages"] = max(2, Incident.objects.count() // 25)
    path.write_text(json.dumps(found), encoding="utf-8")
    return found


def serve(port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen([str(BIN / "shelter"), "serve", "--port", str(port), "--workers", str(workers)], env=os.environ,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(120):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the server did not start")


def run_locust(port: int, users: int, seconds: int, out: Path) -> list[dict]:
    subprocess.run([str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless", "-u", str(users), "-r", str(users),
                    "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{port}", "--csv", str(out / "load"), "--only-summary"],
                   check=False, env=os.environ, stdout=subprocess.DEVNULL)
    with open(out / "load_stats.csv", encoding="utf-8") as f:
        return [{"name": r["Name"], "requests": int(r["Request Count"]), "failures": int(r["Failure Count"]),
                 "median_ms": float(r["Median Response Time"]), "p95_ms": float(r["95%"]),
                 "rps": float(r["Requests/s"])} for r in csv.DictReader(f)]


def run(home: str | None, scale: int, users: int, seconds: int, workers: int) -> dict:
    if home is None:
        home = tempfile.mkdtemp(prefix="shelter-load-")
        # 20 users reading all day pass the insider threshold of identity reads in minutes, and the API
        # then answers 429: the threshold is raised for the test (its check still runs on every request).
        # With --home, set it in that instance's shelter.toml.
        (Path(home) / "shelter.toml").write_text("alert_reads_per_hour = 100000000\n", encoding="utf-8")
    home = Path(home)
    os.environ.update(SHELTER_HOME=str(home), SHELTER_DEMO="true")
    start = time.perf_counter()
    prepare(home, scale)
    prepared = time.perf_counter() - start
    out = Path(tempfile.mkdtemp(prefix="shelter-load-out-"))
    os.environ["SHELTER_LOAD_TARGETS"] = str(out / "targets.json")
    found = targets(out / "targets.json")
    from django.db import connection

    from shelter.records.models import Incident, Person

    size = {"persons": Person.objects.count(), "incidents": Incident.objects.count()}
    database = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(connection.vendor, connection.vendor)
    connection.close()
    port = free_port()
    server = serve(port, workers)
    try:
        rows = run_locust(port, users, seconds, out)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"size": size, "database": database, "workers": workers, "users": users, "seconds": seconds,
            "prepare_seconds": round(prepared, 1),
            "accounts": found["accounts"], "rows": rows}


def figures(r: dict) -> str:
    lines = [f"Measured {datetime.date.today().isoformat()} by `benchmarks/load.py`; the machine may have been shared with other "
             f"jobs: timings are noisy. "
             f"{r['size']['persons']:,} persons and {r['size']['incidents']:,} incidents on {r['database']}, {r['users']} users "
             f"for {r['seconds']} s (locust, on the same 2-core machine as the server and the database: "
             f"{r['workers']} waitress process{'es' if r['workers'] > 1 else ''} of 8 threads):", "",
             "| endpoint | requests | failures | median | p95 | requests/s |", "|---|---|---|---|---|---|"]
    for row in r["rows"]:
        name = f"**{row['name']}**" if row["name"] == "Aggregated" else row["name"]
        lines.append(f"| {name} | {row['requests']:,} | {row['failures']} | {row['median_ms']:.0f} ms | "
                     f"{row['p95_ms']:.0f} ms | {row['rps']:.1f} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home")
    parser.add_argument("--scale", type=int, default=0)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json")
    parser.add_argument("--readme")
    parser.add_argument("--marker", default="load", help="the README's figures block to replace")
    args = parser.parse_args()
    if not 1 <= args.users <= 100 or not 1 <= args.seconds <= 1800:
        parser.error("--users 1..100 and --seconds 1..1800: the load test is bounded")
    result = run(args.home, args.scale, args.users, args.seconds, args.workers)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    text = figures(result)
    print(text)
    if args.readme:
        write_figures(args.readme, args.marker, text)


if __name__ == "__main__":
    main()
