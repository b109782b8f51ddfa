"""Comparing two names part by part: how alike two parts are, and which parts go together.

Each pair of parts gets a similarity and the reason for it (same after transliteration, a variant of
one given name, a de-russified surname, an initial, a typing slip); the alignment pairs the parts of
the shorter name with those of the longer one, best first, and says which parts are left over.
"""

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from . import given_names, stems, tag
from .phonetic import loose
from .person import Name

SAME, TRANSLITERATION, VARIANT, SPELLING, DERUSSIFIED, INITIAL, SIMILAR, GENDER_ENDING, DIFFERENT = (
    "same", "transliteration", "variant", "spelling", "derussified", "initial", "similar", "gender_ending",
    "different")
SIMILARITY = {TRANSLITERATION: 1.0, VARIANT: 0.95, SPELLING: 0.92, DERUSSIFIED: 0.9, INITIAL: 0.9}
# Below this a pair of parts is not the same part (typing slips in a 7-letter part score 0.86).
MIN_SIMILARITY = 0.7
# A part only one name has (a middle name, a patronymic left out) costs this share of its weight;
# parts both names have but that differ cost all of it.
EXTRA_PART_COST = 0.2
ONE_PART_CAP = 0.6
INITIALS_CAP = 0.5
MAX_EDITS = 2


@dataclass(frozen=True, slots=True)
class PartMatch:
    a: tag.Part
    b: tag.Part
    similarity: float
    reason: str

    @property
    def weight(self) -> float:
        return min(self.a.weight, self.b.weight)


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
    group = given_names.group_of(a)
    if group is not None and group == given_names.group_of(b):
        return SIMILARITY[VARIANT], VARIANT
    if loose(a) == loose(b):
        return SIMILARITY[SPELLING], SPELLING
    if stems.derussified(a, b) or stems.derussified(b, a):
        return SIMILARITY[DERUSSIFIED], DERUSSIFIED
    edits = OSA.distance(a, b)
    score = 1 - edits / max(len(a), len(b))
    # Three slips in one part is another name (Castro/Castillo, Ronaldo/Ronaldinho), however long.
    if edits > MAX_EDITS or score < MIN_SIMILARITY:
        return score, DIFFERENT
    return score, SIMILAR


def _swapped_roles(a: tag.Part, b: tag.Part) -> bool:
    """A father's name aligned with a person's own given name: Mohammed bin Salman ≠ Salman bin Mohammed."""
    return {a.role, b.role} == {tag.PATRONYMIC, tag.GIVEN}


def compare_names(a: Name, b: Name) -> NameComparison:
    candidates = []
    for i, pa in enumerate(a.parts):
        for j, pb in enumerate(b.parts):
            score, reason = similarity(pa.key, pb.key)
            if reason in (DIFFERENT, GENDER_ENDING) or _swapped_roles(pa, pb):
                continue
            if (pa.role == tag.PARTICLE) != (pb.role == tag.PARTICLE):
                continue
            candidates.append((score, min(pa.weight, pb.weight), i, j, reason))
    candidates.sort(reverse=True)
    used_a, used_b, matches = set(), set(), []
    for score, _, i, j, reason in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pa, pb = a.parts[i], b.parts[j]
        matches.append((i, PartMatch(pa, pb, score, SAME if pa.text == pb.text else reason)))
    matches = [match for _, match in sorted(matches, key=lambda pair: pair[0])]
    unmatched_a = tuple(p for i, p in enumerate(a.parts) if i not in used_a)
    unmatched_b = tuple(p for j, p in enumerate(b.parts) if j not in used_b)
    score, notes = _score(a, b, matches, unmatched_a, unmatched_b)
    return NameComparison(a, b, score, tuple(matches), unmatched_a, unmatched_b, notes)


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
    if min(a.size, b.size) <= 1 < max(a.size, b.size) and score > ONE_PART_CAP:
        notes.append("one_part_only")
        score = ONE_PART_CAP
    if len(a.parts) != len(b.parts) and "one_part_only" not in notes:
        joined = OSA.normalized_similarity("".join(p.key for p in a.parts), "".join(p.key for p in b.parts))
        if joined > score and joined >= 0.9:
            notes.append("joined_or_split")
            score = joined
    return score, tuple(notes)
