"""Blocking keys: the few keys under which a name is indexed, so that screening compares a query with
a handful of candidates instead of the whole registry.

Keys are built from pairs of name parts, because one part alone (Muhammad, Karimov) is shared by
thousands of people. Each part is written in several forms — its loose key, its given-name group, its
surname stem — so that transliteration, variants and de-russified surnames meet; a prefix form and an
initial form catch typing slips and initials. Two names that can score above the threshold share at
least one key.
"""

from itertools import combinations

from . import given_names, stems, tag
from .person import Name
from .phonetic import loose

PREFIX = 3


def _forms(part: tag.Part) -> set[str]:
    """The full forms of one part: loose key, given-name group, surname stem."""
    if part.role == tag.INITIAL:
        return set()
    forms = {part.loose}
    group = given_names.group_of(part.key)
    if group:
        forms.add("g:" + group)
    stem = stems.russian_stem(part.key) or stems.derussified_base(part.key)
    forms.add("s:" + loose(stem or part.key))
    return forms


def _partial(part: tag.Part) -> set[str]:
    """Forms that survive a slip late in the part (prefix) or early in it (initial)."""
    initial = "i:" + part.key[0]
    if part.role == tag.INITIAL:
        return {initial}
    return {"p:" + part.loose[:PREFIX], initial}


def blocking_keys(name: Name) -> set[str]:
    parts = [p for p in name.parts if p.role != tag.PARTICLE]
    if len(parts) == 1:  # a one-part name can only match another one-part name
        return {"1:" + form for form in _forms(parts[0]) | _partial(parts[0])}
    keys = set()
    for p, q in combinations(parts, 2):
        full_p, full_q = _forms(p), _forms(q)
        for fp in full_p | _partial(p):
            for fq in full_q:
                keys.add(_pair(fp, fq))
        for fq in _partial(q):
            for fp in full_p:
                keys.add(_pair(fp, fq))
    return keys


def _pair(a: str, b: str) -> str:
    return f"{a}|{b}" if a <= b else f"{b}|{a}"


def person_keys(person) -> set[str]:
    keys = set()
    for name in person.names:
        keys |= blocking_keys(name)
    return keys
