"""``shelter screen QUERIES.jsonl --user USERNAME``: screening a file of persons against the database,
with that user's access."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from shelter.audit.models import AuditEvent
from shelter.records import name_index
from shelter.records.models import BlockingKey, NameIndexVersion
from shelter.security import lockdown

KARIMOV = {"id": "q-1", "name": "Ulugbek Karimov", "birth_date": "1979-08", "nationality": "uz"}
NOBODY = {"id": "q-2", "name": "Zarina Rahmonova"}


def write(tmp_path, *lines) -> str:
    path = tmp_path / "queries.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines) + "\n")
    return str(path)


def screen(path, *args):
    call_command("screen", path, *args)


def alerts_of(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_it_writes_one_line_per_alert_with_the_person_and_its_case(tmp_path, capsys, caseworker, person):
    screen(write(tmp_path, KARIMOV, NOBODY), "--user", caseworker.username)
    [alert] = alerts_of(capsys.readouterr().out)
    assert alert["query"] == "q-1"
    assert alert["candidate"] == str(person.pk)
    assert alert["case"] == person.case.reference
    assert alert["score"] >= 0.75
    assert {f["feature"] for f in alert["explanation"]} >= {"name", "birth_date", "nationality"}


@pytest.mark.attack("idor")
def test_it_never_returns_persons_of_cases_the_user_cannot_see(tmp_path, capsys, caseworker, person, elsewhere):
    screen(write(tmp_path, KARIMOV), "--user", caseworker.username)
    assert [a["candidate"] for a in alerts_of(capsys.readouterr().out)] == [str(person.pk)]


def test_it_needs_a_user(tmp_path, person):
    with pytest.raises(CommandError, match="--user"):
        screen(write(tmp_path, KARIMOV))


@pytest.mark.parametrize("username", ["nobody-here", "retired"])
def test_it_refuses_an_unknown_or_deactivated_user(tmp_path, make_user, person, username):
    retired = make_user("caseworker", "retired")
    retired.is_active = False
    retired.save()
    with pytest.raises(CommandError, match="no active user"):
        screen(write(tmp_path, KARIMOV), "--user", username)


@pytest.mark.attack("insider")
@pytest.mark.parametrize("role", ["researcher", "auditor"])
def test_researchers_cannot_screen(tmp_path, capsys, request, person, role):
    user = request.getfixturevalue(role)
    with pytest.raises(CommandError, match="identity data"):
        screen(write(tmp_path, KARIMOV), "--user", user.username)
    assert capsys.readouterr().out == ""
    assert not AuditEvent.objects.filter(object_type="screening").exists()


def test_bad_lines_are_reported_by_number_and_skipped(tmp_path, capsys, caseworker, person):
    path = write(tmp_path, "not json", {"id": "q-9", "name": "K"}, {"name": "Ulugbek Karimov"}, KARIMOV)
    with pytest.raises(CommandError) as raised:
        screen(path, "--user", caseworker.username)
    assert raised.value.returncode == 1
    captured = capsys.readouterr()
    assert [a["query"] for a in alerts_of(captured.out)] == ["q-1"]
    for number in (1, 2, 3):
        assert f"{path}:{number}:" in captured.err
    assert "Karimov" not in captured.err


def test_an_unreadable_file_is_refused(tmp_path, caseworker):
    with pytest.raises(CommandError) as raised:
        screen(str(tmp_path / "missing.jsonl"), "--user", caseworker.username)
    assert raised.value.returncode == 2


@pytest.mark.attack("logs")
def test_each_run_is_audited_once_with_counts_and_no_names(tmp_path, capsys, caseworker, person):
    screen(write(tmp_path, KARIMOV, NOBODY), "--user", caseworker.username)
    [event] = AuditEvent.objects.filter(object_type="screening")
    assert event.action == "read_identity"
    assert event.actor == caseworker
    assert event.detail["queries"] == 2 and event.detail["alerts"] == 1 and event.detail["bad_lines"] == 0
    # The records decrypted are listed (by id) as any read of identity data is, for insider alerts.
    name = person.names.first()
    assert {"type": "personname", "id": str(name.pk), "case": str(person.case_id)} in event.detail["objects"]
    assert event.detail["count"] == len(event.detail["objects"])
    text = json.dumps(event.detail, ensure_ascii=False) + event.object_id
    for name in ("Karimov", "Каримов", "Ulugbek", "Rahmonova"):
        assert name not in text


def test_a_screening_run_is_read_only_and_runs_during_a_lockdown(tmp_path, capsys, caseworker, administrator, person):
    lockdown.turn_on(administrator)
    screen(write(tmp_path, KARIMOV), "--user", caseworker.username)
    assert len(alerts_of(capsys.readouterr().out)) == 1


def test_a_file_of_registry_persons_still_works_with_against(tmp_path, capsys, person):
    registry = tmp_path / "registry.jsonl"
    registry.write_text(json.dumps({"id": "r-1", "name": "Улугбек Каримов"}, ensure_ascii=False) + "\n")
    screen(write(tmp_path, KARIMOV), "--against", str(registry))
    [alert] = alerts_of(capsys.readouterr().out)
    assert alert["candidate"] == "r-1"


def test_it_warns_when_the_name_index_was_built_by_an_older_release(tmp_path, capsys, caseworker, person):
    BlockingKey.objects.all().delete()  # as after the upgrade that brought screening
    NameIndexVersion.objects.update_or_create(pk=1, defaults={"version": name_index.VERSION - 1})
    screen(write(tmp_path, KARIMOV), "--user", caseworker.username)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "shelter screening reindex" in captured.err
    call_command("screening", "reindex", stdout=io.StringIO(), stderr=io.StringIO())
    screen(write(tmp_path, KARIMOV), "--user", caseworker.username)
    captured = capsys.readouterr()
    assert len(alerts_of(captured.out)) == 1
    assert "reindex" not in captured.err
