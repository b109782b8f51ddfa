import pytest
from followthemoney import model

from shelter.exchange import ftm


def assert_valid(entity):
    """Every value survives a round trip through the library's own cleaning."""
    data = entity.to_dict()
    proxy = model.get_proxy(data, cleaned=False)
    assert not proxy.schema.abstract
    assert proxy.to_dict()["properties"] == data["properties"]


def test_a_person_keeps_names_partial_birth_date_and_nationalities():
    entity = ftm.person(
        {
            "key": "p1",
            "names": [("Улугбек Каримов", "primary"), ("Ulugbek Karimov", "transliteration"), ("Karimova", "former")],
            "birth_date": "1979-08",
            "nationalities": ["UZ", "SU"],
            "gender": "male",
            "fallback_name": "P-AAAAAA",
        }
    )
    assert entity.schema.name == "Person"
    assert entity.get("name") == ["Улугбек Каримов"]
    assert entity.get("alias") == ["Ulugbek Karimov"]
    assert entity.get("previousName") == ["Karimova"]
    assert entity.get("birthDate") == ["1979-08"]
    assert set(entity.get("nationality")) == {"uz", "suhh"}
    assert_valid(entity)


def test_a_person_without_names_is_named_by_pseudonym():
    entity = ftm.person({"key": "P-AAAAAA", "fallback_name": "P-AAAAAA", "gender": ""})
    assert entity.get("name") == ["P-AAAAAA"]
    assert entity.get("gender") == []


def test_ids_are_stable_and_namespaced():
    first = ftm.person({"key": "p1", "fallback_name": "x"})
    again = ftm.person({"key": "p1", "fallback_name": "y"})
    assert first.id == again.id == ftm.entity_id("person", "p1")
    assert first.id != ftm.entity_id("incident", "p1")


def test_state_agencies_are_public_bodies():
    agency = ftm.organisation({"key": "o1", "name": "SNB", "kind": "security_service", "country": "UZ"})
    company = ftm.organisation({"key": "o2", "name": "Acme", "kind": "company"})
    assert agency.schema.name == "PublicBody" and agency.schema.is_a("Organization")
    assert company.schema.name == "Organization"
    assert_valid(agency)


def test_an_incident_is_an_event_with_its_targets_and_perpetrators():
    event = ftm.event(
        {"key": "i1", "name": "Detention", "date": "2019-03", "origin_state": "UZ", "host_state": "TR", "tactics": ["detention"], "outcome": "released"},
        involved=["a"],
        organizers=["b"],
    )
    assert event.get("date") == ["2019-03"]
    assert event.get("country") == ["uz", "tr"]
    assert event.get("involved") == ["a"] and event.get("organizer") == ["b"]
    assert "tactic:detention" in event.get("keywords")
    assert_valid(event)


def test_legal_processes_are_court_cases_not_sanctions():
    case, party = ftm.legal_process({"key": "l1", "name": "Interpol Red Notice", "kind": "red_notice", "opened_on": "2018"}, "p")
    assert case.schema.name == "CourtCase" and party.schema.name == "CourtCaseParty"
    assert party.get("case") == [case.id] and party.get("party") == ["p"]
    assert case.get("fileDate") == ["2018"]


def test_a_value_the_schema_would_drop_is_an_error_not_a_silent_loss():
    entity = ftm.person({"key": "p1", "fallback_name": "x"})
    with pytest.raises(ftm.FtmError) as error:
        ftm.add(entity, "birthDate", "sometime in the seventies")
    assert "seventies" not in str(error.value)
