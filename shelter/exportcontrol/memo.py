"""The due-diligence memo an exporter or an authority files, and the notification letter an NGO sends
to the competent authority under Article 5 — from a kept screening version, in English or Russian, as
HTML or PDF, rendered offline the way the dossier is (``shelter.returns.dossier``: nothing fetched)."""

from django.template.loader import render_to_string
from django.utils import translation

from shelter.returns.dossier import render_pdf, standalone

from .models import Screening

KINDS = ("memo", "letter")


def numbered_reasons(result: dict) -> list[dict]:
    """The reasons, each with the numbers of the cited legal statements (numbered in their order)."""
    numbers = {c["ref"]: n for n, c in enumerate(result["citations"], 1)}
    return [{**r, "numbers": [numbers[ref] for ref in r["cites"] if ref in numbers]} for r in result["reasons"]]


def context(screening: Screening, kind: str, language: str, links: bool = False) -> dict:
    result = screening.result
    reasons = numbered_reasons(result)
    return {
        "screening": screening, "request": screening.request, "result": result, "asked": result["request"],
        "reasons": reasons, "kind": kind, "language": language, "links": links,
        "answers": answers(result["request"]["item"]["parameters"]),
        "organisations": [m for m in result["party_matches"] if m["kind"] == "organisation"],
    }


def answers(parameters: dict) -> list[tuple[dict, object]]:
    """The technical questions answered, as (question, answer); an unknown name as it was given."""
    from shelter.exports import classify

    questions = classify.parameters()
    return [(questions[name]["question"] if name in questions else {"en": name, "ru": name}, value)
            for name, value in (parameters or {}).items()]


def render_html(screening: Screening, kind: str, language: str, links: bool = False) -> str:
    with translation.override(language):
        return render_to_string(f"exportcontrol/{kind}.html", context(screening, kind, language, links))


def render(screening: Screening, kind: str, language: str, fmt: str) -> bytes:
    html = render_html(screening, kind, language)
    return render_pdf(html) if fmt == "pdf" else standalone(html).encode("utf-8")


def filename(screening: Screening, kind: str, language: str, fmt: str) -> str:
    """Named by the request's record id and version, not its reference (which may name a buyer)."""
    return f"export-{kind}-{str(screening.request_id)[:8]}-v{screening.version}-{language}.{fmt}"
