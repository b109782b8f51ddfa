import base64
import hashlib
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from shelter.audit.log import record
from shelter.audit.models import AuditEvent
from shelter.crypto import aead, keys
from shelter.exchange import archive
from shelter.records import sealing
from shelter.records.evidence import open_evidence, store_evidence
from shelter.records.models import Case, EvidenceFile, Incident, Person, PersonName
from shelter.records.thesauri import term

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "a very long backup passphrase"
EVIDENCE = "Протокол допроса".encode() * 5000  # several stream chunks


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path):
    settings.SHELTER_EVIDENCE_DIR = tmp_path / "evidence"
    return settings.SHELTER_EVIDENCE_DIR


@pytest.fixture
def passphrase_file(tmp_path):
    path = tmp_path / "passphrase"
    path.write_text(PASSPHRASE + "\n")
    return path


@pytest.fixture
def documented(case, person, caseworker):
    incident = Incident.objects.create(case=case, title="Detained in Istanbul", date="2019-03", origin_state="UZ", host_state="TR")
    incident.tactics.set([term("tactics", "detention")])
    evidence = store_evidence(case, "Interrogation record", "protokol.pdf", EVIDENCE, "application/pdf", caseworker)
    record(caseworker, "create", person)
    record("cli", "import", case, rows=3)
    return {"case": case, "person": person, "incident": incident, "evidence": evidence}


def backup(tmp_path, passphrase_file, *flags, name="backup.shbk"):
    target = tmp_path / name
    call_command("backup", "--output", str(target), "--passphrase-file", str(passphrase_file), *flags, stdout=io.StringIO(), stderr=io.StringIO())
    return target


def restore(path, passphrase_file, *flags):
    out = io.StringIO()
    call_command("restore", str(path), "--passphrase-file", str(passphrase_file), *flags, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def audit_rows():
    return list(AuditEvent.objects.order_by("id").values_list("id", "at", "actor_id", "actor_name", "action", "object_type", "object_id", "case_id", "detail"))


def state():
    """Everything a failed restore must leave exactly as it was."""
    return {
        "names": sorted((str(n.pk), n.value) for n in PersonName.objects.all()),
        "incidents": sorted((str(i.pk), i.title) for i in Incident.objects.all()),
        "cases": sorted(Case.objects.values_list("reference", flat=True)),
        "audit": [row for row in audit_rows()],
    }


def manifest_of(path) -> dict:
    with open(path, "rb") as f:
        for name, member in archive.read_archive(f, PASSPHRASE):
            if name == archive.MANIFEST_NAME:
                return json.loads(member.read())


def entries_of(path) -> dict[str, bytes]:
    with open(path, "rb") as f:
        return {name: member.read() for name, member in archive.read_archive(f, PASSPHRASE)}


def test_a_backup_restores_names_evidence_and_audit_log_after_replace(tmp_path, passphrase_file, documented):
    names = sorted((str(n.pk), n.value) for n in PersonName.objects.all())
    audit_before = audit_rows()
    archive_path = backup(tmp_path, passphrase_file)

    # Changes after the backup, which the restore must undo.
    Case.objects.create(title="Opened after the backup")
    Person.objects.filter(pk=documented["person"].pk).delete()

    out = restore(archive_path, passphrase_file, "--replace")
    assert "Restored" in out
    assert sorted((str(n.pk), n.value) for n in PersonName.objects.all()) == names
    assert "Улугбек Каримов" in [value for _, value in names]
    evidence = EvidenceFile.objects.get(pk=documented["evidence"].pk)
    assert open_evidence(evidence) == EVIDENCE
    assert evidence.title == "Interrogation record"
    assert Case.objects.count() == 1
    assert Incident.objects.get().tactics.get().code == "detention"
    after = audit_rows()
    assert after[: len(audit_before)] == audit_before
    assert [row[4] for row in after[len(audit_before) :]] == ["restore"]


def test_restored_names_are_still_found_by_the_blind_index(tmp_path, passphrase_file, documented):
    from shelter.screening.search import find_persons

    archive_path = backup(tmp_path, passphrase_file)
    restore(archive_path, passphrase_file, "--replace")
    assert list(find_persons(Person.objects.all(), "karimov")) == [documented["person"]]


@pytest.mark.attack("backup")
def test_the_archive_holds_no_plaintext_and_is_private(tmp_path, passphrase_file, documented):
    archive_path = backup(tmp_path, passphrase_file)
    data = archive_path.read_bytes()
    for secret in ["Улугбек".encode(), b"Ulugbek", b"Istanbul", "Протокол".encode(), b"protokol"]:
        assert secret not in data
    assert stat.S_IMODE(archive_path.stat().st_mode) == 0o600


@pytest.mark.attack("backup")
def test_the_database_dump_carries_sealed_fields_as_ciphertext(tmp_path, passphrase_file, documented):
    entries = entries_of(backup(tmp_path, passphrase_file))
    dump = entries["database/main.json"].decode()
    assert "Улугбек" not in dump and "Ulugbek" not in dump
    rows = json.loads(dump)
    sealed = next(r for r in rows if r["model"] == "records.personname")["fields"]["value"]
    assert base64.b64decode(sealed)[:1] == aead.VERSION
    assert f"evidence/{documented['evidence'].pk}.bin" in entries


def test_the_manifest_describes_the_archive(tmp_path, passphrase_file, documented):
    manifest = manifest_of(backup(tmp_path, passphrase_file))
    assert manifest["format"] == "shelter-backup" and manifest["version"] == 1
    assert manifest["master_key_fingerprint"] == keys.fingerprint(sealing.master_key())
    assert manifest["includes_master_key"] is False
    assert manifest["counts"]["records.personname"] == 2
    assert manifest["evidence_files"] == 1
    assert manifest["shelter_version"] and manifest["created_at"]


def test_the_master_key_is_inside_only_when_asked_for(tmp_path, passphrase_file, documented):
    without = entries_of(backup(tmp_path, passphrase_file, name="a.shbk"))
    with_key = entries_of(backup(tmp_path, passphrase_file, "--include-master-key", name="b.shbk"))
    assert "master.key" not in without
    assert base64.b64decode(with_key["master.key"]) == sealing.master_key()


def test_each_backup_and_restore_is_audited(tmp_path, passphrase_file, documented):
    archive_path = backup(tmp_path, passphrase_file)
    assert AuditEvent.objects.filter(action="backup", actor_name="cli").count() == 1
    restore(archive_path, passphrase_file, "--replace")
    event = AuditEvent.objects.get(action="restore")
    assert event.detail["replaced"] is True and event.detail["evidence_files"] == 1


def test_the_passphrase_may_come_from_the_environment(tmp_path, monkeypatch, documented):
    monkeypatch.setenv("SHELTER_BACKUP_PASSPHRASE", PASSPHRASE)
    call_command("backup", "--output", str(tmp_path / "env.shbk"), stdout=io.StringIO())
    assert manifest_of(tmp_path / "env.shbk")["evidence_files"] == 1


def test_a_short_passphrase_is_refused_and_nothing_is_written(tmp_path, documented):
    short = tmp_path / "short"
    short.write_text("too short")
    with pytest.raises(CommandError, match="at least 12 characters"):
        call_command("backup", "--output", str(tmp_path / "x.shbk"), "--passphrase-file", str(short))
    assert not list(tmp_path.glob("*.shbk*"))


def test_an_existing_archive_is_not_overwritten(tmp_path, passphrase_file, documented):
    archive_path = backup(tmp_path, passphrase_file)
    before = archive_path.read_bytes()
    with pytest.raises(CommandError, match="already exists"):
        backup(tmp_path, passphrase_file)
    assert archive_path.read_bytes() == before


def test_restore_refuses_a_database_that_is_not_empty(tmp_path, passphrase_file, documented):
    archive_path = backup(tmp_path, passphrase_file)
    before = state()
    with pytest.raises(CommandError, match="the database is not empty .*pass --replace"):
        restore(archive_path, passphrase_file)
    assert state() == before


@pytest.mark.attack("backup")
def test_a_wrong_passphrase_is_refused_and_nothing_changes(tmp_path, passphrase_file, documented):
    archive_path = backup(tmp_path, passphrase_file)
    Case.objects.create(title="After the backup")
    before = state()
    wrong = tmp_path / "wrong"
    wrong.write_text("not the passphrase at all")
    with pytest.raises(CommandError, match="wrong passphrase"):
        restore(archive_path, wrong, "--replace")
    assert state() == before


@pytest.mark.attack("backup")
@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-1], id="last-byte-missing"),
        pytest.param(lambda data: data[:-200] + bytes([data[-200] ^ 1]) + data[-199:], id="bit-flipped-near-the-end"),
        pytest.param(lambda data: data[:100] + bytes([data[100] ^ 1]) + data[101:], id="bit-flipped-at-the-start"),
    ],
)
def test_a_damaged_archive_is_refused_and_nothing_changes(tmp_path, passphrase_file, documented, evidence_dir, damage):
    archive_path = backup(tmp_path, passphrase_file)
    archive_path.write_bytes(damage(archive_path.read_bytes()))
    Case.objects.create(title="After the backup")
    before = state()
    blobs_before = sorted(p.name for p in evidence_dir.iterdir())
    with pytest.raises(CommandError, match="damaged, truncated or was tampered with"):
        restore(archive_path, passphrase_file, "--replace")
    assert state() == before
    assert sorted(p.name for p in evidence_dir.iterdir()) == blobs_before
    assert open_evidence(documented["evidence"]) == EVIDENCE


@pytest.mark.attack("backup")
def test_a_file_that_is_no_archive_is_refused(tmp_path, passphrase_file, documented):
    not_an_archive = tmp_path / "notes.txt"
    not_an_archive.write_text("hello")
    with pytest.raises(CommandError, match="not a Shelter backup archive"):
        restore(not_an_archive, passphrase_file, "--replace")
    with pytest.raises(CommandError, match="does not exist"):
        restore(tmp_path / "missing.shbk", passphrase_file)


@pytest.mark.attack("backup")
def test_restore_refuses_an_instance_with_another_master_key(tmp_path, passphrase_file, documented):
    archive_path = backup(tmp_path, passphrase_file, "--include-master-key")
    before = state()
    other_key = tmp_path / "other.key"
    other_key.write_text(base64.b64encode(aead.new_key()).decode())
    with override_settings(SHELTER_MASTER_KEY_FILE=other_key):
        with pytest.raises(CommandError, match="is not the key the archive's data is sealed with"):
            restore(archive_path, passphrase_file, "--replace")
    assert state() == before


# A fresh instance on a new machine: its own SHELTER_HOME and SQLite database, run as the console
# command, as an administrator would.


def shelter(home: Path, *args, check=True):
    env = {k: v for k, v in os.environ.items() if k not in ("SHELTER_DATABASE_URL", "SHELTER_MASTER_KEY", "SHELTER_BACKUP_PASSPHRASE")}
    env.update(SHELTER_HOME=str(home), DJANGO_SETTINGS_MODULE="shelter.settings")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "shelter"), *args], capture_output=True, text=True, env=env, cwd=ROOT
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


READ_BACK = (
    "import hashlib; from shelter.records.models import PersonName, EvidenceFile; "
    "from shelter.records.evidence import open_evidence; "
    "print(sorted(n.value for n in PersonName.objects.all())); "
    "print([hashlib.sha256(open_evidence(e)).hexdigest() for e in EvidenceFile.objects.all()])"
)


def test_an_archive_with_its_master_key_rebuilds_a_fresh_instance(tmp_path, passphrase_file, documented):
    archive_path = backup(tmp_path, passphrase_file, "--include-master-key")
    home = tmp_path / "new-machine"
    shelter(home, "migrate", "-v0")
    assert not (home / "master.key").exists()

    wrong = tmp_path / "wrong"
    wrong.write_text("not the passphrase at all")
    refused = shelter(home, "restore", str(archive_path), "--passphrase-file", str(wrong), check=False)
    assert refused.returncode != 0 and "wrong passphrase" in refused.stderr
    assert not (home / "master.key").exists()

    shelter(home, "restore", str(archive_path), "--passphrase-file", str(passphrase_file))
    assert (home / "master.key").exists()
    assert stat.S_IMODE((home / "master.key").stat().st_mode) == 0o600
    names, digests = shelter(home, "shell", "-c", READ_BACK).stdout.strip().splitlines()[-2:]
    assert names == str(["Ulugbek Karimov", "Улугбек Каримов"])
    assert digests == str([hashlib.sha256(EVIDENCE).hexdigest()])


@pytest.mark.attack("backup")
def test_an_archive_without_its_master_key_needs_the_key_on_the_new_machine(tmp_path, passphrase_file, documented):
    archive_path = backup(tmp_path, passphrase_file)
    home = tmp_path / "new-machine"
    shelter(home, "migrate", "-v0")
    refused = shelter(home, "restore", str(archive_path), "--passphrase-file", str(passphrase_file), check=False)
    assert refused.returncode != 0
    assert f"fingerprint {keys.fingerprint(sealing.master_key())}" in refused.stderr
    assert "Traceback" not in refused.stderr
