"""``shelter import``: incidents from a spreadsheet (CSV or XLSX) into one case.

Every row is validated first (see shelter.exchange.rows); bad rows are reported by number and
reason, never by content. Nothing is imported if any row is bad, unless --partial. A row that
repeats an incident already in the case, or an earlier row of the file, is refused as a duplicate,
so importing the same file twice creates nothing the second time.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from shelter import thesaurus
from shelter.audit.log import record
from shelter.exchange import mapping as mappings
from shelter.exchange import rows, tables
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
        try:
            table = tables.read_table(Path(options["file"]), mapping.delimiter, mapping.sheet, import_limits())
            positions = rows.column_positions(mapping, table.headers)
        except (tables.TableError, mappings.MappingError) as e:
            raise CommandError(str(e)) from e
        if not table.rows:
            raise CommandError("the file has a header row but no data rows")

        records, problems = self.validate(table, mapping, positions, case)
        for number, reason in problems:
            self.stderr.write(f"row {number}: {reason}")
        failed_rows = len({number for number, _ in problems})
        importing = not options["dry_run"] and (options["partial"] or not problems)
        imported = self.save(case, records) if importing else 0

        record(
            "cli",
            "import",
            case,
            rows=len(table.rows),
            imported=imported,
            failed=failed_rows,
            dry_run=bool(options["dry_run"]),
        )
        self.report(case, records, imported, failed_rows, options)

    def validate(self, table, mapping, positions, case):
        vocabulary = current_vocabulary()
        seen = existing_incident_keys(case)
        first_row_of = {}
        records, problems = [], []
        for row in tqdm(table.rows, desc="checking rows", unit="row", file=self.stderr._out, disable=None):
            if reason := rows.cell_count_problem(row.cells, len(table.headers)):
                problems.append((row.number, reason))
                continue
            result = rows.build_incident(rows.raw_values(mapping, positions, row.cells), mapping, vocabulary)
            if isinstance(result, list):
                problems.extend((row.number, reason) for reason in result)
                continue
            key = result.duplicate_key()
            if key in seen:
                problems.append((row.number, f"duplicate of an incident already in case {case.reference}"))
            elif key in first_row_of:
                problems.append((row.number, f"duplicate of row {first_row_of[key]}"))
            else:
                first_row_of[key] = row.number
                records.append(result)
        return records, problems

    def save(self, case, records) -> int:
        tactics = {term.code: term for term in Term.objects.filter(thesaurus="tactics")}
        with transaction.atomic():
            for incident_record in tqdm(records, desc="importing", unit="incident", file=self.stderr._out, disable=None):
                incident = Incident.objects.create(
                    case=case,
                    title=incident_record.title,
                    date=incident_record.date,
                    origin_state=incident_record.origin_state,
                    host_state=incident_record.host_state,
                    place=incident_record.place,
                    narrative=incident_record.narrative,
                    outcome=incident_record.outcome,
                    host_complicity=incident_record.host_complicity,
                    people_targeted=incident_record.people_targeted,
                    accusation=incident_record.accusation,
                )
                incident.tactics.set([tactics[code] for code in incident_record.tactics])
        return len(records)

    def report(self, case, records, imported, failed_rows, options):
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {len(records)} rows would be imported into {case.reference}, {failed_rows} refused.")
        elif imported:
            self.stdout.write(f"Imported {imported} incidents into {case.reference}.")
        if failed_rows and not options["partial"] and not options["dry_run"]:
            raise CommandError(f"{failed_rows} rows refused: nothing was imported (use --partial to import the others)")
        if failed_rows:
            raise CommandError(f"{failed_rows} rows refused")


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


def existing_incident_keys(case) -> set[tuple]:
    """Duplicate keys of the case's incidents, computed on decrypted titles."""
    return {
        rows.duplicate_key(i.date, i.origin_state, i.host_state, [t.code for t in i.tactics.all()], i.title)
        for i in Incident.objects.filter(case=case).prefetch_related("tactics")
    }
