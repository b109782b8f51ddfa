"""Organisation words across languages → one concept code (data/org_terms.json, each concept with its
source): государственной = davlat = мемлекеттік = dövlət = state; внутренних дел = ichki ishlar =
internal affairs = interior. Stopwords (of, the, по, va) carry nothing and are dropped.

Public API: ``concepts() -> dict[code, Concept]``, ``lexicon() -> Lexicon`` of concept phrases,
``is_stopword(word)``, ``weight(code)``, ``single(key)`` (the concept of one word), ``compound(word)``
(Staatssicherheitsdienst → state, security, service), ``dedication(keys)`` (the words of 'имени Ломоносова', 'named after',
'… nomidagi'), ``DISTINCTIVE_WEIGHT``, ``DEDICATION_WEIGHT``.
"""

from dataclasses import dataclass
from functools import cache, lru_cache

from shelter.matching.phonetic import key

from .lexicon import Lexicon, load

DISTINCTIVE_WEIGHT = 1.0  # a word that is not an organisation word: a city, a company's own name
DEDICATION_WEIGHT = 0.2  # the person a body is named after, often left out


@dataclass(frozen=True, slots=True)
class Concept:
    code: str
    weight: float
    words: tuple[str, ...]
    source: str


@cache
def concepts() -> dict[str, Concept]:
    data = load("org_terms.json")["concepts"]
    return {code: Concept(code, entry["weight"], tuple(entry["words"]), entry["source"])
            for code, entry in data.items()}


@cache
def lexicon() -> Lexicon:
    found = Lexicon("concepts")
    for concept in concepts().values():
        for spec in concept.words:
            found.add(spec, concept.code)
    return found


@cache
def _stopwords() -> frozenset[str]:
    return frozenset(word.casefold() for word in load("org_terms.json")["stopwords"]["words"])


def is_stopword(word: str) -> bool:
    """Whether a casefolded word is a stopword, as written: function words belong to one language, and
    their phonetic keys would take other words with them (Kazakh ТОО keys as English 'to')."""
    return word in _stopwords()


@cache
def _dedication_markers() -> tuple[Lexicon, Lexicon]:
    data = load("org_terms.json")["dedications"]
    after, before = Lexicon("dedication after"), Lexicon("dedication before")
    for spec in data["after"]:
        after.add(spec, "after")
    for spec in data["before"]:
        before.add(spec, "before")
    return after, before


def dedication(keys: list[str]) -> tuple[set[int], set[int]]:
    """Positions of a dedication's marker words and of the dedication itself: the words after 'имени',
    'named after' (to the end of the name), or before 'nomidagi', 'атындағы' (from its start)."""
    after, before = _dedication_markers()
    for start, end, _, _ in after.find(keys):
        if end < len(keys):
            return set(range(start, end)), set(range(end, len(keys)))
    for start, end, _, _ in before.find(keys):
        if start > 0:
            return set(range(start, end)), set(range(start))
    return set(), set()


def single(token_key: str) -> str:
    """The concept a single word names, "" when none."""
    for words, code, _ in lexicon().starting(token_key):
        if len(words) == 1 and words[0].matches(token_key):
            return code
    return ""


@lru_cache(maxsize=1 << 16)
def compound(word: str) -> tuple[tuple[str, str], ...]:
    """A word made of concept words (Staatssicherheitsdienst → staat/state, sicherheit/security,
    dienst/service), as (part, concept) pairs; () when it is not one."""
    data = load("org_terms.json")["compounds"]
    if len(word) < data["min_length"] or not word.isalpha():
        return ()
    return _split(word, tuple(data["linking"])) or ()


@cache
def _clipped() -> dict[str, str]:
    """Clipped words that count only as the first part of a compound (Ген-прокуратура, Гос-комитет)."""
    return {key(part): code for part, code in load("org_terms.json")["compounds"]["parts"].items()}


def _split(word: str, linking: tuple[str, ...]) -> tuple[tuple[str, str], ...] | None:
    for cut in range(len(word) - 3, 2, -1):  # the longest first part first
        head = word[:cut]
        code = single(key(head)) or _clipped().get(key(head), "")
        if not code:
            continue
        rest = word[cut:]
        for tail in (rest, *(rest[len(link):] for link in linking if rest.startswith(link))):
            if len(tail) < 3:
                continue
            tail_code = single(key(tail)) or _clipped().get(key(tail), "")
            if tail_code:
                return ((head, code), (tail, tail_code))
            deeper = _split(tail, linking)
            if deeper:
                return ((head, code), *deeper)
    return None


def weight(code: str) -> float:
    return concepts()[code].weight
