"""`shelter triage FILE... [--json] [--stix OUT.stix2] [--case REF] [--online [--dns-server HOST[:PORT]]]`:
what a suspicious message or file does, offline unless --online is given.

Nothing is fetched: each file is parsed in a child process with a time and a memory limit, and links are
judged by what they say. Values are shown defanged (hxxps://example[.]com). Without --case nothing is
stored; with it, each file is kept encrypted as the case's evidence with its triage (and audited).

--online lets the child ask DNS, and nothing else, for the DKIM keys of the message's signatures and the
sender domain's SPF record and DMARC policy (shelter.digital.dnscheck). That reveals: the sender's name
servers may learn that the message is being examined, so it is off by default, warned about on stderr
and recorded in each report ("online": true, the names asked).
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shelter.artefacts import triage
from shelter.digital import dkimcheck, dnscheck, stix
from shelter.records.models import Case


WARNING = ("Warning: --online asks DNS about the sender (DKIM keys, SPF, DMARC). The sender's name servers, "
           "which may be the attacker's, can see these queries and learn that this message is being examined, "
           "and when. Links are never resolved or fetched. Leave --online out to stay offline.")


class Command(BaseCommand):
    help = ("Triage suspicious messages (.eml) and files offline: findings, indicators and a verdict. "
            "With --online, DNS is asked about the sender, which can tell the sender the message is examined.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--json", action="store_true", help="print a JSON array, one object per message or file")
        parser.add_argument("--stix", metavar="OUT.stix2", help="write the indicators as a STIX 2.1 bundle MVT reads")
        parser.add_argument("--seconds", type=float, default=60, help="time limit per file (default 60)")
        parser.add_argument("--case", metavar="REF", help="keep each file as this case's evidence, with its triage")
        parser.add_argument("--dkim-keys", metavar="FILE",
                            help="DKIM keys as DNS TXT records (selector._domainkey.domain TXT \"v=DKIM1; ...\"): signatures are verified offline")
        parser.add_argument("--online", action="store_true",
                            help="REVEALING, off by default: ask DNS for each DKIM signature's key and the sender domain's SPF "
                                 "record and DMARC policy. The sender's (possibly the attacker's) name servers can see the "
                                 "queries and learn the message is being examined. Links are never resolved. Keys given "
                                 "with --dkim-keys are used before DNS")
        parser.add_argument("--dns-server", metavar="HOST[:PORT]",
                            help="with --online: the name server to ask, as an IP address (default: the dns_server setting, "
                                 "SHELTER_DNS_SERVER, or else the system's resolver)")

    def handle(self, *args, **options):
        missing = [f for f in options["files"] if not Path(f).is_file()]
        if missing:
            raise CommandError(f"not a readable file: {missing[0]}")
        if options["stix"] and not options["stix"].endswith(".stix2"):
            raise CommandError("the STIX file's name must end in .stix2, as MVT expects")
        online = None
        if options["dns_server"] and not options["online"]:
            raise CommandError("--dns-server is used only with --online")
        if options["online"]:
            if options["case"]:
                raise CommandError("--online is not used with --case: a case's triage stays offline")
            try:
                online = dnscheck.Online(server=options["dns_server"] or settings.SHELTER_DNS_SERVER)
            except dnscheck.ServerError as e:
                raise CommandError(f"the DNS server: {e}") from e
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
        if online is not None:
            self.stderr.write(WARNING)
        reports = []
        for name in options["files"]:
            path = Path(name)
            if case is None:
                found = triage.analyse_path_isolated(path, seconds=options["seconds"], dkim_keys=keys, online=online)
                reports += [{**r, "online": True} if online is not None else r for r in found]  # also a file the child gave up on
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
            for query in report.get("dns_queries", ()):
                self.stdout.write(f"  DNS asked: {query['name']} {query['type']} ({query['for']}): {query['outcome']}"
                                  + (f", {query['result']}" if query.get("result") else ""))
