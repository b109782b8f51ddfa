"""Tagging the parts of a name: given name, surname, patronymic, initial, particle, title; and gender."""

import json
from dataclasses import dataclass
from functools import cache

from . import given_names, stems
from .phonetic import DATA, key, loose
from .tokenize import tokens

GIVEN, SURNAME, PATRONYMIC, INITIAL, PARTICLE, OTHER = "given", "surname", "patronymic", "initial", "particle", "other"
WEIGHTS = {GIVEN: 1.0, SURNAME: 1.0, OTHER: 1.0, PATRONYMIC: 0.6, INITIAL: 0.4, PARTICLE: 0.1}


@dataclass(frozen=True, slots=True)
class Part:
    text: str
    key: str
    loose: str
    role: str
    gender: str | None = None

    @property
    def weight(self) -> float:
        return WEIGHTS[self.role]


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
    vocabulary = _vocabulary()
    words = [(text, key(text)) for text in tokens(name)]
    words = [(text, k) for text, k in words if k and k not in vocabulary["titles"]]
    meaningful = sum(1 for _, k in words if k not in vocabulary["particles"] and len(k) > 1)
    roles: list[str] = []
    genders: list[str | None] = []
    for i, (text, k) in enumerate(words):
        role, gender = _role(k, i, words, meaningful, vocabulary)
        roles.append(role)
        genders.append(gender)
    # Turkic patronymic words mark the father's name before them; bin/ibn mark the one after.
    for i, (_, k) in enumerate(words):
        if k in vocabulary["son_of"] or k in vocabulary["daughter_of"]:
            if i > 0 and roles[i - 1] != PARTICLE:
                roles[i - 1] = PATRONYMIC
        elif k in vocabulary["father_of_next"] and i > 0 and i + 1 < len(words) and roles[i + 1] != PARTICLE:
            roles[i + 1] = PATRONYMIC
    return tuple(Part(text, k, loose(k), role, gender)
                 for (text, k), role, gender in zip(words, roles, genders))


def _role(k: str, i: int, words, meaningful: int, vocabulary) -> tuple[str, str | None]:
    if k in vocabulary["son_of"]:
        return PARTICLE, "male"
    if k in vocabulary["daughter_of"]:
        return PARTICLE, "female"
    if k in vocabulary["particles"] and not (i == 0 and k == "ben"):
        return PARTICLE, None
    if len(k) == 1:
        return INITIAL, None
    if meaningful >= 3 and len(k) >= 6:
        if k.endswith(vocabulary["patronymic_female"]):
            return PATRONYMIC, "female"
        if k.endswith(vocabulary["patronymic_male"]) and not given_names.is_known(k):
            return PATRONYMIC, "male"
    gendered = stems.gendered(k)
    if given_names.is_known(k):
        return GIVEN, None
    if gendered or k.endswith(vocabulary["surname"]) and len(k) >= 5:
        return SURNAME, gendered[1] if gendered and not given_names.is_known(k) else None
    return OTHER, None


def gender(name_parts: tuple[Part, ...]) -> str | None:
    """The gender the name's endings say (-ova, -evna, qizi …), or None when they say nothing or disagree."""
    said = {p.gender for p in name_parts if p.gender}
    return said.pop() if len(said) == 1 else None
