import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from shelter.exchange.tables import Limits, Row, TableError, cell_text, open_table, read_table


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_it_numbers_csv_rows_as_a_spreadsheet_does(tmp_path):
    path = write(tmp_path / "a.csv", '\ufeffDate,Title\n2019,"two\nlines"\n\n2020,x\n')
    table = read_table(path)
    assert table.headers == ["Date", "Title"]
    assert [(row.number, row.cells) for row in table.rows] == [(2, ["2019", "two\nlines"]), (4, ["2020", "x"])]


def test_it_reads_a_csv_with_another_delimiter(tmp_path):
    table = read_table(write(tmp_path / "a.csv", "Date;Title\n2019;x\n"), delimiter=";")
    assert table.rows[0].cells == ["2019", "x"]


def test_it_refuses_an_empty_file(tmp_path):
    with pytest.raises(TableError, match="empty"):
        read_table(write(tmp_path / "a.csv", ""))


def test_it_refuses_a_csv_that_is_not_utf8(tmp_path):
    with pytest.raises(TableError, match="not UTF-8"):
        read_table(write(tmp_path / "a.csv", "Дата\n2019\n", encoding="cp1251"))


def test_it_refuses_unknown_file_types(tmp_path):
    with pytest.raises(TableError, match=r"use \.csv or \.xlsx"):
        read_table(write(tmp_path / "a.ods", "x"))


def test_it_reads_xlsx_cells_as_text(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Date", "N", "When"])
    sheet.append([2019, 3.0, datetime.datetime(2020, 5, 17)])
    sheet.append([])
    sheet.append(["2021-07", 2, None])
    workbook.save(tmp_path / "a.xlsx")
    table = read_table(tmp_path / "a.xlsx")
    assert [(row.number, row.cells) for row in table.rows] == [(2, ["2019", "3", "2020-05-17"]), (4, ["2021-07", "2", ""])]


def test_it_refuses_a_file_that_only_claims_to_be_xlsx(tmp_path):
    with pytest.raises(TableError, match="not a valid XLSX"):
        read_table(write(tmp_path / "a.xlsx", "Date,Title\n"))


def test_it_names_a_missing_sheet(tmp_path):
    Workbook().save(tmp_path / "a.xlsx")
    with pytest.raises(TableError, match="no sheet named 'Incidents'"):
        read_table(tmp_path / "a.xlsx", sheet="Incidents")


def test_cell_text_keeps_non_integral_numbers():
    assert cell_text(2.5) == "2.5"
    assert cell_text(datetime.date(2019, 1, 2)) == "2019-01-02"


def workbook_with(tmp_path, part: str, rewrite) -> "Path":
    """A real workbook whose ``part`` (an XML file inside the zip) is rewritten by ``rewrite``."""
    import zipfile

    source = tmp_path / "clean.xlsx"
    book = Workbook()
    book.active.append(["Date", "Title"])
    book.active.append(["2019", "x"])
    book.save(source)
    path = tmp_path / "crafted.xlsx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            out.writestr(item, rewrite(data) if item.filename == part else data)
    return path


LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">'
          + "".join(f'<!ENTITY lol{i} "{"&lol" + (str(i - 1) if i > 1 else "") + ";" }{"&lol" + (str(i - 1) if i > 1 else "") + ";"}">' for i in range(1, 30))
          + "]>")


def with_dtd(dtd: str, entity: str):
    def rewrite(data: bytes) -> bytes:
        text = data.decode()
        prolog = text[:text.index("?>") + 2] if text.startswith("<?xml") else ""
        return (prolog + dtd + text[len(prolog):].replace(">2019<", f">{entity}<", 1)).encode()
    return rewrite


@pytest.mark.attack("denial-of-service")
def test_it_refuses_an_entity_bomb_with_a_reason(tmp_path):
    path = workbook_with(tmp_path, "xl/worksheets/sheet1.xml", with_dtd(LAUGHS, "&lol29;"))
    with pytest.raises(TableError, match="entities"):
        read_table(path)


@pytest.mark.attack("ssrf")
def test_it_refuses_an_external_entity_that_would_read_a_local_file(tmp_path):
    xxe = '<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    path = workbook_with(tmp_path, "xl/worksheets/sheet1.xml", with_dtd(xxe, "&secret;"))
    with pytest.raises(TableError, match="entities") as refused:
        read_table(path)
    assert "root" not in str(refused.value)


@pytest.mark.attack("denial-of-service")
def test_it_refuses_a_workbook_that_unpacks_beyond_the_limit(tmp_path):
    path = workbook_with(tmp_path, "xl/worksheets/sheet1.xml", lambda data: data + b" " * 3_000_000)
    with pytest.raises(TableError, match="unpacks to more than 2 MB"):
        read_table(path, limits=Limits(max_unpacked_bytes=2_000_000))


@pytest.mark.attack("denial-of-service")
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_it_stops_reading_past_the_row_limit(tmp_path, suffix):
    path = tmp_path / f"many{suffix}"
    if suffix == ".csv":
        write(path, "Date,Title\n" + "2019,x\n" * 11)
    else:
        book = Workbook()
        for row in [["Date", "Title"]] + [["2019", "x"]] * 11:
            book.active.append(row)
        book.save(path)
    assert len(read_table(path, limits=Limits(max_rows=11)).rows) == 11
    with pytest.raises(TableError, match=r"more rows than the import limit \(10\)"):
        read_table(path, limits=Limits(max_rows=10))


@pytest.mark.attack("denial-of-service")
def test_it_refuses_a_file_larger_than_the_limit_before_reading_it(tmp_path):
    path = write(tmp_path / "big.csv", "Date,Title\n" + "2019,x\n" * 1000)
    with pytest.raises(TableError, match=r"larger than the import limit \(0.001 MB\)"):
        read_table(path, limits=Limits(max_bytes=1000))


@pytest.mark.attack("denial-of-service")
def test_a_sheet_claiming_thousands_of_columns_is_read_no_wider_than_the_limit(tmp_path):
    book = Workbook()
    book.active.append(["Date", "Title"])
    book.active.append(["2019", "x"])
    book.active.cell(row=2, column=16_000, value="far away")
    path = tmp_path / "wide.xlsx"
    book.save(path)
    table = read_table(path, limits=Limits(max_columns=5))
    assert table.headers == ["Date", "Title"] and len(table.rows[0].cells) == 5


def test_it_reads_rows_as_they_are_asked_for(tmp_path):
    # A fault deep in a file surfaces when its row is reached: the rows before it were read one by
    # one, not gathered first (what lets an import of millions of rows run in bounded memory).
    path = write(tmp_path / "a.csv", "Date,Title\n" + "2019,x\n" * 100_000)
    path.write_bytes(path.read_bytes() + "2021,\u0434\n".encode("cp1251"))
    with open_table(path) as table:
        rows = table.rows
        assert next(rows) == Row(2, ["2019", "x"])
        read = []
        with pytest.raises(TableError, match="not UTF-8"):
            read.extend(rows)
    assert len(read) > 99_000


@pytest.mark.attack("denial-of-service")
def test_a_streamed_file_is_refused_at_the_first_row_past_the_limit(tmp_path):
    path = write(tmp_path / "many.csv", "Date,Title\n" + "2019,x\n" * 11)
    with open_table(path, limits=Limits(max_rows=10)) as table:
        read = []
        with pytest.raises(TableError, match=r"more rows than the import limit \(10\)"):
            read.extend(table.rows)
    assert len(read) == 10
