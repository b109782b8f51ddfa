"""A policy brief: a state's scorecard, chosen vignettes and the recommendations the data support, as
a standalone HTML page or a PDF rendered offline the way the export memo is (nothing fetched)."""

from django.template.loader import render_to_string
from django.utils import translation

from shelter.publishing.scorecard import Scope
from shelter.returns.dossier import render_pdf, standalone

from . import scorecards


def context(incidents, processes, cases, s: Scope, language: str, links: bool = False) -> dict:
    with translation.override(language):
        found = scorecards.scorecard_context(incidents, processes, s, language)
        found["vignettes"] = scorecards.vignettes(cases, incidents, processes, s, language)
    return {**found, "links": links, "case_ids": [str(c.pk) for c in cases]}


def render_html(incidents, processes, cases, s: Scope, language: str, links: bool = False) -> str:
    with translation.override(language):
        return render_to_string("front/brief.html", context(incidents, processes, cases, s, language, links))


def render(incidents, processes, cases, s: Scope, language: str, fmt: str) -> bytes:
    html = render_html(incidents, processes, cases, s, language)
    return render_pdf(html) if fmt == "pdf" else standalone(html).encode("utf-8")


def filename(s: Scope, language: str, fmt: str) -> str:
    """Named by the state, side and period only: nothing in it points to a case or a person."""
    return f"brief-{s.side}-{s.state}-{s.from_year}-{s.to_year}-{language}.{fmt}"
