"""Comparing two names part by part: how alike two parts are, and which parts go together.

Each pair of parts gets a similarity and the reason for it (same after transliteration, a variant of
one given name, a de-russified surname, an initial, a typing slip); the alignment pairs the parts of
the shorter name with those of the longer one, best first, and says which parts are left over.
"""

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import OSA

from . import given_names, stems, tag
from .phonetic import loose, readings
from .person import Name

(SAME, TRANSLITERATION, ORTHOGRAPHY, VARIANT, SPELLING, DERUSSIFIED, NICKNAME, INITIAL, SIMILAR, SPLIT,
 GENDER_ENDING, DIFFERENT) = (
    "same", "transliteration", "orthography", "variant", "spelling", "derussified", "nickname", "initial",
    "similar", "split", "gender_ending", "different")
SIMILARITY = {TRANSLITERATION: 1.0, ORTHOGRAPHY: 0.97, VARIANT: 0.95, SPELLING: 0.92, DERUSSIFIED: 0.9,
              INITIAL: 0.9, NICKNAME: 0.85}
# Below this a pair of parts is not the same part (typing slips in a 7-letter part score 0.86).
MIN_SIMILARITY = 0.7
# A part only one name has (a middle name, a patronymic left out) costs this share of its weight;
# parts both names have but that differ cost all of it.
EXTRA_PART_COST = 0.2
READING_WORTH_TRYING = 0.5
ONE_PART_CAP = 0.6
INITIALS_CAP = 0.5
LONG_PART = 10


class PartMatch(NamedTuple):
    a: tag.Part
    b: tag.Part
    similarity: float
    reason: str
    weight: float


@dataclass(frozen=True, slots=True)
class NameComparison:
    a: Name
    b: Name
    score: float
    matches: tuple[PartMatch, ...]
    unmatched_a: tuple[tag.Part, ...]
    unmatched_b: tuple[tag.Part, ...]
    notes: tuple[str, ...] = ()


@lru_cache(maxsize=1 << 20)
def similarity(a: str, b: str) -> tuple[float, str]:
    """How alike two parts are, from their phonetic keys, and why."""
    if a == b:
        return 1.0, TRANSLITERATION
    if stems.gender_conflict(a, b):
        return 0.0, GENDER_ENDING
    if len(a) == 1 or len(b) == 1:
        return (SIMILARITY[INITIAL], INITIAL) if a[0] == b[0] else (0.0, DIFFERENT)
    group_a, group_b = given_names.group_of(a), given_names.group_of(b)
    if group_a is not None and group_a == group_b:
        return SIMILARITY[VARIANT], VARIANT
    if (group_a and group_a == given_names.nickname_of(b)) or (group_b and group_b == given_names.nickname_of(a)):
        return SIMILARITY[NICKNAME], NICKNAME
    if loose(a) == loose(b):
        return SIMILARITY[SPELLING], SPELLING
    if stems.derussified(a, b):
        return SIMILARITY[DERUSSIFIED], DERUSSIFIED
    if not (a.isascii() and b.isascii()):  # Han and Hangul: another character is another name
        return 0.0, DIFFERENT
    edits = OSA.distance(a, b)
    score = 1 - edits / max(len(a), len(b))
    # One slip is a typing error; two are another name (Karimov/Rahimov, Mirzayev/Mirziyoyev) unless
    # the part is long enough to carry them.
    if edits > (1 if max(len(a), len(b)) < LONG_PART else 2) or score < MIN_SIMILARITY:
        return score, DIFFERENT
    return score, SIMILAR


def _swapped_roles(a: str, b: str) -> bool:
    """A father's name aligned with a person's own given name: Mohammed bin Salman ≠ Salman bin Mohammed."""
    return (a is tag.PATRONYMIC and b is tag.GIVEN) or (a is tag.GIVEN and b is tag.PATRONYMIC)


def _implausible(pa: tag.Part, pb: tag.Part, reason: str) -> bool:
    """Pairs a reason cannot join: a patronymic and a surname of one root (Idrisovna ≠ Idrisova) unless
    written the same, and a given name and a surname formed on it (Nikolai ≠ Nikolaev)."""
    roles = (pa.role, pb.role)
    if reason is not TRANSLITERATION and tag.PATRONYMIC in roles and tag.SURNAME in roles:
        return True
    return reason is DERUSSIFIED and tag.GIVEN in roles


def compare_names(a: Name, b: Name) -> NameComparison:
    used_a, used_b, matches = set(), set(), []
    _align(a, b, used_a, used_b, matches, _by_key)
    if _left_over(a, used_a) and _left_over(b, used_b):
        _align(a, b, used_a, used_b, matches, _by_reading)  # Achmat Sakajew ~ Ахмед Закаев
    matches += _split_parts(a.parts, used_a, b.parts, used_b, flip=False)
    matches += _split_parts(b.parts, used_b, a.parts, used_a, flip=True)
    matches = [match for _, match in sorted(matches, key=lambda pair: pair[0])]
    unmatched_a = tuple(p for i, p in enumerate(a.parts) if i not in used_a)
    unmatched_b = tuple(p for j, p in enumerate(b.parts) if j not in used_b)
    score, notes = _score(a, b, matches, unmatched_a, unmatched_b)
    return NameComparison(a, b, score, tuple(matches), unmatched_a, unmatched_b, notes)


def _left_over(name: Name, used: set) -> bool:
    return any(i not in used and p.role != tag.PARTICLE for i, p in enumerate(name.parts))


def _by_key(pa: tag.Part, pb: tag.Part) -> tuple[float, str]:
    return similarity(pa.key, pb.key)


def _by_reading(pa: tag.Part, pb: tag.Part) -> tuple[float, str]:
    """The best similarity when one of the parts is read in another language's orthography."""
    best = similarity(pa.key, pb.key)
    if best[0] < READING_WORTH_TRYING:  # another orthography changes a letter or two, not a whole name
        return best
    for ka, kb in [*((r, pb.key) for r in readings(pa.text)), *((pa.key, r) for r in readings(pb.text))]:
        score, reason = similarity(ka, kb)
        if reason is not GENDER_ENDING and score > best[0]:
            best = (SIMILARITY[ORTHOGRAPHY], ORTHOGRAPHY) if reason is TRANSLITERATION else (score, reason)
    return best


def _align(a: Name, b: Name, used_a: set, used_b: set, matches: list, compare_parts) -> None:
    """Pairs the parts not yet used, best first."""
    candidates = []
    particle = tag.PARTICLE
    for i, pa in enumerate(a.parts):
        if i in used_a:
            continue
        role_a = pa.role
        for j, pb in enumerate(b.parts):
            role_b = pb.role
            if j in used_b or (role_a is particle) is not (role_b is particle) or _swapped_roles(role_a, role_b):
                continue
            score, reason = compare_parts(pa, pb)
            if reason is not DIFFERENT and reason is not GENDER_ENDING and not _implausible(pa, pb, reason):
                candidates.append((score, pa.weight if pa.weight < pb.weight else pb.weight, i, j, reason))
    candidates.sort(reverse=True)
    derussified = any(match.reason is DERUSSIFIED for _, match in matches)
    for score, weight, i, j, reason in candidates:
        if i in used_a or j in used_b:
            continue
        if reason is DERUSSIFIED:  # one surname is de-russified, not every part (Lutfullo Suhrobov ≠ Suhrob Lutfulloev)
            if derussified:
                continue
            derussified = True
        used_a.add(i)
        used_b.add(j)
        pa, pb = a.parts[i], b.parts[j]
        matches.append((i, PartMatch(pa, pb, score, SAME if pa.text == pb.text else reason, weight)))


def _split_parts(parts, used, others, others_used, flip: bool) -> list[tuple[int, PartMatch]]:
    """Two neighbouring parts left over on one side that together are a part left over on the other:
    "Patr ushev" ~ "Patrushev", "Abd al-Aziz" ~ "Abdul Aziz"."""
    found = []
    for i in range(len(parts) - 1):
        if i in used or i + 1 in used:
            continue
        joined = parts[i].key + parts[i + 1].key
        for j, other in enumerate(others):
            if j in others_used or other.role == tag.PARTICLE:
                continue
            score, reason = similarity(joined, other.key)
            if reason in (DIFFERENT, GENDER_ENDING):
                continue
            part = tag.Part(f"{parts[i].text} {parts[i + 1].text}", joined, loose(joined), other.role, None,
                            other.weight)
            used.update((i, i + 1))
            others_used.add(j)
            match = PartMatch(other, part, score, SPLIT, other.weight) if flip else PartMatch(
                part, other, score, SPLIT, other.weight)
            found.append((j if flip else i, match))
            break
    return found


def _score(a: Name, b: Name, matches, unmatched_a, unmatched_b) -> tuple[float, tuple[str, ...]]:
    notes = []
    matched = sum(m.weight for m in matches)
    total = sum(m.weight * m.similarity for m in matches)
    left_a = sum(p.weight for p in unmatched_a if p.role != tag.PARTICLE)
    left_b = sum(p.weight for p in unmatched_b if p.role != tag.PARTICLE)
    if left_a and left_b:
        notes.append("conflicting_parts")
        cost = left_a + left_b
    else:
        cost = EXTRA_PART_COST * (left_a + left_b)
        if left_a or left_b:
            notes.append("extra_parts")
    score = total / (matched + cost) if matched else 0.0
    if (a.initials_only or b.initials_only) and score > INITIALS_CAP:
        notes.append("initials_only")
        score = INITIALS_CAP
    if (left_a or left_b) and min(a.size, b.size) <= 1 < max(a.size, b.size) and score > ONE_PART_CAP:
        notes.append("one_part_only")
        score = ONE_PART_CAP
    return score, tuple(notes)
