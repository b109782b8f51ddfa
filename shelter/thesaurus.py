"""Versioned reference vocabularies (tactics, profiles, accusations) read from ``shelter/data``."""

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@cache
def load(name: str) -> dict:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def terms(name: str) -> list[dict]:
    return load(name)["terms"]


def codes(name: str) -> list[str]:
    return [t["code"] for t in terms(name)]


def label(name: str, code: str, language: str = "en") -> str:
    for term in terms(name):
        if term["code"] == code:
            return term["label"].get(language) or term["label"]["en"]
    return code


def choices(name: str, language: str = "en") -> list[tuple[str, str]]:
    return [(t["code"], t["label"].get(language) or t["label"]["en"]) for t in terms(name)]
