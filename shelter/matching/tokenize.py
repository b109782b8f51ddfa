"""Splitting a name into its parts, keeping the apostrophes that are letters in Uzbek (oʻ, gʻ)."""

import re
import unicodedata

from .phonetic import APOSTROPHES

# Combining marks (Indic vowel signs, accents typed separately) belong to the part they follow; \w lacks them.
_MARKS = "".join(chr(i) for i in range(0x300, 0x10000) if unicodedata.category(chr(i))[0] == "M")
_INITIALS = re.compile(r"^[B-DF-HJ-NP-TV-XZ]{2,3}$")
_SEPARATOR = re.compile(f"[^\\w{re.escape(_MARKS + APOSTROPHES)}]+|_+")
# "RamiMakhlouf", "AlisherUsmanov": a capital after a small letter starts a new part.
_CAMEL = re.compile(r"(?<=[a-zа-яёəıöüçşğ])(?=[A-ZА-ЯЁƏİÖÜÇŞĞ])")


def tokens(name: str, *, person: bool = True) -> list[str]:
    """The parts of a name, case kept: "KARIMOV, Ulugʻbek-aka" → ["KARIMOV", "Ulugʻbek", "aka"].

    ``person=False`` keeps words as written: no split at a capital inside a word ("SPbGU", "ОсОО") and
    capitals without a vowel stay one word (an organisation's acronym, "MVD", not initials)."""
    text = unicodedata.normalize("NFKC", name or "")
    if person:
        text = _CAMEL.sub(" ", text)
    # A part is letters, digits, combining marks and apostrophes; everything else separates.
    parts = []
    for part in (t.strip(APOSTROPHES) for t in _SEPARATOR.split(text)):
        if person and _INITIALS.match(part):  # "JC Juncker": capitals without a vowel are initials run together
            parts.extend(part)
        elif part:
            parts.append(part)
    return parts
