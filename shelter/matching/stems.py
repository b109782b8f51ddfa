"""Surname endings: the gendered pairs (-ov/-ova) and the de-russified forms (Rakhmonov ~ Rahmon ~ Rahmonzoda)."""

import json
from functools import cache, lru_cache

from .phonetic import DATA, key

MIN_STEM = 3


@cache
def _suffixes() -> dict:
    data = json.loads((DATA / "name_parts.json").read_text("utf-8"))["surname_suffixes"]
    return {
        "gendered": [(key(male), key(female)) for male, female in data["gendered"]],
        "russian": sorted((key(s) for s in data["russian"]), key=len, reverse=True),
        "derussified": {key(s) for s in data["derussified"]} | {""},
        "national": {key(s) for s in data["national"]},
        "other": [key(s) for s in data["other"]],
    }


@lru_cache(maxsize=1 << 16)
def gendered(phonetic: str) -> tuple[str, str] | None:
    """(stem, gender) when the key ends in a gendered surname ending: "karimova" → ("karim", "female")."""
    for male, female in _suffixes()["gendered"]:
        if phonetic.endswith(female) and len(phonetic) - len(female) >= MIN_STEM:
            return phonetic[: -len(female)], "female"
    for male, female in _suffixes()["gendered"]:
        if phonetic.endswith(male) and len(phonetic) - len(male) >= MIN_STEM:
            return phonetic[: -len(male)], "male"
    return None


@lru_cache(maxsize=1 << 16)
def russian_stem(phonetic: str) -> str | None:
    """The stem of a Russian-form surname (-ov, -ev, -ova, -eva), which de-russified forms keep."""
    for ending in _suffixes()["russian"]:
        if phonetic.endswith(ending) and len(phonetic) - len(ending) >= MIN_STEM:
            return phonetic[: -len(ending)]
    return None


@lru_cache(maxsize=1 << 16)
def derussified_base(phonetic: str) -> str | None:
    """The stem of a de-russified surname (Nazarzoda → nazar, Kabiri → kabir); None when it has no such ending."""
    for ending in _suffixes()["derussified"]:
        if ending and phonetic.endswith(ending) and len(phonetic) - len(ending) >= MIN_STEM:
            return phonetic[: -len(ending)]
    return None


def derussified(a: str, b: str) -> bool:
    """True when two different surnames are one surname in its Russian, de-russified or national
    forms: Rakhmonov ~ Rahmon ~ Rahmonzoda, Rahmatulloi ~ Rahmatullozoda, Bykov ~ Bykau,
    Sarsenbaev ~ Sarsenbaiuly."""
    if a == b:
        return False
    if base(a) == base(b):
        return True
    return _national(a, b) or _national(b, a)


@lru_cache(maxsize=1 << 16)
def base(phonetic: str) -> str:
    """A surname without its Russian or de-russified ending: Rakhmonov, Rahmon, Rahmonzoda → rahmon."""
    return russian_stem(phonetic) or derussified_base(phonetic) or phonetic


def _national(russian: str, other: str) -> bool:
    stem = russian_stem(russian)
    if stem is None or not other.startswith(stem):
        return False
    ending = other[len(stem):]
    national = _suffixes()["national"]
    # Kazakh Құнанбай + ұлы lost its й in the Russian Кунанбаев: Kunanbaev ~ Qunanbaiuly.
    return ending in national or (ending[:1] == "i" and ending[1:] in national)


def gender_conflict(a: str, b: str) -> bool:
    """Same surname stem with endings of different genders: Karimov and Karimova are two people."""
    ga, gb = gendered(a), gendered(b)
    return bool(ga and gb and ga[0] == gb[0] and ga[1] != gb[1])
