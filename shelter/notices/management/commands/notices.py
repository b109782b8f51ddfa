"""``shelter notices``: Red Notices and other requests from the command line.

    shelter notices import interpol FILE       an Interpol API response (a list or one notice)
    shelter notices import opensanctions FILE  OpenSanctions FollowTheMoney JSON lines
    shelter notices fetch [--nationality CC ...] [--warrant-country CC ...] [--name NAME]
                                               Interpol's public Red Notices, live, split under the
                                               API's cap of 160 results per query (shelter.notices.sources.fetch);
                                               a complete fetch by --nationality marks the notices of
                                               that nationality it no longer returns as withdrawn
    shelter notices screen [REF ...]           screen stored notices against the registry again
    shelter notices assess REF                 the signs of abuse in one notice, with their citations

Every action takes ``--json`` (one JSON object on standard output) and ``--user USERNAME`` (whose
name the import is audited in). Imports are idempotent by the source's identifier and keep every
earlier version. Exit status: 0 everything was read, 1 some records were bad (each reported with
its position and reason, the good ones imported), 2 the file could not be read (nothing imported).
"""

import contextlib
import json
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from shelter import countries
from shelter.audit.log import record
from shelter.notices import abuse, importing, triage
from shelter.notices.models import Notice, RequestKind, RequestSource
from shelter.notices.sources import fetch, files
from shelter.records.lookup import acting_user
from shelter.security.lockdown import refuse_command

SOURCES = {"interpol": RequestSource.INTERPOL, "opensanctions": RequestSource.OPENSANCTIONS}


class Command(BaseCommand):
    help = "Import, fetch, screen and assess Red Notices and other requests."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        importer = actions.add_parser("import", help="import a file of notices")
        importer.add_argument("format", choices=files.FORMATS)
        importer.add_argument("files", nargs="+", metavar="FILE")
        fetcher = actions.add_parser("fetch", help="fetch Interpol's public Red Notices")
        fetcher.add_argument("--nationality", action="append", metavar="CC", help="ISO code; repeat for several")
        fetcher.add_argument("--warrant-country", action="append", metavar="CC", help="ISO code; repeat for several")
        fetcher.add_argument("--name", default="", help="surname to search for")
        fetcher.add_argument("--forename", default="", help="forename to search for")
        fetcher.add_argument("--base-url", default=fetch.API_ROOT, help=f"the API (default {fetch.API_ROOT})")
        fetcher.add_argument("--min-interval", type=float, default=1.0, metavar="SECONDS",
                             help="wait at least this long between requests (default 1)")
        screen = actions.add_parser("screen", help="screen stored notices against the registry again")
        screen.add_argument("refs", nargs="*", metavar="REF", help="notice references (default: all)")
        assess = actions.add_parser("assess", help="the signs of abuse in one notice or request")
        assess.add_argument("ref", metavar="REF", help="the notice's reference (e.g. 2026/12345) or id")
        for sub in (importer, fetcher, screen, assess):
            sub.add_argument("--json", action="store_true", help="write the result as JSON")
            sub.add_argument("--user", metavar="USERNAME", help="audit the action in this user's name")

    def handle(self, *args, action, **options):
        self.as_json = options["json"]
        user = acting_user(options.get("user"))
        if action == "assess":
            return self.assess(options["ref"], user)
        refuse_command(f"notices {action}")
        if action == "import":
            self.import_files(options["format"], options["files"], user)
        elif action == "fetch":
            self.fetch(options, user)
        elif action == "screen":
            self.screen(options["refs"])

    def import_files(self, fmt: str, paths: list[str], user):
        """Every file is read before any is stored: one unreadable file imports nothing."""
        try:
            batches = [(path, *files.read_file(path, fmt)) for path in paths]
        except files.UnreadableFile as e:
            raise CommandError(str(e), returncode=2) from None
        result = {"created": 0, "updated": 0, "unchanged": 0, "errors": [], "alerts": []}
        errors = []
        for path, notices, parse_errors in batches:
            with self.bars() as bar:
                report = importing.import_notices(notices, source=SOURCES[fmt], kind=RequestKind.RED_NOTICE,
                                                  user=user, errors=parse_errors, progress=bar)
            part = report.as_dict()
            for key in ("created", "updated", "unchanged", "alerts"):
                result[key] += part[key]
            # Positions count within each file, so several files name the file too.
            where = (lambda position: position) if len(paths) == 1 else (lambda position: f"{path} #{position}")
            result["errors"] += [{"record": where(e["record"]), "reason": e["reason"]} for e in part["errors"]]
            errors += [(where(position), reason) for position, reason in report.errors]
        self.finish(result, paths[0] if len(paths) == 1 else "import", errors)

    def fetch(self, options: dict, user):
        """Crawl, then store everything in one import: a crawl cut short stores what it fetched."""
        client = fetch.Client(options["base_url"], min_interval=max(0.0, options["min_interval"]))
        try:
            roots = fetch.roots(
                nationalities=upper(options["nationality"]), warrant_countries=upper(options["warrant_country"]),
                name=options["name"], forename=options["forename"],
            )
            crawler = fetch.Crawler(client, roots)
        except ValueError as e:
            raise CommandError(str(e), returncode=2) from None
        with self.progress_bar() as bar:
            crawler.progress = follow(bar)
            notices = list(crawler)
        result = crawler.result
        with self.bars() as bar:
            report = importing.import_notices(notices, source=RequestSource.INTERPOL, kind=RequestKind.RED_NOTICE,
                                              user=user, progress=bar)
        # Gone from a complete fetch of its nationality: deleted, most likely, the outcome lawyers wait for.
        complete = result.complete_for(roots)
        withdrawn = importing.withdraw_unlisted(complete, result.listed, user)
        errors = [(f"{e.query.describe()} #{e.position}", e.reason) for e in result.errors]
        outcome = report.as_dict()
        outcome.update({
            "complete_for": sorted(complete), "withdrawn": withdrawn,
            "queries": len(result.queries),
            "incomplete": [{"query": i.query.describe(), "total": i.total, "missed": i.missed, "reason": i.reason}
                           for i in result.incomplete],
            "aborted": result.aborted,
            "errors": [{"record": where, "reason": reason} for where, reason in errors],
        })
        for item in outcome["incomplete"]:
            sys.stderr.write(f"incomplete: {item['query']}: {item['missed']} of {item['total']} not fetched ({item['reason']})\n")
        if result.aborted:
            sys.stderr.write(f"stopped early: {result.aborted}\n")
        problems = errors + [("incomplete", "")] * len(result.incomplete) + ([("aborted", "")] if result.aborted else [])
        self.finish(outcome, options["base_url"], errors, failed=len(problems))

    @contextlib.contextmanager
    def bars(self):
        """A progress bar per stage of an import, on standard error; closed however the import ends."""
        opened = []

        def bar(stage: str, total: int):
            opened.append(tqdm(total=total, desc=stage, unit=" notices", file=sys.stderr, leave=False, mininterval=0.5))
            return opened[-1].update
        try:
            yield bar
        finally:
            for each in opened:
                each.close()

    def progress_bar(self):
        return tqdm(desc="Fetching notices", unit=" notices", file=sys.stderr, leave=False, mininterval=0.5)

    def screen(self, refs: list[str]):
        notices = Notice.objects.all()
        if refs:
            missing = [ref for ref in refs if not Notice.objects.with_reference(ref).exists()]
            if missing:
                raise CommandError(f"no notice {', '.join(sorted(missing))}", returncode=2)
            notices = Notice.objects.filter(pk__in=[n.pk for ref in refs for n in Notice.objects.with_reference(ref)])
        raised = []
        for notice in notices.iterator():
            raised.extend(triage.screen_notice(notice))
        self.finish({"screened": notices.count(), "alerts": [triage.alert_summary(a) for a in raised]}, "", [])

    def assess(self, ref: str, user):
        """Read-only, so a lockdown does not stop it; audited, as it reads the subject's records."""
        notice = find_notice(ref)
        subject = abuse.notice_subject(notice)
        result = {"notice": notice.source_id, "kind": notice.kind, "requesting_state": notice.requesting_state,
                  "subject": str(subject.pk) if subject else None, **abuse.indicators(notice, subject)}
        record(user or "cli", "assess_notice", notice, level=result["level"],
               indicators=[i["id"] for i in result["indicators"]])
        if self.as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{notice}: {result['level']} signs of abuse (score {result['score']}, rules {result['rules_version']})")
        for indicator in result["indicators"]:
            self.stdout.write(f"  + {indicator['weight']}  {indicator['label']['en']}")
            for line in indicator["evidence"]:
                self.stdout.write(f"      {line['en']}")
            for citation in indicator["citations"]:
                self.stdout.write(f"      cites: {citation}")
        for advice in result["recommendations"]:
            self.stdout.write(f"  → {advice['text']['en']}")

    def finish(self, result: dict, path: str, errors: list, failed: int | None = None):
        for position, reason in errors:
            sys.stderr.write(f"{path}: record {position}: {reason}\n")
        if self.as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(summary(result))
        if failed if failed is not None else errors:
            raise CommandError(f"{failed or len(errors)} record(s) or queries failed; the rest was imported", returncode=1)


def summary(result: dict) -> str:
    counts = ", ".join(f"{key} {result[key]}" for key in ("created", "updated", "unchanged", "screened") if key in result)
    lines = [f"Notices: {counts}; alerts: {len(result['alerts'])}."]
    if result.get("complete_for"):
        lines.append(f"Complete for {', '.join(result['complete_for'])}: {result['withdrawn']} notice(s) no longer listed, "
                     "marked withdrawn from the public list.")
    lines += [f"  alert {a['alert']}: notice {a['notice']} ~ person {a['person']} ({a['case']}), score {a['score']}"
              for a in result["alerts"]]
    return "\n".join(lines)


def find_notice(ref: str) -> Notice:
    notice = Notice.objects.with_reference(ref).order_by("source").first()
    if notice is None:
        try:
            notice = Notice.objects.filter(pk=ref).first()
        except (ValueError, ValidationError):
            notice = None
    if notice is None:
        raise CommandError(f"no notice {ref!r}", returncode=2)
    return notice


def upper(codes):
    """ISO codes as the API takes them; an unknown one is refused before anything is asked."""
    if not codes:
        return None
    cleaned = tuple(code.strip().upper() for code in codes)
    unknown = [code for code in cleaned if not countries.is_country(code)]
    if unknown:
        raise CommandError(f"not an ISO 3166-1 country code: {', '.join(unknown)}", returncode=2)
    return cleaned


def follow(bar):
    """A crawl's progress on a tqdm bar: notices fetched out of those listed so far."""
    def update(progress: fetch.Progress) -> None:
        bar.total = progress.listed
        bar.update(progress.fetched - bar.n)
    return update
