"""``shelter exports screen REQUEST.json [--json] [--pdf FILE] [--html FILE] [--letter FILE]``: screen a
proposed export of surveillance technology — the item's control entries, the parties against the
documented perpetrators and the imported sanctions lists, the destination's documented record — and
keep the result as a new export request (or the next version of ``--update ID``'s).

Without ``--user`` it reads every case, as the instance's operator; with ``--user NAME`` it reads what
that account may see and is recorded in their name. Exit code 2 with the reason for a request that
cannot be read; nothing is stored then."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shelter import wording
from shelter.audit.log import record
from shelter.exports.controls import ScreeningError
from shelter.exports.request import InvalidRequest, from_json
from shelter.records.lookup import acting_user

from ... import memo, screening
from ...models import ExportRequest

MAX_REQUEST_BYTES = 1_000_000


class Command(BaseCommand):
    help = "Screen a proposed export of surveillance technology (subcommand: screen)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        screen = actions.add_parser("screen", help="screen an export request (REQUEST.json)")
        screen.add_argument("request", metavar="REQUEST", help="the request, a JSON file ('-' for standard input)")
        screen.add_argument("--json", action="store_true", help="print the result as JSON")
        screen.add_argument("--pdf", metavar="FILE", help="write the due-diligence memo as PDF")
        screen.add_argument("--html", metavar="FILE", help="write the due-diligence memo as HTML")
        screen.add_argument("--letter", metavar="FILE", help="write the notification letter to the authority (PDF)")
        screen.add_argument("--language", choices=wording.LANGUAGES, default="en")
        screen.add_argument("--user", metavar="USERNAME", help="screen with this account's access, in its name")
        screen.add_argument("--update", metavar="ID", help="add the result as the next version of this export request")

    def handle(self, *args, action, **options):
        user = acting_user(options["user"])
        request = read_request(options["request"], self.stdin if options["request"] == "-" else None)
        stored = updated_request(options["update"], user) if options["update"] else None
        try:
            result = screening.save(request, user, stored)
        except ScreeningError as e:
            raise CommandError(f"item: {e.reason[options['language']]}", returncode=2) from None
        language = options["language"]
        for option, kind, fmt in (("pdf", "memo", "pdf"), ("html", "memo", "html"), ("letter", "letter", "pdf")):
            if options[option]:
                write(options[option], memo.render(result, kind, language, fmt))
                record(user or "cli", "export", result, object_type=f"export_{kind}", format=fmt, language=language)
        if options["json"]:
            self.stdout.write(json.dumps({**screening.as_json(result.result, language),
                                          "request": str(result.request_id), "version": result.version},
                                         ensure_ascii=False, indent=2))
            return
        self.stdout.write(summary(result, language))


def updated_request(ref: str, user) -> ExportRequest:
    """The request ``--update`` names, if the acting user (or the operator) may see it."""
    requests = ExportRequest.objects.all() if user is None else ExportRequest.objects.visible_to(user)
    try:
        stored = requests.filter(pk=ref).first()
    except (ValueError, ValidationError):
        stored = None
    if stored is None:
        raise CommandError(f"no export request {ref!r}", returncode=2)
    return stored


def read_request(path: str, stdin=None):
    try:
        raw = stdin.read() if stdin is not None else Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise CommandError(f"cannot read {path}: {e.strerror}", returncode=2) from None
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not UTF-8 text", returncode=2) from None
    if len(raw.encode("utf-8")) > MAX_REQUEST_BYTES:
        raise CommandError(f"{path}: larger than {MAX_REQUEST_BYTES} bytes", returncode=2)
    try:
        return from_json(json.loads(raw))
    except json.JSONDecodeError as e:
        raise CommandError(f"{path}: not JSON (line {e.lineno}: {e.msg})", returncode=2) from None
    except InvalidRequest as e:
        raise CommandError(f"{path}: {e}", returncode=2) from None


def write(path: str, content: bytes) -> None:
    try:
        Path(path).write_bytes(content)
    except OSError as e:
        raise CommandError(f"cannot write {path}: {e.strerror}", returncode=2) from None


def summary(stored, language: str) -> str:
    result = stored.result
    text = lambda value: wording.text(value, language)  # noqa: E731
    lines = [f"{result['id']}: {text(result['recommendation_label'])} (version {stored.version}, request {stored.request_id})"]
    for entry in result["control_entries"]:
        lines.append(f"  entry {entry['code']} ({entry['confidence']}): {text(entry['title'])}")
    for match in result["party_matches"]:
        extra = f", {match['incidents']} incident(s)" if match["kind"] == "organisation" else ""
        lines.append(f"  party {match['party']['name']} → {match['matched']} [{match['kind']}, {match['score']}{extra}]")
    for reason in result["reasons"]:
        lines.append(f"  - {text(reason['text'])}")
    lines.append(screening.DISCLAIMER[language])
    return "\n".join(lines)
