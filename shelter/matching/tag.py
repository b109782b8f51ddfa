"""Tagging the parts of a name: given name, surname, patronymic, initial, particle, title; and gender."""

import json
from functools import cache, lru_cache
from typing import NamedTuple

from . import given_names, stems
from .phonetic import DATA, key, loose
from .tokenize import tokens

GIVEN, SURNAME, PATRONYMIC, INITIAL, PARTICLE, OTHER = "given", "surname", "patronymic", "initial", "particle", "other"
WEIGHTS = {GIVEN: 1.0, SURNAME: 1.0, OTHER: 1.0, PATRONYMIC: 0.6, INITIAL: 0.4, PARTICLE: 0.1}


class Part(NamedTuple):  # a tuple: built by the hundred thousand when a registry is indexed
    text: str
    key: str
    loose: str
    role: str
    gender: str | None
    weight: float


@cache
def _vocabulary() -> dict:
    data = json.loads((DATA / "name_parts.json").read_text("utf-8"))
    keys = lambda words: frozenset(key(w) for w in words)  # noqa: E731
    return {
        "titles": keys(data["titles"]["words"]),
        "particles": keys(data["particles"]["words"]),
        "father_of_next": keys(data["particles"]["father_of_next"]),
        "son_of": keys(data["patronymic_markers"]["male"]),
        "daughter_of": keys(data["patronymic_markers"]["female"]),
        "patronymic_male": tuple(keys(data["patronymic_suffixes"]["male"])),
        "patronymic_female": tuple(keys(data["patronymic_suffixes"]["female"])),
        "surname": tuple(keys(data["surname_suffixes"]["russian"] + data["surname_suffixes"]["other"]
                              + [s for s in data["surname_suffixes"]["derussified"] if len(s) > 1])),
    }


def parts(name: str) -> tuple[Part, ...]:
    """The tagged parts of a name, titles dropped."""
    titles = _vocabulary()["titles"]
    words = [(text, k) for text, k in ((text, key(text)) for text in tokens(name)) if k and k not in titles]
    tags = [_tag(k) for _, k in words]
    roles = [role for role, _, _ in tags]
    genders = [gender for _, gender, _ in tags]
    if not any(marker for _, _, marker in tags):  # most names: nothing to correct from the neighbours
        return tuple(Part(text, k, loose(k), role, gender, WEIGHTS[role])
                     for (text, k), role, gender in zip(words, roles, genders))
    meaningful = sum(1 for role in roles if role is not PARTICLE and role is not INITIAL)
    for i, (role, _, marker) in enumerate(tags):
        if marker == "patronymic" and meaningful < 3:
            roles[i], genders[i] = _fallback(words[i][1])  # two parts: Lukashevich is a surname
        elif marker == "son_or_daughter_of" and i > 0 and roles[i - 1] != PARTICLE:
            roles[i - 1] = PATRONYMIC  # Turkic: the father's name comes before oʻgʻli / qizi
        elif marker == "father_of_next" and i + 1 < len(words) and tags[i + 1][0] != PARTICLE:
            if i == 0 and words[i][1] == "ben":  # "Ben Netanyahu": a given name, not "son of"
                roles[i] = OTHER
            else:
                roles[i + 1] = PATRONYMIC
    return tuple(Part(text, k, loose(k), role, gender, WEIGHTS[role])
                 for (text, k), role, gender in zip(words, roles, genders))


@lru_cache(maxsize=1 << 17)
def _tag(k: str) -> tuple[str, str | None, str | None]:
    """(role, gender, marker) of one part on its own; ``parts`` then corrects it from its neighbours."""
    vocabulary = _vocabulary()
    if k in vocabulary["son_of"]:
        return PARTICLE, "male", "son_or_daughter_of"
    if k in vocabulary["daughter_of"]:
        return PARTICLE, "female", "son_or_daughter_of"
    if k in vocabulary["particles"]:
        return PARTICLE, None, "father_of_next" if k in vocabulary["father_of_next"] else None
    if len(k) == 1:
        return INITIAL, None, None
    if len(k) >= 6 and not given_names.is_known(k):
        if k.endswith(vocabulary["patronymic_female"]):
            return PATRONYMIC, "female", "patronymic"
        if k.endswith(vocabulary["patronymic_male"]):
            return PATRONYMIC, "male", "patronymic"
    return (*_fallback(k), None)


def _fallback(k: str) -> tuple[str, str | None]:
    if given_names.is_known(k):
        return GIVEN, None
    gendered = stems.gendered(k)
    if gendered or (len(k) >= 5 and k.endswith(_vocabulary()["surname"])):
        # -in says nothing of gender on its own: Shirin, Karin and Ramin are given names.
        return SURNAME, gendered[1] if gendered and not k.endswith("in") else None
    return OTHER, None


def gender(name_parts: tuple[Part, ...]) -> str | None:
    """The gender the name's endings say (-ova, -evna, qizi …), or None when they say nothing or disagree."""
    said = {p.gender for p in name_parts if p.gender}
    return said.pop() if len(said) == 1 else None
