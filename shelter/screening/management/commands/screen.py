"""``shelter screen QUERIES.jsonl [--against REGISTRY.jsonl [--engine spark [--master URL]]]``: screen
persons against a registry.

Both files hold lines ``{"id": ..., "name", "aliases"?, "birth_date"?, "nationality"?, "gender"?}``, or
FollowTheMoney entities (``--format ftm``, or found by looking at a file's first line: Person entities
are read, other schemata skipped). ``--engine spark`` screens a registry file on Apache Spark
(``shelter.matching.spark``) with the same matcher and the same output.
With ``--against`` the registry is that file; without it, the registry is Shelter's own database, seen
with the access of ``--user``. One line is written per alert at or above the threshold:
``{"query": id, "candidate": id, "score": float, "explanation": [...]}``, best first for each query; a
progress bar goes to standard error. Bad lines are reported with their line numbers and skipped. Exit
status: 0 every line was read, 1 some lines were bad, 2 a file could not be read.
"""

import json
import os
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from shelter.matching import batch
from shelter.matching.score import THRESHOLD
from shelter.screening import database

from shelter.screening.line_files import open_lines, stderr_reporter


class Command(BaseCommand):
    help = f"Screen persons against a registry file or the database; alerts at score ≥ {THRESHOLD}."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("queries", metavar="QUERIES.jsonl", help="persons to screen (JSON Lines, or - for stdin)")
        parser.add_argument("--against", metavar="REGISTRY.jsonl", help="registry file (default: the database)")
        parser.add_argument("--user", metavar="USERNAME", help="with the database: whose access to screen with")
        parser.add_argument("--workers", type=int, default=available_cores(), metavar="N",
                            help="with --against: processes screening in parallel (default: the cores available)")
        parser.add_argument("--format", choices=("auto", *batch.FORMATS), default="auto",
                            help="person lines (jsonl) or FollowTheMoney entities (ftm); default: each file's first line says")
        parser.add_argument("--engine", choices=("local", "spark"), default="local",
                            help="with --against: screen here (local) or on Apache Spark (spark)")
        parser.add_argument("--master", default="local[*]", metavar="URL",
                            help="with --engine spark: the Spark master (default local[*], this machine)")

    def handle(self, *args, queries, against=None, **options):
        self.bad_lines = 0
        fmt = options.get("format") or "auto"
        if against is None:
            if options.get("engine", "local") != "local":
                raise CommandError("--engine spark screens a registry file: give it with --against")
            self.screen_database(queries, options.get("user"))
        elif options.get("engine") == "spark":
            self.screen_on_spark(queries, against, options.get("master") or "local[*]", fmt)
        else:
            self.screen_file(queries, against, max(1, options.get("workers") or 1), fmt)
        if self.bad_lines:
            raise CommandError(f"{self.bad_lines} line(s) were bad and skipped", returncode=1)

    def screen_database(self, queries: str, username: str | None):
        user = database.screening_user(username)
        with open_lines(queries) as stream:
            database.screen_database(user, self.progress(stream, "Screening"), self.write, self.reporter(queries))
        sys.stdout.flush()

    def screen_file(self, queries: str, against: str, workers: int, fmt: str):
        registry_format, query_format = file_format(against, fmt), file_format(queries, fmt)
        with open_lines(against) as stream:
            registry = self.progress(stream, "Indexing registry")
            index = batch.build_index(batch.read_people(registry, self.reporter(against), registry_format))
        with open_lines(queries) as stream, tqdm(desc="Screening", unit=" lines", file=sys.stderr, leave=False,
                                                mininterval=0.5) as bar:
            batch.screen_in_parallel(index, stream, self.write, self.reporter(queries), workers, bar.update,
                                     query_format)
        sys.stdout.flush()

    def screen_on_spark(self, queries: str, against: str, master: str, fmt: str):
        from shelter.matching import spark

        if "-" in (queries, against):
            raise CommandError("--engine spark reads files (local, or on the cluster's storage), not standard input")
        for path in (against, queries):
            if "://" not in path:
                with open_lines(path):  # the same refusal as the local engine's, before Spark starts
                    pass
        registry_format, query_format = file_format(against, fmt), file_format(queries, fmt)
        try:
            with spark.running(master) as session:
                spark.screen(session, queries, against, self.write, self.reporter(queries), self.reporter(against),
                             query_format, registry_format)
        except spark.Unavailable as e:
            raise CommandError(str(e)) from None
        sys.stdout.flush()

    def reporter(self, path: str):
        report = stderr_reporter(path)

        def counted(number: int, reason: str) -> None:
            self.bad_lines += 1
            report(number, reason)
        return counted

    def write(self, row: dict) -> None:
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")

    def progress(self, lines, desc: str):
        return tqdm(lines, desc=desc, unit=" lines", file=sys.stderr, leave=False, mininterval=0.5)


def file_format(path: str, fmt: str) -> str:
    """``fmt``, or with ``auto`` what the file's first non-blank line is (standard input and files on a
    cluster's storage are person lines unless ``--format`` says otherwise)."""
    if fmt != "auto":
        return fmt
    if path == "-" or "://" in path:
        return "jsonl"
    with open_lines(path) as stream:
        first = next((line for line in stream if line.strip()), "")
    return "ftm" if looks_like_ftm(first) else "jsonl"


def looks_like_ftm(text: str) -> bool:
    """Whether a line is a FollowTheMoney entity (a schema and properties) rather than a person line."""
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and "schema" in data and isinstance(data.get("properties"), dict)


def available_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
