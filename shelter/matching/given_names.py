"""Equivalence groups of given names (Muhammad ~ Magomed ~ Mamed), read from data/given_names.json."""

import json
from functools import cache

from .phonetic import DATA, key


@cache
def _groups() -> dict[str, str]:
    data = json.loads((DATA / "given_names.json").read_text("utf-8"))
    groups = {}
    for group in data["groups"]:
        for variant in group["variants"]:
            groups[key(variant.replace(" ", "").replace("-", ""))] = group["name"]
    return groups


def group_of(phonetic: str) -> str | None:
    """The group a given name's phonetic key belongs to, if any."""
    return _groups().get(phonetic)


def is_known(phonetic: str) -> bool:
    return phonetic in _groups()
