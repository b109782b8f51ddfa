"""A STIX 2.1 bundle of indicators that MVT's indicator loader reads: one `indicator` per value with a
single comparison `[KEY='VALUE']` (no `=` inside the value: URL queries are dropped), each tied by an
`indicates` relationship to a `malware` object that names the campaign."""

import datetime
import uuid

from . import domains, links

TYPES = {"domain": "domain-name:value", "url": "url:value", "email": "email-addr:value", "ipv4": "ipv4-addr:value",
         "filename": "file:name", "sha256": "file:hashes.sha256", "sha1": "file:hashes.sha1", "md5": "file:hashes.md5"}


def _id(kind: str) -> str:
    return f"{kind}--{uuid.uuid4()}"


def _safe(type_: str, value: str) -> str | None:
    if type_ == "url":
        value = value.split("?", 1)[0].split("#", 1)[0]
    if "=" in value or "'" in value or not value:
        return None
    return value


def worth_sharing(indicators) -> list[dict]:
    """The values of a report that point at the attacker: not the servers a message passed through, and
    not the big services' own domains (a phishing mail links to google.com too; MVT would then flag every
    visit to it)."""
    kept = []
    for indicator in indicators:
        if indicator["context"] == "Received":
            continue
        if indicator["type"] in ("domain", "url"):
            host = indicator["value"] if indicator["type"] == "domain" else links.url_host(indicator["value"])
            if not host or domains.is_service(host):
                continue
        kept.append(indicator)
    return kept


def of_reports(reports: list[dict], campaign: str) -> dict:
    """The bundle of the reports' values that point at an attacker (messages with no known signs left out)."""
    raw = [i for r in reports if r["verdict"] != "no_known_signs" for i in r.get("raw_indicators", [])]
    return bundle(worth_sharing(raw), campaign)


def bundle(indicators, campaign: str) -> dict:
    """indicators: dicts with "type" and "value" (as a report lists them, not defanged)."""
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    malware = {"type": "malware", "spec_version": "2.1", "id": _id("malware"), "created": now, "modified": now,
               "name": campaign, "is_family": False}
    objects, seen = [malware], set()
    for indicator in indicators:
        key = TYPES.get(indicator["type"])
        value = _safe(indicator["type"], str(indicator["value"]).strip())
        if not key or value is None or (key, value) in seen:
            continue
        seen.add((key, value))
        item = {"type": "indicator", "spec_version": "2.1", "id": _id("indicator"), "created": now, "modified": now,
                "name": value, "description": f"{indicator['type']} seen in a suspicious message or file ({campaign})",
                "indicator_types": ["malicious-activity"], "pattern": f"[{key}='{value}']", "pattern_type": "stix",
                "pattern_version": "2.1", "valid_from": now}
        objects.append(item)
        objects.append({"type": "relationship", "spec_version": "2.1", "id": _id("relationship"), "created": now,
                        "modified": now, "relationship_type": "indicates", "source_ref": item["id"], "target_ref": malware["id"]})
    return {"type": "bundle", "id": _id("bundle"), "objects": objects}
