"""Indicator feeds: STIX 2.1 bundles in the shape Amnesty's MVT reads (an `indicator` per value with one
comparison `[KEY='VALUE']`, tied by `indicates` to a `malware` that names the campaign) and plain lists
of domains, IP addresses and hashes; and matching the values a message yields against them."""

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

FEEDS = Path(__file__).parent / "data" / "feeds"
PATTERN = re.compile(r"^\[([a-z0-9:._-]+)='([^'=]*)'\]$")
KEYS = {"domain-name:value": "domain", "url:value": "url", "email-addr:value": "email", "ipv4-addr:value": "ipv4",
        "ipv6-addr:value": "ipv6", "file:name": "filename", "file:hashes.sha256": "sha256", "file:hashes.md5": "md5",
        "file:hashes.sha1": "sha1", "file:hashes.'SHA-256'": "sha256", "app:id": "app", "process:name": "process"}


class FeedError(ValueError):
    """A feed that cannot be read, with the reason."""


@dataclass(frozen=True)
class Indicator:
    type: str
    value: str
    campaign: str
    feed: str
    campaign_ru: str = ""


@dataclass
class Feeds:
    by_value: dict = field(default_factory=dict)  # (type, value) -> Indicator

    def add(self, indicator: Indicator) -> None:
        self.by_value.setdefault((indicator.type, indicator.value.lower()), indicator)

    def __len__(self):
        return len(self.by_value)

    def match(self, type_: str, value: str) -> Indicator | None:
        value = value.lower().strip(".")
        if type_ in ("domain", "url", "email"):
            host = value
            if type_ == "url":
                host = re.sub(r"^[a-z]+://", "", value).split("/", 1)[0].split(":", 1)[0]
            elif type_ == "email":
                host = value.rsplit("@", 1)[-1]
            if type_ == "url" and ("url", value) in self.by_value:
                return self.by_value[("url", value)]
            labels = host.split(".")
            for i in range(len(labels) - 1):  # the domain itself, then each parent up to the registrable one
                found = self.by_value.get(("domain", ".".join(labels[i:])))
                if found:
                    return found
            return None
        return self.by_value.get((type_, value))


def read_stix(text: str, feed: str) -> list[Indicator]:
    """The indicators of a STIX 2.1 bundle, each named after the malware it `indicates`."""
    try:
        bundle = json.loads(text)
    except json.JSONDecodeError as e:
        raise FeedError(f"not JSON: {e.msg} (line {e.lineno})") from e
    if not isinstance(bundle, dict) or bundle.get("type") != "bundle" or not isinstance(bundle.get("objects"), list):
        raise FeedError("not a STIX 2.1 bundle: no 'objects' list")
    objects = {o.get("id"): o for o in bundle["objects"] if isinstance(o, dict)}
    names = {}
    for o in objects.values():
        if o.get("type") == "relationship" and o.get("relationship_type") == "indicates":
            target = objects.get(o.get("target_ref"), {})
            names[o.get("source_ref")] = target.get("name", "")
    found = []
    for o in objects.values():
        if o.get("type") != "indicator":
            continue
        match = PATTERN.match(str(o.get("pattern", "")).strip())
        if not match or match.group(1) not in KEYS:
            continue  # MVT reads only one comparison per indicator
        found.append(Indicator(KEYS[match.group(1)], match.group(2), names.get(o["id"]) or o.get("name", ""), feed))
    if not found:
        raise FeedError("no indicator with a pattern MVT reads ([KEY='VALUE'])")
    return found


def read_list(text: str, type_: str, campaign: str, feed: str) -> list[Indicator]:
    values = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [Indicator(type_, v, campaign, feed) for v in values]


SHAPES = [("sha256", re.compile(r"^[0-9a-fA-F]{64}$")), ("sha1", re.compile(r"^[0-9a-fA-F]{40}$")),
          ("md5", re.compile(r"^[0-9a-fA-F]{32}$")), ("ipv4", re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")),
          ("url", re.compile(r"^https?://\S+$", re.IGNORECASE)), ("email", re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)),
          ("domain", re.compile(r"^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{2,59})$", re.IGNORECASE))]


def read_any_list(text: str, campaign: str, feed: str) -> list[Indicator]:
    """A plain list whose lines may mix domains, URLs, addresses, IPs and hashes; a line of another shape
    refuses the whole list, naming the line."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        value = line.strip()
        if not value or value.startswith("#"):
            continue
        value = value.replace("[.]", ".").replace("hxxp", "http")  # defanged lists are common
        type_ = next((t for t, shape in SHAPES if shape.match(value)), None)
        if type_ is None:
            raise FeedError(f"line {number} is not a domain, URL, e-mail address, IPv4 address or hash: {value[:60]!r}")
        found.append(Indicator(type_, value, campaign, feed))
    if not found:
        raise FeedError("the list holds no indicator")
    return found


@cache
def built_in() -> Feeds:
    """The feeds shipped with Shelter (data/feeds/feeds.json), with their attribution."""
    feeds = Feeds()
    meta = json.loads((FEEDS / "feeds.json").read_text(encoding="utf-8"))
    for feed in meta["feeds"]:
        for filename, type_ in feed["files"].items():
            text = (FEEDS / feed["name"] / filename).read_text(encoding="utf-8")
            if type_ == "stix2":
                indicators = [Indicator(i.type, i.value, i.campaign or feed["campaign"], feed["name"], i.campaign or feed["campaign_ru"])
                              for i in read_stix(text, feed["name"])]
            else:
                indicators = [Indicator(i.type, i.value, i.campaign, i.feed, feed["campaign_ru"])
                              for i in read_list(text, type_, feed["campaign"], feed["name"])]
            for indicator in indicators:
                feeds.add(indicator)
    return feeds



def built_in_summaries() -> list[dict]:
    """The shipped feeds as their publishers describe them, with how many indicators of each type."""
    counts: dict = {}
    for indicator in built_in().by_value.values():
        by_type = counts.setdefault(indicator.feed, {})
        by_type[indicator.type] = by_type.get(indicator.type, 0) + 1
    meta = json.loads((FEEDS / "feeds.json").read_text(encoding="utf-8"))
    return [{**{k: feed[k] for k in ("name", "campaign", "campaign_ru", "publisher", "licence")},
             "by_type": counts.get(feed["name"], {})} for feed in meta["feeds"]]
