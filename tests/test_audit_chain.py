"""The hash chain and signed checkpoints of the audit log, as plain Python (shelter.audit.chain,
shelter.audit.checkpoint): no database involved."""

import base64
import datetime
import json
import stat
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shelter.audit import chain, checkpoint

START = datetime.datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=datetime.UTC)
CASE = uuid.UUID("0b6f3c1e-9a51-4d0e-8d7a-3f3b2a1c9e77")


def entry(sequence, **changes):
    fields = {
        "id": 100 + sequence,
        "sequence": sequence,
        "at": START + datetime.timedelta(seconds=sequence),
        "actor_id": 7,
        "actor_name": "caseworker",
        "action": "read_identity",
        "object_type": "person",
        "object_id": str(sequence),
        "case_id": CASE,
        "fields": ["names"],
        "detail": {"count": 1, "path": "person-detail"},
        "ip": "192.0.2.10",
    }
    return {**fields, **changes}


def build(n):
    """A correctly chained log of n entries, as the application writes it."""
    entries, prev_hash = [], chain.GENESIS
    for sequence in range(1, n + 1):
        e = entry(sequence)
        e.update(chain.seal(e, prev_hash))
        entries.append(e)
        prev_hash = e["entry_hash"]
    return entries


def rechain(entries, start=0):
    """What an attacker who knows the algorithm does: recompute every hash from ``start`` on."""
    prev_hash = entries[start - 1]["entry_hash"] if start else chain.GENESIS
    for e in entries[start:]:
        e.update(chain.seal(e, prev_hash))
        prev_hash = e["entry_hash"]
    return entries


def test_an_intact_chain_verifies_up_to_its_head():
    entries = build(5)
    report = chain.verify(entries)
    assert report.intact and report.entries == 5
    assert (report.head_sequence, report.head_hash) == (5, entries[-1]["entry_hash"])


def test_an_empty_log_is_an_intact_chain_at_the_genesis_value():
    report = chain.verify([])
    assert report.intact and (report.head_sequence, report.head_hash) == (0, chain.GENESIS)


def test_the_first_entry_chains_to_the_fixed_genesis_value():
    assert build(1)[0]["prev_hash"] == chain.GENESIS == chain.GENESIS.lower() and len(chain.GENESIS) == 64


def test_the_serialisation_is_stable_json_with_sorted_keys_microseconds_and_uuid_text():
    text = chain.canonical(entry(1)).decode()
    parsed = json.loads(text)
    assert list(parsed) == sorted(parsed) and " " not in text.replace("person-detail", "")
    assert parsed["at"] == "2026-03-01T09:30:01.123456+00:00"
    assert parsed["case_id"] == str(CASE)
    assert "id" not in parsed  # the row id is the database's, not the chain's


def test_the_same_instant_in_another_time_zone_hashes_the_same():
    tashkent = datetime.timezone(datetime.timedelta(hours=5))
    moved = entry(1, at=entry(1)["at"].astimezone(tashkent))
    assert chain.canonical(moved) == chain.canonical(entry(1))


def test_a_whole_second_keeps_its_microseconds_in_the_serialisation():
    whole = entry(1, at=datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC))
    assert json.loads(chain.canonical(whole))["at"] == "2026-03-01T09:30:00.000000+00:00"


def test_every_hashed_field_changes_the_hash():
    original = chain.entry_hash(entry(2), chain.GENESIS)
    changes = {
        "sequence": 3, "at": START, "actor_id": 8, "actor_name": "other", "action": "update", "object_type": "case",
        "object_id": "9", "case_id": uuid.uuid4(), "fields": [], "detail": {"count": 2}, "ip": None,
    }
    assert set(changes) == set(chain.HASHED_FIELDS)
    for name, value in changes.items():
        assert chain.entry_hash({**entry(2), name: value}, chain.GENESIS) != original, name
    assert chain.entry_hash(entry(2), "0" * 64) != original


@pytest.mark.attack("audit-tampering")
def test_a_modified_entry_is_named_by_position_and_id_not_content():
    entries = build(5)
    entries[2]["actor_name"] = "nobody"
    report = chain.verify(entries)
    assert report.broken.reason == chain.MODIFIED
    assert (report.broken.sequence, report.broken.entry_id, report.head_sequence) == (3, 103, 2)
    assert "nobody" not in str(report.broken) and "#3 (id 103)" in str(report.broken)


@pytest.mark.attack("audit-tampering")
def test_a_modified_entry_whose_hash_was_recomputed_is_caught_by_the_next_link():
    entries = build(5)
    entries[2]["detail"] = {"count": 0}
    entries[2].update(chain.seal(entries[2], entries[2]["prev_hash"]))
    broken = chain.verify(entries).broken
    assert (broken.reason, broken.sequence, broken.entry_id) == (chain.MODIFIED, 3, 103)


@pytest.mark.attack("audit-tampering")
def test_a_deleted_entry_leaves_a_gap():
    entries = build(5)
    del entries[1]
    broken = chain.verify(entries).broken
    assert (broken.reason, broken.sequence) == (chain.DELETED, 2)


@pytest.mark.attack("audit-tampering")
def test_a_deleted_entry_is_found_when_the_later_ones_are_renumbered():
    entries = build(5)
    del entries[1]
    for e in entries[1:]:
        e["sequence"] -= 1
    broken = chain.verify(entries).broken
    assert (broken.reason, broken.sequence, broken.entry_id) == (chain.DELETED, 2, 103)


@pytest.mark.attack("audit-tampering")
def test_deleting_the_first_entry_is_found():
    entries = build(3)[1:]
    for e in entries:
        e["sequence"] -= 1
    assert chain.verify(entries).broken.reason == chain.DELETED


@pytest.mark.attack("audit-tampering")
def test_a_forged_entry_inserted_with_a_valid_hash_is_found():
    entries = build(5)
    forged = entry(3, id=999, actor_name="caseworker", action="login")
    forged.update(chain.seal(forged, entries[1]["entry_hash"]))
    for e in entries[2:]:
        e["sequence"] += 1  # make room: the later entries move up one
    entries.insert(2, forged)
    broken = chain.verify(entries).broken
    assert (broken.reason, broken.sequence, broken.entry_id) == (chain.INSERTED, 3, 999)


@pytest.mark.attack("audit-tampering")
def test_a_forged_entry_claiming_a_taken_position_is_found():
    entries = build(4)
    forged = entry(2, id=999)
    forged.update(chain.seal(forged, entries[0]["entry_hash"]))
    entries.insert(2, forged)
    broken = chain.verify(entries).broken
    assert (broken.reason, broken.sequence, broken.entry_id) == (chain.INSERTED, 2, 999)


@pytest.mark.attack("audit-tampering")
def test_two_swapped_entries_are_found_as_reordered():
    entries = build(5)
    entries[1]["sequence"], entries[2]["sequence"] = 3, 2
    entries[1], entries[2] = entries[2], entries[1]
    broken = chain.verify(entries).broken
    assert (broken.reason, broken.sequence, broken.entry_id) == (chain.REORDERED, 2, 103)


@pytest.mark.attack("audit-tampering")
def test_an_entry_handed_over_again_after_later_ones_is_reordered():
    entries = build(3)
    broken = chain.verify([*entries, entries[0]]).broken
    assert (broken.reason, broken.sequence, broken.entry_id) == (chain.REORDERED, 1, 101)


@pytest.mark.attack("audit-tampering")
def test_a_recomputed_chain_passes_alone_but_not_against_a_checkpoint():
    entries = build(5)
    kept = chain.Checkpoint(5, entries[-1]["entry_hash"])
    entries[1]["action"] = "logout"
    rechain(entries, start=1)
    assert chain.verify(entries).intact  # why checkpoints exist
    broken = chain.verify(entries, kept).broken
    assert (broken.reason, broken.sequence) == (chain.MODIFIED, 5)


@pytest.mark.attack("audit-tampering")
def test_a_tail_cut_off_after_a_checkpoint_is_found():
    entries = build(6)
    kept = chain.Checkpoint(6, entries[-1]["entry_hash"])
    assert chain.verify(entries[:4]).intact
    broken = chain.verify(entries[:4], kept).broken
    assert (broken.reason, broken.sequence) == (chain.TRUNCATED, 5)


def test_a_log_that_grew_since_the_checkpoint_still_holds_it():
    entries = build(6)
    assert chain.verify(entries, chain.Checkpoint(3, entries[2]["entry_hash"])).intact


def test_verification_reads_a_stream_once():
    assert chain.verify(iter(build(50))).head_sequence == 50


# Checkpoints


@pytest.fixture
def key():
    return Ed25519PrivateKey.generate()


def signed(key, **changes):
    payload = checkpoint.make(
        key, sequence=5, entry_hash="ab" * 32, head_at="2026-03-01T09:30:05.123456+00:00", entries=5,
        created_at="2026-03-02T10:00:00+00:00",
    )
    return {**payload, **changes}


def test_a_checkpoint_signed_by_the_trusted_key_is_accepted(key):
    head, public_key = checkpoint.load(checkpoint.dumps(signed(key)), checkpoint.public_bytes(key))
    assert head == chain.Checkpoint(5, "ab" * 32)
    assert public_key == checkpoint.public_bytes(key)


@pytest.mark.attack("audit-tampering")
@pytest.mark.parametrize("field, value", [("sequence", 3), ("entry_hash", "cd" * 32), ("entries", 4), ("created_at", "2027-01-01")])
def test_an_altered_checkpoint_fails_its_signature(key, field, value):
    with pytest.raises(checkpoint.CheckpointError, match="signature is not valid"):
        checkpoint.load(json.dumps(signed(key, **{field: value})), checkpoint.public_bytes(key))


@pytest.mark.attack("audit-tampering")
def test_a_checkpoint_forged_with_another_key_is_refused(key):
    forger = Ed25519PrivateKey.generate()
    with pytest.raises(checkpoint.CheckpointError, match="signed by key .* not by this instance's key"):
        checkpoint.load(json.dumps(signed(forger)), checkpoint.public_bytes(key))


@pytest.mark.attack("audit-tampering")
def test_a_checkpoint_whose_public_key_was_swapped_fails(key):
    forger = Ed25519PrivateKey.generate()
    swapped = signed(key, public_key=base64.b64encode(checkpoint.public_bytes(forger)).decode())
    with pytest.raises(checkpoint.CheckpointError, match="signature is not valid"):
        checkpoint.load(json.dumps(swapped), checkpoint.public_bytes(forger))


def test_an_instance_without_a_signing_key_trusts_no_checkpoint(key):
    with pytest.raises(checkpoint.CheckpointError, match="no audit signing key"):
        checkpoint.load(json.dumps(signed(key)), None)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("not json", "not valid JSON"),
        ("[1, 2]", "does not have the fields"),
        ('{"sequence": 1}', "does not have the fields"),
    ],
)
def test_a_malformed_checkpoint_is_refused_with_the_reason(key, text, reason):
    with pytest.raises(checkpoint.CheckpointError, match=reason):
        checkpoint.load(text, checkpoint.public_bytes(key))


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"sequence": "5"}, "whole numbers"),
        ({"sequence": -1}, "whole numbers"),
        ({"entry_hash": "xyz"}, "SHA-256"),
        ({"signature": "!!"}, "not valid base64"),
        ({"public_key": base64.b64encode(b"short").decode()}, "wrong length"),
        ({"format": "other/9"}, "unknown checkpoint format"),
    ],
)
def test_a_checkpoint_with_bad_values_is_refused_with_the_reason(key, changes, reason):
    with pytest.raises(checkpoint.CheckpointError, match=reason):
        checkpoint.load(json.dumps(signed(key, **changes)), checkpoint.public_bytes(key))


def test_the_signing_key_file_is_created_private_and_reused(tmp_path):
    path = tmp_path / "audit-signing.key"
    first = checkpoint.load_or_create_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert checkpoint.public_bytes(checkpoint.load_or_create_key(path)) == checkpoint.public_bytes(first)
    assert checkpoint.existing_public_key(path) == checkpoint.public_bytes(first)
    assert checkpoint.existing_public_key(tmp_path / "absent.key") is None


def test_a_damaged_signing_key_file_is_refused(tmp_path):
    path = tmp_path / "audit-signing.key"
    path.write_text("bm90IGEga2V5\n")
    with pytest.raises(checkpoint.CheckpointError, match="must hold 32 bytes"):
        checkpoint.load_or_create_key(path)
