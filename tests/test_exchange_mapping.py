import json

import pytest

from shelter.exchange.mapping import MappingError, parse

MINIMAL = {"columns": {"date": "Date", "origin_state": "From", "host_state": "In", "tactics": "Tactic"}}


def test_it_reads_columns_values_and_options():
    mapping = parse(json.dumps({**MINIMAL, "values": {"tactics": {"Detention": "detention"}}, "separator": "|"}))
    assert mapping.columns["date"] == "Date"
    assert mapping.separator == "|"
    assert mapping.delimiter == ","


def test_it_translates_exactly_then_ignoring_case_and_passes_unknown_values_through():
    mapping = parse(json.dumps({**MINIMAL, "values": {"origin_state": {"Uzbekistan": "UZ"}}}))
    assert mapping.translate("origin_state", "Uzbekistan") == "UZ"
    assert mapping.translate("origin_state", "UZBEKISTAN") == "UZ"
    assert mapping.translate("origin_state", "TJ") == "TJ"


def test_a_required_field_may_come_from_a_default():
    columns = {k: v for k, v in MINIMAL["columns"].items() if k != "origin_state"}
    mapping = parse(json.dumps({"columns": columns, "defaults": {"origin_state": "UZ"}}))
    assert mapping.defaults == {"origin_state": "UZ"}


def test_it_refuses_text_that_is_not_json():
    with pytest.raises(MappingError, match="not valid JSON"):
        parse("{columns: nope")


@pytest.mark.parametrize(
    "data, reason",
    [
        ([], "must hold a JSON object"),
        ({"columns": {}}, "at least one field"),
        ({"columns": {"date": "Date"}}, "no column or default for: origin_state, host_state, tactics"),
        ({**MINIMAL, "columns": {**MINIMAL["columns"], "victim_name": "Name"}}, "unknown fields: victim_name"),
        ({**MINIMAL, "values": {"tactics": ["detention"]}}, '"values.tactics" must be an object'),
        ({**MINIMAL, "separator": ";;"}, "single character"),
        ({**MINIMAL, "colums": {}}, "unknown keys in the mapping file: colums"),
        ({"columns": {**MINIMAL["columns"], "date": 3}}, '"columns.date" must be a string'),
    ],
)
def test_it_refuses_malformed_mappings_with_a_reason(data, reason):
    with pytest.raises(MappingError, match=reason):
        parse(json.dumps(data))


def test_it_lists_the_columns_a_file_lacks():
    mapping = parse(json.dumps(MINIMAL))
    assert mapping.missing_columns(["Date", " From ", "Tactic"]) == [("host_state", "In")]
