"""Reading an export request (REQUEST.json): what is wrong is named by its field."""

import pytest

from shelter.exports.request import MAX_PARTIES, InvalidRequest, from_json


def request(**changes):
    data = {"id": "EX-1", "item": {"description": "IMSI catcher"}, "destination": "uz",
            "parties": [{"role": "end_user", "name": "СНБ", "country": "UZ"}]}
    data.update(changes)
    return data


def test_it_reads_a_request_and_upper_cases_countries():
    read = from_json(request(exporter="Acme GmbH", end_use="border security"))
    assert read.destination == "UZ" and read.parties[0].name == "СНБ" and read.exporter == "Acme GmbH"
    assert read.as_json()["parties"] == [{"role": "end_user", "name": "СНБ", "country": "UZ"}]


@pytest.mark.parametrize("changes, reason", [
    ({"id": ""}, "id: is required"),
    ({"item": None}, "item: is required"),
    ({"item": {"description": " "}}, "item.description: is required"),
    ({"destination": "XX"}, "destination: unknown country code"),
    ({"parties": [{"role": "buyer", "name": "A"}]}, "parties[0].role: must be one of"),
    ({"parties": [{"role": "owner", "name": ""}]}, "parties[0].name: is required"),
    ({"parties": [{"role": "owner", "name": "A", "country": "ZZ"}]}, "parties[0].country"),
    ({"parties": "СНБ"}, "parties: must be a list"),
    ({"parties": [{"role": "owner", "name": "A"}] * (MAX_PARTIES + 1)}, "parties: more than"),
    ({"item": {"description": "x", "parameters": ["band"]}}, "item.parameters: must be an object"),
    ({"item": {"description": "x", "parameters": {"band": {"a": 1}}}}, "item.parameters.band"),
    ({"item": {"description": "a\x00b"}}, "item.description: contains a NUL"),
    ({"item": {"description": "x" * 5000}}, "item.description: longer than"),
])
def test_it_names_the_field_that_is_wrong(changes, reason):
    with pytest.raises(InvalidRequest, match=reason.replace("[", r"\[").replace("]", r"\]")):
        from_json(request(**changes))


def test_a_request_must_be_an_object():
    with pytest.raises(InvalidRequest, match="JSON object"):
        from_json(["EX-1"])
