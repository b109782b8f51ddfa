"""``shelter exports screen REQUEST.json``: the screening at the command line, its JSON, memo and letter."""

import io
import json

import pypdf
import pytest
from django.core.management import CommandError, call_command

from shelter.audit.models import AuditEvent
from shelter.exportcontrol.models import ExportRequest, Screening
from shelter.records.models import Organisation

from .exports_records import controller_for_university, imsi_catcher, service, service_elsewhere  # noqa: F401


def screen(tmp_path, capsys, request, *args):
    path = tmp_path / "request.json"
    path.write_text(json.dumps(request, ensure_ascii=False), encoding="utf-8")
    call_command("exports", "screen", str(path), "--json", *args)
    return json.loads(capsys.readouterr().out)


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages)


@pytest.mark.parametrize("name", [
    "O'zbekiston Respublikasi Davlat xavfsizlik xizmati",
    "Служба государственной безопасности Республики Узбекистан",
])
def test_an_imsi_catcher_for_the_uzbek_security_service_is_denied(tmp_path, capsys, service, name):
    found = screen(tmp_path, capsys, imsi_catcher(party=name))
    assert "5A001.f" in [e["code"] for e in found["control_entries"]]
    matches = [m for m in found["party_matches"] if m["kind"] == "organisation"]
    assert [m["matched"] for m in matches] == [service.name]
    assert matches[0]["incidents"] == 3 and matches[0]["incidents_by_tactic"]["surveillance"] == 1
    assert matches[0]["explanation"]
    assert found["recommendation"] in ("deny", "licence_required")
    assert found["recommendation"] == "deny"
    assert {"listed_item", "perpetrator_party"} <= {r["code"] for r in found["reasons"]}
    assert found["destination"]["incidents_by_tactic"]["surveillance"] == 1 and found["destination"]["sources"]
    assert any("2021/821" in s for c in found["citations"] for s in c["sources"])


def test_the_same_item_for_a_german_university_has_the_entry_but_no_party_match(tmp_path, capsys, service):
    found = screen(tmp_path, capsys, imsi_catcher(party="Technische Universität Dresden", country="DE", destination="DE"))
    assert "5A001.f" in [e["code"] for e in found["control_entries"]]
    assert found["party_matches"] == [] and found["destination"]["incidents"] == 0
    assert found["recommendation"] == "licence_required"


def test_an_industrial_controller_for_a_university_raises_no_objection(tmp_path, capsys, service):
    found = screen(tmp_path, capsys, controller_for_university())
    assert found["control_entries"] == [] and found["party_matches"] == []
    assert found["catch_all"]["applies"] is False
    assert found["recommendation"] == "no_objection_found"


def test_a_party_on_an_imported_sanctions_list_is_matched_as_sanctions(tmp_path, capsys, service):
    lines = tmp_path / "entities.ftm.json"
    lines.write_text(json.dumps({
        "id": "test-csl-tekhnologii", "schema": "Company", "datasets": ["us_trade_csl"],
        "properties": {"name": ["Tekhnologii Svyazi LLC"], "alias": ["ООО «Технологии связи»"], "country": ["ru"],
                       "topics": ["export.control"]}}, ensure_ascii=False) + "\n", encoding="utf-8")
    call_command("organisations", "import", str(lines))
    capsys.readouterr()
    found = screen(tmp_path, capsys, imsi_catcher(
        party="Technologii Sviazi", country="RU", destination="RU",
        parties=[{"role": "intermediary", "name": "ООО Технологии Связи", "country": "RU"}]))
    sanctions = [m for m in found["party_matches"] if m["kind"] == "sanctions"]
    assert [m["matched"] for m in sanctions] == ["Tekhnologii Svyazi LLC"]
    assert found["recommendation"] == "deny"


def test_it_keeps_each_screening_as_a_version_and_audits_it(tmp_path, capsys, service):
    first = screen(tmp_path, capsys, imsi_catcher())
    again = screen(tmp_path, capsys, imsi_catcher(), "--update", first["request"])
    assert (again["request"], again["version"]) == (first["request"], 2)
    assert Screening.objects.filter(request_id=first["request"]).count() == 2
    assert AuditEvent.objects.filter(action="create", object_type="export_screening").count() == 2


def test_it_writes_the_memo_and_the_letter_in_russian(tmp_path, capsys, service):
    screen(tmp_path, capsys, imsi_catcher(), "--pdf", str(tmp_path / "memo.pdf"), "--letter", str(tmp_path / "letter.pdf"),
           "--html", str(tmp_path / "memo.html"), "--language", "ru")
    memo = pdf_text(tmp_path / "memo.pdf")
    assert "5A001.f" in memo and "Поддержка решения, а не юридическая консультация" in memo and "Отказать" in memo
    assert "Статья 5" in pdf_text(tmp_path / "letter.pdf") or "стать" in pdf_text(tmp_path / "letter.pdf").lower()
    assert "<style>" in (tmp_path / "memo.html").read_text()
    assert AuditEvent.objects.filter(action="export", object_type="export_memo").count() == 2


def test_as_a_user_it_sees_only_their_cases(tmp_path, capsys, service, service_elsewhere, caseworker):
    found = screen(tmp_path, capsys, imsi_catcher(), "--user", caseworker.username)
    match = next(m for m in found["party_matches"] if m["kind"] == "organisation")
    assert match["incidents"] == 3 and "abduction" not in match["incidents_by_tactic"]
    assert "hidden_record" in {r["code"] for r in found["reasons"]}
    assert ExportRequest.objects.get().created_by == caseworker


def test_the_operator_sees_every_case(tmp_path, capsys, service, service_elsewhere):
    found = screen(tmp_path, capsys, imsi_catcher())
    match = next(m for m in found["party_matches"] if m["kind"] == "organisation")
    assert match["incidents"] == 4 and match["incidents_by_tactic"]["abduction"] == 1


@pytest.mark.parametrize("content, reason", [
    ("{not json", "not JSON"),
    ('{"id": "X", "item": {"description": "x"}, "destination": "QQ"}', "destination: unknown country code"),
    ('{"id": "X", "item": {"description": "x", "control_code": "9Z999"}, "destination": "DE"}', "not a control code"),
])
def test_a_bad_request_is_refused_with_its_reason_and_nothing_is_stored(db, tmp_path, content, reason):
    path = tmp_path / "request.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=reason) as e:
        call_command("exports", "screen", str(path))
    assert e.value.returncode == 2 and not ExportRequest.objects.exists()


def test_a_missing_file_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("exports", "screen", str(tmp_path / "missing.json"))


def test_the_summary_names_the_recommendation(tmp_path, capsys, service):
    path = tmp_path / "request.json"
    path.write_text(json.dumps(imsi_catcher()), encoding="utf-8")
    call_command("exports", "screen", str(path))
    out = capsys.readouterr().out
    assert "EX-2026-017: Deny" in out and "5A001.f" in out and "Decision support, not legal advice" in out
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize("ref", ["not-an-id", "00000000-0000-0000-0000-000000000000"])
def test_updating_a_request_that_is_not_there_is_refused(tmp_path, capsys, service, ref):
    with pytest.raises(CommandError, match="no export request") as e:
        screen(tmp_path, capsys, imsi_catcher(), "--update", ref)
    assert e.value.returncode == 2 and not ExportRequest.objects.exists()


@pytest.mark.attack("idor")
def test_a_user_cannot_update_another_users_request(tmp_path, capsys, service, caseworker, other_caseworker):
    first = screen(tmp_path, capsys, imsi_catcher(), "--user", caseworker.username)
    with pytest.raises(CommandError, match="no export request"):
        screen(tmp_path, capsys, imsi_catcher(), "--update", first["request"], "--user", other_caseworker.username)
    assert Screening.objects.count() == 1
