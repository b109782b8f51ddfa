"""``shelter notices assess REF``: the signs of abuse in a notice, each with its evidence and legal basis."""

import json

import pytest
from django.core.management import CommandError, call_command

from shelter.audit.models import AuditEvent
from shelter.notices import importing, triage
from shelter.notices.models import RequestKind, RequestSource
from shelter.notices.sources import interpol
from shelter.records.models import AsylumStatus, Incident, LegalProcess, Term

REQUEST = interpol.Notice(
    entity_id="M-TEST01", name="KARIMOV", forename="ULUGBEK", birth_date="1979-08", nationalities=("UZ",),
    warrants=(interpol.Warrant("UZ", "Art. 244-2 CC UZ: creation of or participation in religious extremist organisations"),),
)


@pytest.fixture
def confirmed_request(person, caseworker):
    """An extradition request by Uzbekistan on a refugee opposition figure whose family was threatened,
    brought in absentia after he left, with a one-line summary of facts."""
    person.profiles.set(Term.objects.filter(thesaurus="profiles", code="opposition"))
    AsylumStatus.objects.create(case=person.case, person=person, host_country="DE", status="refugee", since="2016-05")
    threat = Incident.objects.create(case=person.case, title="Visit to the parents", date="2019-02", origin_state="UZ",
                                     host_state="UZ")
    threat.tactics.set(Term.objects.filter(thesaurus="tactics", code="coercion_by_proxy"))
    threat.acts.create(person=person, role="victim")
    LegalProcess.objects.create(case=person.case, person=person, kind="extradition", requesting_state="UZ",
                                deciding_state="DE", status="refused", opened_on="2017", decided_on="2018")
    report = importing.import_notices(
        [REQUEST], source=RequestSource.MANUAL, kind=RequestKind.EXTRADITION, user=caseworker,
        extra={"requesting_state": "UZ", "charged_on": "2019-06", "issued_on": "2020-01", "in_absentia": True,
               "facts_summary": "Extremism."},
    )
    [alert] = report.alerts
    triage.confirm(caseworker, alert)
    return alert.notice


def assess(capsys, *args):
    call_command("notices", "assess", *args)
    return capsys.readouterr().out


def test_a_notice_with_several_indicators_lists_each_with_its_citation(capsys, confirmed_request, person):
    result = json.loads(assess(capsys, "M-TEST01", "--json"))
    assert result["subject"] == str(person.pk)
    fired = {i["id"]: i for i in result["indicators"]}
    assert {"banned_group_membership", "political_profile", "refugee_or_asylum_status", "charges_after_departure",
            "trial_in_absentia", "vague_facts", "earlier_refusal_or_interim_measures", "repeated_request_after_refusal",
            "threats_to_family"} <= set(fired)
    for indicator in fired.values():
        assert indicator["citations"] and all(indicator["citations"])
        assert indicator["evidence"] and indicator["label"]["ru"]
    assert any("Art. 3" in c for c in fired["political_profile"]["citations"] + fired["banned_group_membership"]["citations"])
    assert any("refugee" in c.lower() for c in fired["refugee_or_asylum_status"]["citations"])
    assert result["level"] == "strong"
    assert result["recommendations"]


def test_without_a_confirmed_subject_only_the_notice_and_the_state_count(capsys, person, caseworker):
    importing.import_notices([REQUEST], source=RequestSource.MANUAL, kind=RequestKind.EXTRADITION,
                             extra={"requesting_state": "UZ"})
    result = json.loads(assess(capsys, "M-TEST01", "--json"))
    assert result["subject"] is None
    assert not {"political_profile", "refugee_or_asylum_status"} & {i["id"] for i in result["indicators"]}


def test_the_text_output_names_each_sign_and_its_source(capsys, confirmed_request):
    out = assess(capsys, "M-TEST01")
    assert "signs of abuse" in out and "cites:" in out


def test_an_assessment_is_audited_without_names(capsys, confirmed_request):
    assess(capsys, "M-TEST01", "--json")
    event = AuditEvent.objects.get(action="assess_notice")
    assert event.object_id == str(confirmed_request.pk)
    assert "KARIMOV" not in json.dumps(event.detail).upper()


def test_an_unknown_reference_is_refused(db):
    with pytest.raises(CommandError, match="no notice") as e:
        call_command("notices", "assess", "2026/00000")
    assert e.value.returncode == 2
