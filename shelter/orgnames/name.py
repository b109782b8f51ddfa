"""An organisation name read for comparison: ``make(name, country="") -> OrgName``.

The steps, each in its module: words and their Latin form (``normalise``); an acronym in brackets kept
as an alias ("Ministry of Internal Affairs (MVD)"); a dedication marked as optional ("имени Ломоносова",
"Muhammad al-Xorazmiy nomidagi"); legal forms at either end set aside (``legal``); the country the name
names taken out and kept as the name's country (``countries``, with a slip tolerated in a long word:
Blarus); organisation words mapped to concepts (``terms``: also through another orthography's reading,
inside a compound — Staatssicherheitsdienst, Генпрокуратура — or with a slip in a long word: Tchnical);
initials (``acronyms``). What is left is the name's content: concept words and distinctive words (a
city, a company's own name). Results are cached per (name, country).
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from shelter.matching.phonetic import key, loose, readings

from . import acronyms, countries, legal, terms
from .normalise import language, latin, words

MAX_NAME_LENGTH = 500  # characters; longer input is cut (a name, not a document)
_PARENTHESES = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
# Russian adjectives in -ский (Ташкентский → Tashkent): the ending goes, so that the adjective meets the
# city. Keys write тс as T (Ташкентский → taSkenTki).
_ADJECTIVE_ENDINGS = ("ий", "ый", "ая", "ое", "ого", "ой", "ом", "ие", "их", "ую", "им", "ими", "ому")
_ADJECTIVE = re.compile(
    "(T|s)(?:" + "|".join(sorted({key("ск" + e)[1:] for e in _ADJECTIVE_ENDINGS}, key=len, reverse=True)) + ")$")
MIN_STEM = 4


@dataclass(frozen=True, slots=True)
class Word:
    """A word of a name's content (a concept phrase of several words is one Word)."""

    text: str  # as written
    latin: str  # casefolded, in Latin letters
    key: str  # phonetic key (shelter.matching.phonetic)
    loose: str  # loose phonetic key: vowel runs folded (Toshkent = Tashkent)
    stem: str  # the key without a Russian adjective ending (Ташкентский → Tashkent)
    concept: str  # concept code (terms), "" for a distinctive word
    weight: float
    dedication: bool = False  # the person a body is named after (имени Ломоносова): optional in usage
    alts: tuple[str, ...] = ()  # other keys: German or Polish readings (Swjasi), Azerbaijani ə typed as e


@dataclass(frozen=True, slots=True)
class OrgName:
    """An organisation name as the matcher sees it."""

    original: str
    words: tuple[Word, ...]  # the content: concept words and distinctive words
    country: str  # ISO 3166-1 alpha-2 the name names, else the one given, else ""
    country_in_name: bool  # the name itself says it (Республики Узбекистан), rather than the caller
    legal_forms: tuple[str, ...]  # as written (ООО, LLC), ignored in comparison
    acronym: str  # comparable letters when the whole name is an acronym (SNB → "snb"), else ""
    acronym_text: str  # that acronym as written
    initials: frozenset[str]  # comparable initials the name expands to (its words', and any given in brackets)
    initials_display: tuple[str, str]  # its initials as written: own script, Latin ("СНБ", "SNB")
    compact: str  # every key run together, country words included (Kazakh Telecom = Kazakhtelecom)
    lang: str  # the language whose Cyrillic alphabet the name uses, "" for Latin

    @property
    def text(self) -> str:
        """The comparable form: Latin, casefolded, without legal forms, country words and stopwords."""
        return " ".join(word.latin for word in self.words)

    @property
    def concepts(self) -> tuple[str, ...]:
        return tuple(word.concept for word in self.words if word.concept)


def make(name: str, country: str = "") -> OrgName:
    """Read an organisation name; ``country`` (ISO 3166-1 alpha-2) is used when the name names none."""
    if not isinstance(name, str):
        raise TypeError(f"an organisation name is a string, not {type(name).__name__}")
    return _make(name[:MAX_NAME_LENGTH], (country or "").strip().upper())


@lru_cache(maxsize=1 << 16)
def _make(name: str, given_country: str) -> OrgName:
    text = unicodedata.normalize("NFKC", name)
    bracketed: list[str] = []

    def bracket(match: re.Match) -> str:
        inner = match.group(1) if match.group(1) is not None else match.group(2)
        inner_words = words(inner)
        if len(inner_words) == 1 and acronyms.looks_like_acronym(inner_words[0]):
            bracketed.append(inner_words[0])  # "Ministry of Internal Affairs (MVD)": an alias, not a word
            return " "
        return f" {inner} "

    text = _PARENTHESES.sub(bracket, text)
    raw = words(text)
    lang = language(text)
    folded = [w.casefold() for w in raw]
    keys = [key(w) for w in folded]

    # A dedication (имени Ломоносова, Muhammad al-Xorazmiy nomidagi) and its marker.
    markers, dedicated = terms.dedication(keys)
    meaningful = [i for i in range(len(raw)) if keys[i] and i not in markers and not terms.is_stopword(folded[i])]

    # Legal forms at either end of the name, unless they are all there is ("AO" alone is a name).
    abbreviations = countries.abbreviations()  # RF is the Russian Federation, not a legal form
    legal_spans = _at_the_ends([span for span in legal.find(folded)
                                if not (span[1] - span[0] == 1 and folded[span[0]] in abbreviations)], meaningful)
    in_legal = {i for start, end, _ in legal_spans for i in range(start, end)}
    if not [i for i in meaningful if i not in in_legal]:
        legal_spans, in_legal = [], set()
    legal_forms = tuple(" ".join(raw[start:end]) for start, end, _ in legal_spans)
    content = [i for i in meaningful if i not in in_legal]

    # The country the name names, with a 'republic' or 'federation' word next to it.
    found_country, in_country = _country(content, keys, folded)
    remaining = [i for i in content if i not in in_country]
    if not remaining:  # the name is a country's name ("Republic of Uzbekistan"): keep it as words
        remaining, in_country = content, set()

    own_words = _words(remaining, raw, folded, keys, lang, dedicated)
    acronym = acronym_text = ""
    if len(remaining) == 1 and not own_words[0].concept and acronyms.looks_like_acronym(raw[remaining[0]]):
        acronym_text = raw[remaining[0]]
        acronym = acronyms.letters(acronym_text)
    initials = {acronyms.letters(b) for b in bracketed}
    display = ("", "")
    spelled = [i for i in remaining if i not in dedicated]
    if len(spelled) >= 2:
        initials.add(acronyms.initials(folded[i] for i in spelled))
        display = acronyms.display([raw[i] for i in spelled], lang)
    compact = "".join(keys[i] for i in content)
    return OrgName(
        original=name, words=tuple(own_words), country=found_country or given_country,
        country_in_name=bool(found_country), legal_forms=legal_forms, acronym=acronym, acronym_text=acronym_text,
        initials=frozenset(initials), initials_display=display, compact=compact, lang=lang)


def _at_the_ends(spans: list[tuple[int, int, str]], meaningful: list[int]) -> list[tuple[int, int, str]]:
    """The legal forms that open or close the name (after other legal forms): ООО «…», … LLC, «…» ЖШС.
    A legal form's letters inside the name are words of it (Ala-Too is no TOO)."""
    kept: list[tuple[int, int, str]] = []
    changed = True
    while changed:
        changed = False
        covered = {i for start, end, _ in kept for i in range(start, end)}
        for span in spans:
            if span in kept:
                continue
            before = [i for i in meaningful if i < span[0] and i not in covered]
            after = [i for i in meaningful if i >= span[1] and i not in covered]
            if not before or not after:
                kept.append(span)
                changed = True
                break
    return sorted(kept)


def _country(content: list[int], keys: list[str], folded: list[str]) -> tuple[str, set[int]]:
    """The first country named among the content words, and the positions of its words."""
    content_keys = [keys[i] for i in content]
    spans = countries.lexicon().find(content_keys)
    abbreviations = countries.abbreviations()
    taken_by_words = {n for start, end, _, _ in spans for n in range(start, end)}
    for n, i in enumerate(content):
        if n and n not in taken_by_words and folded[i] in abbreviations:  # МВД РУз, not РУз alone
            spans.append((n, n + 1, abbreviations[folded[i]], folded[i]))
    if not spans:  # a typing slip in a country's name (Blarus): one word, long enough to be sure
        for n, token_key in enumerate(content_keys):
            near = countries.lexicon().near(token_key) if not terms.single(token_key) else None
            if near:
                spans.append((n, n + 1, near[0], near[1]))
                break
    spans.sort()
    if not spans:
        return "", set()
    absorbed = countries.absorbed()
    taken: set[int] = set()
    for start, end, _, _ in spans:
        taken.update(range(start, end))
        # Republic of Uzbekistan, Kyrgyz Republic, Российской Федерации, Oʻzbekiston Respublikasi.
        for neighbour in (start - 1, end):
            if 0 <= neighbour < len(content_keys) and _concept_of(content_keys[neighbour]) in absorbed:
                taken.add(neighbour)
    return spans[0][2], {content[i] for i in taken}


def _concept_of(token_key: str) -> str:
    for words_, code, _ in terms.lexicon().starting(token_key):
        if len(words_) == 1:
            return code
    return ""


def _words(positions: list[int], raw, folded, keys, lang, dedicated: set[int]) -> list[Word]:
    content_keys = [_concept_key(folded[i], keys[i]) for i in positions]
    spans = {start: (end, code) for start, end, code, _ in terms.lexicon().find(content_keys)}
    found = []
    n = 0
    while n < len(positions):
        if n in spans:
            end, code = spans[n]
            members = positions[n:end]
            joined_key = "".join(keys[i] for i in members)
            found.append(Word(
                text=" ".join(raw[i] for i in members), latin=" ".join(latin(folded[i], lang) for i in members),
                key=joined_key, loose=loose(joined_key), stem=joined_key, concept=code, weight=terms.weight(code)))
            n = end
            continue
        i = positions[n]
        parts = terms.compound(folded[i]) if i not in dedicated else ()
        near = terms.lexicon().near(keys[i]) if not parts and i not in dedicated else None
        if near:  # Tchnical: an organisation word with a typing slip
            found.append(Word(text=raw[i], latin=latin(folded[i], lang), key=keys[i], loose=loose(keys[i]),
                              stem=keys[i], concept=near[0], weight=terms.weight(near[0])))
        elif parts:  # Staatssicherheitsdienst: three concept words in one
            for part, code in parts:
                part_key = key(part)
                found.append(Word(text=part, latin=part, key=part_key, loose=loose(part_key), stem=part_key,
                                  concept=code, weight=terms.weight(code)))
        else:
            found.append(_distinctive(raw[i], folded[i], keys[i], lang, i in dedicated))
        n += 1
    return found


@lru_cache(maxsize=1 << 17)
def _concept_key(folded: str, token_key: str) -> str:
    """The key to look a word up among concepts by: its own, or a reading of it in another orthography
    that names a concept (Technologii read as German spells технологии)."""
    if token_key in terms.lexicon():
        return token_key
    for reading in readings(folded):
        if reading in terms.lexicon():
            return reading
    return token_key


@lru_cache(maxsize=1 << 17)
def _distinctive(raw: str, folded: str, token_key: str, lang: str, dedication: bool = False) -> Word:
    alts = list(readings(folded))
    if "ə" in folded:
        alts.append(key(folded.replace("ə", "e")))
    return Word(text=raw, latin=latin(folded, lang), key=token_key, loose=loose(token_key), stem=_stem(token_key),
                concept="", weight=terms.DEDICATION_WEIGHT if dedication else terms.DISTINCTIVE_WEIGHT,
                dedication=dedication, alts=tuple(dict.fromkeys(a for a in alts if a != token_key)))


@lru_cache(maxsize=1 << 18)
def _stem(token_key: str) -> str:
    match = _ADJECTIVE.search(token_key)
    if not match:
        return token_key
    stem = token_key[:match.start()] + ("t" if match.group(1) == "T" else "")
    return stem if len(stem) >= MIN_STEM else token_key
