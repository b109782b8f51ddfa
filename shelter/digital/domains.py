"""Registrable domains, and look-alikes of the services exiles use (data/brands.json): letters from
another script (UTS #39 confusables), punycode, swapped digits, added words, another TLD, one letter
changed."""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from confusable_homoglyphs import confusables
from publicsuffixlist import PublicSuffixList
from rapidfuzz.distance import OSA

DATA = Path(__file__).parent / "data"
DIGITS = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g"})
IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")


@cache
def _psl() -> PublicSuffixList:
    return PublicSuffixList()  # the list shipped with the package: nothing is fetched


@cache
def brands() -> dict:
    return json.loads((DATA / "brands.json").read_text(encoding="utf-8"))


@cache
def _service_domains() -> frozenset[str]:
    return frozenset(d for brand in brands()["brands"] for d in brand["domains"])


def is_service(domain: str) -> bool:
    """Whether a domain (or a host in it) is one of the protected services' own: their addresses and
    servers carry everyone's mail and links, so they point at no attacker."""
    return registrable(domain) in _service_domains()


def host_of(domain: str) -> str:
    return domain.strip().strip(".").lower()


def to_unicode(domain: str) -> str:
    """The domain as a reader sees it: punycode labels (xn--) decoded."""
    labels = []
    for label in host_of(domain).split("."):
        try:
            labels.append(label.encode("ascii").decode("idna") if label.startswith("xn--") else label)
        except (UnicodeError, ValueError):
            labels.append(label)
    return ".".join(labels)


def registrable(domain: str) -> str:
    """example.co.uk for mail.example.co.uk; the host itself for an IP address or a bare suffix."""
    host = host_of(domain)
    if IPV4.match(host) or ":" in host:
        return host
    return _psl().privatesuffix(host) or host


def skeleton(text: str) -> str:
    """Each letter confusable with a Latin one replaced by it (UTS #39's idea, Latin as the target)."""
    out = []
    for char in text:
        if char.isascii():
            out.append(char)
            continue
        found = confusables.is_confusable(char, preferred_aliases=["latin"])
        homoglyphs = found[0]["homoglyphs"] if found else []
        latin = next((h["c"] for h in homoglyphs if h["c"].isascii()), None)
        out.append(latin.lower() if latin else char)
    return "".join(out)


@dataclass(frozen=True)
class Imitation:
    brand: str
    real: str  # one of the brand's own domains
    how: str  # in English
    how_ru: str = ""
    homoglyph: bool = False


def _owned(domain: str) -> str | None:
    reg = registrable(domain)
    for brand in brands()["brands"]:
        if reg in brand["domains"] or host_of(domain) in brand["domains"]:
            return brand["name"]
        if reg in brand.get("not_lookalikes", ()):
            return "unrelated"
    return None


def imitation(domain: str) -> Imitation | None:
    """Which service a domain imitates, and how; None for the services' own domains and unrelated ones."""
    host = host_of(domain)
    if not host or IPV4.match(host) or _owned(host):
        return None
    shown = to_unicode(host)
    if shown != host or not shown.isascii():
        seen = skeleton(shown)
        reg = registrable(seen)
        for brand in brands()["brands"]:
            if reg in brand["domains"] or any(token in seen.replace(".", "") for token in brand["tokens"]):
                return Imitation(brand["name"], brand["domains"][0], f"written as {shown}, it reads as {seen}",
                                 f"записан как {shown}, читается как {seen}", True)
        if seen != shown:
            return Imitation("", "", f"written as {shown}, it reads as {seen}", f"записан как {shown}, читается как {seen}", True)
    reg = registrable(host)
    suffix = reg[len(reg.split(".")[0]) + 1:]
    label = reg.split(".")[0]
    words = re.split(r"[-_.]", host[: len(host) - len(suffix) - 1])
    flat = "".join(words)
    undigited = flat.translate(DIGITS)
    for brand in brands()["brands"]:
        real = brand["domains"][0]
        own_labels = {d.split(".")[0] for d in brand["domains"]}
        for token in brand["tokens"]:
            if token in flat and flat != token:
                return Imitation(brand["name"], real, f"adds words to '{token}'", f"к «{token}» добавлены слова")
            if token not in flat and token in undigited:
                return Imitation(brand["name"], real, f"digits stand for letters: '{flat}' reads '{undigited}'",
                                 f"цифры вместо букв: «{flat}» читается как «{undigited}»")
            if len(token) >= 5 and label != token and OSA.distance(label, token) == 1:
                return Imitation(brand["name"], real, f"'{label}' is one letter away from '{token}'",
                                 f"«{label}» отличается от «{token}» одной буквой")
        if label in own_labels and len(label) >= 5 and reg not in brand["domains"]:
            return Imitation(brand["name"], real, f"another ending for '{label}' (.{suffix})",
                             f"другое окончание у «{label}» (.{suffix})")
    return None
