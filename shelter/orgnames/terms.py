"""Organisation words across languages → one concept code (data/org_terms.json, each concept with its
source): государственной = davlat = мемлекеттік = dövlət = state; внутренних дел = ichki ishlar =
internal affairs = interior. Stopwords (of, the, по, va) carry nothing and are dropped.

Public API: ``concepts() -> dict[code, Concept]``, ``lexicon() -> Lexicon`` of concept phrases,
``is_stopword(key)``, ``weight(code)``, ``dedication(keys)`` (the words of 'имени Ломоносова', 'named after',
'… nomidagi'), ``DISTINCTIVE_WEIGHT``, ``DEDICATION_WEIGHT``.
"""

from dataclasses import dataclass
from functools import cache

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
    return frozenset(key(word) for word in load("org_terms.json")["stopwords"]["words"])


def is_stopword(token_key: str) -> bool:
    return token_key in _stopwords()


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
            return set(range(start, end)), set(range(0, start))
    return set(), set()


def weight(code: str) -> float:
    return concepts()[code].weight
