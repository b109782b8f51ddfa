"""The dossier a lawyer files: a person's notices and requests, the signs of abuse with their legal
basis, the return-risk assessments, comparable documented cases, a chronology, and the skeleton of a
CCF request — in English or Russian, as HTML and PDF, marked "decision support, not legal advice".

Built with the caller's access (the person's own records), rendered offline: the PDF renderer may
fetch nothing (``RefuseFetch``), so a hostile value in a record cannot make it reach the network.
"""

import datetime
import re
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shelter import countries, dates
from shelter.notices import abuse
from shelter.notices import facts as record_facts

from . import assessments

# The signs that go to the political-character ground (Interpol Constitution Art. 3) of a CCF request.
POLITICAL_SIGNS = {
    "extremism_without_violent_act", "banned_group_membership", "insulting_officials", "treason_or_espionage",
    "economic_charge_against_targeted_profile", "political_profile", "charges_after_departure",
    "state_documented_record", "repeated_request_after_refusal",
}


class FetchRefused(ValueError):
    pass


def build(person, language: str = "en", user=None) -> dict:
    """Everything the dossier shows, computed once; the templates only lay it out."""
    notices = list(record_facts.confirmed_notices(person))
    assessed = [{"notice": notice, "assessment": abuse.indicators(notice, person=person)} for notice in notices]
    risks = [{"record": r, "result": r.result_dict()} for r in assessments.latest_risks(person)]
    return {
        "person": person,
        "language": language,
        "generated_at": timezone.now(),
        "names": list(person.names.all()),
        "notices": assessed,
        "processes": list(person.legal_processes.all()),
        "asylum": list(person.asylum_statuses.all()),
        "risks": risks,
        "comparable": assessments.comparable_cases(person, [n.requesting_state for n in notices] or person.nationalities,
                                                 user=user),
        "political_grounds": [
            (item["notice"], indicator) for item in assessed for indicator in item["assessment"]["indicators"]
            if indicator["id"] in POLITICAL_SIGNS
        ],
        "chronology": chronology(person, notices),
        "profiles": [str(term) for term in person.profiles.all()],
    }


def chronology(person, notices) -> list[dict]:
    """Dated events, oldest first: incidents, statuses, processes, notices."""
    language = translation.get_language() or "en"
    events = []
    for act in person.acts.select_related("incident").prefetch_related("incident__tactics"):
        events.append(event(act.incident.date, str(act.incident.label())))
    for status in person.asylum_statuses.all():
        events.append(event(status.since, f"{status.get_status_display()} · {countries.name(status.host_country, language)}"))
    for process in person.legal_processes.all():
        kind = process.get_kind_display()
        events.append(event(process.opened_on, _("%(kind)s opened") % {"kind": kind}))
        if process.decided_on:
            events.append(event(process.decided_on, _("%(kind)s decided: %(status)s")
                                % {"kind": kind, "status": process.get_status_display()}))
    for notice in notices:
        if notice.charged_on:
            events.append(event(notice.charged_on, _("Charges brought (%(notice)s)") % {"notice": notice}))
        events.append(event(notice.issued_on or notice.first_seen_at.date().isoformat(), str(notice)))
    # ISO partial dates sort as text, the less precise first (1979 < 1979-08).
    return sorted((e for e in events if e["date"]), key=lambda e: e["date"])


def event(date_text: str, what: str) -> dict:
    try:
        parsed = dates.parse(date_text) if date_text else None
    except dates.PartialDateError:
        parsed = None
    return {"date": parsed.iso() if parsed else "", "what": what}


def render_html(person, language: str = "en", user=None, links: bool = False) -> str:
    """The dossier in ``language``; ``user`` limits the comparable incidents to the cases they see.

    ``links`` adds links back to the person and to the PDF: for the page in the browser, not the PDF."""
    with translation.override(language):
        return render_to_string("returns/dossier.html", {**build(person, language, user), "links": links})


STYLESHEET = Path(__file__).resolve().parent.parent / "front" / "static" / "dossier.css"
STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="[^"]*dossier\.css">')


def render_pdf(html: str) -> bytes:
    import weasyprint  # imported here: loading pango costs a second that pages not printing need not pay

    stylesheet = weasyprint.CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=RefuseFetch())
    return weasyprint.HTML(string=html, url_fetcher=RefuseFetch(), base_url=None).write_pdf(stylesheets=[stylesheet])


def standalone(html: str) -> str:
    """The HTML with its stylesheet inside, for a file opened away from the server."""
    return STYLESHEET_LINK.sub(lambda _: f"<style>{STYLESHEET.read_text(encoding='utf-8')}</style>", html, count=1)


class RefuseFetch:
    """A URL fetcher that fetches nothing: the dossier's styles are inline and it has no images."""

    _fail_on_errors = False  # WeasyPrint reads it: a refused resource is left out, the PDF still made

    def __call__(self, url: str, *args, **kwargs):
        raise FetchRefused(f"the dossier may not fetch {url.split(':', 1)[0]} resources")


def filename(person, language: str, extension: str) -> str:
    """A name that says what the file is without naming the person (it ends up in download folders
    and mail attachments)."""
    stamp = datetime.date.today().isoformat()
    return f"dossier-{person.pseudonym}-{language}-{stamp}.{extension}"
