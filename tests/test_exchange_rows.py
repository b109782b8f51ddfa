import json

import pytest

from shelter import thesaurus
from shelter.exchange import rows
from shelter.exchange.mapping import MappingError, parse

VOCABULARY = rows.Vocabulary(
    tactics=frozenset(thesaurus.codes("tactics")),
    accusations=frozenset(thesaurus.codes("accusations")),
    outcomes=frozenset({"unknown", "released", "returned"}),
    complicity=frozenset({"unknown", "none", "passive", "active"}),
)
MAPPING = parse(
    json.dumps(
        {
            "columns": {
                "date": "Date",
                "origin_state": "Perpetrator",
                "host_state": "Country",
                "tactics": "Tactic",
                "title": "Title",
                "people_targeted": "N",
                "accusation": "Charge",
            },
            "values": {"origin_state": {"Uzbekistan": "UZ"}, "tactics": {"Detention": "detention"}},
        }
    )
)
GOOD = {"date": "15.08.2019", "origin_state": "Uzbekistan", "host_state": "tr", "tactics": "Detention; interpol_abuse"}


def build(**changes):
    return rows.build_incident({**GOOD, **changes}, MAPPING, VOCABULARY)


def test_a_good_row_becomes_a_normalised_incident():
    record = build(title="Detained", people_targeted="3", accusation="terrorism_extremism")
    assert record == rows.IncidentRecord(
        date="2019-08-15",
        origin_state="UZ",
        host_state="TR",
        tactics=("detention", "interpol_abuse"),
        title="Detained",
        accusation="terrorism_extremism",
        people_targeted=3,
    )


def test_partial_dates_keep_their_precision():
    assert build(date="2019-08").date == "2019-08"
    assert build(date="2019").date == "2019"


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"date": "2019-13-01"}, "column 'Date' (date): month 13 does not exist"),
        ({"date": "last spring"}, "column 'Date' (date): value is not a date"),
        ({"date": ""}, "column 'Date' (date): is empty, but required"),
        ({"origin_state": "Uzbekistn"}, "column 'Perpetrator' (origin_state): unknown country"),
        ({"host_state": "ZZ"}, "column 'Country' (host_state): unknown country"),
        ({"tactics": "Detention;Kidnap"}, "column 'Tactic' (tactics): 1 value is not a known tactic code"),
        ({"tactics": ""}, "at least one tactic is required"),
        ({"people_targeted": "two"}, "column 'N' (people_targeted): must be a whole number"),
        ({"people_targeted": "0"}, "must be a whole number of at least 1"),
        ({"accusation": "hooliganism"}, "column 'Charge' (accusation): not a known accusation code"),
        ({"title": "x" * 501}, "is 501 characters long"),
    ],
)
def test_a_bad_row_gives_its_reasons(changes, reason):
    reasons = build(**changes)
    assert isinstance(reasons, list)
    assert any(reason in r for r in reasons), reasons


def test_reasons_never_quote_the_cell():
    reasons = build(date="Karimov was seized", origin_state="Karimov family", tactics="Karimov")
    assert len(reasons) == 3
    assert not any("Karimov" in r for r in reasons)


def test_columns_are_found_by_header():
    positions = rows.column_positions(MAPPING, ["N", "Date", "Perpetrator", "Country", "Tactic", "Title", "Charge"])
    assert positions["date"] == 1 and positions["people_targeted"] == 0


def test_a_column_the_file_lacks_is_named():
    with pytest.raises(MappingError, match=r"no column 'Charge' \(for accusation\)"):
        rows.column_positions(MAPPING, ["N", "Date", "Perpetrator", "Country", "Tactic", "Title"])


def test_an_ambiguous_column_is_refused():
    with pytest.raises(MappingError, match="more than one column named 'Date'"):
        rows.column_positions(MAPPING, ["N", "Date", "Date", "Perpetrator", "Country", "Tactic", "Title", "Charge"])


def test_misaligned_rows_are_detected():
    assert rows.cell_count_problem(["a", "b", "c"], 3) is None
    assert rows.cell_count_problem(["a", "b", "c", ""], 3) is None  # trailing blank cells are harmless
    assert rows.cell_count_problem(["a", "b", "c", "d"], 3) == "has 4 cells, but the header has 3 columns"
    assert rows.cell_count_problem(["a", "b"], 3) == "has 2 cells, but the header has 3 columns"


def test_defaults_fill_blank_cells():
    mapping = parse(json.dumps({"columns": {"date": "D", "host_state": "H", "tactics": "T"}, "defaults": {"origin_state": "UZ"}}))
    raw = rows.raw_values(mapping, {"date": 0, "host_state": 1, "tactics": 2}, ["2019", "TR", "detention"])
    assert raw["origin_state"] == "UZ"


def test_duplicate_keys_ignore_case_spacing_and_tactic_order():
    a = rows.duplicate_key("2019", "UZ", "TR", ["detention", "abduction"], "Detained  at the airport")
    b = rows.duplicate_key("2019", "UZ", "TR", ["abduction", "detention"], "detained at the Airport")
    assert a == b
    assert a != rows.duplicate_key("2019", "UZ", "RU", ["detention", "abduction"], "Detained at the airport")
