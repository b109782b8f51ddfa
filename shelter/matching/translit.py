"""Transliteration of names by language and scheme, driven by data/transliteration.json.

Plain Python (no Django). The reference tables, each with the decree or standard it follows, live in the
versioned data file; this module only compiles and applies them.

Public API
----------
``LANGUAGES``
    ("ru", "uz", "tg", "kk", "ky", "tk", "az", "be").
``CYRILLIC_FROM_LATIN``
    ("uz", "tk", "az", "kk"): the languages ``to_cyrillic`` reads back from their official Latin alphabet.
``schemes(lang) -> list[str]``
    The scheme names of a language, default first. Russian: bgn_pcgn, icao, gost_52535, gost_7034, mvd_310,
    mvd_310_fr, mvd_782, scholarly, ala_lc, wikipedia (all through the ``iuliia`` package) and german_press,
    french_press, polish_press (tables). Uzbek: official_latin, russian_style. Tajik: national, simplified,
    bgn_pcgn, russian_style. Kazakh: latin_2021, bgn_pcgn, russian_style. Kyrgyz: bgn_pcgn, russian_style.
    Turkmen: official_latin, russian_style. Azerbaijani: official_latin. Belarusian: national, passport, bgn_pcgn.
``default_scheme(lang) -> str``
    ru icao (passports), uz official_latin, tg national, kk latin_2021, ky bgn_pcgn, tk official_latin,
    az official_latin, be national.
``source(lang, scheme) -> str``
    The standard or convention a scheme follows, as recorded in the data file.
``romanise(text, lang="ru", scheme=None) -> str``
    Cyrillic letters to Latin; everything else (Latin letters, digits, spaces, punctuation) is kept.
    Case follows the input: "Шавкат" → "Shavkat", "ШАВКАТ" → "SHAVKAT". An empty string gives "".
``to_cyrillic(text, lang) -> str``
    Official Latin back to Cyrillic for uz, tk, az and kk ("Oʻtkir Hoshimov" → "Ўткир Ҳошимов"; every
    apostrophe form ʻ ʼ ' ’ ‘ ` is the Uzbek ʻ/ʼ).
``variants(text, lang=None) -> dict[str, str]``
    Scheme name → romanisation for every scheme of the language; the language is guessed with
    ``scripts.guess_language`` when not given (Cyrillic without tell-tale letters is Russian; Latin
    without them gives {}). For Latin input in uz, tk, az or kk the Cyrillic form comes under the key
    "cyrillic" and the schemes romanise that. Nothing is deduplicated: callers decide.

Unknown languages and schemes raise ValueError naming the valid ones.

Notes
-----
- Russian schemes first fold non-Russian Cyrillic letters to their nearest Russian letter (ҳ→х, ў→у,
  қ→к, ғ→г, ҷ→дж, ӣ→и, ӯ→у, ә→а, і→и, ң→н, ө→о, ү→у, ұ→у, һ→х …; languages.ru.fold in the data file),
  because iuliia leaves them untouched. iuliia also leaves Cyrillic ё in BGN/PCGN, scholarly and ALA-LC
  output where those standards write ë; we write ë.
- Table schemes read a letter outside their alphabet through the same fold (a Kazakh ұ in an Uzbek table
  is read as у), so no Cyrillic letter the fold knows is left behind.
- ``to_cyrillic(…, "az")`` reads a plain capital I opening a lower-case word as İ ("Ilham" → "Илһам"):
  ASCII keyboards lack İ and Azerbaijani names do not begin with ı. Words in capitals keep the alphabet's
  reading (I is ı), since ALL-CAPS passport data cannot tell the two apart.
- Tables compile on first use and are cached; results are memoised per (text, lang, scheme).
"""

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import iuliia

from shelter.matching import scripts as _scripts

LANGUAGES = ("ru", "uz", "tg", "kk", "ky", "tk", "az", "be")
CYRILLIC_FROM_LATIN = ("uz", "tk", "az", "kk")

_LETTER = r"[^\W\d_]"
_START = f"(?<!{_LETTER})"
_END = f"(?!{_LETTER})"
_WORD = re.compile(f"({_LETTER}+)")
# A plain capital I opening a word, with the letter after it (kept only when lower case: "Ilham").
_INITIAL_CAPITAL_I = re.compile(f"{_START}I(?={_LETTER})")


# --- Data ---------------------------------------------------------------------------------------------


@cache
def _data() -> dict:
    text = resources.files("shelter.matching").joinpath("data/transliteration.json").read_text("utf-8")
    return json.loads(text)


def _language(lang: str) -> dict:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    return _data()["languages"][lang]


def schemes(lang: str) -> list[str]:
    """Names of the schemes of ``lang``, its default first."""
    entry = _language(lang)
    names = list(entry["schemes"])
    names.remove(entry["default"])
    return [entry["default"], *names]


def default_scheme(lang: str) -> str:
    return _language(lang)["default"]


def source(lang: str, scheme: str) -> str:
    """The standard or convention behind a scheme, as the data file records it."""
    return _scheme_entry(lang, scheme)["source"]


def _scheme_entry(lang: str, scheme: str) -> dict:
    entry = _language(lang)["schemes"].get(scheme)
    if entry is None:
        raise ValueError(f"unknown scheme {scheme!r} for {lang!r}; expected one of {', '.join(schemes(lang))}")
    return entry


def _resolved(lang: str, scheme: str) -> dict:
    """A table entry with its 'extends' chain merged: own letters override, own rules come first."""
    entry = _scheme_entry(lang, scheme)
    parent_name = entry.get("extends")
    if not parent_name:
        return entry
    parent_lang, _, parent_scheme = parent_name.rpartition("/")
    parent = _resolved(parent_lang or lang, parent_scheme)
    merged = {**parent, **entry}
    merged["letters"] = {**parent.get("letters", {}), **entry.get("letters", {})}
    merged["rules"] = [*entry.get("rules", []), *parent.get("rules", [])]
    return merged


# --- Case handling ------------------------------------------------------------------------------------


def _lower(text: str, turkic: bool) -> str:
    if turkic:  # Python lowers "İ" to "i̇" (two code points) and "I" to "i"; Turkic wants "i" and "ı"
        text = text.replace("İ", "i").replace("I", "ı")
    return text.lower()


def _upper(text: str, turkic: bool) -> str:
    if turkic:
        text = text.replace("i", "İ")
    return text.upper()


def _case_variants(char: str, turkic: bool) -> set[str]:
    variants = {char, _lower(char, turkic), _upper(char, turkic)}
    return {v for v in variants if len(v) == 1}  # "ß".upper() == "SS" is no case partner


def _is_cased(char: str) -> bool:
    return char.lower() != char.upper()


def _in_word(char: str) -> bool:
    return char.isalpha() or unicodedata.category(char).startswith("M") or char in "'’‘`"


def _nearest_cased(text: str, index: int, step: int) -> str | None:
    """The nearest cased character from ``index`` in direction ``step``, within the same word."""
    while 0 <= index < len(text) and _in_word(text[index]):
        if _is_cased(text[index]):
            return text[index]
        index += step
    return None


def _word_is_capitals(text: str, start: int, end: int) -> bool:
    """Whether the word around text[start:end] is written in capitals (decided by its neighbours)."""
    following = _nearest_cased(text, end, 1)
    if following is not None:
        return following.isupper()
    preceding = _nearest_cased(text, start - 1, -1)
    return preceding is not None and preceding.isupper()


# --- Compiled tables ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Table:
    """One compiled table.

    ``pattern`` holds one group per rule, then a last group for the single letters; it is the exact path,
    used when a word is written in capitals. ``rules`` holds the rule groups only: the fast path runs it
    and then ``str.translate`` with ``translation`` (lower-case letters as they are, capitals capitalised).
    """

    pattern: re.Pattern
    rules: re.Pattern | None
    rule_outputs: tuple[str, ...]
    letters: dict[str, str]
    translation: dict[int, str] | None
    turkic: bool
    apostrophes: dict[int, str]
    initial_capital_i: str | None = None

    def apply(self, text: str) -> str:
        if self.apostrophes:
            text = text.translate(self.apostrophes)
        if self.initial_capital_i:
            text = _INITIAL_CAPITAL_I.sub(self._initial_capital_i, text)
        if self.translation is not None and not _has_capital_words(text):
            if self.rules is not None:
                text = self.rules.sub(lambda match: self._replace(match, text), text)
            return text.translate(self.translation)
        return self.pattern.sub(lambda match: self._replace(match, text), text)

    def _initial_capital_i(self, match: re.Match) -> str:
        following = match.string[match.end()]
        return self.initial_capital_i if following.islower() else match.group()

    def _replace(self, match: re.Match, text: str) -> str:
        found = match.group()
        group = match.lastindex
        if group <= len(self.rule_outputs):
            output = self.rule_outputs[group - 1]
        else:
            output = self.letters[_lower(found, self.turkic)]
        return self._recase(found, output, text, match.start(), match.end())

    def _recase(self, found: str, output: str, text: str, start: int, end: int) -> str:
        if not output:
            return output
        cased = [char for char in found if _is_cased(char)]
        if not cased:  # an apostrophe or sign: follow the word
            return _upper(output, self.turkic) if _word_is_capitals(text, start, end) else output
        if not cased[0].isupper():
            return output
        if (len(cased) > 1 and all(char.isupper() for char in cased)) or _word_is_capitals(text, start, end):
            return _upper(output, self.turkic)
        return _upper(output[:1], self.turkic) + output[1:]


def _has_capital_words(text: str) -> bool:
    return any(len(word) > 1 and word.isupper() for word in _WORD.findall(text))


def _translation(letters: dict[str, str], rule_outputs: tuple[str, ...], turkic: bool) -> dict[int, str] | None:
    """A str.translate table for the fast path, or None when a rule's output could be translated again."""
    keys = set(letters)
    if any(char in keys for output in rule_outputs for char in output):
        return None
    table = {}
    for key, value in letters.items():
        table[ord(key)] = value
        for variant in _case_variants(key, turkic) - {key}:
            table[ord(variant)] = _upper(value[:1], turkic) + value[1:]
    return table


class _RegexWriter:
    """Writes the case-insensitive pieces of a table's regex (re.IGNORECASE would equate i, ı and İ)."""

    def __init__(self, turkic: bool, classes: dict[str, str]):
        self.turkic = turkic
        self.classes = classes  # "vowel" and "consonant"

    def chars(self, text: str) -> str:
        """The body of a character class holding every case of the letters of ``text``."""
        return "".join(re.escape(v) for char in text for v in sorted(_case_variants(char, self.turkic)))

    def literal(self, text: str) -> str:
        return "".join(
            f"[{self.chars(char)}]" if len(_case_variants(char, self.turkic)) > 1 else re.escape(char)
            for char in text
        )

    def context(self, items: list[str], behind: bool) -> str:
        """A look-behind (or look-ahead) satisfied by any of ``items``; "" when there are none."""
        options = []
        for item in items:
            if item in ("start", "end"):
                options.append(_START if item == "start" else _END)
            elif members := self.chars(self.classes.get(item, item)):
                options.append(f"(?<=[{members}])" if behind else f"(?=[{members}])")
        return f"(?:{'|'.join(options)})" if options else ""

    def rule(self, rule: dict) -> str:
        before = self.context(rule.get("after", []), behind=True)
        after = self.context(rule.get("before", []), behind=False)
        return f"{before}({self.literal(rule['match'])}){after}"


def _compile(entry: dict, fallback: dict[str, str] | None = None) -> _Table:
    turkic = bool(entry.get("turkic_i"))
    letters = dict(entry["letters"])
    if fallback:
        letters |= _fallback_letters(letters, fallback)
    single_letters = {key: value for key, value in letters.items() if len(key) == 1}
    writer = _RegexWriter(turkic, _letter_classes(entry.get("vowels", ""), single_letters))
    # Letter sequences of the letter map behave as context-free rules, longest first.
    sequences = sorted((key for key in letters if len(key) > 1), key=len, reverse=True)
    rules = [*entry.get("rules", []), *({"match": key, "to": letters[key]} for key in sequences)]
    alternatives = [writer.rule(rule) for rule in rules]
    outputs = tuple(rule["to"] for rule in rules)
    letter_class = f"([{writer.chars(''.join(single_letters))}])"
    return _Table(
        pattern=re.compile("|".join([*alternatives, letter_class])),
        rules=re.compile("|".join(alternatives)) if alternatives else None,
        rule_outputs=outputs,
        letters=single_letters,
        translation=_translation(single_letters, outputs, turkic),
        turkic=turkic,
        apostrophes=_apostrophe_map(entry),
        initial_capital_i=entry.get("ascii_initial_capital_i"),
    )


def _letter_classes(vowels: str, letters: dict[str, str]) -> dict[str, str]:
    # Signs (ъ ь) and apostrophes are neither vowels nor consonants.
    consonants = "".join(
        key for key in letters if key not in vowels and key not in "ъь" and _scripts.script_of(key) is not None
    )
    return {"vowel": vowels, "consonant": consonants}


def _fallback_letters(letters: dict[str, str], fold: dict[str, str]) -> dict[str, str]:
    """Letters missing from a table, read through their Russian fold (ұ → у → the table's у)."""
    extra = {}
    for letter, russian in fold.items():
        if letter not in letters and all(char in letters for char in russian):
            extra[letter] = "".join(letters[char] for char in russian)
    return extra


def _apostrophe_map(entry: dict) -> dict[int, str]:
    """Every apostrophe form to the one the rules are written with (U+02BC)."""
    return {ord(char): "ʼ" for char in entry.get("apostrophes", "")}


@cache
def _table(lang: str, scheme: str) -> _Table:
    return _compile(_resolved(lang, scheme), fallback=_fold_letters())


@cache
def _cyrillic_table(lang: str) -> _Table:
    return _compile(_language(lang)["to_cyrillic"])


@cache
def _fold_letters() -> dict[str, str]:
    return _data()["languages"]["ru"]["fold"]["letters"]


@cache
def _fold_table() -> dict[int, str]:
    table = {}
    for letter, russian in _fold_letters().items():
        table[ord(letter)] = russian
        table[ord(letter.upper())] = russian[:1].upper() + russian[1:]
    return table


# --- Russian through iuliia -----------------------------------------------------------------------------

# Where BGN/PCGN, scholarly and ALA-LC write ë, iuliia leaves the Cyrillic letter.
_CYRILLIC_YO = str.maketrans({"ё": "ë", "Ё": "Ë"})


def _iuliia(text: str, schema_name: str) -> str:
    schema = getattr(iuliia, schema_name)
    parts = _WORD.split(text)
    for index in range(1, len(parts), 2):  # odd indexes are the words
        parts[index] = _iuliia_word(parts[index], schema)
    return "".join(parts)


def _iuliia_word(word: str, schema) -> str:
    capitals = len(word) > 1 and word.isupper()
    if capitals:  # iuliia capitalises ("ШАВКАТ" → "ShAVKAT"), so go through lower case
        word = word.lower()
    latin = schema.translate(word.translate(_fold_table())).translate(_CYRILLIC_YO)
    return latin.upper() if capitals else latin


# --- Public functions -------------------------------------------------------------------------------------


def romanise(text: str, lang: str = "ru", scheme: str | None = None) -> str:
    """Romanise the Cyrillic letters of ``text`` by ``lang``'s ``scheme`` (its default when None)."""
    scheme = scheme or default_scheme(lang)
    _scheme_entry(lang, scheme)  # validates both names, even for empty text
    if not text:
        return ""
    return _romanise(text, lang, scheme)


@lru_cache(maxsize=65536)
def _romanise(text: str, lang: str, scheme: str) -> str:
    entry = _scheme_entry(lang, scheme)
    if "iuliia" in entry:
        return _iuliia(text, entry["iuliia"])
    return _table(lang, scheme).apply(text)


def to_cyrillic(text: str, lang: str) -> str:
    """Write a name in ``lang``'s official Latin alphabet (uz, tk, az, kk) in its Cyrillic alphabet."""
    if lang not in CYRILLIC_FROM_LATIN:
        _language(lang)  # an unknown language gets the unknown-language message
        raise ValueError(
            f"no Latin-to-Cyrillic table for {lang!r}; available for {', '.join(CYRILLIC_FROM_LATIN)}"
        )
    if not text:
        return ""
    return _to_cyrillic(text, lang)


@lru_cache(maxsize=65536)
def _to_cyrillic(text: str, lang: str) -> str:
    return _cyrillic_table(lang).apply(text)


def variants(text: str, lang: str | None = None) -> dict[str, str]:
    """Scheme name → romanisation for every scheme of the (given or guessed) language of ``text``."""
    found = _scripts.scripts(text)
    if lang is None:
        lang = _scripts.guess_language(text) or ("ru" if "cyrillic" in found else None)
        if lang is None:
            return {}
    _language(lang)
    result = {}
    if lang in CYRILLIC_FROM_LATIN and "latin" in found and "cyrillic" not in found:
        text = result["cyrillic"] = to_cyrillic(text, lang)
    for name in schemes(lang):
        result[name] = romanise(text, lang, name)
    return result
