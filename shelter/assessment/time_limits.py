"""Deadlines that follow from a filing date: the CCF must answer an access request within 4 months
and decide a correction or deletion request within 9 (data/time_limits.json, with its source).

The CCF counts from the request's admissibility, which Shelter does not always know: counting from
the filing date gives the earliest date an answer can be chased, which is what a caseworker needs.
"""

import calendar
import datetime
import json
from functools import cache
from pathlib import Path

from shelter import dates

DATA = Path(__file__).parent / "data" / "time_limits.json"


@cache
def limits() -> dict[str, dict]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return {entry["kind"]: entry for entry in data["limits"]}


def due(kind: str, filed_on: str) -> datetime.date | None:
    """The deadline of a request of ``kind`` filed on ``filed_on`` (an ISO partial date), or None when
    no limit applies or the filing day is not known."""
    limit = limits().get(kind)
    if limit is None or not filed_on:
        return None
    try:
        filed = dates.parse(filed_on)
    except dates.PartialDateError:
        return None
    if filed.precision != "day":
        return None
    return add_months(datetime.date(filed.year, filed.month, filed.day), limit["months"])


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later; the month's last day when it has no such day (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
