"""``shelter import``: incidents from a spreadsheet (CSV or XLSX) into one case.

Every row is validated first (see shelter.exchange.rows); bad rows are reported by number and
reason, never by content. Nothing is imported if any row is bad, unless --partial. A row that
repeats an incident already in the case, or an earlier row of the file, is refused as a duplicate,
so importing the same file twice creates nothing the second time.
"""

import hashlib
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from shelter import thesaurus
from shelter.audit.log import record
from shelter.exchange import mapping as mappings
from shelter.exchange import rows, tables
from shelter.ops.incident_import import import_incidents
from shelter.ops.bulk import BATCH, batches
from shelter.records import sealing
from shelter.records.models import Case, Complicity, Incident, Outcome, Term
from shelter.security.lockdown import refuse_command


def import_limits() -> tables.Limits:
    return tables.Limits(max_bytes=settings.SHELTER_IMPORT_MAX_BYTES, max_unpacked_bytes=10 * settings.SHELTER_IMPORT_MAX_BYTES,
                         max_rows=settings.SHELTER_IMPORT_MAX_ROWS)


class Command(BaseCommand):
    help = "Import incidents from a CSV or XLSX file into a case, using a column-mapping file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .csv or .xlsx file")
        parser.add_argument("--mapping", required=True, help="the column-mapping file (JSON, see docs/import-mapping.md)")
        parser.add_argument("--case", required=True, metavar="REFERENCE", help="the case the incidents belong to")
        parser.add_argument("--partial", action="store_true", help="import the good rows even if some are bad")
        parser.add_argument("--dry-run", action="store_true", help="check every row, import nothing")

    def handle(self, *args, **options):
        if not options["dry_run"]:
            refuse_command("import")
        mapping = load_mapping(Path(options["mapping"]))
        case = find_case(options["case"])
        path = Path(options["file"])
        # Two passes, so that memory stays bounded whatever the file's length: every row is checked
        # first (only the problems and a digest per row are kept), then the file is read again and
        # imported a batch at a time, in one transaction.
        checked = self.check_rows(path, mapping, case)
        for number, reason in checked.problems:
            self.stderr.write(f"row {number}: {reason}")
        failed_rows = len({number for number, _ in checked.problems})
        importing = not options["dry_run"] and (options["partial"] or not checked.problems)
        started = time.monotonic()
        with transaction.atomic():
            imported = self.save(path, mapping, case, checked) if importing else 0
            record("cli", "import", case, rows=checked.rows, imported=imported, failed=failed_rows,
                   dry_run=bool(options["dry_run"]))
        rate = imported / max(time.monotonic() - started, 1e-6)
        self.report(case, checked.valid, imported, failed_rows, rate, options)

    @contextmanager
    def table(self, path: Path, mapping):
        """The file's rows, each with the mapping's raw values; a fault in the file is a CommandError."""
        try:
            with tables.open_table(path, mapping.delimiter, mapping.sheet, import_limits()) as table:
                positions = rows.column_positions(mapping, table.headers)
                yield self.raw_rows(table, mapping, positions)
        except (tables.TableError, mappings.MappingError) as e:
            raise CommandError(str(e)) from e

    @staticmethod
    def raw_rows(table, mapping, positions):
        for row in table.rows:
            reason = rows.cell_count_problem(row.cells, len(table.headers))
            yield row.number, reason or rows.raw_values(mapping, positions, row.cells)

    def check_rows(self, path: Path, mapping, case) -> "Checked":  # not check(): Django's system checks
        existing = existing_incident_keys(case)
        checked = Checked(current_vocabulary())
        with self.table(path, mapping) as table:
            for number, raw in self.progress(table, "Checking"):
                checked.rows += 1
                if isinstance(raw, str):
                    checked.problems.append((number, raw))
                    continue
                result = rows.build_incident(raw, mapping, checked.vocabulary)
                if isinstance(result, list):
                    checked.problems.extend((number, reason) for reason in result)
                    continue
                key = key_digest(result.duplicate_key())
                if key in existing:
                    checked.problems.append((number, f"duplicate of an incident already in case {case.reference}"))
                elif key in checked.first_row_of:
                    checked.problems.append((number, f"duplicate of row {checked.first_row_of[key]}"))
                else:
                    checked.first_row_of[key] = number
        if not checked.rows:
            raise CommandError("the file has a header row but no data rows")
        return checked

    def save(self, path: Path, mapping, case, checked: "Checked") -> int:
        with self.table(path, mapping) as table, self.progress(total=checked.valid, desc="Importing") as bar:
            imported = import_incidents(case, self.valid_records(table, mapping, checked), progress=bar.update)
        if imported != checked.valid:
            raise CommandError("the file changed while it was imported: nothing was imported")
        return imported

    @staticmethod
    def valid_records(table, mapping, checked: "Checked"):
        """The rows the check found good, read again. A row that reads differently now (the file
        changed since it was checked) stops the import, which its transaction then undoes."""
        for number, raw in table:
            result = raw if isinstance(raw, str) else rows.build_incident(raw, mapping, checked.vocabulary)
            if isinstance(result, rows.IncidentRecord) and checked.first_row_of.get(key_digest(result.duplicate_key())) == number:
                yield result
            elif number not in checked.rejected:
                raise CommandError(f"row {number} changed while the file was imported: nothing was imported")

    def progress(self, iterable=None, desc="", total=None):
        return tqdm(iterable, total=total, desc=desc, unit="row", file=self.stderr._out, disable=None, leave=False)

    def report(self, case, valid, imported, failed_rows, rate, options):
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {valid} rows would be imported into {case.reference}, {failed_rows} refused.")
        elif imported:
            self.stdout.write(f"Imported {imported} incidents into {case.reference} ({rate:,.0f} incidents/s).")
        if failed_rows and not options["partial"] and not options["dry_run"]:
            raise CommandError(f"{failed_rows} rows refused: nothing was imported (use --partial to import the others)")
        if failed_rows:
            raise CommandError(f"{failed_rows} rows refused")


@dataclass
class Checked:
    """What the check of a file keeps: the codes its rows were checked against (the import reads them
    with the same), its count of rows, the problems, and for each good row a digest of its duplicate
    key (16 bytes, not the row: memory stays small at millions of rows)."""

    vocabulary: rows.Vocabulary
    rows: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)
    first_row_of: dict[bytes, int] = field(default_factory=dict)

    @property
    def valid(self) -> int:
        return len(self.first_row_of)

    @cached_property
    def rejected(self) -> set[int]:
        return {number for number, _ in self.problems}


def key_digest(key: tuple) -> bytes:
    return hashlib.blake2b(repr(key).encode(), digest_size=16).digest()


def load_mapping(path: Path) -> mappings.Mapping:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise CommandError(f"cannot read the mapping file {path}") from e
    try:
        return mappings.parse(text)
    except mappings.MappingError as e:
        raise CommandError(str(e)) from e


def find_case(reference: str) -> Case:
    case = Case.objects.filter(reference=reference).first()
    if case is None:
        raise CommandError(f"no case with reference {reference}")
    if case.erased:
        raise CommandError(f"case {reference} was crypto-erased: nothing can be added to it")
    return case


def current_vocabulary() -> rows.Vocabulary:
    return rows.Vocabulary(
        tactics=frozenset(Term.objects.filter(thesaurus="tactics").values_list("code", flat=True)),
        accusations=frozenset(thesaurus.codes("accusations")),
        outcomes=frozenset(Outcome.values),
        complicity=frozenset(Complicity.values),
    )


def existing_incident_keys(case) -> set[bytes]:
    """Digests of the duplicate keys of the case's incidents, from their decrypted titles (only the
    titles: narratives stay sealed), a batch of incidents at a time."""
    keys = set()
    incidents = Incident.objects.filter(case=case).only("case", "date", "origin_state", "host_state", "title").order_by()
    with sealing.scope(reveal=True):  # the case key is unwrapped once
        for chunk in batches(incidents.iterator(chunk_size=BATCH), BATCH):
            tactics = {}
            tagged = Incident.tactics.through.objects.filter(incident_id__in=[i.pk for i in chunk])
            for incident_id, code in tagged.values_list("incident_id", "term__code"):
                tactics.setdefault(incident_id, []).append(code)
            keys.update(key_digest(rows.duplicate_key(i.date, i.origin_state, i.host_state, tactics.get(i.pk, ()), i.title))
                        for i in chunk)
    return keys
