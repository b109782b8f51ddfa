"""Phonetic keys: one spelling for every way the sounds of these names are written.

``key("Ҳошимов") == key("Khoshimov") == key("Hoshimov")``. The key folds scripts and spelling
schemes, not sounds that tell names apart: Azimov and Azamov keep different keys. The ``loose`` key
goes further and keeps one vowel class per run of vowels, so that Uzbek "o" meets Russian "a"
(Qodiriy ~ Kadyri) and ё written "yo", "e" or "io" meets itself (Mirziyoyev ~ Mirzieev).
"""

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from normality import ascii_text

DATA = Path(__file__).parent / "data"
TABLES = json.loads((DATA / "phonetic.json").read_text("utf-8"))
# The transliteration data's fold (non-Russian Cyrillic letter → nearest Russian letters) is the one
# list of the Cyrillic letters Shelter knows: a letter the phonetic table does not spell itself (ҝ, ҹ,
# җ) is keyed as the Russian letters it folds to, so no Cyrillic letter is ever left out of a key.
_FOLD = json.loads((DATA / "transliteration.json").read_text("utf-8"))["languages"]["ru"]["fold"]["letters"]
CYRILLIC_LETTERS = TABLES["cyrillic"]["letters"] | {
    letter: "".join(TABLES["cyrillic"]["letters"][russian] for russian in folded)
    for letter, folded in _FOLD.items() if letter not in TABLES["cyrillic"]["letters"]
}

# Uzbek oʻ gʻ and the tutuq belgisi, their look-alikes, and BGN/PCGN's ” for ъ (Ne”matullo).
APOSTROPHES = "ʻʼ'’‘`ʹ′”″\""
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04FF]")
_CYRILLIC = str.maketrans(CYRILLIC_LETTERS)
_UZBEK_LETTERS = TABLES["uzbek_apostrophe_letters"]["letters"]
_UZBEK = re.compile(f"([{''.join(_UZBEK_LETTERS)}])[{re.escape(APOSTROPHES)}]")
_APOSTROPHE = _HAS_APOSTROPHE = re.compile(f"[{re.escape(APOSTROPHES)}]")
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")

# Folded sequences become placeholders that no later step touches: S (sh), C (ch), T (ts).
_PLACEHOLDERS = {"š": "S", "č": "C", "c": "T"}
_SEQUENCES = {seq: _PLACEHOLDERS.get(out, out) for seq, out in TABLES["latin_sequences"]["sequences"].items()}
_SEQUENCE = re.compile("|".join(sorted(map(re.escape, _SEQUENCES), key=len, reverse=True)))
_SOFT_C = re.compile(r"c(?=[ei])")  # Slavic Latin c is ц: Cereteli, Cichanouski (English Cecil is rare here)
# Letters-with-digits ("Ig0r Sech1n") are typed look-alikes; digits on their own are left alone.
_LOOKALIKE_DIGITS = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "8": "b", "9": "g"})
_NOT_KEY = re.compile(r"[^a-zSCT0-9]")
_DOUBLES = re.compile(r"([a-zSCT])\1+")
# Arabic compounds in -ad-Din are written -iddin, -uddin, -eddin, -addin, -utdin, -etdin.
_DIN = re.compile(r"[aeiu][dt]din$")
_VOWEL_CLASS = TABLES["vowel_classes"]["classes"]
_VOWEL_RUN = re.compile(r"[aeiou]+")
_VOWELS = frozenset("aeiouy")


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 18)
def key(token: str) -> str:
    """Phonetic key of one name token (any case, any script, apostrophes kept)."""
    if token.isascii():  # most Latin names: no normalising, no other script, no accents
        text = token.lower()
    else:
        text = unicodedata.normalize("NFKC", token).casefold()
        if _ALL_CYRILLIC.fullmatch(text):  # one table lookup per letter, the folding done in advance
            return _cyrillic_key(text)
        if _LOGOGRAPHIC.search(text):
            return text
        text = _unicode_to_latin(text)
    if text.endswith("j") and text[-2:-1] in _VOWELS:  # Sergej, Nikolaj, Selenskyj: German and Czech й
        text = text[:-1] + "y"
    if _HAS_APOSTROPHE.search(text):
        text = _APOSTROPHE.sub("", _UZBEK.sub(lambda m: _UZBEK_LETTERS[m.group(1)], text))
    text = _SEQUENCE.sub(_fold, text)
    if "c" in text:  # what is left of c after ch, cz, ck: ц before e and i, k elsewhere
        text = _SOFT_C.sub("T", text).replace("c", "k")
    if not text.isascii():
        text = _strip_accents(text)
    if not text.isalpha() and _DIGIT.search(text) and _LETTER.search(text):
        text = text.translate(_LOOKALIKE_DIGITS)
    text = _NOT_KEY.sub("", text) or _unromanised(token)
    if text.endswith("din"):
        text = _DIN.sub("idin", text)
    return _DOUBLES.sub(r"\1", text)


def _unromanised(token: str) -> str:
    """Letters of a script nothing here romanises (Khmer, say), compared as written."""
    return "".join(c for c in unicodedata.normalize("NFKC", token).casefold() if c.isalnum())


def _fold(match: re.Match) -> str:
    return _SEQUENCES[match.group()]


_ALL_CYRILLIC = re.compile("[\u0400-\u04ff]+")
# Each Cyrillic letter's share of a key, folded once here exactly as its Latin spelling is (ж → zh → j).
_CYRILLIC_KEY = str.maketrans({
    letter: _SEQUENCE.sub(_fold, latin) for letter, latin in CYRILLIC_LETTERS.items()})
# Neighbouring letters whose Latin spellings together make a sequence the Latin folding joins (дж, дҷ →
# dzh, dj → j; тс → ts; тч → tch; оу, оў → ou; сз → sz): joined first, so that a Cyrillic name and its
# Latin spelling agree (Саидҷон, Саиджон, Saidjon).
_JOINS = {"дж": "ҷ", "дҷ": "ҷ", "тс": "ц", "тч": "ч", "оу": "у", "оў": "у", "сз": "ш"}
_JOIN = re.compile("|".join(_JOINS))


def _cyrillic_key(text: str) -> str:
    if _JOIN.search(text):
        text = _JOIN.sub(lambda m: _JOINS[m.group()], text)
    text = text.translate(_CYRILLIC_KEY)
    if text.endswith("din"):
        text = _DIN.sub("idin", text)
    return _DOUBLES.sub(r"\1", text)


def _unicode_to_latin(text: str) -> str:
    """Cyrillic through the folding table, other scripts through ICU; Azerbaijani c is dzh."""
    if _CYRILLIC_LETTER.search(text):
        text = text.translate(_CYRILLIC)
    if not text.isascii() and _NOT_LATIN.search(text):
        text = ascii_text(text).lower()
    if _AZERBAIJANI_LETTER.search(text):
        text = text.replace("c", "j")
    return text


# Letters outside ASCII, the Latin supplements and extensions, spacing modifiers and combining marks:
# Greek, Arabic, Armenian, Georgian, kana ... which ICU romanises.
_NOT_LATIN = re.compile("[^\x00-\u036f\u1e00-\u1eff\u2000-\u206f]")
# Han characters and Hangul syllables stay as they are: two characters that read alike are still two
# names (高石 and 高市 both romanise to "gao shi").
_LOGOGRAPHIC = re.compile("[\u4e00-\u9fff\uac00-\ud7af]")
_AZERBAIJANI_LETTER = re.compile(f"[{TABLES['azerbaijani_c']['markers']}]")


@lru_cache(maxsize=1 << 18)
def loose(phonetic: str) -> str:
    """Loose key of a phonetic key: one vowel class per run of vowels, the class of its first vowel
    (Mirziyoyev's "ioie" and Mirzieev's "ie" both start with i; Mirzayev's "aie" does not)."""
    return _VOWEL_RUN.sub(lambda m: _VOWEL_CLASS[m.group()[0]], phonetic)


def _orthography(rules: list[list[str]]):
    """One pass over the text, the first rule that matches at each position winning (as a reader does)."""
    pattern = re.compile("|".join(f"({rule})" for rule, _ in rules))
    replacements = [replacement for _, replacement in rules]
    return lambda text: pattern.sub(lambda m: replacements[m.lastindex - 1], text)


_ORTHOGRAPHIES = [_orthography(rules) for rules in TABLES["readings"]["orthographies"].values()]


@lru_cache(maxsize=1 << 16)
def readings(token: str) -> tuple[str, ...]:
    """Keys of a part read in other orthographies, other than its own key: a Latin part as German, Polish,
    French and Turkish spell Russian ("Sakajew" → "zakaiev", ...); a Cyrillic ё as yo. Empty otherwise."""
    text = unicodedata.normalize("NFKC", token).casefold()
    own = key(token)
    if "ё" in text:  # passports write ё as e (Ёров = Erov), BGN/PCGN and the press as yo (Yorov)
        return (reading,) if (reading := key(text.replace("ё", "йо"))) != own else ()
    if not _strip_accents(text).isascii():
        return ()
    found = []
    for read in _ORTHOGRAPHIES:
        variant = read(text)
        if variant != text and (reading := key(variant)) != own and reading not in found:
            found.append(reading)
    return tuple(found)
