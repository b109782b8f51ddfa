"""Equivalence groups of given names (Muhammad ~ Magomed ~ Mamed), read from data/given_names.json."""

import json
from functools import cache

from .phonetic import DATA, key


@cache
def _data() -> dict:
    return json.loads((DATA / "given_names.json").read_text("utf-8"))


def _key(written: str) -> str:
    return key(written.replace(" ", "").replace("-", ""))


@cache
def _groups() -> dict[str, str]:
    return {_key(variant): group["name"] for group in _data()["groups"] for variant in group["variants"]}


@cache
def _nicknames() -> dict[str, str]:
    return {_key(nickname): name for name, nicknames in _data()["nicknames"]["of"].items() for nickname in nicknames}


def nickname_of(phonetic: str) -> str | None:
    """The group of the full name a diminutive stands for: Sasha → aleksandr, Ted → theodore."""
    return _nicknames().get(phonetic)


def group_of(phonetic: str) -> str | None:
    """The group a given name's phonetic key belongs to, if any."""
    return _groups().get(phonetic)


def is_known(phonetic: str) -> bool:
    return phonetic in _groups() or phonetic in _nicknames()
