"""Acronyms: the initials of a name, in its own script and in Latin, compared letter by letter through
phonetic keys, so that СНБ = SNB, ДХХ = DXX, ҰҚК = UQK and Davlat xavfsizlik xizmati → DXX.

Служба национальной безопасности → СНБ → SNB; Davlat xavfsizlik xizmati → DXX; State Security Service →
SSS. An acronym alone is weak evidence: ГКНБ is both Kyrgyzstan's and Tajikistan's service, СГБ both
Uzbekistan's and (in Russian) Azerbaijan's (data/org_terms.json, ambiguous_acronyms).

Public API:

- ``letter(word) -> str`` — the comparable first letter of a word (its phonetic key's, vowels folded
  to their class: Х, X and Kh all give "h", Е, Ye and Э "i").
- ``letters(word) -> str`` — an acronym as comparable letters, one per letter ("ДХХ" → "dhh").
- ``initials(words) -> str`` — the comparable initials of a name's words.
- ``display(words, lang) -> tuple[str, str]`` — the initials as a reader writes them, in the name's own
  script and in Latin ("СНБ", "SNB").
- ``looks_like_acronym(word) -> bool`` — 2 to 6 letters, mostly capitals (SNB, SPbGU) or no vowel (mvd).
- ``countries_sharing(letters) -> tuple[str, ...]`` — the states whose bodies an acronym names, when
  it is known to name more than one.
"""

from functools import cache, lru_cache

from shelter.matching.phonetic import key, loose

from .lexicon import load
from .normalise import latin

MIN_LENGTH, MAX_LENGTH = 2, 6
_VOWELS = frozenset("aeiouyáéíóúàèìòùäöüəıâêîôûеёиоуыэюяаәіөүұӣӯў")


@lru_cache(maxsize=1 << 16)
def letter(word: str) -> str:
    folded = loose(key(word))
    return folded[:1].lower()


@lru_cache(maxsize=1 << 14)
def letters(word: str) -> str:
    return "".join(letter(char) for char in word if char.isalpha())


def initials(words) -> str:
    return "".join(letter(word) for word in words)


def display(words, lang: str = "") -> tuple[str, str]:
    own = "".join(word[:1] for word in words).upper()
    roman = "".join(latin(word, lang)[:1] for word in words).upper()
    return own, roman


def looks_like_acronym(word: str) -> bool:
    """SNB, ГКНБ, ҰҚК; SPbGU, KazNU (mostly capitals); snb, mvd (no vowel)."""
    if not (MIN_LENGTH <= len(word) <= MAX_LENGTH) or not word.isalpha():
        return False
    capitals = sum(char.isupper() for char in word)
    return (capitals >= 2 and 2 * capitals >= len(word)) or not (set(word.casefold()) & _VOWELS)


@cache
def _shared() -> dict[str, tuple[str, ...]]:
    data = load("org_terms.json")["ambiguous_acronyms"]["acronyms"]
    return {letters(acronym): tuple(countries) for acronym, countries in data.items()}


def countries_sharing(acronym_letters: str) -> tuple[str, ...]:
    return _shared().get(acronym_letters, ())
