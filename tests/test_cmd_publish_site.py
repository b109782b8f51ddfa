"""``shelter publish --site DIR``: the static site of the demo data — scorecards and briefs in English
and Russian, the dataset — as a visitor and as someone looking for a person would read it."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command

from shelter.records.models import Incident

from .demo_loaded import committed_demo
from .test_cmd_publish import leaks_in

pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data published as a site with k=5."""
    out = tmp_path_factory.mktemp("site") / "site"
    err = StringIO()
    with committed_demo(django_db_blocker):
        with django_db_blocker.unblock():
            call_command("publish", "--k", "5", "--site", str(out), stdout=StringIO(), stderr=err)
        yield out, err.getvalue()


@pytest.fixture
def site(demo_site, db, settings):
    settings.SHELTER_DEMO = False
    return demo_site[0]


def html_files(site):
    return sorted(site.rglob("*.html"))


def scorecard_stems(site, language):
    return sorted(p.stem for p in (site / language / "scorecards").glob("*.html"))


def test_it_writes_scorecards_and_briefs_in_both_languages_and_the_dataset(site, demo_site):
    assert (site / "index.html").exists()
    for language in ("en", "ru"):
        assert (site / language / "index.html").exists()
        assert scorecard_stems(site, language)
        assert scorecard_stems(site, language) == sorted(p.stem for p in (site / language / "briefs").glob("*.html"))
    assert scorecard_stems(site, "en") == scorecard_stems(site, "ru")
    assert {"datapackage.json", "incidents.csv", "codebook.md"} <= {p.name for p in (site / "data").iterdir()}
    assert "The site holds" in demo_site[1]


def test_every_page_links_only_to_files_of_the_site(site):
    for path in html_files(site):
        html = path.read_text(encoding="utf-8")
        for target in re.findall(r'(?:href|src)="([^"#]+)"', html):
            assert not re.match(r"^[a-z]+:", target) and not target.startswith("//"), (path, target)
            assert (path.parent / target).resolve().exists(), (path, target)


def test_no_page_needs_javascript(site):
    for path in html_files(site):
        html = path.read_text(encoding="utf-8").lower()
        assert "<script" not in html and " on" + "click=" not in html, path


def test_russian_pages_are_in_russian(site):
    index = (site / "ru" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ru">' in index
    assert "Открытые данные" in index
    stem = scorecard_stems(site, "ru")[0]
    assert "Задокументированные инциденты" in (site / "ru" / "scorecards" / f"{stem}.html").read_text(encoding="utf-8")


@pytest.mark.attack("disclosure")
def test_a_state_needs_five_publishable_incidents_for_a_page(site):
    incidents = Incident.objects.publishable()
    for side in ("origin", "host"):
        for state in set(incidents.values_list(f"{side}_state", flat=True)):
            count = incidents.filter(**{f"{side}_state": state}).count()
            assert ((site / "en" / "scorecards" / f"{side}-{state}.html").exists()) == (count >= 5), (side, state, count)


@pytest.mark.attack("disclosure")
def test_the_scorecards_count_only_publishable_incidents(site):
    stem = scorecard_stems(site, "en")[0]
    side, state = stem.split("-")
    published = Incident.objects.publishable().filter(**{f"{side}_state": state}).count()
    recorded = Incident.objects.filter(**{f"{side}_state": state}).count()
    html = (site / "en" / "scorecards" / f"{stem}.html").read_text(encoding="utf-8")
    shown = int(re.search(r"<dt>Documented incidents</dt><dd>(\d+)</dd>", html).group(1))
    assert shown == published
    assert Incident.objects.exclude(pk__in=Incident.objects.publishable()).exists()
    assert published <= recorded


@pytest.mark.attack("disclosure")
def test_no_sealed_value_of_the_demo_appears_anywhere_on_the_site(site, tmp_path):
    flat = tmp_path / "flat"
    flat.mkdir()
    for n, path in enumerate(p for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".csv", ".json", ".md")):
        (flat / f"{n}{path.suffix}").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert leaks_in(flat) == {}


def test_the_data_of_the_site_is_the_k_anonymous_package(site):
    descriptor = json.loads((site / "data" / "datapackage.json").read_text())
    assert {r["name"]: r for r in descriptor["resources"]}["incidents"]["k"] == 5


def test_the_briefs_offer_no_vignettes(site):
    stem = scorecard_stems(site, "en")[0]
    brief = (site / "en" / "briefs" / f"{stem}.html").read_text(encoding="utf-8")
    assert "No vignette was chosen" in brief
    assert "Person A" not in brief


@pytest.mark.attack("xss")
def test_the_publishers_name_is_escaped_on_the_site(site, tmp_path):
    call_command("publish", "--k", "5", "--site", str(tmp_path / "s"), "--publisher", "<script>alert(1)</script> NGO",
                 stdout=StringIO(), stderr=StringIO())
    index = (tmp_path / "s" / "en" / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in index and "&lt;script&gt;alert(1)&lt;/script&gt; NGO" in index
