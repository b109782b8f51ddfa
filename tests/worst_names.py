"""Worst-case names for the bounds tests: as many parts and names as the matcher accepts, each part a
different made-up word spelt with the sequences that have the most readings (sch, tsch, jew …), so
that no cache helps and every part has as many forms as a part can have."""

import random

from shelter.matching.person import MAX_ALIASES, MAX_NAME_LENGTH, MAX_PARTS

_SYLLABLES = "scha tschu jew dschi wojc kow ski zhu kha yev ova sch ei ie".split()


def _word(rng: random.Random, length: int) -> str:
    word = ""
    while len(word) < length:
        word += rng.choice(_SYLLABLES)
    return word[:length].capitalize()


def worst_name(rng: random.Random, parts: int = MAX_PARTS) -> str:
    length = (MAX_NAME_LENGTH - (parts - 1)) // parts
    return " ".join(_word(rng, length) for _ in range(parts))


def worst_names(seed: int, count: int = MAX_ALIASES + 1) -> list[str]:
    rng = random.Random(seed)
    return [worst_name(rng) for _ in range(count)]
