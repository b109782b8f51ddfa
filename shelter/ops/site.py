"""The static site of ``shelter publish --site DIR``: scorecards and briefs of every state with enough
publishable incidents, in English and Russian, and the open dataset — plain HTML, SVG and CSS, no
JavaScript, nothing fetched from elsewhere, ready to be copied to any web server.

What it counts is what the dataset may publish (``Incident.objects.publishable()``): no case marked
"never publish", no incident of a person who has not consented. A state gets a scorecard only with at
least k such incidents in the period, so no page is about one or two people. Briefs carry no
vignettes: those are chosen case by case, in the app, by someone who knows the cases.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import translation

from shelter import countries
from shelter.front import briefs, scorecards
from shelter.publishing import scorecard
from shelter.publishing.dataset import Publication
from shelter.publishing.package import LANGUAGES, Provenance, write
from shelter.records.models import Incident, LegalProcess


STATIC = Path(__file__).resolve().parent.parent / "front" / "static"
ASSETS = ("vendor/pico.min.css", "vendor/pico.LICENSE.md", "shelter.css")
OTHER = {"en": "ru", "ru": "en"}


@dataclass(frozen=True)
class Page:
    side: str
    state: str
    count: int

    def stem(self) -> str:
        return f"{self.side}-{self.state}"


def pages(incidents, k: int, s_from: int, s_to: int) -> list[Page]:
    """The states, on each side, with at least k incidents in the period."""
    in_period = incidents.filter(date__gte=str(s_from), date__lt=str(s_to + 1))
    found = []
    for side in scorecard.SIDES:
        field = f"{side}_state"
        counts = in_period.order_by().values(field).annotate(n=Count("id")).filter(n__gte=k)
        found += [Page(side, row[field], row["n"]) for row in counts]
    return sorted(found, key=lambda p: (p.side != "origin", -p.count, p.state))


def period(incidents, start: int | None, end: int | None) -> tuple[int, int]:
    """The period asked for, else the years the publishable incidents span."""
    years = [scorecard.year_of(d) for d in incidents.order_by().values_list("date", flat=True).distinct()]
    years = [y for y in years if y]
    return start or min(years, default=scorecard.FIRST_YEAR), end or max(years, default=scorecard.FIRST_YEAR)


def _render(template: str, context: dict, language: str) -> str:
    with translation.override(language):
        return render_to_string(template, {**context, "language": language, "other_language": OTHER[language]})


def write_site(directory: Path, publication: Publication, provenance: Provenance, k: int,
               start: int | None, end: int | None, progress=None) -> dict:
    """Write the site into ``directory`` (which must exist); returns what it holds."""
    incidents, processes = Incident.objects.publishable(), LegalProcess.objects.publishable()
    s_from, s_to = period(incidents, start, end)
    found = pages(incidents, k, s_from, s_to)
    (directory / "data").mkdir()
    write(publication, provenance, directory / "data")
    (directory / "assets").mkdir()
    for asset in ASSETS:
        shutil.copyfile(STATIC / asset, directory / "assets" / Path(asset).name)
    common = {"provenance": provenance, "k": k, "start": s_from, "end": s_to, "rows": len(publication.rows),
              "named_rows": len(publication.named_rows)}
    for language in LANGUAGES:
        root = directory / language
        (root / "scorecards").mkdir(parents=True)
        (root / "briefs").mkdir()
        listed = []
        for page in found:
            s = scorecard.scope(page.state, page.side, s_from, s_to)
            with translation.override(language):
                context = scorecards.scorecard_context(incidents, processes, s, language)
            context.update(common, page=page)
            (root / "scorecards" / f"{page.stem()}.html").write_text(
                _render("site/scorecard.html", context, language), encoding="utf-8")
            (root / "briefs" / f"{page.stem()}.html").write_text(
                briefs.render(incidents, processes, [], s, language, "html").decode("utf-8"), encoding="utf-8")
            listed.append({"page": page, "name": countries.name(page.state, language)})
            if progress:
                progress()
        by_side = {f"{side}_pages": [e for e in listed if e["page"].side == side] for side in scorecard.SIDES}
        (root / "index.html").write_text(_render("site/index.html", {**common, **by_side}, language), encoding="utf-8")
    (directory / "index.html").write_text(_render("site/root.html", common, "en"), encoding="utf-8")
    for path in directory.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)  # made to be published
    return {"scorecards": len(found), "period": (s_from, s_to)}
