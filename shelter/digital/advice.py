"""What the person should do now, chosen by what the triage found (data/advice.json)."""

import json
from functools import cache
from pathlib import Path


@cache
def _items() -> list[dict]:
    return json.loads((Path(__file__).parent / "data" / "advice.json").read_text(encoding="utf-8"))["items"]


def choose(goals, kinds) -> list[dict]:
    """The advice items that apply: those for every sheet, and those for the goals or kinds found."""
    wanted = {"always", *goals, *kinds}
    return [item for item in _items() if wanted & set(item["when"])]
