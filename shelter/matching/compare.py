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
    # Gendered endings and de-russified forms keep a stem of three letters or more: without a shared
    # start, neither can apply (most pairs of parts, which are simply different, stop short of them).
    same_start = a[:3] == b[:3]
    if same_start and stems.gender_conflict(a, b):
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
    if same_start and stems.derussified(a, b):
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


def _implausible(role_a: str, role_b: str, reason: str) -> bool:
    """Pairs a reason cannot join: a patronymic and a surname of one root (Idrisovna ≠ Idrisova) unless
    written the same, and a given name and a surname formed on it (Nikolai ≠ Nikolaev)."""
    if reason is DERUSSIFIED:
        return role_a is tag.GIVEN or role_b is tag.GIVEN
    if reason is TRANSLITERATION:
        return False
    return (role_a is tag.PATRONYMIC and role_b is tag.SURNAME) or (role_a is tag.SURNAME and role_b is tag.PATRONYMIC)


def compare_names(a: Name, b: Name) -> NameComparison:
    a_parts, b_parts = a.parts, b.parts
    used_a, used_b, matches = set(), set(), []
    _align(a_parts, b_parts, used_a, used_b, matches, False)
    left_a, left_b = _left_over(a_parts, used_a), _left_over(b_parts, used_b)
    if left_a and left_b:
        _align(a_parts, b_parts, used_a, used_b, matches, True)  # Achmat Sakajew ~ Ахмед Закаев
        left_a, left_b = _left_over(a_parts, used_a), _left_over(b_parts, used_b)
        if left_a and left_b:
            matches += _split_parts(a_parts, used_a, b_parts, used_b, flip=False)
            matches += _split_parts(b_parts, used_b, a_parts, used_a, flip=True)
            left_a, left_b = _left_over(a_parts, used_a), _left_over(b_parts, used_b)
    if len(matches) > 1:
        matches.sort(key=_position)
    unmatched_a = tuple(p for i, p in enumerate(a_parts) if i not in used_a)
    unmatched_b = tuple(p for j, p in enumerate(b_parts) if j not in used_b)
    score, notes = _score(a, b, [match for _, match in matches], left_a, left_b)
    return NameComparison(a, b, score, tuple(match for _, match in matches), unmatched_a, unmatched_b, notes)


def _position(numbered: tuple[int, PartMatch]) -> int:
    return numbered[0]


def _left_over(parts: tuple[tag.Part, ...], used: set) -> list[tag.Part]:
    """The parts not aligned yet, particles aside."""
    return [p for i, p in enumerate(parts) if i not in used and p.role is not tag.PARTICLE]


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


def _align(a_parts, b_parts, used_a: set, used_b: set, matches: list, by_reading: bool) -> None:
    """Pairs the parts not yet used, best first."""
    candidates = []
    particle, patronymic, given = tag.PARTICLE, tag.PATRONYMIC, tag.GIVEN
    for i, pa in enumerate(a_parts):
        if i in used_a:
            continue
        role_a, key_a, weight_a = pa.role, pa.key, pa.weight
        is_particle = role_a is particle
        for j, pb in enumerate(b_parts):
            if j in used_b:
                continue
            role_b = pb.role
            if (role_b is particle) is not is_particle:
                continue
            # A father's name is not the person's own: Mohammed bin Salman ≠ Salman bin Mohammed.
            if (role_a is patronymic and role_b is given) or (role_a is given and role_b is patronymic):
                continue
            score, reason = _by_reading(pa, pb) if by_reading else similarity(key_a, pb.key)
            if reason is DIFFERENT or reason is GENDER_ENDING or _implausible(role_a, role_b, reason):
                continue
            candidates.append((score, weight_a if weight_a < pb.weight else pb.weight, i, j, reason))
    if not candidates:
        return
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
        pa, pb = a_parts[i], b_parts[j]
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
    """The weighted similarity of the aligned parts, less what is left over (particles aside)."""
    notes = []
    matched = total = 0.0
    for match in matches:
        matched += match.weight
        total += match.weight * match.similarity
    left_a = sum(p.weight for p in unmatched_a)
    left_b = sum(p.weight for p in unmatched_b)
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
