"""``shelter persons import FILE.jsonl [--case REFERENCE] [--partial]``.

All-or-nothing by default: one bad line and nothing is imported. With ``--partial`` the valid lines
are imported and the bad ones reported. Either way the command fails (non-zero exit) when a line
was rejected. Messages name line numbers and ids, never names or other identity data.
"""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from shelter.audit.log import record
from shelter import matching
from shelter.exchange import person_lines
from shelter.exchange.line_report import plural, report
from shelter.ops.person_import import import_persons
from shelter.records import sealing
from shelter.records.models import Case
from shelter.security.lockdown import refuse_command

FILE_DOMAIN = "persons-import-file"


class Command(BaseCommand):
    help = "Manage persons from the command line (subcommand: import)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        importing = actions.add_parser("import", help="import persons from a JSON Lines file")
        importing.add_argument("file", metavar="FILE.jsonl")
        importing.add_argument("--case", metavar="REFERENCE", help="the case to import into (default: the case an earlier "
                                                                   "import of a file of this name made, else a new one)")
        importing.add_argument("--partial", action="store_true", help="import the valid lines even if others are bad")

    def handle(self, *args, action, **options):
        refuse_command(f"persons {action}")
        if action == "import":
            self.import_file(Path(options["file"]), options.get("case"), options.get("partial", False))

    # --- import ---------------------------------------------------------------------------------

    def import_file(self, path: Path, reference: str | None, partial: bool):
        # Two passes over the file, so that memory stays bounded whatever its length: every line is
        # checked first (only the errors are kept), then read again and imported a batch at a time.
        valid, errors = self.check_lines(path)
        if errors and not partial:
            raise CommandError(report(errors, "nothing was imported (use --partial to import the valid lines)"))
        if not valid:
            raise CommandError(report(errors, "no person to import") if errors else "the file holds no persons")
        started = time.monotonic()
        with transaction.atomic():
            case = find_case(reference) if reference else case_for_file(path)
            with self.opened(path) as handle, self.progress(valid, "Importing") as bar:
                result = import_persons(case, self.valid_lines(handle, {e.line for e in errors}), progress=bar.update)
            record(
                "cli", "import", case, what="persons", lines=valid + len(errors),
                created=result.created, updated=result.updated, unchanged=result.unchanged, rejected=len(errors),
            )
        rate = valid / max(time.monotonic() - started, 1e-6)
        summary = (
            f"Case {case.reference}: {plural(result.created, 'person')} created, {result.updated} updated, "
            f"{result.unchanged} unchanged ({rate:,.0f} persons/s)."
        )
        if errors:
            raise CommandError(report(errors, f"{summary} {plural(len(errors), 'line')} rejected."))
        self.stdout.write(summary)

    def opened(self, path: Path):
        try:
            return path.open("rb")
        except OSError as e:
            raise CommandError(f"cannot read the file: {e.strerror}") from e

    def check_lines(self, path: Path) -> tuple[int, list]:
        """How many lines are valid, and the errors of the others."""
        valid, errors = 0, []
        with self.opened(path) as handle, self.progress(path.stat().st_size, "Checking", unit="B") as bar:
            for item in checked(counted(handle, bar)):
                if isinstance(item, person_lines.LineError):
                    errors.append(item)
                else:
                    valid += 1
        return valid, errors

    @staticmethod
    def valid_lines(handle, rejected: set):
        """The file's valid lines, read again. A line that turns bad now (the file changed since it
        was checked) stops the import, which its transaction then undoes."""
        for item in checked(handle):
            if isinstance(item, person_lines.LineError):
                if item.line in rejected:
                    continue
                raise CommandError(f"line {item.line}: {item.reason} (the file changed while it was imported; "
                                   "nothing was imported)")
            yield item

    def progress(self, total, desc, unit="person"):
        stream = getattr(self.stderr, "_out", sys.stderr)  # the raw stream: tqdm redraws with \r
        return tqdm(total=total, desc=desc, unit=unit, unit_scale=unit == "B", file=stream, leave=False)


def checked(lines):
    """Person lines and line errors, the matcher's bounds included."""
    for item in person_lines.read(lines):
        if not isinstance(item, person_lines.LineError):
            item = too_big(item) or item
        yield item


def too_big(record) -> person_lines.LineError | None:
    """The matcher's bounds on a person (``shelter.matching.person``), which the file reader cannot
    import: what one person may cost to index and to screen against."""
    if len(record.aliases) > matching.MAX_ALIASES:
        return person_lines.LineError(record.line, f"more than {matching.MAX_ALIASES} aliases")
    for what, text in (("name", record.name), *((f"alias {n}", a) for n, a in enumerate(record.aliases, start=1))):
        try:
            matching.check_size(text)
        except matching.InvalidPerson as e:
            return person_lines.LineError(record.line, f"{what}: {e}" if what != "name" else str(e))
    return None


def counted(lines, bar):
    for line in lines:
        bar.update(len(line))
        yield line


def find_case(reference: str) -> Case:
    case = Case.objects.filter(reference=reference.strip()).first()
    if case is None:
        raise CommandError(f"no case with reference {reference!r}")
    if case.erased:
        raise CommandError(f"case {case.reference} was crypto-erased: nothing can be imported into it")
    return case


def case_for_file(path: Path) -> Case:
    """The case an earlier import of a file of this name created, else a new one titled after it.
    Only a keyed digest of the file name is stored in clear: file names often name people."""
    marker = f"persons-import:{sealing.blind(path.name, FILE_DOMAIN)}"
    case = Case.objects.filter(external_source=marker, wrapped_key__isnull=False).first()
    if case is None:
        case = Case.objects.create(title=f"Persons imported from {path.name}", external_source=marker)
        record("cli", "create", case)
    return case


