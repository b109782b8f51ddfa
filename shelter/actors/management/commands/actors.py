"""``shelter actors import FILE.jsonl --case REFERENCE [--partial]``: actors and their identifiers into a
case (created, and said so, when no case has that reference). All-or-nothing unless ``--partial``;
the command fails when a line was rejected. Messages name line numbers and ids, never names or values."""

import re
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from shelter.audit.log import record
from shelter.exchange import actor_lines
from shelter.exchange.line_report import plural, report
from shelter.records.models import Case
from shelter.security.lockdown import refuse_command

from ...importing import IncidentNotFound, import_actors


class Command(BaseCommand):
    help = "Manage actors from the command line (subcommand: import)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        importing = actions.add_parser("import", help="import actors and their identifiers from a JSON Lines file")
        importing.add_argument("file", metavar="FILE.jsonl")
        importing.add_argument("--case", metavar="REFERENCE", required=True, help="the case to import into (created if none has it)")
        importing.add_argument("--partial", action="store_true", help="import the valid lines even if others are bad")

    def handle(self, *args, action, **options):
        refuse_command(f"actors {action}")
        path = Path(options["file"])
        try:
            with path.open(encoding="utf-8") as handle:
                lines, errors = actor_lines.read(handle)
        except (OSError, UnicodeDecodeError) as e:
            raise CommandError(f"cannot read {path.name}: {e}") from e
        if errors and not options["partial"]:
            raise CommandError(report(errors, "nothing was imported (use --partial to import the valid lines)"))
        if not lines:
            raise CommandError(report(errors, "no actor to import") if errors else "the file holds no actors")
        stream = getattr(self.stderr, "_out", sys.stderr)
        try:
            with transaction.atomic():
                case, created = self.case(options["case"])
                with tqdm(total=len(lines), desc="Importing", unit="actor", file=stream, leave=False) as bar:
                    result = import_actors(case, lines, progress=bar.update)
                record("cli", "import", case, what="actors", lines=len(lines) + len(errors),
                       created=result.created, updated=result.updated, rejected=len(errors))
        except IncidentNotFound as e:
            raise CommandError(f"{e}; nothing was imported") from e
        if created:
            self.stdout.write(f"Case {case.reference} did not exist: created.")
        self.stdout.write(f"Case {case.reference}: {plural(result.created, 'actor')} created, {result.updated} updated.")
        if errors:
            raise CommandError(report(errors, "the other lines were imported"))

    def case(self, reference: str) -> tuple[Case, bool]:
        case = Case.objects.filter(reference=reference.strip()).first()
        if case is not None:
            if case.erased:
                raise CommandError(f"case {case.reference} was crypto-erased: nothing can be imported into it")
            return case, False
        if not re.fullmatch(r"[\w./-]{1,30}", reference.strip()):
            raise CommandError("a case reference has 1 to 30 letters, digits and - _ . /")
        case = Case.objects.create(reference=reference.strip(), title=f"Actors imported into {reference.strip()}")
        record("cli", "create", case)
        return case, True
