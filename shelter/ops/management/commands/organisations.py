"""``shelter organisations import FILE [--dataset NAME] [--json] [--dry-run]``.

Organisations from a FollowTheMoney entity file — one entity a line, as OpenSanctions publishes its
``entities.ftm.json`` (the US Consolidated Screening List, the EU's financial sanctions…) — with the
topics that say whether each is on a sanctions or export-restriction list. Organisations, public
bodies, companies and legal entities are imported; other schemata (persons, vessels, sanctions,
addresses…) are skipped and counted. Re-importing updates instead of duplicating.

All or nothing: the file is read as a stream and written in batches inside one transaction, and any
bad line rolls the whole import back. Exit status: 0 imported (or, with ``--dry-run``, would be);
1 some lines were bad (each reported as ``line N: reason``; nothing stored); 2 the file could not be
read or holds no organisation. Messages name line numbers and entity ids, never names.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from shelter.audit.log import record
from shelter.exchange import ftm_organisations
from shelter.exchange.line_report import MAX_REASONS_SHOWN, LineError, report
from shelter.ops.organisation_import import Importer
from shelter.security.lockdown import refuse_command


class Command(BaseCommand):
    help = "Manage organisations from the command line (subcommand: import)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        importing = actions.add_parser(
            "import", help="import organisations from a FollowTheMoney entity file (JSON lines, e.g. OpenSanctions' entities.ftm.json)")
        importing.add_argument("file", metavar="FILE")
        importing.add_argument("--dataset", metavar="NAME",
                               help="import only the entities of this dataset (e.g. us_trade_csl); lines naming no "
                                    "datasets are taken to be of it")
        importing.add_argument("--json", action="store_true", help="write the summary as one JSON object")
        importing.add_argument("--dry-run", action="store_true", help="check every line and count, store nothing")

    def handle(self, *args, action, **options):
        if action == "import":
            self.import_file(Path(options["file"]), options.get("dataset"), options["json"], options["dry_run"])

    def import_file(self, path: Path, dataset: str | None, as_json: bool, dry_run: bool):
        if not dry_run:
            refuse_command("organisations import")
        if dataset is not None and not ftm_organisations.DATASET.fullmatch(dataset):
            raise CommandError("--dataset: a dataset name has 1 to 100 letters, digits and _ . -", returncode=2)
        try:
            handle = path.open("rb")
            size = path.stat().st_size
        except OSError as e:
            raise CommandError(f"cannot read the file: {e.strerror}", returncode=2) from e
        errors: list[LineError] = []
        lines = 0
        importer = Importer(write=not dry_run)
        try:
            with transaction.atomic():
                with handle, self.progress(size) as bar:
                    for item in ftm_organisations.read(counted(ftm_organisations.bounded_lines(handle), bar), dataset):
                        lines += 1
                        if isinstance(item, LineError):
                            errors.append(item)
                            importer.write = False  # the transaction is rolled back: no use writing more
                        elif isinstance(item, ftm_organisations.Skipped):
                            if item.other_dataset:
                                importer.result.other_dataset += 1
                            else:
                                importer.result.skipped[item.schema] += 1
                        else:
                            importer.add(item)
                    result = importer.finish()
                summary = {"lines": lines, **result.as_dict(), "dataset": dataset, "dry_run": dry_run}
                if errors:
                    raise Refused
                if not (result.created or result.updated or result.unchanged):
                    raise Empty
                record("cli", "import", object_type="organisation", what="organisations", **summary)
        except Refused:
            self.refuse(errors, summary, as_json)
        except Empty:
            self.finish(summary, as_json)
            raise CommandError("the file holds no organisation to import"
                               + (f" of dataset {dataset}" if dataset else ""), returncode=2) from None
        self.finish(summary, as_json)

    def refuse(self, errors: list[LineError], summary: dict, as_json: bool):
        if as_json:
            shown = [{"line": e.line, "reason": e.reason} for e in errors[:MAX_REASONS_SHOWN]]
            self.stdout.write(json.dumps({"imported": False, "rejected": len(errors), "errors": shown,
                                          "dry_run": summary["dry_run"]}, ensure_ascii=False))
        conclusion = "the file would not be imported" if summary["dry_run"] else "nothing was imported"
        raise CommandError(report(errors, conclusion), returncode=1)

    def finish(self, summary: dict, as_json: bool):
        if as_json:
            self.stdout.write(json.dumps({"imported": not summary["dry_run"], **summary}, ensure_ascii=False))
            return
        skipped = ", ".join(f"{n} {schema}" for schema, n in summary["skipped_schemata"].items())
        lead = "Dry run, nothing stored: organisations would be" if summary["dry_run"] else "Organisations:"
        text = (f"{lead} {summary['created']} created, {summary['updated']} updated, {summary['unchanged']} unchanged "
                f"({summary['restricted']} on a sanctions or export-restriction list); "
                f"{summary['skipped']} {'entity' if summary['skipped'] == 1 else 'entities'} of other schemata skipped" + (f" ({skipped})" if skipped else "")
                + (f"; {summary['other_dataset']} of other datasets skipped" if summary["dataset"] else "") + ".")
        if summary["aliases_capped"]:
            text += f" {summary['aliases_capped']} had more than {ftm_organisations.MAX_ALIASES} aliases: the first were kept."
        self.stdout.write(text)

    def progress(self, size: int):
        stream = getattr(self.stderr, "_out", sys.stderr)  # the raw stream: tqdm redraws with \r
        return tqdm(total=size, desc="Importing", unit="B", unit_scale=True, file=stream, leave=False, mininterval=0.5)


class Refused(Exception):
    """Some lines were bad: leave the transaction, rolling everything back."""


class Empty(Exception):
    """No organisation in the file: nothing to record."""


def counted(lines, bar):
    for line in lines:
        bar.update(len(line))
        yield line
