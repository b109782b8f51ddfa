"""Server-rendered bar charts: data for an SVG drawn by templates/front/chart.html, no JavaScript."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import get_language

from shelter import countries, thesaurus

BAR_HEIGHT = 28


def svg_length(fraction: float, width: float) -> str:
    """``fraction`` (kept between 0 and 1) of ``width``, in SVG viewBox units, as text: a number would
    be localised ("300,0" in Russian), which SVG does not read."""
    return f"{round(max(0.0, min(1.0, fraction)) * width, 1):g}"


def language():
    """The active language as the data files' texts are keyed ("en", "ru")."""
    return (get_language() or "en")[:2]


def country_label(code):
    return countries.name(code, language())


def tactic_label(code):
    return thesaurus.label("tactics", code, language())


def bar_chart(counts, *, link=None, label=str, keep=None, url=None):
    """``counts``: (key, n) pairs in display order; each bar links to the incident list filtered by
    key, on top of the filters in ``keep`` (the current query), or to ``url(key)`` when given."""
    kept = {k: v for k, v in (keep or {}).items() if k not in ("page", link)}
    counts = [(k, n) for k, n in counts if k]
    top = max((n for _, n in counts), default=0) or 1
    bars = [
        {
            "label": label(key),
            "count": n,
            "percent": round(100 * n / top, 1),
            "y": i * BAR_HEIGHT,
            "url": url(key) if url else reverse("incidents") + "?" + urlencode({**kept, link: key}),
        }
        for i, (key, n) in enumerate(counts)
    ]
    return {"bars": bars, "height": max(len(bars), 1) * BAR_HEIGHT}
