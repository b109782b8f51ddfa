"""``shelter notices import``: Interpol responses and OpenSanctions lines stored, versioned and
screened against the registry."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from shelter.audit.models import AuditEvent
from shelter.notices import importing
from shelter.notices.models import AlertStatus, Notice, NoticeAlert, NoticeVersion
from shelter.records.models import Person, PersonName

DATA = Path(__file__).parent / "data" / "interpol"


@pytest.fixture
def kabirov(case):
    """Registered in Cyrillic only: the notice spells him in Latin."""
    person = Person.objects.create(case=case, birth_date="1965-01-07", nationalities=["TJ"], gender="male")
    PersonName.objects.create(person=person, value="Мухиддин Кабиров", language="tg")
    return person


def run(capsys, *args):
    call_command("notices", *args)
    return json.loads(capsys.readouterr().out)


def import_json(capsys, fmt, path):
    try:
        call_command("notices", "import", fmt, str(path), "--json")
    except CommandError as e:
        output = capsys.readouterr()
        return e.returncode, json.loads(output.out or "{}"), output.err
    output = capsys.readouterr()
    return 0, json.loads(output.out), output.err


def test_a_notice_on_a_person_registered_in_another_script_raises_an_alert_with_an_explanation(capsys, kabirov):
    status, result, _ = import_json(capsys, "interpol", DATA / "red_detail.json")
    assert status == 0
    [alert] = NoticeAlert.objects.all()
    assert alert.person == kabirov and alert.case == kabirov.case
    assert alert.status == AlertStatus.OPEN and alert.score >= 0.75
    features = {f["feature"]: f for f in alert.explanation_features()}
    assert {"name", "birth_date", "nationality"} <= set(features)
    assert {p["reason"] for p in features["name"]["parts"]} == {"transliteration"}
    assert result["alerts"] == [{
        "alert": str(alert.pk), "notice": "2026/11111", "person": str(kabirov.pk), "case": kabirov.case.reference,
        "score": round(alert.score, 4), "status": "open", "external_id": "",
    }]


def test_bad_records_are_reported_with_their_position_and_the_good_ones_imported(capsys, kabirov):
    status, result, err = import_json(capsys, "interpol", DATA / "red_list.json")
    assert status == 1
    assert result["created"] == 2
    assert [e["record"] for e in result["errors"]] == [2, 3, 4]
    assert "record 3: notice 2024/33333 has no name" in err
    assert Notice.objects.with_reference("2025/22222").get().nationalities == ["TJ", "922"]


def test_reimporting_the_same_file_changes_nothing(capsys, kabirov):
    import_json(capsys, "interpol", DATA / "red_detail.json")
    before = list(NoticeVersion.objects.values_list("pk", flat=True)), list(NoticeAlert.objects.values_list("pk", "score"))
    status, result, _ = import_json(capsys, "interpol", DATA / "red_detail.json")
    assert (status, result["created"], result["updated"], result["unchanged"]) == (0, 0, 0, 1)
    assert (list(NoticeVersion.objects.values_list("pk", flat=True)), list(NoticeAlert.objects.values_list("pk", "score"))) == before


def test_a_changed_notice_keeps_its_earlier_version(capsys, tmp_path, kabirov):
    import_json(capsys, "interpol", DATA / "red_detail.json")
    changed = json.loads((DATA / "red_detail.json").read_text())
    changed["arrest_warrants"][0]["charge_translation"] = "Organisation of an extremist community (amended)"
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(changed, ensure_ascii=False))
    status, result, _ = import_json(capsys, "interpol", path)
    assert (status, result["updated"]) == (0, 1)
    notice = Notice.objects.get()
    assert notice.version == 2
    versions = {v.version: json.loads(v.content) for v in notice.versions.all()}
    assert versions[1]["warrants"][0]["charge_translation"] == "Organisation of an extremist community"
    assert versions[2]["warrants"][0]["charge_translation"].endswith("(amended)")


def test_a_truncated_response_is_refused_whole_and_nothing_is_imported(capsys, tmp_path, kabirov):
    text = (DATA / "red_list.json").read_text()
    path = tmp_path / "truncated.json"
    path.write_text(text[: len(text) // 2])
    with pytest.raises(CommandError, match="not JSON") as e:
        call_command("notices", "import", "interpol", str(path))
    assert e.value.returncode == 2
    assert not Notice.objects.exists()


def test_a_missing_file_is_refused_with_its_reason(tmp_path, db):
    with pytest.raises(CommandError, match="cannot read") as e:
        call_command("notices", "import", "interpol", str(tmp_path / "absent.json"))
    assert e.value.returncode == 2


def test_opensanctions_lines_are_imported_and_screened(capsys, kabirov):
    status, result, _ = import_json(capsys, "opensanctions", DATA / "opensanctions_red.jsonl")
    assert status in (0, 1)
    assert result["created"] >= 1
    assert Notice.objects.filter(source="opensanctions").count() == result["created"]


def test_the_subjects_identity_is_sealed_in_the_database(capsys, kabirov):
    from django.db import connection

    import_json(capsys, "interpol", DATA / "red_detail.json")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, forename, birth_date, charges, source_id FROM wanted_notice")
        row = cursor.fetchone()
        cursor.execute("SELECT content FROM wanted_noticeversion")
        content = cursor.fetchone()[0]
    for value in (*row, content):
        assert b"KABIROV" not in bytes(value) and "экстрем".encode() not in bytes(value)
        assert b"11111" not in bytes(value)  # the reference, looked up on Interpol's list, would name him


def test_the_import_is_audited_in_counts_without_names(capsys, kabirov, caseworker):
    call_command("notices", "import", "interpol", str(DATA / "red_detail.json"), "--user", caseworker.username)
    event = AuditEvent.objects.get(action="import_notices")
    assert event.actor == caseworker
    assert event.detail["created"] == 1 and event.detail["alerts"] == 1
    assert "KABIROV" not in json.dumps(event.detail).upper()


def test_an_alert_once_decided_is_not_reopened_by_a_new_version(capsys, tmp_path, kabirov):
    import_json(capsys, "interpol", DATA / "red_detail.json")
    NoticeAlert.objects.update(status=AlertStatus.DISMISSED)
    changed = json.loads((DATA / "red_detail.json").read_text())
    changed["place_of_birth"] = "Kulyab"
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(changed))
    import_json(capsys, "interpol", path)
    assert list(NoticeAlert.objects.values_list("status", flat=True)) == [AlertStatus.DISMISSED]


def test_screen_finds_a_person_registered_after_the_notice(capsys, case):
    import_json(capsys, "interpol", DATA / "red_detail.json")
    assert not NoticeAlert.objects.exists()
    person = Person.objects.create(case=case, birth_date="1965", nationalities=["TJ"])
    PersonName.objects.create(person=person, value="Кабиров Мухиддин")
    result = run(capsys, "screen", "--json")
    assert result["screened"] == 1
    assert [a["person"] for a in result["alerts"]] == [str(person.pk)]


def test_a_ccf_request_gets_its_time_limit_as_deadline(person):
    from shelter.records.models import LegalProcess

    process = LegalProcess.objects.create(case=person.case, person=person, kind="ccf_deletion", opened_on="2026-01-15")
    assert str(process.deadline) == "2026-10-15"


def test_it_shows_progress_while_storing_and_screening(capsys, kabirov):
    status, _, err = import_json(capsys, "interpol", DATA / "red_list.json")
    assert "Storing notices" in err and "Screening notices" in err


def test_progress_is_reported_per_record(db):
    from shelter.notices.sources.interpol import Notice as Parsed

    steps = []
    importing.import_notices(
        [Parsed(entity_id=f"2026/0000{n}", name="NOBODY", forename="ANYONE") for n in range(3)], source="interpol",
        progress=lambda stage, total: lambda n: steps.append((stage, total, n)),
    )
    assert steps.count(("Storing notices", 3, 1)) == 3 and steps.count(("Screening notices", 3, 1)) == 3


def test_alerts_carry_the_registrys_own_reference_for_the_person(capsys, kabirov):
    kabirov.external_id = "REG-0042"
    kabirov.save()
    _, result, _ = import_json(capsys, "interpol", DATA / "red_detail.json")
    assert [a["external_id"] for a in result["alerts"]] == ["REG-0042"]


def test_several_files_are_imported_in_one_run(capsys, tmp_path, kabirov):
    other = json.loads((DATA / "red_detail.json").read_text())
    other["entity_id"] = "2026/22222"
    (tmp_path / "other.json").write_text(json.dumps(other))
    call_command("notices", "import", "interpol", str(DATA / "red_detail.json"), str(tmp_path / "other.json"), "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["created"] == 2 and len(result["alerts"]) == 2
    assert {n.source_id for n in Notice.objects.all()} == {"2026/11111", "2026/22222"}


def test_one_unreadable_file_among_several_imports_nothing(tmp_path, kabirov):
    (tmp_path / "cut.json").write_text('{"entity_id": "2026/2')
    with pytest.raises(CommandError) as refused:
        call_command("notices", "import", "interpol", str(DATA / "red_detail.json"), str(tmp_path / "cut.json"))
    assert refused.value.returncode == 2 and "cut.json" in str(refused.value)
    assert not Notice.objects.exists()
