"""``shelter publish``: the open incident dataset (``--output DIR``), k-anonymous, as a Frictionless
Data Package with a codebook; or the static site of scorecards, briefs and dataset (``--site DIR``).

The directory is written all at once: everything goes to a new directory beside it that is renamed
into place at the end, so a refused or failed run leaves nothing behind, and an existing directory
with files in it is never written into. Every run is recorded in the audit log with its counts.
"""

import shutil
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from shelter.audit.log import record
from shelter.ops import publishing, site
from shelter.publishing.anonymise import NoSolution
from shelter.publishing.dataset import columns_data, publish
from shelter.publishing.package import DEFAULT_LICENCE, Provenance, write
from shelter.records.models import Incident

LEFT_OUT = {
    "never_publish": "in cases marked 'never publish'",
    "no_consent": "with a targeted person who has not consented to publication",
    "no_target": "with no targeted person",
    "no_year": "with no year",
    "outside_period": "outside the period",
}


def year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise ValueError(text)
    return int(text)


def share(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = "Publish the open incident dataset (k-anonymous Frictionless Data Package) or the static site."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--output", metavar="DIR", help="write the dataset into DIR (new or empty)")
        target.add_argument("--site", metavar="DIR", help="write the static site into DIR (new or empty)")
        parser.add_argument("--k", type=int, default=5, help="every combination of the quasi-identifiers occurs at least k times (default 5)")
        parser.add_argument("--from", dest="from_year", type=year, metavar="YEAR", help="first year of incidents")
        parser.add_argument("--to", dest="to_year", type=year, metavar="YEAR", help="last year of incidents")
        parser.add_argument("--l-diversity", type=int, metavar="L",
                            help="at least L different outcomes in every group (the outcome then stops being a quasi-identifier)")
        parser.add_argument("--max-suppression", type=share, default=0.05, metavar="SHARE",
                            help="largest share of rows that may be left out to reach k (default 0.05)")
        parser.add_argument("--licence", default=DEFAULT_LICENCE, choices=sorted(columns_data()["licences"]))
        parser.add_argument("--publisher", default="Shelter", help="who publishes the data (named in datapackage.json)")

    def handle(self, *args, **options):
        k, l_value = options["k"], options["l_diversity"]
        start, end = options["from_year"], options["to_year"]
        if k < 2:
            raise CommandError("--k must be at least 2: k=1 protects no one")
        if l_value is not None and l_value < 2:
            raise CommandError("--l-diversity must be at least 2")
        if start and end and start > end:
            raise CommandError(f"--from {start} is after --to {end}")
        target = Path(options["output"] or options["site"])
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise CommandError(f"{target} exists and is not an empty directory: choose a new one (nothing was written)")

        selection = self.select(start, end)
        if not selection.facts:
            left = ", ".join(f"{n} {LEFT_OUT[why]}" for why, n in selection.left_out.items() if n) or "there are none"
            raise CommandError(f"no incident to publish ({left}); nothing was written")
        try:
            publication = publish(selection.facts, k, max_suppression=options["max_suppression"], l_diversity=l_value)
        except NoSolution as e:
            raise CommandError(f"cannot reach k={k}: {e}. Try a smaller --k, a longer period or a larger --max-suppression") from e
        provenance = Provenance(
            publisher=options["publisher"], created=timezone.now().replace(microsecond=0).isoformat(),
            licence=options["licence"], period=(start, end),
        )
        if options["site"]:
            written = {}
            self.write_all(target, lambda directory: written.update(
                site.write_site(directory, publication, provenance, k, start, end)))
        else:
            written = None
            self.write_all(target, lambda directory: write(publication, provenance, directory))

        report = publication.report
        record("cli", "publish", site=bool(options["site"]), k=k, l_diversity=l_value, rows=report["rows_out"], rows_named=report["rows_named"],
               rows_suppressed=report["rows_suppressed"], **{f"left_out_{why}": n for why, n in selection.left_out.items()})
        self.summarise(target, publication, selection)
        if written is not None:
            self.stderr.write(f"The site holds {written['scorecards']} scorecards and their briefs, in English and Russian "
                              f"({written['period'][0]}–{written['period'][1]}), and the dataset in data/. Open {target / 'index.html'}.")

    def select(self, start, end):
        stream = getattr(self.stderr, "_out", sys.stderr)  # the raw stream: tqdm redraws with \r
        with tqdm(total=Incident.objects.count(), desc="Reading incidents", unit="incident", file=stream,
                  leave=False, disable=not stream.isatty()) as bar:
            return publishing.select(start, end, progress=bar.update)

    def write_all(self, target: Path, fill):
        """Fill a new directory beside ``target``, then move it into place."""
        parent = target.resolve().parent
        if not parent.is_dir():
            raise CommandError(f"{parent} does not exist (nothing was written)")
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=parent))
        try:
            fill(staging)
            staging.chmod(0o755)
            if target.exists():
                target.rmdir()  # empty, checked above
            staging.rename(target)
        except OSError as e:
            raise CommandError(f"cannot write {target} ({e.strerror}); nothing was written") from e
        finally:
            if staging.exists():
                shutil.rmtree(staging)

    def summarise(self, target, publication, selection):
        report = publication.report
        levels = ", ".join(f"{q}: {v['level_name']}" for q, v in report["quasi_identifiers"].items())
        lines = [
            f"Published {report['rows_out']} incidents (k={publication.k}) to {target}.",
            f"Generalised: {levels}.",
            f"Suppressed {report['rows_suppressed']} rows; {report['share_changed']:.1%} of quasi-identifier cells changed.",
        ]
        if report["rows_named"]:
            lines.append(f"{report['rows_named']} incidents at full detail by consent (incidents-named.csv).")
        for why, n in selection.left_out.items():
            if n:
                lines.append(f"Left out {n} incidents {LEFT_OUT[why]}.")
        self.stderr.write("\n".join(lines))
