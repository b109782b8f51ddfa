"""`shelter triage FILE... [--json] [--stix OUT.stix2]`: analyses offline, stores nothing, refuses bad
input with the reason."""

import json
from email.message import EmailMessage
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db  # the instance's imported feeds are read even when nothing is stored


@pytest.fixture
def phishing(tmp_path):
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "Google <no-reply@accountsgoog1e.com>", "exile@example.org", "Security alert"
    m.set_content("Someone has your password. Check now: https://accountsgoog1e.com/signin")
    path = tmp_path / "alert.eml"
    path.write_bytes(bytes(m))
    return path


def run(*args) -> str:
    out = StringIO()
    call_command("triage", *map(str, args), stdout=out)
    return out.getvalue()


def test_it_prints_a_json_report_with_verdict_findings_and_defanged_indicators(phishing):
    [report] = json.loads(run(phishing, "--json"))
    assert report["file"] == "alert.eml" and report["subject"] == "Security alert"
    assert report["verdict"] == "malicious" and report["likely_goal"] == ["credentials"]
    assert {"display_name_impersonation", "lookalike_domain", "known_ioc"} <= {f["kind"] for f in report["findings"]}
    assert {"type": "domain", "value": "accountsgoog1e[.]com", "context": "From"} in report["indicators"]


def test_it_writes_the_indicators_as_a_stix_file_for_mvt(phishing, tmp_path):
    out = tmp_path / "alert.stix2"
    run(phishing, "--stix", out)
    patterns = [o["pattern"] for o in json.loads(out.read_text())["objects"] if o["type"] == "indicator"]
    assert "[domain-name:value='accountsgoog1e.com']" in patterns


def test_it_speaks_plainly_without_json(phishing):
    text = run(phishing)
    assert text.startswith("alert.eml: malicious") and "imitates Google" in text and "https://" not in text


def test_it_stores_nothing(phishing, db):
    from shelter.audit.models import AuditEvent

    before = AuditEvent.objects.count()
    run(phishing, "--json")
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("args, reason", [
    (["/nonexistent/file.eml"], "not a readable file"),
    (["{phishing}", "--stix", "out.json"], "must end in .stix2"),
])
def test_bad_input_is_refused_with_the_reason(phishing, args, reason):
    args = [a.replace("{phishing}", str(phishing)) for a in args]
    with pytest.raises(CommandError, match=reason):
        run(*args)


def test_with_a_case_it_keeps_the_file_as_encrypted_evidence_with_its_triage(phishing, case):
    from shelter.artefacts.models import Artefact
    from shelter.audit.models import AuditEvent
    from shelter.records.evidence import open_evidence

    [report] = json.loads(run(phishing, "--json", "--case", case.reference))
    artefact = Artefact.objects.get(pk=report["artefact"])
    assert artefact.case == case and artefact.verdict == "malicious" and "lookalike_domain" in artefact.kinds
    assert open_evidence(artefact.evidence) == phishing.read_bytes()
    assert artefact.indicator_digests.filter(type="domain").exists()
    assert AuditEvent.objects.filter(action="triage", object_id=str(artefact.pk)).exists()


def test_the_same_file_twice_in_a_case_is_refused(phishing, case):
    run(phishing, "--case", case.reference)
    with pytest.raises(CommandError, match="already stored in this case"):
        run(phishing, "--case", case.reference)


def test_an_unknown_case_is_refused(phishing, db):
    with pytest.raises(CommandError, match="no case with the reference NOPE-1"):
        run(phishing, "--case", "NOPE-1")
