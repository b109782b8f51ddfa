"""Indicator feeds in, STIX 2.1 out: the shipped feeds carry their campaign and attribution, a feed that
cannot be read says why, and what Shelter writes is read the way MVT's indicator loader reads it."""

import json
import re
from pathlib import Path

import pytest

from shelter.digital import iocs, stix

FEEDS = Path(iocs.__file__).parent / "data" / "feeds"
# MVT's loader (mvt/common/indicators.py) takes one comparison per indicator, no spaces around '=',
# no '=' inside the value, from this set of keys; the file is named *.stix2.
MVT_PATTERN = re.compile(r"^\[(domain-name:value|url:value|email-addr:value|file:name|file:path|file:hashes\.sha256|"
                         r"file:hashes\.md5|file:hashes\.sha1|process:name|app:id|ipv4-addr:value)='([^'=]+)'\]$")


def read_like_mvt(bundle: dict) -> list[tuple[str, str, str]]:
    objects = {o["id"]: o for o in bundle["objects"]}
    malware = {r["source_ref"]: objects[r["target_ref"]]["name"] for r in bundle["objects"]
               if r["type"] == "relationship" and r["relationship_type"] == "indicates"}
    found = []
    for o in bundle["objects"]:
        if o["type"] == "indicator":
            match = MVT_PATTERN.match(o["pattern"])
            assert match, o["pattern"]
            found.append((match.group(1), match.group(2), malware[o["id"]]))
    return found


def test_the_shipped_rcs_lab_bundle_reads_with_its_campaign():
    indicators = iocs.read_stix((FEEDS / "mvt-2022-06-23_rcs_lab" / "rcs.stix2").read_text(), "rcs")
    assert len(indicators) > 10 and {i.campaign for i in indicators} == {"RCSLab"}
    assert any(i.type == "domain" and i.value == "119-tim.info" for i in indicators)


def test_the_shipped_feeds_keep_their_publishers_and_licences():
    meta = json.loads((FEEDS / "feeds.json").read_text())
    assert {f["licence"] for f in meta["feeds"]} == {"CC BY 2.0", "MIT (LICENSE)"}
    assert (FEEDS / "mvt-2022-06-23_rcs_lab" / "LICENSE").read_text().startswith("MIT")
    assert len(iocs.built_in()) > 100


@pytest.mark.parametrize("text, reason", [
    ("{not json", "not JSON"),
    ('{"type": "indicator"}', "not a STIX 2.1 bundle"),
    ('{"type": "bundle", "objects": [{"type": "indicator", "id": "indicator--1", "pattern": "[domain-name:value = \'x.com\']"}]}',
     "no indicator with a pattern MVT reads"),
])
def test_a_feed_that_cannot_be_read_says_why(text, reason):
    with pytest.raises(iocs.FeedError, match=reason):
        iocs.read_stix(text, "test")


def test_a_domain_feed_matches_its_subdomains_and_urls_but_not_lookalike_parents():
    feeds = iocs.Feeds()
    feeds.add(iocs.Indicator("domain", "collect.example", "campaign", "feed"))
    assert feeds.match("domain", "login.collect.example")
    assert feeds.match("url", "https://collect.example/path?q=1")
    assert feeds.match("email", "agent@collect.example")
    assert not feeds.match("domain", "example")
    assert not feeds.match("domain", "notcollect.example")


def test_what_shelter_writes_mvt_reads():
    indicators = [{"type": "domain", "value": "accountsgoog1e.com"}, {"type": "url", "value": "https://x.example/a?b=c"},
                  {"type": "sha256", "value": "a" * 64}, {"type": "email", "value": "no-reply@accountsgoog1e.com"},
                  {"type": "ipv4", "value": "203.0.113.9"}, {"type": "filename", "value": "cv.pdf.exe"},
                  {"type": "url", "value": "https://x.example/it's"}]
    bundle = stix.bundle(indicators, "Fake Google alerts, 2026")
    read = read_like_mvt(bundle)
    assert ("url:value", "https://x.example/a", "Fake Google alerts, 2026") in read  # the query string dropped
    assert ("domain-name:value", "accountsgoog1e.com", "Fake Google alerts, 2026") in read
    assert not any("'" in value for _, value, _ in read)  # a value MVT cannot read is left out
    assert len(read) == 6
    assert {(i.type, i.value) for i in iocs.read_stix(json.dumps(bundle), "round trip")} >= {("domain", "accountsgoog1e.com")}


def test_the_oasis_validator_finds_nothing_to_say_about_what_shelter_writes():
    from stix2validator import ValidationOptions, validate_instance

    bundle = stix.bundle([{"type": "domain", "value": "accountsgoog1e.com"}, {"type": "sha256", "value": "b" * 64},
                          {"type": "email", "value": "no-reply@accountsgoog1e.com"}], "Fake Google alerts")
    result = validate_instance(bundle, ValidationOptions(version="2.1"))
    assert result.is_valid and not result.errors and not result.warnings, [str(e) for e in result.errors + result.warnings]
