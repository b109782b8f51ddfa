"""Column-mapping files: which spreadsheet column feeds which incident field, and how the
spreadsheet's own vocabulary translates into Shelter's codes. See docs/import-mapping.md."""

import json
from dataclasses import dataclass, field

FIELDS = (
    "date",
    "origin_state",
    "host_state",
    "tactics",
    "title",
    "narrative",
    "place",
    "accusation",
    "outcome",
    "host_complicity",
    "people_targeted",
)
REQUIRED = ("date", "origin_state", "host_state", "tactics")
# Fields whose cells may hold several values, split on the mapping's separator.
MULTI_VALUED = ("tactics",)


class MappingError(ValueError):
    """The mapping file is unusable; the message says why."""


@dataclass(frozen=True)
class Mapping:
    columns: dict[str, str]
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    separator: str = ";"
    delimiter: str = ","
    sheet: str | None = None

    def translate(self, field_name: str, value: str) -> str:
        """The Shelter value for a spreadsheet value: exact match first, then ignoring case."""
        table = self.values.get(field_name, {})
        if value in table:
            return table[value]
        folded = value.casefold()
        for source, target in table.items():
            if source.casefold() == folded:
                return target
        return value

    def missing_columns(self, headers: list[str]) -> list[tuple[str, str]]:
        """(field, column) pairs whose column the file does not have."""
        present = {h.strip() for h in headers}
        return [(f, column) for f, column in self.columns.items() if column.strip() not in present]


def parse(text: str) -> Mapping:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise MappingError(f"the mapping file is not valid JSON (line {e.lineno}, column {e.colno})") from e
    if not isinstance(data, dict):
        raise MappingError("the mapping file must hold a JSON object")
    unknown_keys = set(data) - {"columns", "values", "defaults", "separator", "delimiter", "sheet"}
    if unknown_keys:
        raise MappingError(f"unknown keys in the mapping file: {', '.join(sorted(unknown_keys))}")
    columns = _string_table(data.get("columns"), "columns")
    if not columns:
        raise MappingError('"columns" must map at least one field to a column')
    values = _value_tables(data.get("values", {}))
    defaults = _string_table(data.get("defaults", {}), "defaults")
    _check_field_names(columns, "columns")
    _check_field_names(values, "values")
    _check_field_names(defaults, "defaults")
    missing = [f for f in REQUIRED if f not in columns and f not in defaults]
    if missing:
        raise MappingError(f"the mapping gives no column or default for: {', '.join(missing)}")
    return Mapping(
        columns=columns,
        values=values,
        defaults=defaults,
        separator=_one_character(data.get("separator", ";"), "separator"),
        delimiter=_one_character(data.get("delimiter", ","), "delimiter"),
        sheet=_optional_string(data.get("sheet"), "sheet"),
    )


def _string_table(table, name: str) -> dict[str, str]:
    if not isinstance(table, dict):
        raise MappingError(f'"{name}" must be an object')
    for key, value in table.items():
        if not isinstance(value, str):
            raise MappingError(f'"{name}.{key}" must be a string')
    return dict(table)


def _value_tables(values) -> dict[str, dict[str, str]]:
    if not isinstance(values, dict):
        raise MappingError('"values" must be an object')
    return {name: _string_table(table, f"values.{name}") for name, table in values.items()}


def _check_field_names(table: dict, name: str):
    unknown = [key for key in table if key not in FIELDS]
    if unknown:
        raise MappingError(
            f'"{name}" names unknown fields: {", ".join(sorted(unknown))} (known: {", ".join(FIELDS)})'
        )


def _one_character(value, name: str) -> str:
    if not isinstance(value, str) or len(value) != 1:
        raise MappingError(f'"{name}" must be a single character')
    return value


def _optional_string(value, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise MappingError(f'"{name}" must be a string')
    return value
