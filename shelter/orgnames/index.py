"""Screening parties against organisations: an in-memory index of their names' blocking keys.

``Index.add(key, names, country)`` adds an organisation with its name and aliases (a renaming is an
alias: SNB → SGB → DXX); ``Index.screen(name, country)`` compares the party with the candidates that
share the most keys with it and returns the organisations that match, best first.

Blocking keys of a name (every one as a 64-bit hash, in two sorted arrays as in the person index):

- a distinctive word's loose stem (Toshkent = Tashkent = Ташкентский), and its first four and its last
  four letters with one left out, so that a typing slip anywhere still meets it;
- a concept (state, security), and each pair of a name's concepts, also qualified by the country (a
  name of form words only — State Security Service — is found among its country's bodies first);
- the name's initials and an acronym's letters, also with the country (ГКНБ of KG);
- the name's letters run together (Kazakh Telecom = Kazakhtelecom).

A key shared by many names counts less than a rare one (divided by log2(1 + names)); a concept counts
less than a word. Order is deterministic: score, then the order organisations were added.
"""

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np

from shelter.matching.phonetic import loose
from shelter.matching.postings import Postings

from .compare import THRESHOLD, Result, compare
from .name import OrgName, _stem, make

MAX_CANDIDATES = 40  # names compared in full per query
MAX_POSTING = 2000  # keys on more names than this (or 5% of them) are left out when rarer ones are there
RELATIVE_CUT = 0.25  # candidates sharing less than this share of the best one's key weight are not compared
MAX_ALIASES = 50
SLIP_SPAN = 4
WORD, SLIP, CONCEPT, PAIR, COUNTRY_PAIR, INITIALS, COMPACT = 3.0, 1.0, 0.3, 1.0, 2.0, 3.0, 3.0
_INT64 = 1 << 63


@dataclass(frozen=True, slots=True)
class Match:
    key: str  # the organisation's key, as given to add()
    score: float
    matched_name: str  # which of its names matched best
    explanation: str
    result: Result  # the full comparison (words paired, countries, acronym)


def name_keys(name: OrgName) -> dict[str, float]:
    """Blocking keys of a name, as text, with how much sharing each says."""
    keys: dict[str, float] = {}
    country = name.country
    if name.acronym:
        keys["a:" + name.acronym] = INITIALS
        if country:
            keys[f"A:{country}:{name.acronym}"] = INITIALS
    for initials in name.initials:
        keys["a:" + initials] = INITIALS
        if country:
            keys[f"A:{country}:{initials}"] = INITIALS
    concepts = sorted({word.concept for word in name.words if word.concept})
    for word in name.words:
        if word.concept:
            keys["c:" + word.concept] = CONCEPT
            continue
        keys["w:" + loose(_stem(word.key))] = WORD
        # A slip leaves the first four letters or the last four intact, less one letter.
        if len(word.key) >= SLIP_SPAN:
            head, tail = word.key[:SLIP_SPAN], word.key[-SLIP_SPAN:]
            for i in range(SLIP_SPAN):
                keys.setdefault("d:" + head[:i] + head[i + 1:], SLIP)
                keys.setdefault("e:" + tail[:i] + tail[i + 1:], SLIP)
    for first, second in combinations(concepts, 2):
        keys[f"p:{first}|{second}"] = PAIR
        if country:
            keys[f"P:{country}:{first}|{second}"] = COUNTRY_PAIR
    if len(concepts) == 1 and country:
        keys[f"P:{country}:{concepts[0]}"] = COUNTRY_PAIR
    if name.compact:
        keys["k:" + name.compact] = COMPACT
    return keys


@lru_cache(maxsize=1 << 18)
def _hash(text: str) -> int:
    """A stable 63-bit hash (Python's own changes with every process): the same candidates every run."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little") % _INT64


def _hashed(name: OrgName) -> dict[int, float]:
    return {_hash(k): v for k, v in name_keys(name).items()}


class Index:
    """Organisations (with their aliases) by blocking key."""

    def __init__(self):
        self._keys_of: list[str] = []  # entry → the caller's key
        self._names: list[OrgName] = []  # row → name
        self._entry: list[int] = []  # row → entry
        self._postings = Postings()

    def __len__(self) -> int:
        return len(self._keys_of)

    def add(self, key: str, names: list[str], country: str = "") -> None:
        """Add an organisation: its names (the first is its name, the others aliases and former names)
        and its country (ISO 3166-1 alpha-2), which a name's own country qualifier overrides."""
        if isinstance(names, str):
            names = [names]
        entry = len(self._keys_of)
        self._keys_of.append(key)
        for written in list(dict.fromkeys(n for n in names if n and n.strip()))[:MAX_ALIASES]:
            name = make(written, country)
            if not name.words:
                continue
            row = len(self._names)
            self._names.append(name)
            self._entry.append(entry)
            self._postings.add(row, _hashed(name))

    def freeze(self) -> None:
        """Sort the keys now, before the index is shared between threads (a first query would otherwise)."""
        self._postings.freeze()

    def candidates(self, name: OrgName, limit: int = MAX_CANDIDATES) -> list[int]:
        """Rows (names) sharing the most keys with ``name``, at most ``limit``, rarer keys counting more."""
        # A key on very many names (the concept 'state') says little and costs much: left out when the
        # query has rarer keys.
        unique, totals = self._postings.weighted(_hashed(name), common=max(MAX_POSTING, len(self._names) // 20))
        if not len(unique):
            return []
        # Names sharing much less than the best candidate cannot score near it.
        keep = totals >= RELATIVE_CUT * totals.max()
        unique, totals = unique[keep], totals[keep]
        if len(totals) > limit:  # the best ``limit`` only, then in order (ties: the row added first)
            top = np.argpartition(-totals, limit - 1)[:limit]
            cut = totals[top].min()
            top = np.flatnonzero(totals >= cut)
            best = top[np.argsort(-totals[top], kind="stable")][:limit]
        else:
            best = np.argsort(-totals, kind="stable")
        return unique[best].tolist()

    def screen(self, name: str, country: str = "", limit: int = 5, *, min_score: float = THRESHOLD) -> list[Match]:
        """The organisations ``name`` matches (score ≥ ``min_score``), best first, at most ``limit``."""
        party = make(name, country)
        if not party.words:
            return []
        best: dict[int, tuple[float, int, Result]] = {}
        for row in self.candidates(party):
            result = compare(party, self._names[row])
            if result.score < min_score:
                continue
            entry = self._entry[row]
            if entry not in best or result.score > best[entry][0]:
                best[entry] = (result.score, row, result)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
        return [Match(self._keys_of[entry], score, self._names[row].original, result.explanation, result)
                for entry, (score, row, result) in ranked]
