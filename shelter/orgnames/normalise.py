"""An organisation name → its words, and the comparable Latin form of each.

Reuses the person matcher's steps: ``shelter.matching.tokenize`` (NFKC, the five apostrophe forms, word
splitting that drops quotes « » " " and punctuation), ``scripts.guess_language`` (which Cyrillic: Uzbek
ў қ ғ ҳ, Kazakh ұ і ә, Tajik ӣ ӯ ҷ …) and ``translit.romanise`` (that language's default scheme: Uzbek
official Latin, Kazakh 2021 Latin, Russian ICAO Doc 9303). Phonetic keys (``phonetic.key``) are what
words are compared by; the Latin form is for reading and explanations.

Public API:

- ``words(name) -> list[str]`` — the words as written, runs of single letters joined ("S.N.B." → "SNB").
- ``language(name) -> str`` — the language whose alphabet the Cyrillic letters betray ("" for Latin).
- ``latin(word, lang) -> str`` — one word, casefolded, in Latin letters, Uzbek apostrophes as ʻ.
- ``normalise(name) -> str`` — the whole name as a comparable string: NFKC, casefolded, Latin letters,
  punctuation and quotes gone ("ООО «Технологии связи»" → "ooo tekhnologii sviazi").
"""

import unicodedata
from functools import lru_cache

from shelter.matching import scripts, translit
from shelter.matching.phonetic import APOSTROPHES
from shelter.matching.tokenize import tokens

_APOSTROPHE = str.maketrans({char: "ʻ" for char in APOSTROPHES})


def words(name: str) -> list[str]:
    """The words of a name, as the person matcher splits them but without its person rules (no split
    at a capital inside a word: "SPbGU", "ОсОО", "MChJ"; "MVD" stays a word); a run of single letters
    is one word, an acronym written with dots or spaces ("S.N.B.", "L. N.")."""
    found: list[str] = []
    run: list[str] = []
    for word in tokens(name, person=False):
        if word[-2:-1] in APOSTROPHES and word[-1:] in "sS" and len(word) > 3:
            word = word[:-2]  # English possessive: Tajikistan's
        elif word[1:2] in APOSTROPHES and word[:1] in "lLdD" and len(word) > 3 and word[2:3].isalpha():
            word = word[2:]  # French elision: l'Intérieur, d'Ouzbékistan
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        if run:
            found.append("".join(run))
            run = []
        found.append(word)
    if run:
        found.append("".join(run))
    return found


@lru_cache(maxsize=1 << 16)
def language(name: str) -> str:
    found = scripts.scripts(name)
    if "cyrillic" not in found:
        return ""
    guessed = scripts.guess_language(name)
    return guessed if guessed in translit.LANGUAGES else "ru"


@lru_cache(maxsize=1 << 18)
def latin(word: str, lang: str = "") -> str:
    text = unicodedata.normalize("NFKC", word).casefold()
    if lang and scripts.scripts(text) & {"cyrillic"}:
        text = translit.romanise(text, lang)
    # Uzbek oʻ gʻ: five apostrophe forms, one written here; the sign of a soft or hard sign ʼ likewise.
    return text.translate(_APOSTROPHE).strip("ʻ")


def normalise(name: str) -> str:
    ws = words(name)
    lang = language(name)
    return " ".join(latin(w, lang) for w in ws)
