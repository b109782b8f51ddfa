"""``shelter notices``: Red Notices and other requests from the command line.

    shelter notices import interpol FILE       an Interpol API response (a list or one notice)
    shelter notices import opensanctions FILE  OpenSanctions FollowTheMoney JSON lines
    shelter notices screen [REF ...]           screen stored notices against the registry again

Every action takes ``--json`` (one JSON object on standard output) and ``--user USERNAME`` (whose
name the import is audited in). Imports are idempotent by the source's identifier and keep every
earlier version. Exit status: 0 everything was read, 1 some records were bad (each reported with
its position and reason, the good ones imported), 2 the file could not be read (nothing imported).
"""

import json
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from shelter.security.lockdown import refuse_command
from shelter.wanted import alerts, importing, reading
from shelter.wanted.models import Notice, RequestKind, RequestSource

SOURCES = {"interpol": RequestSource.INTERPOL, "opensanctions": RequestSource.OPENSANCTIONS}


class Command(BaseCommand):
    help = "Import, fetch, screen and assess Red Notices and other requests."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        importer = actions.add_parser("import", help="import a file of notices")
        importer.add_argument("format", choices=reading.FORMATS)
        importer.add_argument("file")
        screen = actions.add_parser("screen", help="screen stored notices against the registry again")
        screen.add_argument("refs", nargs="*", metavar="REF", help="notice references (default: all)")
        for sub in (importer, screen):
            sub.add_argument("--json", action="store_true", help="write the result as JSON")
            sub.add_argument("--user", metavar="USERNAME", help="audit the action in this user's name")

    def handle(self, *args, action, **options):
        self.as_json = options["json"]
        user = acting_user(options.get("user"))
        refuse_command(f"notices {action}")
        if action == "import":
            self.import_file(options["format"], options["file"], user)
        elif action == "screen":
            self.screen(options["refs"])

    def import_file(self, fmt: str, path: str, user):
        try:
            notices, errors = reading.read_file(path, fmt)
        except reading.UnreadableFile as e:
            raise CommandError(str(e), returncode=2) from None
        report = importing.import_notices(notices, source=SOURCES[fmt], kind=RequestKind.RED_NOTICE, user=user,
                                          errors=errors)
        self.finish(report.as_dict(), path, report.errors)

    def screen(self, refs: list[str]):
        notices = Notice.objects.all()
        if refs:
            notices = notices.filter(source_id__in=refs)
            missing = set(refs) - set(notices.values_list("source_id", flat=True))
            if missing:
                raise CommandError(f"no notice {', '.join(sorted(missing))}", returncode=2)
        raised = []
        for notice in notices.iterator():
            raised.extend(alerts.screen_notice(notice))
        self.finish({"screened": notices.count(), "alerts": [alerts.alert_summary(a) for a in raised]}, "", [])

    def finish(self, result: dict, path: str, errors: list):
        for position, reason in errors:
            sys.stderr.write(f"{path}: record {position}: {reason}\n")
        if self.as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(summary(result))
        if errors:
            raise CommandError(f"{len(errors)} record(s) were bad and skipped", returncode=1)


def summary(result: dict) -> str:
    counts = ", ".join(f"{key} {result[key]}" for key in ("created", "updated", "unchanged", "screened") if key in result)
    lines = [f"Notices: {counts}; alerts: {len(result['alerts'])}."]
    lines += [f"  alert {a['alert']}: notice {a['notice']} ~ person {a['person']} ({a['case']}), score {a['score']}"
              for a in result["alerts"]]
    return "\n".join(lines)


def acting_user(username: str | None):
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"no active user {username!r}", returncode=2)
    return user
