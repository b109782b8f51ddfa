"""Lockdown: an administrator revokes every session and makes the instance read-only (web, API,
command line) until lifted."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from shelter.accounts.models import ApiToken
from shelter.audit.models import AuditEvent
from shelter.records.models import Case, Organisation, Person
from shelter.security.models import Lockdown

from .apiclient import api, shows_identity, url
from .conftest import PASSWORD
from .test_reauth import age_login

REFUSAL = b"Shelter is in lockdown"


def logged_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def lock(administrator) -> Client:
    client = logged_in(administrator)
    response = client.post("/security/lockdown/", {"state": "on"})
    assert response.status_code == 302 and response["Location"] == "/login/"
    return client


def lockdown_cli(state) -> str:
    out = io.StringIO()
    call_command("lockdown", state, stdout=out)
    return out.getvalue()


def test_turning_it_on_logs_everyone_out_and_is_audited(administrator, caseworker):
    other = logged_in(caseworker)
    assert other.get("/cases/").status_code == 200
    admin = lock(administrator)
    assert Lockdown.objects.get().active
    assert other.get("/cases/")["Location"].startswith("/login/")
    assert admin.get("/security/")["Location"].startswith("/login/")
    event = AuditEvent.objects.get(action="lockdown")
    assert event.actor == administrator and event.detail["state"] == "on"


def test_during_lockdown_reads_work_and_writes_are_refused_with_503(administrator, caseworker, case):
    lock(administrator)
    client = Client()
    # Logging in still works...
    assert client.post("/login/", {"username": "caseworker", "password": PASSWORD}).status_code == 302
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert b"Shelter is read-only until an administrator lifts it" in client.get("/").content  # the banner
    # ...changing anything does not.
    response = client.post("/organisations/new/", {"name": "SNB", "kind": "security_service", "country": "UZ"})
    assert response.status_code == 503 and REFUSAL in response.content
    response = client.post(f"/cases/{case.pk}/deadlines/", {"title": "x", "due_on": "2030-01-01"})
    assert response.status_code == 503
    assert not Organisation.objects.exists()
    assert client.post("/profile/tokens/", {"name": "laptop"}).status_code == 503
    assert not ApiToken.objects.exists()


@pytest.mark.attack("insider")
def test_api_tokens_are_suspended_until_the_lockdown_is_lifted(administrator, caseworker, case, person):
    # A token minted by a compromised session must not keep reading names during the incident.
    client = api(caseworker)
    lock(administrator)
    for response in (client.get(url("persons")), client.get(url("cases"))):
        assert response.status_code == 503
        assert "lockdown" in response.json()["detail"]
        assert not shows_identity(response)
    response = client.post(url("organisations"), {"name": "SNB", "kind": "security_service"}, content_type="application/json")
    assert response.status_code == 503
    assert not Organisation.objects.exists()
    lockdown_cli("off")
    assert client.get(url("persons")).status_code == 200


def test_screening_a_name_still_works_because_it_only_reads(administrator, caseworker, person):
    lock(administrator)
    client = logged_in(caseworker)
    response = client.post("/screen/", {"name": "Ulugbek Karimov"})
    assert response.status_code == 200
    assert f"/persons/{person.pk}/".encode() in response.content
    # Through the API it waits with every token until the lockdown is lifted.
    assert api(caseworker).post(url("screen"), {"name": "Ulugbek Karimov"}, content_type="application/json").status_code == 503


def test_an_administrator_logs_in_again_and_lifts_it(administrator, caseworker):
    lock(administrator)
    admin = logged_in(administrator)
    response = admin.post("/security/lockdown/", {"state": "off"})
    assert response.status_code == 302
    assert not Lockdown.objects.get().active
    assert [e.detail["state"] for e in AuditEvent.objects.filter(action="lockdown").order_by("id")] == ["on", "off"]
    created = logged_in(caseworker).post("/organisations/new/", {"name": "SNB", "kind": "security_service", "country": "UZ"})
    assert created.status_code == 302 and Organisation.objects.filter(name="SNB").exists()


@pytest.mark.attack("insider")
@pytest.mark.parametrize("role", ["coordinator", "caseworker", "researcher", "auditor"])
def test_only_administrators_may_switch_it(make_user, role, administrator):
    client = logged_in(make_user(role))
    assert client.post("/security/lockdown/", {"state": "on"}).status_code == 403
    assert client.get("/security/").status_code == 403
    assert not Lockdown.objects.filter(active=True).exists()
    lock(administrator)
    intruder = logged_in(make_user(role, f"{role}-2"))
    assert intruder.post("/security/lockdown/", {"state": "off"}).status_code == 403
    assert Lockdown.objects.get().active


@pytest.mark.attack("csrf")
def test_lockdown_cannot_be_lifted_by_a_forged_request(administrator):
    lock(administrator)
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="administrator", password=PASSWORD)
    assert client.post("/security/lockdown/", {"state": "off"}).status_code == 403
    assert Lockdown.objects.get().active


def test_the_command_line_switches_and_reports_it(caseworker):
    client = logged_in(caseworker)
    assert lockdown_cli("status").strip() == "Lockdown off."
    assert "session(s) revoked" in lockdown_cli("on")
    assert client.get("/cases/")["Location"].startswith("/login/")
    assert lockdown_cli("status").startswith("Lockdown on since")
    lockdown_cli("off")
    assert not Lockdown.objects.get().active
    assert [(e.actor_name, e.detail["state"]) for e in AuditEvent.objects.filter(action="lockdown").order_by("id")] == [
        ("cli", "on"), ("cli", "off"),
    ]


def test_writing_commands_refuse_during_lockdown(tmp_path, case):
    lockdown_cli("on")
    persons = tmp_path / "persons.jsonl"
    persons.write_text(json.dumps({"id": "p-1", "name": "Ulugbek Karimov"}) + "\n")
    commands = [
        ("persons", "import", str(persons), "--case", case.reference),
        ("import", str(tmp_path / "incidents.csv"), "--mapping", str(tmp_path / "map.json"), "--case", case.reference),
        ("restore", str(tmp_path / "backup.shbk"), "--passphrase-file", str(tmp_path / "passphrase")),
    ]
    for command in commands:
        with pytest.raises(CommandError, match="lockdown"):
            call_command(*command, stdout=io.StringIO(), stderr=io.StringIO())
    assert not Person.objects.exists()
    assert Case.objects.count() == 1


def test_after_lockdown_the_commands_work_again(tmp_path, case):
    lockdown_cli("on")
    lockdown_cli("off")
    persons = tmp_path / "persons.jsonl"
    persons.write_text(json.dumps({"id": "p-1", "name": "Ulugbek Karimov"}) + "\n")
    call_command("persons", "import", str(persons), "--case", case.reference, stdout=io.StringIO(), stderr=io.StringIO())
    assert Person.objects.count() == 1


def test_the_security_pages_render_in_both_languages(administrator):
    client = logged_in(administrator)
    for language in ("en", "ru"):
        client.cookies["django_language"] = language
        assert client.get("/security/").status_code == 200
        assert client.get("/security/exports/").status_code == 200


@pytest.mark.attack("insider")
def test_lifting_it_asks_for_the_password_again_after_an_old_login(administrator):
    lock(administrator)
    client = logged_in(administrator)
    age_login(client, 11)
    response = client.post("/security/lockdown/", {"state": "off"})
    assert response.status_code == 302 and response.url == "/login/confirm/?next=%2Fsecurity%2F"
    assert Lockdown.objects.get().active
    client.post(response.url, {"password": PASSWORD, "next": "/security/"})
    client.post("/security/lockdown/", {"state": "off"})
    assert not Lockdown.objects.get().active


def test_turning_it_on_never_waits_for_a_password(administrator):
    client = logged_in(administrator)
    age_login(client, 11)
    client.post("/security/lockdown/", {"state": "on"})
    assert Lockdown.objects.get().active
