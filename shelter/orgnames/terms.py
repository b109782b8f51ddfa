"""Organisation words across languages → one concept code (data/org_terms.json, each concept with its
source): государственной = davlat = мемлекеттік = dövlət = state; внутренних дел = ichki ishlar =
internal affairs = interior. Stopwords (of, the, по, va) carry nothing and are dropped.

Public API: ``concepts() -> dict[code, Concept]``, ``lexicon() -> Lexicon`` of concept phrases,
``is_stopword(key)``, ``weight(code)``, ``DISTINCTIVE_WEIGHT``.
"""

from dataclasses import dataclass
from functools import cache

from shelter.matching.phonetic import key

from .lexicon import Lexicon, load

DISTINCTIVE_WEIGHT = 1.0  # a word that is not an organisation word: a city, a company's own name


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


def weight(code: str) -> float:
    return concepts()[code].weight
