"""Checkpoints kept outside the database without anyone asking: on every backup and daily while
the server runs; ``shelter audit verify`` and the audit page hold the log to the newest one."""

import datetime
import io
import threading
import time

import pytest
from django.core.management import CommandError, call_command

from shelter.audit import outside
from shelter.audit.log import record

from .conftest import login
from .test_cmd_audit import attacker_sql, audit


@pytest.fixture(autouse=True)
def signing_key_file(settings, tmp_path):
    settings.SHELTER_AUDIT_SIGNING_KEY_FILE = tmp_path / "audit-signing.key"


@pytest.fixture
def log(db):
    for n in range(6):
        record("cli", "export", object_type="case", object_id=str(n), rows=n)


def kept_files(settings):
    return sorted(settings.SHELTER_AUDIT_CHECKPOINT_DIR.glob("checkpoint-*.json"))


def backup(tmp_path):
    secret = tmp_path / "passphrase"
    secret.write_text("correct horse battery staple troubador")
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "b.shbk"), "--passphrase-file", str(secret), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def age(path, days):
    """Rename a checkpoint as if it had been taken ``days`` ago (its name carries the time)."""
    stamp = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days)
    older = path.with_name(f"checkpoint-{stamp:%Y%m%dT%H%M%S%f}-{path.stem.rsplit('-', 1)[1]}.json")
    path.rename(older)
    return older


@pytest.mark.attack("audit-tampering")
def test_a_backup_keeps_a_checkpoint_outside_and_verify_then_finds_a_cut_tail(log, tmp_path, settings):
    assert "Audit checkpoint written to" in backup(tmp_path)
    [kept] = kept_files(settings)
    assert oct(kept.stat().st_mode & 0o777) == "0o600"
    attacker_sql("DELETE FROM audit_auditevent WHERE sequence > 4")
    with pytest.raises(CommandError, match="truncated at #5"):
        audit("verify")


def test_verify_without_any_checkpoint_checks_the_chain_alone(log):
    assert "intact" in audit("verify")


def test_a_checkpoint_is_due_when_there_is_none_or_the_newest_is_a_day_old(log, settings):
    first = outside.take_if_due()
    assert first is not None
    assert outside.take_if_due() is None
    age(first, 1.1)
    assert outside.take_if_due() is not None
    assert len(kept_files(settings)) == 2


@pytest.mark.django_db(transaction=True)
def test_the_server_takes_one_daily_in_the_background(settings):
    record("cli", "export", object_type="case", object_id="1")
    stop = threading.Event()
    thread = outside.keep_taking_daily(interval_seconds=0.05, stop=stop)
    try:
        deadline = time.monotonic() + 10
        while not kept_files(settings) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(kept_files(settings)) == 1
    finally:
        stop.set()
        thread.join(5)


@pytest.mark.attack("audit-tampering")
def test_a_forged_newest_checkpoint_is_refused(log, settings):
    path = outside.take()
    path.write_text(path.read_text().replace('"sequence": 6', '"sequence": 3'))
    with pytest.raises(CommandError, match="cannot be trusted"):
        audit("verify")


class TestTheAuditPage:
    def test_it_says_when_the_last_checkpoint_was_kept(self, client, auditor, log):
        outside.take()
        page = login(client, auditor).get("/audit/").content.decode()
        assert "Last checkpoint kept outside the database" in page and "up to #6" in page
        assert "more than two days ago" not in page

    def test_it_warns_when_there_is_none(self, client, auditor, log):
        page = login(client, auditor).get("/audit/").content.decode()
        assert "No checkpoint has been kept outside the database yet" in page

    def test_it_warns_when_the_last_is_old(self, client, auditor, log):
        age(outside.take(), 3)
        assert "more than two days ago" in login(client, auditor).get("/audit/").content.decode()

    @pytest.mark.attack("audit-tampering")
    def test_its_verification_finds_a_cut_tail(self, client, auditor, log):
        outside.take()
        attacker_sql("DELETE FROM audit_auditevent WHERE sequence > 4")
        page = login(client, auditor).get("/audit/", {"verify": "1"}).content.decode()
        assert "the end of the log was cut off" in page

    def test_it_says_when_the_newest_cannot_be_trusted(self, client, auditor, log):
        path = outside.take()
        path.write_text("{}")
        page = login(client, auditor).get("/audit/").content.decode()
        assert "cannot be trusted" in page and str(path) not in page
