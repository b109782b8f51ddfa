import io
import json
import re
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from shelter.audit.models import AuditEvent
from shelter.records.models import Incident
from shelter.records.thesauri import term

ROOT = Path(__file__).resolve().parent.parent
HEADER = "Date,Perpetrator,Country,Tactic,Title,Description,City,Charge,Outcome,N\n"
GOOD_ROWS = (
    "2019-03-14,Uzbekistan,TR,Detention;Interpol,Detained at the airport,Held for three days.,Istanbul,Extremism,Released,1\n"
    "2021-07,TJ,RU,Abduction,Abducted in Moscow,,Moscow,,Returned,2\n"
)
MAPPING = {
    "columns": {
        "date": "Date",
        "origin_state": "Perpetrator",
        "host_state": "Country",
        "tactics": "Tactic",
        "title": "Title",
        "narrative": "Description",
        "place": "City",
        "accusation": "Charge",
        "outcome": "Outcome",
        "people_targeted": "N",
    },
    "values": {
        "origin_state": {"Uzbekistan": "UZ"},
        "tactics": {"Detention": "detention", "Interpol": "interpol_abuse", "Abduction": "abduction"},
        "accusation": {"Extremism": "terrorism_extremism"},
    },
}


@pytest.fixture
def mapping_file(tmp_path):
    path = tmp_path / "mapping.json"
    path.write_text(json.dumps(MAPPING))
    return path


@pytest.fixture
def existing(case):
    """An incident already in the case, which no failed import may touch."""
    incident = Incident.objects.create(case=case, title="Earlier incident", date="2018", origin_state="UZ", host_state="KZ")
    incident.tactics.set([term("tactics", "threats")])
    return incident


def write_csv(tmp_path, text, name="incidents.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_import(path, mapping_file, case, *flags):
    out, err = io.StringIO(), io.StringIO()
    error = None
    try:
        call_command("import", str(path), "--mapping", str(mapping_file), "--case", case.reference, *flags, stdout=out, stderr=err)
    except CommandError as e:
        error = str(e)
    return out.getvalue(), err.getvalue(), error


def snapshot(case):
    return sorted(
        (str(i.pk), i.title, i.date, i.origin_state, i.host_state, tuple(t.code for t in i.tactics.all()))
        for i in Incident.objects.filter(case=case)
    )


def test_it_imports_every_row_of_a_good_file(tmp_path, mapping_file, case):
    out, err, error = run_import(write_csv(tmp_path, HEADER + GOOD_ROWS), mapping_file, case)
    assert error is None, err
    assert "Imported 2 incidents" in out
    first = Incident.objects.get(case=case, date="2019-03-14")
    assert first.title == "Detained at the airport"
    assert first.narrative == "Held for three days."
    assert (first.origin_state, first.host_state, first.place) == ("UZ", "TR", "Istanbul")
    assert sorted(t.code for t in first.tactics.all()) == ["detention", "interpol_abuse"]
    assert (first.accusation, first.outcome, first.people_targeted) == ("terrorism_extremism", "released", 1)
    second = Incident.objects.get(case=case, date="2021-07")  # month precision kept
    assert second.people_targeted == 2


def test_it_stores_the_imported_text_sealed(tmp_path, mapping_file, case):
    run_import(write_csv(tmp_path, HEADER + GOOD_ROWS), mapping_file, case)
    raw = Incident.objects.filter(case=case, date="2019-03-14").values_list("title", flat=True).get()
    assert b"airport" not in bytes(raw)


def test_it_records_one_audit_event_with_counts_only(tmp_path, mapping_file, case):
    run_import(write_csv(tmp_path, HEADER + GOOD_ROWS), mapping_file, case)
    event = AuditEvent.objects.get(action="import")
    assert event.actor_name == "cli" and event.case_id == case.pk
    assert event.detail == {"rows": 2, "imported": 2, "failed": 0, "dry_run": False}


def test_importing_the_same_file_again_creates_no_duplicates(tmp_path, mapping_file, case):
    path = write_csv(tmp_path, HEADER + GOOD_ROWS)
    run_import(path, mapping_file, case)
    before = snapshot(case)
    out, err, error = run_import(path, mapping_file, case)
    assert error and "2 rows refused" in error
    assert f"row 2: duplicate of an incident already in case {case.reference}" in err
    assert f"row 3: duplicate of an incident already in case {case.reference}" in err
    assert snapshot(case) == before


def test_a_row_repeated_within_the_file_is_refused(tmp_path, mapping_file, case):
    first_row = GOOD_ROWS.splitlines()[0]
    path = write_csv(tmp_path, HEADER + first_row + "\n" + first_row.replace("Detained at the airport", "DETAINED at the  airport") + "\n")
    out, err, error = run_import(path, mapping_file, case, "--partial")
    assert "row 3: duplicate of row 2" in err
    assert Incident.objects.filter(case=case).count() == 1


BAD_ROWS = (
    "2019-13-01,UZ,TR,Detention,Karimov seized,,,,,1\n"  # row 2: month 13
    "2020,Uzbekistn,TR,Detention,Karimov threatened,,,,,1\n"  # row 3: unknown country
    "2020,UZ,TR,Kidnapping,Karimov abducted,,,,,1\n"  # row 4: unknown tactic
    "2020,UZ,TR,Detention,Karimov,extra,cells,,,1,Karimov,more\n"  # row 5: wrong column count
    "2020,UZ,TR,Detention,Fine row,,,,,1\n"  # row 6: good
)


def test_bad_rows_are_reported_by_number_and_reason_and_nothing_is_imported(tmp_path, mapping_file, case, existing):
    before = snapshot(case)
    out, err, error = run_import(write_csv(tmp_path, HEADER + BAD_ROWS), mapping_file, case)
    assert error == "4 rows refused: nothing was imported (use --partial to import the others)"
    assert "row 2: column 'Date' (date): month 13 does not exist" in err
    assert "row 3: column 'Perpetrator' (origin_state): unknown country" in err
    assert "row 4: column 'Tactic' (tactics): 1 value is not a known tactic code" in err
    assert "row 5: has 12 cells, but the header has 10 columns" in err
    assert "row 6" not in err
    assert snapshot(case) == before


def test_reports_never_contain_cell_contents(tmp_path, mapping_file, case):
    out, err, error = run_import(write_csv(tmp_path, HEADER + BAD_ROWS), mapping_file, case)
    assert "Karimov" not in out + err + error


def test_partial_imports_the_good_rows_and_still_fails(tmp_path, mapping_file, case, existing):
    out, err, error = run_import(write_csv(tmp_path, HEADER + BAD_ROWS), mapping_file, case, "--partial")
    assert error == "4 rows refused"
    assert "Imported 1 incidents" in out
    assert Incident.objects.filter(case=case).count() == 2
    assert Incident.objects.get(case=case, date="2020").title == "Fine row"
    assert AuditEvent.objects.get(action="import").detail == {"rows": 5, "imported": 1, "failed": 4, "dry_run": False}


def test_a_dry_run_checks_and_imports_nothing(tmp_path, mapping_file, case):
    out, err, error = run_import(write_csv(tmp_path, HEADER + GOOD_ROWS), mapping_file, case, "--dry-run")
    assert error is None
    assert "Dry run: 2 rows would be imported" in out
    assert not Incident.objects.filter(case=case).exists()


def test_a_row_missing_a_required_value_is_refused(tmp_path, mapping_file, case):
    out, err, error = run_import(write_csv(tmp_path, HEADER + ",UZ,TR,Detention,x,,,,,1\n"), mapping_file, case)
    assert "row 2: column 'Date' (date): is empty, but required" in err
    assert error


def test_an_empty_file_is_refused(tmp_path, mapping_file, case, existing):
    before = snapshot(case)
    out, err, error = run_import(write_csv(tmp_path, ""), mapping_file, case)
    assert error == "the file is empty: the first row must hold the column headers"
    assert snapshot(case) == before


def test_a_file_with_headers_only_is_refused(tmp_path, mapping_file, case):
    out, err, error = run_import(write_csv(tmp_path, HEADER), mapping_file, case)
    assert error == "the file has a header row but no data rows"


def test_a_file_without_a_mapped_column_is_refused(tmp_path, mapping_file, case, existing):
    before = snapshot(case)
    header_without_charge = HEADER.replace("Charge", "Accusation")
    out, err, error = run_import(write_csv(tmp_path, header_without_charge + GOOD_ROWS), mapping_file, case)
    assert error.startswith("the file has no column 'Charge' (for accusation)")
    assert snapshot(case) == before


def test_a_mapping_that_is_not_json_is_refused(tmp_path, case):
    mapping = tmp_path / "mapping.json"
    mapping.write_text("columns: Date")
    out, err, error = run_import(write_csv(tmp_path, HEADER + GOOD_ROWS), mapping, case)
    assert error == "the mapping file is not valid JSON (line 1, column 1)"
    assert not Incident.objects.exists()


def test_an_xlsx_with_bad_rows_is_reported_by_spreadsheet_row(tmp_path, mapping_file, case):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.strip().split(","))
    sheet.append([2019, "UZ", "TR", "Detention", "Good", None, None, None, None, 1])
    sheet.append([])  # a blank row still counts in the numbering
    sheet.append(["someday", "UZ", "TR", "Detention", "Bad date", None, None, None, None, 1])
    sheet.append([2020, "UZ", "XX", "Detention", "Bad host", None, None, None, None, 1])
    workbook.save(tmp_path / "incidents.xlsx")
    out, err, error = run_import(tmp_path / "incidents.xlsx", mapping_file, case)
    assert "row 4: column 'Date' (date): value is not a date" in err
    assert "row 5: column 'Country' (host_state): unknown country" in err
    assert error and not Incident.objects.exists()


def test_a_good_xlsx_is_imported_with_date_cells(tmp_path, mapping_file, case):
    import datetime

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.strip().split(","))
    sheet.append([datetime.datetime(2019, 3, 14), "Uzbekistan", "TR", "Detention", "Good", None, None, None, None, 3])
    workbook.save(tmp_path / "incidents.xlsx")
    out, err, error = run_import(tmp_path / "incidents.xlsx", mapping_file, case)
    assert error is None
    incident = Incident.objects.get(case=case)
    assert (incident.date, incident.people_targeted) == ("2019-03-14", 3)


def test_an_unknown_case_is_refused(tmp_path, mapping_file, case):
    with pytest.raises(CommandError, match="no case with reference SH-1900-0001"):
        call_command("import", str(write_csv(tmp_path, HEADER + GOOD_ROWS)), "--mapping", str(mapping_file), "--case", "SH-1900-0001")


def test_an_erased_case_is_refused(tmp_path, mapping_file, case):
    case.erase()
    out, err, error = run_import(write_csv(tmp_path, HEADER + GOOD_ROWS), mapping_file, case)
    assert error == f"case {case.reference} was crypto-erased: nothing can be added to it"


def test_the_example_mapping_in_the_docs_imports_the_example_file(case):
    out, err, error = run_import(ROOT / "docs/examples/incidents.csv", ROOT / "docs/examples/incidents-mapping.json", case)
    assert error is None, err
    assert Incident.objects.filter(case=case).count() == 3


def test_the_console_command_exits_non_zero_with_the_reason(tmp_path):
    mapping = tmp_path / "mapping.json"
    mapping.write_text("not json")
    env = {k: v for k, v in os.environ.items() if k != "SHELTER_DATABASE_URL"}
    env.update(SHELTER_HOME=str(tmp_path / "home"), DJANGO_SETTINGS_MODULE="shelter.settings")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "shelter"), "import", "x.csv", "--mapping", str(mapping), "--case", "SH-1"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert result.returncode != 0
    assert "the mapping file is not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.attack("denial-of-service")
def test_an_xlsx_entity_bomb_is_refused_with_the_reason_and_nothing_is_imported(tmp_path, mapping_file, case, existing):
    from tests.test_exchange_tables import LAUGHS, with_dtd, workbook_with

    before = snapshot(case)
    bomb = workbook_with(tmp_path, "xl/worksheets/sheet1.xml", with_dtd(LAUGHS, "&lol29;"))
    out, err, error = run_import(bomb, mapping_file, case)
    assert error.startswith("the workbook declares XML entities")
    assert snapshot(case) == before


def test_a_file_over_the_row_limit_is_refused(tmp_path, mapping_file, case, settings):
    settings.SHELTER_IMPORT_MAX_ROWS = 1
    out, err, error = run_import(write_csv(tmp_path, HEADER + GOOD_ROWS), mapping_file, case)
    assert error == "the file has more rows than the import limit (1): split it, or raise import_max_rows"


def many_rows(count: int) -> str:
    return "".join(f"2020-01-{day % 28 + 1:02d},UZ,TR,Detention;Interpol,Incident {n},Narrative {n}.,Istanbul,,,1\n"
                   for n, day in enumerate(range(count)))


def test_it_reports_its_throughput(tmp_path, mapping_file, case):
    out, err, error = run_import(write_csv(tmp_path, HEADER + GOOD_ROWS), mapping_file, case)
    assert error is None, err
    assert re.fullmatch(rf"Imported 2 incidents into {case.reference} \([\d,]+ incidents/s\)\.\n", out)


def test_its_queries_do_not_grow_with_the_rows(tmp_path, mapping_file, case, existing, django_assert_max_num_queries):
    # Incidents and their tactics go in a batch at a time, the case key is unwrapped once, and the
    # duplicate check reads the case's incidents in batches: 600 rows (two batches) take about as
    # many queries as two.
    path = write_csv(tmp_path, HEADER + many_rows(600))
    with django_assert_max_num_queries(40):
        out, err, error = run_import(path, mapping_file, case)
    assert error is None, err
    assert Incident.objects.filter(case=case).count() == 601
    assert Incident.tactics.through.objects.filter(incident__case=case).count() == 2 * 600 + 1
    again = run_import(path, mapping_file, case)
    assert "600 rows refused" in again[2]


def test_a_file_that_changes_between_the_check_and_the_import_imports_nothing(tmp_path, mapping_file, case, existing):
    from django.core.management import load_command_class
    from django.db import transaction

    from shelter.exchange.mapping import parse

    before = snapshot(case)
    path = write_csv(tmp_path, HEADER + many_rows(3))
    mapping = parse(mapping_file.read_text())
    command = load_command_class("shelter.ops", "import")  # "import" is a keyword: no import statement
    checked = command.check_rows(path, mapping, case)
    write_csv(tmp_path, HEADER + many_rows(2) + "2020,UZ,TR,Detention,Swapped in,,,,,1\n")
    with pytest.raises(CommandError, match="row 4 changed while the file was imported: nothing was imported"):
        with transaction.atomic():
            command.save(path, mapping, case, checked)
    assert snapshot(case) == before
