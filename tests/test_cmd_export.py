import csv
import io
import json
import stat

import pytest
from django.core.management import CommandError, call_command
from followthemoney import model

from shelter.audit.models import AuditEvent
from shelter.notices.models import NoticeAlert
from shelter.records.models import (
    Act,
    Case,
    Incident,
    Involvement,
    LegalProcess,
    Organisation,
    Person,
    PersonName,
    Source,
)
from shelter.records.thesauri import term

IDENTITY = ["Улугбек", "Karimov", "Гульнара", "Istanbul airport", "Andijan", "Major Rustamov", "2017/45-RN", "Detained at"]


@pytest.fixture
def documented(case, person):
    """A case with a victim, a relative targeted as proxy, an incident, agency, officer, process and source."""
    relative = Person.objects.create(case=case, birth_date="1955", nationalities=["UZ"], gender="female")
    PersonName.objects.create(person=relative, value="Гульнара Каримова")
    snb = Organisation.objects.create(name="SNB", kind="security_service", country="UZ")
    court = Organisation.objects.create(name="Istanbul 5th Criminal Court", kind="court", country="TR")
    source = Source.objects.create(case=case, kind="publication", title="Report on Andijan", published_on="2019-04")
    incident = Incident.objects.create(
        case=case,
        title="Detained at Istanbul airport",
        date="2019-03",
        origin_state="UZ",
        host_state="TR",
        place="Istanbul airport",
        narrative="Held for three days; relatives in Andijan questioned.",
        outcome="released",
        accusation="terrorism_extremism",
    )
    incident.tactics.set([term("tactics", "detention"), term("tactics", "interpol_abuse")])
    incident.sources.set([source])
    Act.objects.create(incident=incident, person=person, role="victim")
    Act.objects.create(incident=incident, person=relative, role="proxy_victim", proxy_for=person)
    Involvement.objects.create(incident=incident, actor_kind="agency", organisation=snb)
    Involvement.objects.create(incident=incident, actor_kind="officer", organisation=snb, actor_name="Major Rustamov")
    LegalProcess.objects.create(
        case=case, person=person, kind="red_notice", requesting_state="UZ", deciding_state="TR",
        deciding_body=court, reference="2017/45-RN", opened_on="2017", status="refused",
    )
    return case


def export(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("export", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_csv_has_one_row_per_incident_with_codes_and_text(documented):
    out, _ = export("--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1
    row = rows[0]
    assert row["case"] == documented.reference
    assert (row["date"], row["origin_state"], row["host_state"]) == ("2019-03", "UZ", "TR")
    assert row["tactics"] == "detention;interpol_abuse"
    assert (row["accusation"], row["outcome"], row["host_complicity"], row["people_targeted"]) == (
        "terrorism_extremism", "released", "unknown", "1",
    )
    assert row["title"] == "Detained at Istanbul airport"
    assert row["place"] == "Istanbul airport"


def test_pseudonymised_csv_has_no_text_columns(documented):
    out, _ = export("--format", "csv", "--pseudonymise")
    header = out.splitlines()[0].split(",")
    assert "title" not in header and "narrative" not in header and "place" not in header
    assert not [value for value in IDENTITY if value in out]


def test_csv_cells_cannot_run_as_spreadsheet_formulas(case):
    incident = Incident.objects.create(case=case, title='=HYPERLINK("http://evil")', date="2020", origin_state="UZ", host_state="TR")
    incident.tactics.set([term("tactics", "threats")])
    out, _ = export("--format", "csv")
    assert list(csv.DictReader(io.StringIO(out)))[0]["title"] == "'=HYPERLINK(\"http://evil\")"


def test_json_holds_cases_with_their_records_decrypted(documented, person):
    out, _ = export("--format", "json")
    data = json.loads(out)
    assert data["format"] == "shelter-export" and data["pseudonymised"] is False
    case = data["cases"][0]
    persons = {p["id"]: p for p in case["persons"]}
    assert [n["value"] for n in persons[str(person.pk)]["names"]] == ["Улугбек Каримов", "Ulugbek Karimov"]
    assert persons[str(person.pk)]["birth_date"] == "1979-08"
    incident = case["incidents"][0]
    assert incident["title"] == "Detained at Istanbul airport"
    assert {a["role"] for a in incident["acts"]} == {"victim", "proxy_victim"}
    assert [i["actor_name"] for i in incident["involvements"]] == ["", "Major Rustamov"]
    assert case["legal_processes"][0]["reference"] == "2017/45-RN"
    assert case["sources"][0]["title"] == "Report on Andijan"
    assert {o["name"] for o in data["organisations"]} == {"SNB", "Istanbul 5th Criminal Court"}


def test_pseudonymised_json_has_no_identity_tier_and_persons_by_pseudonym(documented, person):
    out, _ = export("--format", "json", "--pseudonymise")
    assert not [value for value in IDENTITY if value in out]
    assert str(person.pk) not in out
    case = json.loads(out)["cases"][0]
    assert "title" not in case
    pseudonyms = {p["id"] for p in case["persons"]}
    assert person.pseudonym in pseudonyms
    assert all("names" not in p and "birth_date" not in p for p in case["persons"])
    acts = case["incidents"][0]["acts"]
    assert {a["person"] for a in acts} <= pseudonyms
    assert [a["proxy_for"] for a in acts if a["role"] == "proxy_victim"] == [person.pseudonym]


def ftm_entities(out):
    return [json.loads(line) for line in out.splitlines()]


def assert_valid_ftm(entities):
    """Every line is an entity of a real, concrete schema; every value survives the library's own
    cleaning unchanged; every reference points to an entity of the same export."""
    ids = {e["id"] for e in entities}
    assert len(ids) == len(entities)
    for data in entities:
        proxy = model.get_proxy(data, cleaned=False)
        assert model.get(data["schema"]) is proxy.schema and not proxy.schema.abstract
        assert set(data["properties"]) <= set(proxy.schema.properties)
        assert proxy.to_dict()["properties"] == data["properties"], data["schema"]
        for name, values in data["properties"].items():
            if proxy.schema.get(name).type.name == "entity":
                assert set(values) <= ids, f"{data['schema']}.{name} points outside the export"
        for prop in proxy.schema.required:
            assert proxy.get(prop), f"{data['schema']} lacks {prop}"


def test_ftm_lines_are_valid_entities_of_the_installed_schemata(documented):
    out, _ = export("--format", "ftm")
    entities = ftm_entities(out)
    assert_valid_ftm(entities)
    schemata = sorted({e["schema"] for e in entities})
    assert schemata == ["CourtCase", "CourtCaseParty", "Event", "Family", "Person", "PublicBody", "UnknownLink"]


def test_ftm_persons_events_and_links_carry_the_record(documented, person):
    entities = ftm_entities(export("--format", "ftm")[0])
    by_schema = {}
    for e in entities:
        by_schema.setdefault(e["schema"], []).append(e)
    victim = next(p for p in by_schema["Person"] if p["properties"]["name"] == ["Улугбек Каримов"])
    assert victim["properties"]["alias"] == ["Ulugbek Karimov"]
    assert victim["properties"]["birthDate"] == ["1979-08"]  # month precision kept
    assert victim["properties"]["nationality"] == ["uz"]
    assert victim["properties"]["gender"] == ["male"]
    event = by_schema["Event"][0]["properties"]
    assert event["date"] == ["2019-03"] and event["country"] == ["uz", "tr"]
    assert victim["id"] in event["involved"]
    snb = next(o for o in by_schema["PublicBody"] if o["properties"]["name"] == ["SNB"])
    officer = next(p for p in by_schema["Person"] if p["properties"]["name"] == ["Major Rustamov"])
    assert set(event["organizer"]) == {snb["id"], officer["id"]}
    assert {link["properties"]["role"][0] for link in by_schema["UnknownLink"]} == {"victim", "proxy_victim"}
    assert by_schema["Family"][0]["properties"]["person"] == [victim["id"]]
    assert by_schema["CourtCase"][0]["properties"]["caseNumber"] == ["2017/45-RN"]


def test_ftm_ids_are_stable_across_exports(documented):
    first = {e["id"] for e in ftm_entities(export("--format", "ftm")[0])}
    second = {e["id"] for e in ftm_entities(export("--format", "ftm")[0])}
    assert first == second


def test_pseudonymised_ftm_is_valid_and_holds_no_identity_data(documented, person):
    out, _ = export("--format", "ftm", "--pseudonymise")
    assert not [value for value in IDENTITY if value in out]
    entities = ftm_entities(out)
    assert_valid_ftm(entities)
    names = {e["properties"]["name"][0] for e in entities if e["schema"] == "Person"}
    assert person.pseudonym in names


def test_erased_cases_are_skipped_with_a_note(documented, person):
    other = Case.objects.create(title="Other")
    incident = Incident.objects.create(case=other, title="Other incident", date="2020", origin_state="TJ", host_state="RU")
    incident.tactics.set([term("tactics", "abduction")])
    other.erase()
    out, err = export("--format", "csv")
    assert f"note: case {other.reference} was crypto-erased and is skipped" in err
    assert other.reference not in out
    assert documented.reference in out


def test_only_the_cases_asked_for_are_exported(documented):
    other = Case.objects.create(title="Other")
    out, _ = export("--format", "json", "--case", other.reference)
    assert [c["reference"] for c in json.loads(out)["cases"]] == [other.reference]


def test_an_unknown_case_is_refused(documented):
    with pytest.raises(CommandError, match="no case with reference SH-1900-0001"):
        export("--format", "csv", "--case", "SH-1900-0001")


def test_each_export_is_audited_with_format_and_counts(documented):
    export("--format", "json", "--pseudonymise")
    event = AuditEvent.objects.get(action="export")
    assert event.actor_name == "cli"
    assert event.detail == {"format": "json", "pseudonymised": True, "cases": 1, "persons": 2, "incidents": 1,
                            "notices": 0, "alerts": 0, "risk_assessments": 0}


def test_an_output_file_is_readable_by_its_owner_only(documented, tmp_path):
    target = tmp_path / "export.jsonl"
    export("--format", "ftm", "--output", str(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert_valid_ftm(ftm_entities(target.read_text()))


@pytest.fixture
def requested(documented, person, caseworker, elsewhere, other_caseworker):
    """An Interpol notice confirmed on ``documented``, a risk assessment, and a request entered on
    another case that also matches ``person``."""
    from shelter.notices import importing, triage
    from shelter.notices.models import RequestKind, RequestSource
    from shelter.notices.sources import interpol
    from shelter.returns import assessments

    public = interpol.Notice(entity_id="2026/70707", name="KARIMOV", forename="ULUGBEK", birth_date="1979-08",
                             nationalities=("UZ",), warrants=(interpol.Warrant("UZ", "Art. 244-2 CC UZ"),))
    [alert] = [a for a in importing.import_notices([public], source=RequestSource.INTERPOL).alerts if a.person == person]
    triage.confirm(caseworker, alert)
    assessments.assess_risk(person, "UZ", user=caseworker, manual={"confession_evidence": True})
    private = interpol.Notice(entity_id="M-OTHERCASE", name="KARIMOV", forename="ULUGBEK", birth_date="1979-08",
                              nationalities=("UZ",), warrants=(interpol.Warrant("UZ", "Private charge of another case"),))
    [entered] = importing.import_notices([private], source=RequestSource.MANUAL, kind=RequestKind.EXTRADITION,
                                         case=elsewhere.case, extra={"facts_summary": "Other family's facts"}).created
    # Its author worked on both cases when it was screened, so it matched here too.
    NoticeAlert.objects.create(case=documented, person=person, notice=entered, score=0.9)
    return documented


def test_json_holds_the_notices_alerts_and_risk_assessments_of_the_cases(requested):
    out, _ = export("--format", "json")
    document = json.loads(out)
    [case] = [c for c in document["cases"] if c["reference"] == requested.reference]
    references = {n["reference"] for n in document["notices"]}
    assert "2026/70707" in references
    confirmed = [a for a in case["alerts"] if a["status"] == "confirmed"]
    assert confirmed and confirmed[0]["notice"] in {n["id"] for n in document["notices"]}
    assert confirmed[0]["legal_process"]
    [risk] = case["risk_assessments"]
    assert risk["destination"] == "UZ" and risk["level"] and risk["result"]["level"] == risk["level"]
    assert risk["manual_factors"] == {"confession_evidence": True}


def test_a_request_entered_on_a_case_outside_the_export_stays_out(requested):
    out, _ = export("--format", "json", "--case", requested.reference)
    assert "Private charge of another case" not in out and "M-OTHERCASE" not in out and "Other family" not in out
    document = json.loads(out)
    alerts = document["cases"][0]["alerts"]
    assert any(a["notice"] is None for a in alerts)  # it matched: the alert says so, without the request


def test_pseudonymised_json_keeps_notices_alerts_and_assessments_without_identity(requested, person):
    out, _ = export("--format", "json", "--pseudonymise")
    assert "2026/70707" not in out and "KARIMOV" not in out and "Art. 244-2" not in out
    document = json.loads(out)
    assert document["notices"] and all("name" not in n and "reference" not in n for n in document["notices"])
    alerts = document["cases"][0]["alerts"]
    assert alerts and all(a["person"] == person.pseudonym and "reason" not in a for a in alerts)
    [risk] = document["cases"][0]["risk_assessments"]
    assert "level" not in risk and "result" not in risk and risk["person"] == person.pseudonym
