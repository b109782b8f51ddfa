"""Which writing system a name is in, and which language its letters betray.

Plain Python (no Django). Public API:

- ``script_of(char) -> str | None`` — the script of one letter: "latin", "cyrillic", "arabic", "greek",
  "armenian", "georgian", "han", "hangul" or "other"; None for anything that is not a letter (digits,
  spaces, punctuation, combining marks, and the apostrophe-like modifier letters ʻ ʼ ʹ of U+02B0–U+02FF,
  which Uzbek Latin and scholarly transliteration use inside words).
- ``scripts(text) -> set[str]`` — the scripts of all letters of ``text``.
- ``detect(text) -> str`` — one script name when every letter is in that script, "none" when there is
  no letter, and "mixed" otherwise. The rule is deliberately blunt: "mixed" covers both a word that mixes
  scripts (Latin "a" inside "Кaримов": a homoglyph attack or a keyboard slip) and a name whose words are
  in different scripts ("Ulugbek Каримов"). ``mixed_words`` tells the two apart.
- ``iso_15924(text) -> str`` — the ISO 15924 code of ``detect(text)`` ("Cyrl", "Latn" …), "" when the
  text has no letter, mixes scripts or is in a script without a code here (how a recorded name's
  ``script`` field is filled when the user leaves it blank).
- ``mixed_words(text) -> list[str]`` — the words that mix scripts within themselves, in order.
  Words are split at spaces, hyphens and slashes.
- ``guess_language(text) -> str | None`` — a language code guessed from tell-tale letters (see its
  docstring for the rules and their ambiguities).
"""

import re
import unicodedata
from functools import lru_cache

# unicodedata.name() prefixes, longest first where one prefix contains another.
_SCRIPT_PREFIXES = (
    ("LATIN", "latin"),
    ("CYRILLIC", "cyrillic"),
    ("ARABIC", "arabic"),
    ("GREEK", "greek"),
    ("ARMENIAN", "armenian"),
    ("GEORGIAN", "georgian"),
    ("CJK UNIFIED IDEOGRAPH", "han"),
    ("CJK COMPATIBILITY IDEOGRAPH", "han"),
    ("HANGUL", "hangul"),
)
# Full-width letters are the same letters typed on an East Asian keyboard layout.
_WIDTH_PREFIXES = ("FULLWIDTH ", "HALFWIDTH ")
# Spacing modifier letters (ʻ ʼ ʹ ʺ ...) act as apostrophes and primes inside words, not as letters.
_MODIFIER_LETTERS = range(0x02B0, 0x0300)

_WORD_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015/]+")


@lru_cache(maxsize=4096)
def script_of(char: str) -> str | None:
    """The script of one letter, or None if ``char`` is not a letter."""
    if len(char) != 1 or not char.isalpha() or ord(char) in _MODIFIER_LETTERS:
        return None
    try:
        name = unicodedata.name(char)
    except ValueError:  # unnamed (unassigned or private-use) code point
        return "other"
    for prefix in _WIDTH_PREFIXES:
        name = name.removeprefix(prefix)
    for prefix, script in _SCRIPT_PREFIXES:
        if name.startswith(prefix):
            return script
    return "other"


def scripts(text: str) -> set[str]:
    """The set of scripts of the letters of ``text`` (empty when there are none)."""
    found = set()
    for char in text or "":
        script = script_of(char)
        if script is not None:
            found.add(script)
    return found


def detect(text: str) -> str:
    """The single script of ``text``; "mixed" when letters of several scripts appear; "none" without letters."""
    found = scripts(text)
    if not found:
        return "none"
    if len(found) == 1:
        return next(iter(found))
    return "mixed"


ISO_15924 = {"latin": "Latn", "cyrillic": "Cyrl", "arabic": "Arab", "greek": "Grek", "armenian": "Armn",
             "georgian": "Geor", "han": "Hani", "hangul": "Hang"}


def iso_15924(text: str) -> str:
    """The ISO 15924 code of the one script of ``text``; "" when there is none, or several."""
    return ISO_15924.get(detect(text), "")


def mixed_words(text: str) -> list[str]:
    """Words of ``text`` whose own letters come from more than one script (homoglyphs, typos)."""
    return [word for word in _WORD_SEPARATORS.split(text or "") if len(scripts(word)) > 1]


# --- Language guessing -------------------------------------------------------------------------------

_RUSSIAN_LETTERS = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
_TAJIK_ONLY = frozenset("ӣӯҷ")
_AZERBAIJANI_CYRILLIC_ONLY = frozenset("јҹҝ")
_TURKMEN_CYRILLIC_ONLY = frozenset("җ")
_UZBEK_OR_TAJIK = frozenset("ҳ")
_UZBEK_TAJIK_OR_KAZAKH = frozenset("ғқ")
_KAZAKH_DECISIVE = frozenset("ұіәһ")
_KYRGYZ_OR_KAZAKH = frozenset("ңөү")

_APOSTROPHES = "ʻʼ'’‘`"
_UZBEK_LATIN = re.compile(f"[og][{re.escape(_APOSTROPHES)}](?=[^\\W\\d_])", re.IGNORECASE)
_IRISH_O = re.compile("(?<![^\\W\\d_])O['’][A-Z][a-z]")  # O'Brien, O’Neill: not Uzbek
_TURKMEN_DECISIVE = frozenset("ňý")
_TURKMEN_SUPPORTING = frozenset("žä")
_TURKIC_LATIN = frozenset("şçöü")
_KAZAKH_LATIN_DECISIVE = frozenset("ūñŋ")


def guess_language(text: str) -> str | None:
    """Guess the language of a name from the letters only some alphabets have.

    Cyrillic text (checked in this order, first match wins):

    - ӣ ӯ ҷ → "tg" (Tajik only).
    - ј ҹ ҝ → "az" (Soviet-era Azerbaijani Cyrillic); җ → "tk" (Turkmen Cyrillic).
    - ў → "uz", unless it comes with і and none of ғ қ ҳ → "be" (Belarusian).
    - ҳ → "uz": Uzbek or Tajik, and without ӣ ӯ ҷ Uzbek is the likelier.
    - ұ і ә һ → "kk": decisive for Kazakh. Ambiguity: і alone is also Belarusian or Ukrainian
      ("Віктар" comes out Kazakh), and ә is also Turkmen or Azerbaijani Cyrillic.
    - ғ қ → "kk" when ң ө ү appear too (Kazakh has both sets), otherwise "uz": ғ or қ alone could be
      Uzbek, Tajik or Kazakh, and Uzbek is the most common among the names we see.
    - ң ө ү without Kazakh letters → "ky". Ambiguity: Turkmen Cyrillic without җ ("Түркменбашы") also lands here.
    - only Russian letters → "ru" (Belarusian without і or ў, "Лукашэнка", also lands here).
    - other Cyrillic letters (Ukrainian ї є, Serbian ђ …) → None.

    Latin text (no Cyrillic letters):

    - o or g followed by any apostrophe form ʻ ʼ ' ’ ‘ ` and a letter → "uz" (Oʻtkir, G'afur), except
      Irish-looking "O'Brien".
    - ə → "az"; ū ñ ŋ → "kk" (2021 Kazakh Latin).
    - ň or ý, or ž ä together with ş ç ö ü → "tk".
    - anything else → None: plain Latin says nothing about the language.
    """
    letters = {char for char in (text or "").lower() if script_of(char) is not None}
    if not letters:
        return None
    cyrillic = {char for char in letters if script_of(char) == "cyrillic"}
    if cyrillic:
        return _guess_cyrillic(cyrillic)
    return _guess_latin(text, letters)


def _guess_cyrillic(letters: set[str]) -> str | None:
    if letters & _TAJIK_ONLY:
        return "tg"
    if letters & _AZERBAIJANI_CYRILLIC_ONLY:
        return "az"
    if letters & _TURKMEN_CYRILLIC_ONLY:
        return "tk"
    if "ў" in letters:
        belarusian = "і" in letters and not letters & (_UZBEK_OR_TAJIK | _UZBEK_TAJIK_OR_KAZAKH)
        return "be" if belarusian else "uz"
    if letters & _UZBEK_OR_TAJIK:
        return "uz"
    if letters & _KAZAKH_DECISIVE:
        return "kk"
    if letters & _UZBEK_TAJIK_OR_KAZAKH:
        return "kk" if letters & _KYRGYZ_OR_KAZAKH else "uz"
    if letters & _KYRGYZ_OR_KAZAKH:
        return "ky"
    if letters <= _RUSSIAN_LETTERS:
        return "ru"
    return None


def _guess_latin(text: str, letters: set[str]) -> str | None:
    if _UZBEK_LATIN.search(_IRISH_O.sub("", text)):
        return "uz"
    if "ə" in letters:
        return "az"
    if letters & _KAZAKH_LATIN_DECISIVE:
        return "kk"
    if letters & _TURKMEN_DECISIVE or (letters & _TURKMEN_SUPPORTING and letters & _TURKIC_LATIN):
        return "tk"
    return None
