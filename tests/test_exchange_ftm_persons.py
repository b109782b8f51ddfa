"""FollowTheMoney entity lines read as persons for ``shelter screen`` (both engines)."""

import json

import pytest

from shelter.exchange import ftm_persons
from shelter.exchange.person_lines import Invalid


def line(schema="Person", **properties) -> str:
    return json.dumps({"id": "NK-1", "schema": schema, "properties": properties})


def test_a_person_entity_becomes_a_person_line():
    person = ftm_persons.parse_line(7, line(name=["Ислам Каримов", "Islam Karimov"], alias=["I. Karimov"],
                                            birthDate=["1938-01-30", "1938"], nationality=["uz", "suhh", "zz"],
                                            gender=["male"]))
    assert (person.line, person.id, person.name) == (7, "NK-1", "Ислам Каримов")
    assert person.aliases == ["Islam Karimov", "I. Karimov"]
    assert (person.birth_date, person.nationalities, person.gender) == ("1938-01-30", ["UZ", "SU"], "male")


def test_entities_of_other_schemata_are_skipped():
    assert ftm_persons.parse_line(1, line("Company", name=["Fictional Trading LLC"])) is None
    assert ftm_persons.parse_line(1, line("Sanction", reason=["fictional"])) is None


def test_aliases_beyond_what_the_matcher_takes_are_left_out():
    person = ftm_persons.parse_line(1, line(name=["Ali Valiev"], alias=[f"Ali Valiev {n}" for n in "abcdefgh"]))
    assert len(person.aliases) == ftm_persons.ALIASES_KEPT


@pytest.mark.parametrize("text, reason", [
    ("{", "invalid JSON"),
    (json.dumps({"id": "x", "schema": "Nonsense", "properties": {}}), "not a FollowTheMoney entity"),
    (line(alias=["Ali"]), "missing name"),
    (json.dumps({"schema": "Person", "properties": {"name": ["Ali Valiev"]}}), "missing id"),
])
def test_bad_entities_are_refused_with_a_reason_that_quotes_no_name(text, reason):
    with pytest.raises(Invalid, match=reason) as refused:
        ftm_persons.parse_line(3, text)
    assert "Ali" not in str(refused.value)
