import getpass
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shelter.accounts.models import User
from shelter.audit.models import AuditEvent

STRONG = "violet kettle orbit 1987"


def createadmin(*args, **kwargs):
    out = StringIO()
    call_command("createadmin", *args, stdout=out, stderr=StringIO(), **kwargs)
    return out.getvalue()


@pytest.fixture
def password_file(tmp_path):
    def write(password, ending="\n"):
        path = tmp_path / "password"
        path.write_text(password + ending)
        return str(path)

    return write


@pytest.fixture
def typed(monkeypatch):
    """What the operator types at the two password prompts."""

    def answers(*passwords):
        remaining = list(passwords)
        monkeypatch.setattr(getpass, "getpass", lambda prompt="": remaining.pop(0))

    return answers


def test_it_creates_an_administrator_from_a_password_file(db, password_file):
    output = createadmin("alice", "--password-file", password_file(STRONG))

    user = User.objects.get(username="alice")
    assert user.role == "administrator"
    assert user.check_password(STRONG)
    assert "alice" in output and STRONG not in output


def test_it_reads_only_the_first_line_without_its_line_ending(db, password_file):
    createadmin("alice", "--password-file", password_file(STRONG, ending="\r\nsecond line\n"))

    assert User.objects.get(username="alice").check_password(STRONG)


def test_it_prompts_for_the_password_twice(db, typed):
    typed(STRONG, STRONG)

    createadmin("alice")

    assert User.objects.get(username="alice").check_password(STRONG)


def test_it_refuses_two_different_typed_passwords(db, typed):
    typed(STRONG, STRONG + "x")

    with pytest.raises(CommandError, match="differ"):
        createadmin("alice")
    assert not User.objects.filter(username="alice").exists()


def test_it_refuses_a_duplicate_username(db, password_file, make_user):
    make_user("caseworker", "alice")

    with pytest.raises(CommandError, match="already exists"):
        createadmin("Alice", "--password-file", password_file(STRONG))
    assert User.objects.get(username="alice").role == "caseworker"


@pytest.mark.parametrize(
    "username, weak",
    [("alice", "short"), ("alice", "password1234"), ("sebastian.rodriguez", "sebastian.rodriguez1")],
    ids=["too short", "too common", "too like the username"],
)
def test_it_refuses_a_weak_password(db, password_file, username, weak):
    with pytest.raises(CommandError, match="refused"):
        createadmin(username, "--password-file", password_file(weak))
    assert not User.objects.filter(username=username).exists()


def test_it_never_takes_the_password_as_an_argument(db):
    with pytest.raises(CommandError):
        createadmin("alice", "--password", STRONG)
    assert not User.objects.exists()


def test_it_reports_an_unreadable_password_file(db, tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        createadmin("alice", "--password-file", str(tmp_path / "missing"))


def test_it_writes_the_creation_to_the_audit_log(db, password_file):
    createadmin("alice", "--password-file", password_file(STRONG))

    event = AuditEvent.objects.get(action="create", object_type="user")
    assert event.actor_name == "cli"
    assert event.object_id == str(User.objects.get(username="alice").pk)
    assert STRONG not in str(event.detail)
