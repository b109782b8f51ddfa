import hashlib
import stat

import pytest

from shelter.accounts.models import User
from shelter.records import sealing
from shelter.records.evidence import EvidenceIntegrityError, EvidenceTooLarge, open_evidence, store_evidence
from shelter.records.models import CustodyEvent, EvidenceFile

CONTENT = "Протокол допроса: Улугбек Каримов, Istanbul, +90 532 000 00 00".encode()


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path):
    """A fresh evidence directory per test, so "no file was left behind" can be checked."""
    settings.SHELTER_EVIDENCE_DIR = tmp_path / "evidence"
    return settings.SHELTER_EVIDENCE_DIR


def store(case, user, data=CONTENT, **kwargs):
    return store_evidence(case, "Summons", "summons.txt", data, "text/plain", user, **kwargs)


def test_it_round_trips_an_evidence_file(case, caseworker):
    evidence = store(case, caseworker)

    fresh = EvidenceFile.objects.get(pk=evidence.pk)
    assert open_evidence(fresh) == CONTENT
    assert fresh.sha256 == hashlib.sha256(CONTENT).hexdigest()
    assert fresh.size == len(CONTENT)
    assert fresh.title == "Summons" and fresh.original_name == "summons.txt"


def test_it_records_the_upload_in_the_chain_of_custody(case, caseworker):
    evidence = store(case, caseworker)

    event = CustodyEvent.objects.get(evidence=evidence)
    assert (event.action, event.actor, event.actor_name) == ("uploaded", caseworker, "caseworker")
    assert event.sha256 == hashlib.sha256(CONTENT).hexdigest()


def test_the_blob_on_disk_holds_no_plaintext(case, caseworker):
    evidence = store(case, caseworker)

    blob = evidence.blob_path.read_bytes()
    assert CONTENT not in blob
    assert "Каримов".encode() not in blob and b"+90 532" not in blob
    assert len(blob) > len(CONTENT)


def test_blobs_and_their_directory_are_private(case, caseworker, evidence_dir):
    evidence = store(case, caseworker)

    assert stat.S_IMODE(evidence_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(evidence.blob_path.stat().st_mode) == 0o600


def test_it_detects_a_tampered_blob(case, caseworker):
    evidence = store(case, caseworker)
    blob = bytearray(evidence.blob_path.read_bytes())
    blob[-5] ^= 0x01
    evidence.blob_path.write_bytes(bytes(blob))

    with pytest.raises(EvidenceIntegrityError):
        open_evidence(evidence)


def test_it_detects_a_file_that_does_not_match_its_recorded_hash(case, caseworker):
    evidence = store(case, caseworker)
    EvidenceFile.objects.filter(pk=evidence.pk).update(sha256="0" * 64)

    with pytest.raises(EvidenceIntegrityError, match="SHA-256"):
        open_evidence(EvidenceFile.objects.get(pk=evidence.pk))


def test_a_blob_copied_onto_another_row_does_not_open(case, caseworker):
    first = store(case, caseworker)
    second = store(case, caseworker, data=b"other content")
    second.blob_path.write_bytes(first.blob_path.read_bytes())

    with pytest.raises(EvidenceIntegrityError):
        open_evidence(second)


def test_a_missing_blob_is_reported(case, caseworker):
    evidence = store(case, caseworker)
    evidence.blob_path.unlink()

    with pytest.raises(EvidenceIntegrityError, match="missing"):
        open_evidence(evidence)


def test_an_erased_case_no_longer_opens_its_evidence(case, caseworker):
    evidence = store(case, caseworker)
    case.erase()

    with pytest.raises(sealing.Erased):
        open_evidence(EvidenceFile.objects.get(pk=evidence.pk))
    assert not evidence.blob_path.exists()


def test_a_failed_database_write_leaves_no_blob(case, evidence_dir):
    unsaved_user = User(username="ghost")  # saving a row that points to it fails

    with pytest.raises(ValueError):
        store(case, unsaved_user)

    assert EvidenceFile.objects.count() == 0
    assert list(evidence_dir.iterdir()) == []


def test_a_failed_blob_write_leaves_no_row(case, caseworker, settings, tmp_path):
    not_a_directory = tmp_path / "occupied"
    not_a_directory.write_text("a file where the evidence directory should go")
    settings.SHELTER_EVIDENCE_DIR = not_a_directory / "evidence"

    with pytest.raises(OSError):
        store(case, caseworker)

    assert EvidenceFile.objects.count() == 0
    assert CustodyEvent.objects.count() == 0


def test_it_refuses_files_over_the_upload_limit(case, caseworker, settings, evidence_dir):
    settings.SHELTER_MAX_UPLOAD_BYTES = 10

    with pytest.raises(EvidenceTooLarge):
        store(case, caseworker)

    assert EvidenceFile.objects.count() == 0
    assert not evidence_dir.exists() or list(evidence_dir.iterdir()) == []


def test_a_file_larger_than_one_chunk_round_trips(case, caseworker):
    data = bytes(range(256)) * 1000  # 256 kB: several 64 KiB chunks

    evidence = store(case, caseworker, data=data)

    assert open_evidence(evidence) == data
