import datetime

import pytest
from openpyxl import Workbook

from shelter.exchange.tables import TableError, cell_text, read_table


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
