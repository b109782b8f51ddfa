"""Blocking keys: the few keys under which a name is indexed, so that screening compares a query with
a handful of candidates instead of the whole registry.

Keys are built from pairs of name parts, because one part alone (Muhammad, Karimov) is shared by
thousands of people. Each part is written in several forms — its loose key, its given-name group, its
surname stem — so that transliteration, variants and de-russified surnames meet; a prefix form and an
initial form catch typing slips and initials. Two names that can score above the threshold share at
least one key.
"""

from functools import lru_cache
from itertools import combinations
from typing import NamedTuple

from . import given_names, stems, tag
from .person import Name
from .phonetic import loose, readings

# Keys per name: the pairs of a name's parts grow with the square of its parts, and so do its rows in
# the database. Real names of up to five parts stay under it; a longer name keeps every key of its
# first pairs of parts (the order they are written in) and loses those of its last.
MAX_KEYS = 1000
SLIP_SPAN = 4  # one slip among the first letters still leaves a shared three-letter form
FULL, PARTIAL = 3, 1  # how much a shared key says: both parts whole, or one part only by a slip form
_INT64 = 1 << 63


class PartForms(NamedTuple):
    full: tuple[str, ...]
    partial: tuple[str, ...]
    full_hashes: tuple[int, ...]
    partial_hashes: tuple[int, ...]


def part_forms(part: tag.Part) -> PartForms:
    return _part_forms(part.text, part.key, part.role is tag.INITIAL)


@lru_cache(maxsize=1 << 17)
def _part_forms(text: str, key: str, initial: bool) -> PartForms:
    full = () if initial else tuple(_full(text, key))
    partial = tuple(_partial(key, initial))
    return PartForms(full, partial, tuple(map(hash, full)), tuple(map(hash, partial)))


def _full(text: str, key: str) -> set[str]:
    """The full forms of one part: loose key, given-name group, surname stem — also as other
    orthographies read a Latin part (Junusov as Юнусов)."""
    forms = set()
    for reading in (key, *readings(text)):
        forms.add(loose(reading))
        forms.add("s:" + loose(stems.base(reading)))  # a bare surname (Rahmon) meets Rakhmonov's stem
    group = given_names.group_of(key)
    if group:
        forms.add("g:" + group)
    return forms


def _partial(key: str, initial: bool) -> set[str]:
    """Forms that survive one slip: the first letters with one of them left out (a slip anywhere among
    them leaves one of these unchanged: Ruslan and Uslan share "usl"), and the initial."""
    if initial:
        return {"i:" + key[0]}
    # The key, not the loose key: a slip in a run of vowels (Кяубова) must not reshape the whole run.
    head = key[:SLIP_SPAN]
    slips = {"d:" + head[:i] + head[i + 1:] for i in range(len(head))}
    if len(head) < SLIP_SPAN:
        slips.add("d:" + head)  # Mid for Umid: the three letters left are the form
    return {"i:" + key[0], *slips}


def _meaningful(name: Name) -> list[PartForms]:
    return [part_forms(p) for p in name.parts if p.role is not tag.PARTICLE]


def blocking_keys(name: Name) -> set[str]:
    """The keys of a name as text, for keyed blind indexes (HMAC) in the database."""
    forms = _meaningful(name)
    if len(forms) == 1:  # a one-part name can only match another one-part name
        return {"1:" + form for form in (*forms[0].full, *forms[0].partial)}
    keys: dict[str, None] = {}  # ordered: the cap keeps the first pairs' keys
    for p, q in combinations(forms, 2):
        pair = {_pair(fp, fq) for fp in p.full for fq in q.full}
        # A slip in one part, the other part in any of its full forms.
        pair.update(_pair(fp, fq) for fp in p.partial for fq in q.full)
        pair.update(_pair(fp, fq) for fp in p.full for fq in q.partial)
        keys.update(dict.fromkeys(sorted(pair)))  # sorted: the same keys whatever the hash seed
        if len(keys) >= MAX_KEYS:
            return set(list(keys)[:MAX_KEYS])
    return set(keys)


def _pair(a: str, b: str) -> str:
    return f"{a}|{b}" if a <= b else f"{b}|{a}"


def hashed_keys(name: Name) -> dict[int, int]:
    """The same keys as numbers, with their strength, for the in-memory index: the sum of two form
    hashes does not depend on the order of the parts and costs no string."""
    forms = _meaningful(name)
    if len(forms) == 1:
        return {hash("1:" + form): FULL for form in forms[0].full} | {
            hash("1:" + form): PARTIAL for form in forms[0].partial}
    keys: dict[int, int] = {}
    for p, q in combinations(forms, 2):
        for fp in p.partial_hashes:
            for fq in q.full_hashes:
                keys[(fp + fq) % _INT64] = PARTIAL
        for fp in p.full_hashes:
            for fq in q.partial_hashes:
                keys[(fp + fq) % _INT64] = PARTIAL
        for fp in p.full_hashes:
            for fq in q.full_hashes:
                keys[(fp + fq) % _INT64] = FULL
    return keys


def person_keys(person) -> set[str]:
    keys = set()
    for name in person.names:
        keys |= blocking_keys(name)
    return keys


def person_hashed_keys(person) -> dict[int, int]:
    keys: dict[int, int] = {}
    for name in person.names:
        keys.update(hashed_keys(name))
    return keys
