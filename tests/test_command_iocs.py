"""`shelter iocs import/list`: feeds in, all or nothing, and what they catch."""

import json
from email.message import EmailMessage
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from shelter.artefacts import triage
from shelter.artefacts.models import IndicatorFeed
from shelter.digital import iocs

RCS = Path(iocs.__file__).parent / "data" / "feeds" / "mvt-2022-06-23_rcs_lab" / "rcs.stix2"


def run(*args) -> str:
    out = StringIO()
    call_command("iocs", *map(str, args), stdout=out)
    return out.getvalue()


def test_a_stix_bundle_imports_and_its_domains_are_caught(db, tmp_path, case, caseworker):
    bundle = tmp_path / "rcs-copy.stix2"
    bundle.write_text(RCS.read_text())
    assert "indicators imported" in run("import", bundle, "--name", "rcs-again", "--source", "https://example.org/rcs")
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "a@example.org", "b@example.net", "app"
    m.set_content("https://119-tim.info/a")
    artefact = triage.triage_into_case(case, "m.eml", bytes(m), caseworker)
    assert "known_ioc" in artefact.kinds


def test_a_plain_list_mixing_kinds_and_defanged_values_imports(db, tmp_path):
    listing = tmp_path / "campaign.txt"
    listing.write_text("# a campaign\nlogin-verify[.]example\nhxxps://collect.example/p\n203.0.113.7\n" + "a" * 64 + "\n")
    run("import", listing, "--campaign", "Test campaign 2026")
    feed = IndicatorFeed.objects.get(name="campaign")
    assert sorted(feed.indicators.values_list("type", flat=True)) == ["domain", "ipv4", "sha256", "url"]
    assert feed.campaign == "Test campaign 2026"


def test_a_bad_line_refuses_the_whole_list_and_keeps_the_old_feed(db, tmp_path):
    good = tmp_path / "feed.txt"
    good.write_text("one.example\n")
    run("import", good)
    good.write_text("two.example\nthis is not an indicator\n")
    with pytest.raises(CommandError, match="line 2 is not a domain.*nothing was imported"):
        run("import", good)
    assert list(IndicatorFeed.objects.get(name="feed").indicators.values_list("value", flat=True)) == ["one.example"]


def test_a_shipped_feeds_name_cannot_be_taken(db, tmp_path):
    listing = tmp_path / "x.txt"
    listing.write_text("a.example\n")
    with pytest.raises(CommandError, match="shipped with Shelter"):
        run("import", listing, "--name", "mvt-2022-06-23_rcs_lab")


def test_the_list_shows_shipped_and_imported_feeds(db, tmp_path):
    listing = tmp_path / "mine.txt"
    listing.write_text("a.example\nb.example\n")
    run("import", listing)
    text = run("list")
    assert "amnesty-2020-03-12_uzbekistan" in text and "shipped with Shelter" in text
    assert "mine" in text and " 2 " in text


def test_a_broken_stix_file_says_why(db, tmp_path):
    broken = tmp_path / "broken.stix2"
    broken.write_text(json.dumps({"type": "bundle", "objects": []}))
    with pytest.raises(CommandError, match="no indicator with a pattern MVT reads"):
        run("import", broken)
