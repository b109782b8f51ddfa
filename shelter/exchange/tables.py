"""Reading spreadsheets (CSV or XLSX) into a header and numbered rows of text cells.

Rows are numbered as a spreadsheet user counts them: the header is row 1. Cell values are never
put into error messages, since a misaligned column can carry names or narratives.

A file is read within ``Limits`` (its size, what an XLSX unpacks to, its rows), row by row, and an
XLSX that declares XML entities (an entity bomb, or an external entity reading a local file) is
refused: spreadsheets never need them. openpyxl parses through defusedxml when it is installed.
"""

import csv
import datetime
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator
from xml.etree.ElementTree import ParseError


class TableError(ValueError):
    """The file cannot be read as a table; the message says why."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 100_000_000
    max_unpacked_bytes: int = 1_000_000_000
    max_rows: int = 100_000
    # A sheet may claim a last column of XFD (16,384): every row would be read that wide.
    max_columns: int = 1_000


def _mb(n: int) -> str:
    return f"{n / 1_000_000:g} MB"


@dataclass(frozen=True)
class Row:
    number: int
    cells: list[str]


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[Row]


@dataclass
class Stream:
    """A table read row by row: its headers, and its non-blank rows as they are read. Reading the
    rows may raise TableError (the row limit, or a fault in the file past its header)."""

    headers: list[str]
    rows: Iterator[Row]


@contextmanager
def open_table(path: Path, delimiter: str = ",", sheet: str | None = None, limits: Limits = Limits()):
    """The table of ``path`` as a ``Stream``: memory holds a row at a time, whatever the file's length."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise TableError(f"cannot import {suffix or 'files without an extension'}: use .csv or .xlsx")
    try:
        size = path.stat().st_size
    except OSError as e:
        raise TableError(f"cannot read the file ({e.strerror})") from e
    if size > limits.max_bytes:
        raise TableError(f"the file is larger than the import limit ({_mb(limits.max_bytes)}): split it, or raise import_max_mb")
    opened = _csv_records(path, delimiter) if suffix == ".csv" else _xlsx_records(path, sheet, limits)
    with opened as records:
        records = _within(records, limits)
        header = next(records, None)
        if not header or not any(header):
            raise TableError("the file is empty: the first row must hold the column headers")
        yield Stream(_trim_trailing_blanks(header), (Row(n, r) for n, r in enumerate(records, start=2) if any(r)))


def read_table(path: Path, delimiter: str = ",", sheet: str | None = None, limits: Limits = Limits()) -> Table:
    """The whole table in memory: for files known to be small."""
    with open_table(path, delimiter, sheet, limits) as stream:
        return Table(stream.headers, list(stream.rows))


def _within(records: Iterator[list[str]], limits: Limits) -> Iterator[list[str]]:
    """The records, the header included, refused at the first one past the row limit."""
    for count, record in enumerate(records):
        if count > limits.max_rows:
            raise TableError(f"the file has more rows than the import limit ({limits.max_rows}): split it, or raise import_max_rows")
        yield record


@contextmanager
def _csv_records(path: Path, delimiter: str):
    try:
        # utf-8-sig: spreadsheet programs put a byte-order mark in front of UTF-8 CSV files.
        handle = open(path, newline="", encoding="utf-8-sig")
    except OSError as e:
        raise TableError(f"cannot read the file ({e.strerror})") from e
    with handle:
        yield _csv_rows(handle, delimiter)


def _csv_rows(handle, delimiter: str) -> Iterator[list[str]]:
    try:
        for record in csv.reader(handle, delimiter=delimiter, strict=True):
            yield [cell.strip() for cell in record]
    except UnicodeDecodeError as e:
        raise TableError("the file is not UTF-8 text: save the CSV with UTF-8 encoding") from e
    except csv.Error as e:
        raise TableError(f"the file is not valid CSV ({e})") from e
    except OSError as e:
        raise TableError(f"cannot read the file ({e.strerror})") from e


ENTITIES_REFUSED = ("the workbook declares XML entities, which spreadsheets never need: refused, as it may be "
                    "an attack (an entity bomb, or a reference to a file on this machine)")


@contextmanager
def _xlsx_records(path: Path, sheet: str | None, limits: Limits):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    if not openpyxl.DEFUSEDXML:  # OPENPYXL_DEFUSEDXML=False would parse entities again
        raise TableError("XLSX files are read only through defusedxml: unset OPENPYXL_DEFUSEDXML")
    _check_unpacked_size(path, limits)
    try:
        # read_only: openpyxl parses the sheet's XML as its rows are asked for.
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, ParseError) as e:
        # openpyxl wraps what the parser raised in a ValueError of its own.
        if _caused_by(e, _defused_error()):
            raise TableError(ENTITIES_REFUSED) from e
        raise TableError("the file is not a valid XLSX workbook") from e
    except OSError as e:
        raise TableError(f"cannot read the file ({e.strerror})") from e
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise TableError(f"the workbook has no sheet named {sheet!r}")
        yield _xlsx_rows(workbook[sheet] if sheet is not None else workbook.worksheets[0], limits)
    finally:
        workbook.close()


def _xlsx_rows(worksheet, limits: Limits) -> Iterator[list[str]]:
    try:
        for row in worksheet.iter_rows(values_only=True, max_col=_width(worksheet, limits)):
            yield [cell_text(value) for value in row]
    except _defused_error() as e:
        raise TableError(ENTITIES_REFUSED) from e
    except (ParseError, ValueError, KeyError) as e:
        raise TableError("the workbook's sheet is not valid XLSX") from e


def _defused_error() -> type:
    from defusedxml import DefusedXmlException

    return DefusedXmlException


def _width(worksheet, limits: Limits) -> int:
    # As wide as the sheet says it is (its rows are padded to that), but no wider than the limit.
    return min(worksheet.max_column or 1, limits.max_columns)


def _caused_by(error: BaseException, kind: type) -> bool:
    while error is not None:
        if isinstance(error, kind):
            return True
        error = error.__cause__ or error.__context__
    return False


def _check_unpacked_size(path: Path, limits: Limits) -> None:
    # A zip bomb: a small file that unpacks to gigabytes. The sizes in the zip directory are what
    # the reader trusts, and zipfile stops at the declared size, so checking them is enough.
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError) as e:
        raise TableError("the file is not a valid XLSX workbook") from e
    if unpacked > limits.max_unpacked_bytes:
        raise TableError(f"the workbook unpacks to more than {_mb(limits.max_unpacked_bytes)}: split it")


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


def _trim_trailing_blanks(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]
