"""``shelter match pairs FILE.jsonl``: score pairs of persons, one JSON line out per line in.

Input lines: ``{"id": ..., "a": PERSON, "b": PERSON}``; PERSON is ``{"name", "birth_date"?, "nationality"?,
"gender"?}`` (other keys ignored). Output lines: ``{"id": ..., "score": 0..1, "match": bool}``, ``match``
meaning score ≥ the documented threshold; a bad line gives ``{"id": ..., "error": reason}`` and a message
with its line number on standard error. Exit status: 0 all lines scored, 1 some lines failed, 2 the file
could not be read. ``-`` reads standard input.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from shelter.matching import batch
from shelter.matching.score import THRESHOLD

from shelter.screening.line_files import open_lines, stderr_reporter


class Command(BaseCommand):
    help = f"Score pairs of persons (subcommand: pairs). A pair matches at score ≥ {THRESHOLD}."
    requires_system_checks = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        pairs = actions.add_parser("pairs", help="score the pairs of a JSON Lines file")
        pairs.add_argument("file", metavar="FILE.jsonl", help="JSON Lines file, or - for standard input")

    def handle(self, *args, action, file, **options):
        out = sys.stdout

        def write(row):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")

        with open_lines(file) as stream:
            failed = batch.match_pairs(stream, write, stderr_reporter(file))
        out.flush()
        if failed:
            raise CommandError(f"{failed} line(s) could not be scored", returncode=1)
