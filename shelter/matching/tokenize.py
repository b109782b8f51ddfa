"""Splitting a name into its parts, keeping the apostrophes that are letters in Uzbek (oʻ, gʻ)."""

import re
import unicodedata

from .phonetic import APOSTROPHES

_SPACES = re.compile(r"\s+")
# "RamiMakhlouf", "AlisherUsmanov": a capital after a small letter starts a new part.
_CAMEL = re.compile(r"(?<=[a-zа-яёəıöüçşğ])(?=[A-ZА-ЯЁƏİÖÜÇŞĞ])")


def tokens(name: str) -> list[str]:
    """The parts of a name, case kept: "KARIMOV, Ulugʻbek-aka" → ["KARIMOV", "Ulugʻbek", "aka"]."""
    text = unicodedata.normalize("NFKC", name or "")
    text = _CAMEL.sub(" ", text)
    # A part is letters, digits, combining marks (Indic vowel signs) and apostrophes; the rest separates.
    text = "".join(c if c.isalnum() or c in APOSTROPHES or unicodedata.category(c)[0] == "M" else " " for c in text)
    return [t.strip(APOSTROPHES) for t in _SPACES.split(text) if t.strip(APOSTROPHES)]
