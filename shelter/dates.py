"""Partial dates ("1979", "1979-08", "1979-08-15") that keep their precision.

Stored as ISO strings: they sort correctly as text, and a year filter is a prefix match.
"""

import datetime
import re
from dataclasses import dataclass

MIN_YEAR, MAX_YEAR = 1850, 2100

_ISO = re.compile(r"^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?$")
_DOTTED = re.compile(r"^(?:(\d{1,2})\.)?(\d{1,2})\.(\d{4})$")  # 15.08.1979 or 08.1979


# Reasons, with their values apart, so that the Django layer can give them in the user's language.
NOT_A_DATE = "%(value)s is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"
YEAR_OUT_OF_RANGE = "year %(year)s is outside %(min_year)s–%(max_year)s"
NO_SUCH_MONTH = "month %(month)s does not exist"
NO_SUCH_DAY = "%(value)s is not a valid day: that month has no such day"
REASONS = (NOT_A_DATE, YEAR_OUT_OF_RANGE, NO_SUCH_MONTH, NO_SUCH_DAY)


class PartialDateError(ValueError):
    def __init__(self, reason: str, **params):
        super().__init__(reason % params)
        self.reason, self.params = reason, params


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def iso(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def __lt__(self, other: "PartialDate") -> bool:
        # A less precise date sorts before the more precise ones it contains: 1979 < 1979-08 < 1979-08-15.
        return (self.year, self.month or 0, self.day or 0) < (other.year, other.month or 0, other.day or 0)

    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month or 1, self.day or 1)

    def __str__(self) -> str:
        return self.iso()


def parse(text: str, min_year: int = MIN_YEAR) -> PartialDate:
    """Parse ISO-like (1979, 1979-08, 1979/08/15) or dotted (15.08.1979, 08.1979) dates."""
    value = (text or "").strip()
    if m := _ISO.match(value):
        year, month, day = m.group(1), m.group(2), m.group(3)
    elif m := _DOTTED.match(value):
        day, month, year = m.group(1), m.group(2), m.group(3)
    else:
        raise PartialDateError(NOT_A_DATE, value=repr(value))
    year, month, day = int(year), int(month) if month else None, int(day) if day else None
    if not min_year <= year <= MAX_YEAR:
        raise PartialDateError(YEAR_OUT_OF_RANGE, year=year, min_year=min_year, max_year=MAX_YEAR)
    if month is not None and not 1 <= month <= 12:
        raise PartialDateError(NO_SUCH_MONTH, month=month)
    if day is not None:
        try:
            datetime.date(year, month, day)
        except ValueError as e:
            raise PartialDateError(NO_SUCH_DAY, value=repr(value)) from e
    return PartialDate(year, month, day)
