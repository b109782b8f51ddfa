"""A scorecard's charts, drawn on the server as SVG with matplotlib (no JavaScript, the same file in
the page, the PDF and the static site).

Text stays text (``svg.fonttype = none``: searchable, translatable, readable by a screen reader's
table beside it), in DejaVu Sans, which has Cyrillic. The output is deterministic — a fixed hash salt
and no date — so that the same figures give the same file. Numbers are written by matplotlib's own
formatter, never localised ("3,0" is not an SVG number); labels are escaped by matplotlib's XML writer.
The caller gives labels already in the page's language.
"""

from __future__ import annotations

import io
import re
import textwrap

import matplotlib

matplotlib.use("Agg")  # before pyplot: no display on a server

from matplotlib import pyplot
from matplotlib.ticker import MaxNLocator

RC = {
    "svg.fonttype": "none", "svg.hashsalt": "shelter-scorecard", "font.family": "DejaVu Sans", "font.size": 11,
    "axes.formatter.use_locale": False, "axes.spines.top": False, "axes.spines.right": False,
    "axes.edgecolor": "#888888", "axes.labelcolor": "#333333", "xtick.color": "#333333", "ytick.color": "#333333",
}
# Physical tactics in warm colours, the others in cool ones; the same tactic always gets the same colour.
PHYSICAL_COLOURS = ("#8c1c13", "#bf4342", "#e07a5f", "#f2a65a", "#d4a373", "#a4161a", "#6a040f")
OTHER_COLOURS = ("#1d3557", "#457b9d", "#2a9d8f", "#8ab17d", "#264653", "#5e548e", "#9f86c0", "#7b8cde", "#3d5a80",
                 "#98c1d9", "#6c757d")
BAR_COLOUR = "#3d5a80"
WIDTH = 7.2  # inches at 72 dpi: 518 px, scaled down by CSS on a phone


def _wrap(label: str, width: int) -> str:
    """Long labels (Russian ones are) on several lines, so that the plot keeps the figure's width."""
    return "\n".join(textwrap.wrap(str(label), width)) or str(label)


def tactic_colours(physical, other) -> dict[str, str]:
    colours = {code: PHYSICAL_COLOURS[i % len(PHYSICAL_COLOURS)] for i, code in enumerate(physical)}
    colours.update({code: OTHER_COLOURS[i % len(OTHER_COLOURS)] for i, code in enumerate(other)})
    colours["unrecorded"] = "#bbbbbb"
    return colours


def _svg(figure, description: str, key: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    pyplot.close(figure)
    return accessible(buffer.getvalue(), description, key)


STYLE = re.compile(r' style="([^"]*)"')
STYLE_ELEMENT = re.compile(r"\s*<style[^>]*>\*\{([^}]*)\}</style>")
METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
IDS = re.compile(r'(\bid="|url\(#|xlink:href="#)([^")]+)')


def _attributes(declarations: str) -> str:
    """CSS declarations as SVG presentation attributes: the page's Content Security Policy refuses
    inline styles (style="…" and <style>), not attributes."""
    found = []
    for declaration in declarations.split(";"):
        name, _, value = declaration.partition(":")
        if name.strip() and value.strip():
            found.append(f' {name.strip()}="{_attribute(value.strip().strip(chr(39)))}"')
    return "".join(found)


def accessible(svg: str, description: str, key: str = "chart") -> str:
    """The SVG element alone (no XML prolog, DOCTYPE or metadata: it is inlined), styled by attributes,
    its ids prefixed with ``key`` (several charts share a page), as an image with its description,
    scaling to the width it is given."""
    svg = svg[svg.index("<svg"):]
    svg = METADATA.sub("", svg, count=1)
    root = STYLE_ELEMENT.search(svg)
    svg = STYLE_ELEMENT.sub("", svg, count=1)
    svg = STYLE.sub(lambda m: _attributes(m.group(1)), svg)
    svg = IDS.sub(lambda m: f"{m.group(1)}{key}-{m.group(2)}", svg)
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", svg, count=1)
    inherited = _attributes(root.group(1)) if root else ""
    label = _attribute(description)
    return svg.replace("<svg", f'<svg role="img" aria-label="{label}" class="scorecard-chart"{inherited}', 1)


def _attribute(text: str) -> str:
    return (str(text).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;"))


def stacked_years(years, series, *, description: str, ylabel: str, key: str = "years") -> str:
    """Incidents per year, one stacked segment per tactic. ``series``: (label, colour, counts by year)."""
    with matplotlib.rc_context(RC):
        rows = max(1, len(series))
        figure, axes = pyplot.subplots(figsize=(WIDTH, 3.2 + 0.22 * ((rows + 1) // 2)), dpi=72)
        positions = list(range(len(years)))
        bottom = [0] * len(years)
        for label, colour, counts in series:
            axes.bar(positions, counts, bottom=bottom, label=_wrap(label, 36), color=colour, width=0.7)
            bottom = [b + c for b, c in zip(bottom, counts)]
        axes.set_xticks(positions, [str(y) for y in years], rotation=45 if len(years) > 8 else 0)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
        axes.set_ylim(0, max(max(bottom, default=0), 1) * 1.05)
        axes.set_ylabel(ylabel)
        if series:
            axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14 if len(years) <= 8 else -0.2), ncol=2,
                        frameon=False, fontsize=10)
        return _svg(figure, description, key)


def bars(pairs, *, description: str, key: str = "bars") -> str:
    """Horizontal bars, largest first as given: ``pairs`` of (label, n)."""
    with matplotlib.rc_context(RC):
        lines = sum(max(1, len(textwrap.wrap(str(label), 30))) for label, _ in pairs)
        figure, axes = pyplot.subplots(figsize=(WIDTH, 0.5 + 0.2 * max(1, len(pairs)) + 0.16 * max(1, lines)), dpi=72)
        labels = [_wrap(label, 30) for label, _ in pairs][::-1]
        counts = [n for _, n in pairs][::-1]
        axes.barh(range(len(pairs)), counts, color=BAR_COLOUR, height=0.65)
        axes.set_yticks(range(len(pairs)), labels)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
        axes.set_xlim(0, max(max(counts, default=0), 1) * 1.12)
        for y, n in enumerate(counts):
            axes.text(n, y, f" {n:d}", va="center", fontsize=11, color="#333333")
        return _svg(figure, description, key)
