"""Reading spreadsheets (CSV or XLSX) into a header and numbered rows of text cells.

Rows are numbered as a spreadsheet user counts them: the header is row 1. Cell values are never
put into error messages, since a misaligned column can carry names or narratives.
"""

import csv
import datetime
import zipfile
from dataclasses import dataclass
from pathlib import Path


class TableError(ValueError):
    """The file cannot be read as a table; the message says why."""


@dataclass(frozen=True)
class Row:
    number: int
    cells: list[str]


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[Row]


def read_table(path: Path, delimiter: str = ",", sheet: str | None = None) -> Table:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path, delimiter)
    if suffix == ".xlsx":
        return read_xlsx(path, sheet)
    raise TableError(f"cannot import {suffix or 'files without an extension'}: use .csv or .xlsx")


def read_csv(path: Path, delimiter: str = ",") -> Table:
    # utf-8-sig: spreadsheet programs put a byte-order mark in front of UTF-8 CSV files.
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            records = list(csv.reader(f, delimiter=delimiter, strict=True))
    except UnicodeDecodeError as e:
        raise TableError("the file is not UTF-8 text: save the CSV with UTF-8 encoding") from e
    except csv.Error as e:
        raise TableError(f"the file is not valid CSV ({e})") from e
    except OSError as e:
        raise TableError(f"cannot read the file ({e.strerror})") from e
    return _table([[cell.strip() for cell in record] for record in records])


def read_xlsx(path: Path, sheet: str | None = None) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise TableError("the file is not a valid XLSX workbook") from e
    except OSError as e:
        raise TableError(f"cannot read the file ({e.strerror})") from e
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise TableError(f"the workbook has no sheet named {sheet!r}")
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        records = [[cell_text(value) for value in row] for row in worksheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return _table(records)


def cell_text(value) -> str:
    """A spreadsheet cell as text: dates as ISO dates, whole numbers without a decimal point."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(records: list[list[str]]) -> Table:
    if not records or not any(records[0]):
        raise TableError("the file is empty: the first row must hold the column headers")
    headers = _trim_trailing_blanks(records[0])
    rows = [Row(number, record) for number, record in enumerate(records[1:], start=2) if any(record)]
    return Table(headers, rows)


def _trim_trailing_blanks(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]
