"""``shelter dossier PERSON --pdf FILE``: a person's dossier, as PDF and/or HTML, in English or Russian.

PERSON is the person's id (as in /persons/<id>/). ``--json`` writes what was made (files, sizes, the
sections' counts). The export is audited like a download from the web interface.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shelter import wording
from shelter.audit.log import record
from shelter.records.lookup import acting_user, person_or_error
from shelter.returns import dossier


class Command(BaseCommand):
    help = "Write a person's dossier (notices, signs of abuse, return risk, chronology, CCF draft)."

    def add_arguments(self, parser):
        parser.add_argument("person", metavar="PERSON", help="the person's id")
        parser.add_argument("--pdf", metavar="FILE", help="write the PDF here")
        parser.add_argument("--html", metavar="FILE", help="write the HTML here")
        parser.add_argument("--language", choices=wording.LANGUAGES, default="en")
        parser.add_argument("--json", action="store_true", help="describe what was written, as JSON")
        parser.add_argument("--user", metavar="USERNAME", help="audit the export in this user's name")

    def handle(self, *args, person, pdf=None, html=None, language="en", **options):
        if not (pdf or html):
            raise CommandError("say where to write the dossier: --pdf FILE and/or --html FILE", returncode=2)
        user = acting_user(options.get("user"))
        subject = person_or_error(person)
        text = dossier.render_html(subject, language, user=user)
        written = {}
        if html:
            written["html"] = write(html, dossier.standalone(text).encode("utf-8"))
        if pdf:
            written["pdf"] = write(pdf, dossier.render_pdf(text))
        for fmt in written:
            record(user or "cli", "export", subject, object_type="dossier", format=fmt, language=language)
        if options["json"]:
            self.stdout.write(json.dumps({"person": str(subject.pk), "language": language, "files": written}, indent=2))
        else:
            for fmt, info in written.items():
                self.stdout.write(f"Dossier ({fmt}, {language}) written to {info['path']} ({info['bytes']} bytes).")


def write(path: str, content: bytes) -> dict:
    target = Path(path)
    try:
        target.write_bytes(content)
    except OSError as e:
        raise CommandError(f"cannot write {path}: {e.strerror}", returncode=2) from None
    return {"path": str(target), "bytes": len(content)}
