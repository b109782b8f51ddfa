"""Normalising names into search keys that survive script and spelling differences."""

import re
import unicodedata

import iuliia

from .phonetic import APOSTROPHES  # dropped: Oʻtkir = O'tkir = Otkir
_APOSTROPHE_RE = re.compile(f"[{re.escape(APOSTROPHES)}]")
_SEPARATORS = re.compile(r"[^\w]+", re.UNICODE)
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")

# Central Asian Cyrillic letters folded to their Russian counterparts before romanising, so that
# "Ҳошимов" and "Хошимов" give the same skeleton.
_CENTRAL_ASIAN = str.maketrans(
    {"ў": "у", "қ": "к", "ғ": "г", "ҳ": "х", "ҷ": "дж", "ӣ": "и", "ӯ": "у", "ә": "а", "і": "и",
     "ң": "н", "ө": "о", "ү": "у", "ұ": "у", "һ": "х", "ӏ": ""}
)


# Turkic Latin letters without an ASCII decomposition, folded the way Russian-style spellings write
# them, so that "Rəşad" and "Rashad", "Türkmenbaşy" and "Turkmenbashy" meet.
_TURKIC_LATIN = str.maketrans({"ə": "a", "ş": "sh", "ç": "ch", "ž": "zh", "ı": "i", "ğ": "g", "ň": "n", "ý": "y"})


def normalise(text: str) -> str:
    """NFKC, case-folded, apostrophes removed, punctuation to single spaces."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = _APOSTROPHE_RE.sub("", text)
    # Underscores go before the spaces are collapsed: "0 _" is "0", not "0 " (normalising twice changes nothing).
    return " ".join(_SEPARATORS.sub(" ", text).replace("_", "").split())


def tokens(text: str) -> list[str]:
    return [t for t in normalise(text).split() if t]


def latin_skeleton(token: str) -> str:
    """ASCII romanisation of one token: Cyrillic through the Wikipedia scheme, accents stripped."""
    if _CYRILLIC.search(token):
        token = iuliia.WIKIPEDIA.translate(token.translate(_CENTRAL_ASIAN)).lower()
    token = token.translate(_TURKIC_LATIN)
    decomposed = unicodedata.normalize("NFKD", token)
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c.isascii() and c.isalnum())


def search_keys(token: str) -> set[str]:
    """Every key under which one name token can be found."""
    keys = {token}
    skeleton = latin_skeleton(token)
    if skeleton:
        keys.add(skeleton)
    return keys
