"""`shelter triage FILE... [--json] [--stix OUT.stix2] [--case REF]`: what a suspicious message or file
does, offline.

Nothing is fetched: each file is parsed in a child process with a time and a memory limit, and links are
judged by what they say. Values are shown defanged (hxxps://example[.]com). Without --case nothing is
stored; with it, each file is kept encrypted as the case's evidence with its triage (and audited).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shelter.artefacts import triage
from shelter.digital import dkimcheck, stix
from shelter.records.models import Case


class Command(BaseCommand):
    help = "Triage suspicious messages (.eml) and files offline: findings, indicators and a verdict."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--json", action="store_true", help="print a JSON array, one object per message or file")
        parser.add_argument("--stix", metavar="OUT.stix2", help="write the indicators as a STIX 2.1 bundle MVT reads")
        parser.add_argument("--seconds", type=float, default=60, help="time limit per file (default 60)")
        parser.add_argument("--case", metavar="REF", help="keep each file as this case's evidence, with its triage")
        parser.add_argument("--dkim-keys", metavar="FILE",
                            help="DKIM keys as DNS TXT records (selector._domainkey.domain TXT \"v=DKIM1; ...\"): signatures are verified offline")

    def handle(self, *args, **options):
        missing = [f for f in options["files"] if not Path(f).is_file()]
        if missing:
            raise CommandError(f"not a readable file: {missing[0]}")
        if options["stix"] and not options["stix"].endswith(".stix2"):
            raise CommandError("the STIX file's name must end in .stix2, as MVT expects")
        keys = None
        if options["dkim_keys"]:
            try:
                keys = dkimcheck.read_keys(Path(options["dkim_keys"]).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, dkimcheck.KeyFileError) as e:
                raise CommandError(f"cannot read the DKIM keys: {e}") from e
        case = None
        if options["case"]:
            case = Case.objects.filter(reference=options["case"]).first()
            if case is None:
                raise CommandError(f"no case with the reference {options['case']}")
        reports = []
        for name in options["files"]:
            path = Path(name)
            if case is None:
                reports += triage.analyse_path_isolated(path, seconds=options["seconds"], dkim_keys=keys)
                continue
            try:
                artefact = triage.triage_into_case(case, path.name, path.read_bytes(), "cli")
            except triage.AlreadyStored as e:
                raise CommandError(f"{path.name}: {e}") from e
            reports += [{**r, "artefact": str(artefact.pk)} for r in triage.reports_of(artefact)]
        if options["stix"]:
            Path(options["stix"]).write_text(json.dumps(stix.of_reports(reports, "Shelter triage"), indent=2), encoding="utf-8")
        for report in reports:
            report.pop("raw_indicators")
            report.pop("traits", None)
        if options["json"]:
            self.stdout.write(json.dumps(reports, ensure_ascii=False, indent=2))
            return
        for report in reports:
            self.stdout.write(f"{report['file']}: {report['verdict']} (score {report['score']})"
                              + (f" — likely after {', '.join(report['likely_goal'])}" if report["likely_goal"] else ""))
            for finding in report["findings"]:
                self.stdout.write(f"  [{finding['severity']}] {finding['summary']}")
                self.stdout.write(f"      {finding['evidence']}")
