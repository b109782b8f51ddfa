"""``shelter audit verify`` and ``shelter audit checkpoint``, against a database an attacker edited
below the application: with the append-only triggers dropped or disabled first, as anyone with
database access would."""

import io
import json
import stat
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from shelter.audit import chain
from shelter.audit.log import record
from shelter.audit.models import AuditEvent


@pytest.fixture(autouse=True)
def signing_key_file(settings, tmp_path):
    settings.SHELTER_AUDIT_SIGNING_KEY_FILE = tmp_path / "audit-signing.key"
    return settings.SHELTER_AUDIT_SIGNING_KEY_FILE


@pytest.fixture
def log(db):
    """Six events, each with a detail the verification must never print."""
    for n in range(6):
        record("cli", "export", object_type="case", object_id=str(n), rows=n, secret_word=f"word{n}")
    return list(AuditEvent.objects.order_by("sequence"))


def audit(*args):
    out = io.StringIO()
    call_command("audit", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def attacker_sql(sql, params=()):
    """Raw SQL past the append-only triggers, as someone with database access would run it."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_no_delete")
        else:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)


def checkpoint_file(tmp_path, name="checkpoint.json"):
    path = tmp_path / name
    audit("checkpoint", "--output", str(path))
    return path


def test_record_appends_numbered_entries_chained_to_each_other(log):
    assert [e.sequence for e in log] == [1, 2, 3, 4, 5, 6]
    assert log[0].prev_hash == chain.GENESIS
    assert all(later.prev_hash == earlier.entry_hash for earlier, later in zip(log, log[1:]))


def test_verify_reports_an_intact_chain_in_one_line(log):
    out = audit("verify")
    assert out.startswith("Audit chain intact: 6 entries, #1 to #6") and out.count("\n") == 1


def test_an_empty_log_verifies(db):
    assert "0 entries" in audit("verify")


def test_values_come_back_from_the_database_as_they_were_hashed(db):
    request = type("Request", (), {"META": {"REMOTE_ADDR": "2001:0DB8:0000::0001"}})()
    record("cli", "export", request=request, fields=("b", "a"), object_type="case", case_id="0B6F3C1E9A514D0E8D7A3F3B2A1C9E77", rows=(1, 2), share=0.1)
    assert "intact" in audit("verify")


@pytest.mark.attack("audit-tampering")
def test_a_row_edited_in_the_database_is_found_by_position_and_id(log):
    attacker_sql("UPDATE audit_auditevent SET detail = %s WHERE sequence = 3", ['{"rows": 0}'])
    with pytest.raises(CommandError) as failure:
        audit("verify")
    message = str(failure.value)
    assert f"modified at #3 (id {log[2].pk})" in message and "intact up to #2" in message
    assert "word2" not in message and "rows" not in message


@pytest.mark.attack("audit-tampering")
def test_a_row_deleted_in_the_database_is_found(log):
    attacker_sql("DELETE FROM audit_auditevent WHERE sequence = 4")
    with pytest.raises(CommandError, match="deleted at #4"):
        audit("verify")


@pytest.mark.attack("audit-tampering")
def test_a_forged_row_inserted_in_the_database_is_found(log):
    """The attacker knows the algorithm: the forged row is correctly chained to its predecessor,
    and the later rows are renumbered to make room."""
    forged = {**chain_dict(log[1]), "sequence": 3, "actor_name": "caseworker", "action": "login", "detail": {}}
    sealed = chain.seal(forged, log[1].entry_hash)
    attacker_sql("UPDATE audit_auditevent SET sequence = sequence + 1000 WHERE sequence >= 3")
    attacker_sql("UPDATE audit_auditevent SET sequence = sequence - 999 WHERE sequence > 1000")
    attacker_sql(
        "INSERT INTO audit_auditevent (at, actor_name, action, object_type, object_id, fields, detail, sequence, prev_hash, entry_hash) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [log[1].at, "caseworker", "login", "case", "1", "[]", "{}", 3, sealed["prev_hash"], sealed["entry_hash"]],
    )
    with pytest.raises(CommandError, match="inserted at #3"):
        audit("verify")


def chain_dict(event):
    return {name: getattr(event, name) for name in chain.HASHED_FIELDS}


@pytest.mark.attack("audit-tampering")
def test_a_tail_cut_off_after_a_checkpoint_is_found(log, tmp_path):
    kept = checkpoint_file(tmp_path)
    attacker_sql("DELETE FROM audit_auditevent WHERE sequence > 4")
    assert "intact" in audit("verify")  # the chain alone cannot tell
    with pytest.raises(CommandError, match="truncated at #5: the log ends at #4 but the checkpoint holds #6"):
        audit("verify", "--checkpoint", str(kept))


@pytest.mark.attack("audit-tampering")
def test_a_chain_recomputed_after_an_edit_fails_against_a_checkpoint(log, tmp_path):
    kept = checkpoint_file(tmp_path)
    prev_hash = log[0].entry_hash
    for event in log[1:]:
        fields = {**chain_dict(event), "actor_name": "nobody"}
        sealed = chain.seal(fields, prev_hash)
        attacker_sql(
            "UPDATE audit_auditevent SET actor_name = 'nobody', prev_hash = %s, entry_hash = %s WHERE id = %s",
            [sealed["prev_hash"], sealed["entry_hash"], event.pk],
        )
        prev_hash = sealed["entry_hash"]
    assert "intact" in audit("verify")
    with pytest.raises(CommandError, match="modified at #6"):
        audit("verify", "--checkpoint", str(kept))


def test_a_checkpoint_holds_the_head_and_the_public_key(log, tmp_path, signing_key_file):
    payload = json.loads(checkpoint_file(tmp_path).read_text())
    assert (payload["sequence"], payload["entry_hash"], payload["entries"]) == (6, log[-1].entry_hash, 6)
    assert payload["head_at"] == log[-1].at.isoformat() and payload["public_key"] and payload["signature"]
    assert stat.S_IMODE(signing_key_file.stat().st_mode) == 0o600
    assert "checkpoint #6" in audit("verify", "--checkpoint", str(tmp_path / "checkpoint.json"))


def test_the_signing_key_stays_out_of_the_database(log, tmp_path, signing_key_file):
    checkpoint_file(tmp_path)
    key = signing_key_file.read_text().strip()
    dump = io.StringIO()
    call_command("dumpdata", "audit", stdout=dump)
    assert key not in dump.getvalue()


def test_a_checkpoint_still_verifies_once_the_log_has_grown(log, tmp_path):
    kept = checkpoint_file(tmp_path)
    record("cli", "backup")
    assert "#1 to #7" in audit("verify", "--checkpoint", str(kept))


def test_checkpoint_prints_to_standard_output_without_output(log):
    assert json.loads(audit("checkpoint"))["sequence"] == 6


def test_checkpoint_refuses_to_overwrite_a_file(log, tmp_path):
    existing = tmp_path / "checkpoint.json"
    existing.write_text("keep me")
    with pytest.raises(CommandError, match="already exists"):
        audit("checkpoint", "--output", str(existing))
    assert existing.read_text() == "keep me"


@pytest.mark.attack("audit-tampering")
def test_checkpoint_refuses_to_sign_a_broken_chain(log, tmp_path):
    attacker_sql("DELETE FROM audit_auditevent WHERE sequence = 2")
    with pytest.raises(CommandError, match="refusing to sign a broken chain"):
        audit("checkpoint", "--output", str(tmp_path / "c.json"))
    assert not (tmp_path / "c.json").exists()


@pytest.mark.attack("audit-tampering")
def test_an_altered_checkpoint_fails_clearly(log, tmp_path):
    kept = checkpoint_file(tmp_path)
    payload = json.loads(kept.read_text())
    payload["sequence"] = 4  # claim an earlier head, to hide a cut-off tail
    kept.write_text(json.dumps(payload))
    with pytest.raises(CommandError, match="signature is not valid"):
        audit("verify", "--checkpoint", str(kept))


@pytest.mark.attack("audit-tampering")
def test_a_checkpoint_forged_with_another_key_fails_clearly(log, tmp_path, settings, signing_key_file):
    settings.SHELTER_AUDIT_SIGNING_KEY_FILE = tmp_path / "forger.key"
    forged = checkpoint_file(tmp_path, "forged.json")
    settings.SHELTER_AUDIT_SIGNING_KEY_FILE = signing_key_file
    checkpoint_file(tmp_path)  # this instance's own key exists
    with pytest.raises(CommandError, match="not by this instance's key"):
        audit("verify", "--checkpoint", str(forged))


def test_verify_refuses_a_missing_or_malformed_checkpoint_file(log, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        audit("verify", "--checkpoint", str(tmp_path / "absent.json"))
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{")
    with pytest.raises(CommandError, match="not valid JSON"):
        audit("verify", "--checkpoint", str(garbage))


def test_a_backup_restored_with_replace_keeps_a_verifiable_chain(log, tmp_path, settings):
    settings.SHELTER_EVIDENCE_DIR = tmp_path / "evidence"
    passphrase = tmp_path / "passphrase"
    passphrase.write_text("a very long backup passphrase\n")
    kept = checkpoint_file(tmp_path)
    call_command("backup", "--output", str(tmp_path / "b.shbk"), "--passphrase-file", str(passphrase), stdout=io.StringIO(), stderr=io.StringIO())
    call_command("restore", str(tmp_path / "b.shbk"), "--passphrase-file", str(passphrase), "--replace", stdout=io.StringIO(), stderr=io.StringIO())
    restored = list(AuditEvent.objects.order_by("sequence"))
    assert [(e.sequence, e.entry_hash) for e in restored[:6]] == [(e.sequence, e.entry_hash) for e in log]
    assert restored[-1].action == "restore" and restored[-1].prev_hash == log[-1].entry_hash
    assert "intact" in audit("verify", "--checkpoint", str(kept))


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    errors = []

    def write(n):
        try:
            for i in range(10):
                record("cli", "export", writer=n, i=i)
        except Exception as e:  # noqa: BLE001 — reported below
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(AuditEvent.objects.values_list("sequence", flat=True)) == list(range(1, 41))
    assert "40 entries" in audit("verify")
