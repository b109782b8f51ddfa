"""Turning one mapped spreadsheet row into a validated incident record, or into the reasons why
it cannot be one. Reasons name the column and the rule, never the cell's content."""

from dataclasses import dataclass

from shelter import countries, dates

from .mapping import FIELDS, MULTI_VALUED, Mapping, MappingError

MAX_SHORT_TEXT = 500  # the longest title or place the web forms accept


@dataclass(frozen=True)
class Vocabulary:
    """The codes a row may use, after mapping."""

    tactics: frozenset[str]
    accusations: frozenset[str]
    outcomes: frozenset[str]
    complicity: frozenset[str]


@dataclass(frozen=True)
class IncidentRecord:
    date: str
    origin_state: str
    host_state: str
    tactics: tuple[str, ...]
    title: str = ""
    narrative: str = ""
    place: str = ""
    accusation: str = ""
    outcome: str = "unknown"
    host_complicity: str = "unknown"
    people_targeted: int = 1

    def duplicate_key(self) -> tuple:
        return duplicate_key(self.date, self.origin_state, self.host_state, self.tactics, self.title)


def duplicate_key(date: str, origin_state: str, host_state: str, tactics, title: str) -> tuple:
    """What makes two incidents of a case the same submission: when, who, where, how and its title.
    Titles are compared without regard to case or spacing, as spreadsheets tend to change both."""
    return (date, origin_state, host_state, tuple(sorted(tactics)), " ".join(str(title).split()).casefold())


def column_positions(mapping: Mapping, headers: list[str]) -> dict[str, int]:
    """Field → index of its column in ``headers``; MappingError if a column is missing or ambiguous."""
    stripped = [h.strip() for h in headers]
    missing = mapping.missing_columns(headers)
    if missing:
        names = ", ".join(f"{column!r} (for {field_name})" for field_name, column in missing)
        raise MappingError(f"the file has no column {names}; its columns are: {', '.join(map(repr, stripped))}")
    positions = {}
    for field_name, column in mapping.columns.items():
        if stripped.count(column.strip()) > 1:
            raise MappingError(f"the file has more than one column named {column!r} (for {field_name})")
        positions[field_name] = stripped.index(column.strip())
    return positions


def cell_count_problem(cells: list[str], width: int) -> str | None:
    """Rows with more filled cells than the header has columns, or fewer cells, are misaligned."""
    filled = len(cells)
    while filled > width and not cells[filled - 1]:
        filled -= 1
    if filled != width:
        return f"has {filled} cells, but the header has {width} columns"
    return None


def raw_values(mapping: Mapping, positions: dict[str, int], cells: list[str]) -> dict[str, str]:
    """The row's text for every mapped field; the mapping's default where the cell is blank."""
    values = {}
    for field_name in FIELDS:
        index = positions.get(field_name)
        text = cells[index].strip() if index is not None and index < len(cells) else ""
        values[field_name] = text or mapping.defaults.get(field_name, "")
    return values


def build_incident(raw: dict[str, str], mapping: Mapping, vocabulary: Vocabulary) -> IncidentRecord | list[str]:
    """A validated incident, or the list of reasons the row is refused."""
    reasons = []
    checked = {}
    for field_name, check in CHECKS.items():
        where = _where(mapping, field_name)
        value = raw.get(field_name, "")
        if field_name in MULTI_VALUED:
            translated = [mapping.translate(field_name, v.strip()) for v in value.split(mapping.separator) if v.strip()]
        else:
            translated = mapping.translate(field_name, value) if value else ""
        try:
            checked[field_name] = check(translated, vocabulary)
        except ValueError as e:
            reasons.append(f"{where}: {e}")
    if reasons:
        return reasons
    return IncidentRecord(**checked)


def _where(mapping: Mapping, field_name: str) -> str:
    column = mapping.columns.get(field_name)
    return f"column {column!r} ({field_name})" if column else f"{field_name} (mapping default)"


def _required(value: str):
    if not value:
        raise ValueError("is empty, but required")


def _date(value, vocabulary) -> str:
    _required(value)
    try:
        return dates.parse(value).iso()
    except dates.PartialDateError as e:
        # The parser quotes the value; the reason keeps only the rule.
        raise ValueError(str(e).replace(repr(value.strip()), "value")) from e


def _country(value, vocabulary) -> str:
    _required(value)
    if not countries.is_country(value.strip()):
        raise ValueError("unknown country: use an ISO 3166-1 alpha-2 code, or map the value in the mapping file")
    return value.strip().upper()


def _tactics(values, vocabulary) -> tuple[str, ...]:
    if not values:
        raise ValueError("is empty, but at least one tactic is required")
    codes = [v.strip().lower() for v in values]
    unknown = sum(1 for code in codes if code not in vocabulary.tactics)
    if unknown:
        raise ValueError(
            f"{unknown} value{'s are' if unknown > 1 else ' is'} not a known tactic code; "
            "map it in the mapping file's values"
        )
    return tuple(dict.fromkeys(codes))


def _coded(name: str, allowed_attribute: str, default: str):
    def check(value, vocabulary):
        if not value:
            return default
        code = value.strip().lower()
        if code not in getattr(vocabulary, allowed_attribute):
            raise ValueError(f"not a known {name} code; map it in the mapping file's values")
        return code

    return check


def _short_text(value, vocabulary) -> str:
    if len(value) > MAX_SHORT_TEXT:
        raise ValueError(f"is {len(value)} characters long, at most {MAX_SHORT_TEXT} are allowed")
    return value


def _long_text(value, vocabulary) -> str:
    return value


def _people_targeted(value, vocabulary) -> int:
    if not value:
        return 1
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise ValueError("must be a whole number of at least 1")
    return int(value)


CHECKS = {
    "date": _date,
    "origin_state": _country,
    "host_state": _country,
    "tactics": _tactics,
    "title": _short_text,
    "narrative": _long_text,
    "place": _short_text,
    "accusation": _coded("accusation", "accusations", ""),
    "outcome": _coded("outcome", "outcomes", "unknown"),
    "host_complicity": _coded("host-state complicity", "complicity", "unknown"),
    "people_targeted": _people_targeted,
}
