"""``shelter risk assess PERSON --to COUNTRY``: a return-risk assessment, kept with the earlier ones."""

import json

import pytest
from django.core.management import CommandError, call_command

from shelter.records.models import Incident, Term
from shelter.returns.models import RiskAssessment


def assess(capsys, *args):
    call_command("risk", "assess", *args)
    return capsys.readouterr().out


def test_it_assesses_from_the_records_and_cites_the_country_profile(capsys, person):
    person.profiles.set(Term.objects.filter(thesaurus="profiles", code="opposition"))
    detention = Incident.objects.create(case=person.case, date="2015", origin_state="UZ", host_state="UZ",
                                        outcome="detained", accusation="anti_constitutional")
    detention.tactics.set(Term.objects.filter(thesaurus="tactics", code="detention"))
    detention.acts.create(person=person)
    result = json.loads(assess(capsys, str(person.pk), "--to", "uz", "--json"))
    assert result["destination"] == "UZ" and result["number"] == 1
    assert result["level"] in ("high", "very_high")
    present = {f["id"] for f in result["individual"] if f["present"]}
    assert present
    assert all(f["citations"] for f in result["general"])


def test_each_run_is_kept(capsys, person, tmp_path):
    manual = tmp_path / "manual.json"
    manual.write_text(json.dumps({"confession_evidence": True, "assurances": {"given": True, "specific": False}}))
    assess(capsys, str(person.pk), "--to", "TJ")
    assess(capsys, str(person.pk), "--to", "TJ", "--manual", str(manual), "--json")
    first, second = RiskAssessment.objects.order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert json.loads(second.manual_factors)["confession_evidence"] is True
    assert json.loads(first.manual_factors) == {}


@pytest.mark.parametrize("args, reason", [
    (["--to", "XX"], "not a country code"),
    (["--to", "SU"], "no longer exists"),
])
def test_a_bad_destination_is_refused_and_nothing_is_kept(person, args, reason):
    with pytest.raises(CommandError, match=reason) as e:
        call_command("risk", "assess", str(person.pk), *args)
    assert e.value.returncode == 2
    assert not RiskAssessment.objects.exists()


def test_unknown_factors_are_refused(person, tmp_path):
    manual = tmp_path / "manual.json"
    manual.write_text('{"bribed_the_judge": true}')
    with pytest.raises(CommandError, match="unknown factors bribed_the_judge"):
        call_command("risk", "assess", str(person.pk), "--to", "TJ", "--manual", str(manual))


def test_an_unknown_person_is_refused(db):
    with pytest.raises(CommandError, match="no person") as e:
        call_command("risk", "assess", "not-an-id", "--to", "TJ")
    assert e.value.returncode == 2
