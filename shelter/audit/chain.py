"""The audit log as a hash chain: plain Python, no Django.

Every entry carries a sequence number (1, 2, 3… without gaps), the hash of the entry before it
(``prev_hash``; the first entry chains to ``GENESIS``) and its own hash::

    entry_hash = SHA-256(canonical(entry's own fields) + prev_hash)

Changing, inserting, deleting or reordering an entry therefore breaks the chain at that entry.
Someone who can write to the database can still recompute the whole chain from the point they
changed: a signed checkpoint of the head kept outside the instance (see ``checkpoint.py``) is
what catches that, and a tail cut off after the last checkpoint.

``verify`` walks an iterable of plain dicts (one per entry, in sequence order, holding
``HASHED_FIELDS`` plus ``id``, ``prev_hash`` and ``entry_hash``) and returns where the chain first
breaks and why. It names positions and ids, never an entry's content.
"""

import datetime
import hashlib
import json
import uuid
from dataclasses import dataclass

GENESIS = hashlib.sha256(b"shelter/audit/genesis").hexdigest()

# The fields an entry's hash covers. Not the row id: it is assigned by the database after the
# hash is computed, and the sequence number is the entry's place in the chain.
HASHED_FIELDS = (
    "sequence", "at", "actor_id", "actor_name", "action", "object_type", "object_id", "case_id", "fields", "detail", "ip",
)

MODIFIED = "modified"
INSERTED = "inserted"
DELETED = "deleted"
REORDERED = "reordered"
TRUNCATED = "truncated"


def _plain(value):
    """JSON form of the values JSON itself lacks: timestamps in UTC with microseconds, UUIDs as text."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} cannot be part of an audit entry")


def canonical(entry: dict) -> bytes:
    """Stable bytes of an entry's own fields: sorted keys, no whitespace, UTF-8."""
    own = {name: entry.get(name) for name in HASHED_FIELDS}
    text = json.dumps(own, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_plain)
    return text.encode("utf-8")


def entry_hash(entry: dict, prev_hash: str) -> str:
    return hashlib.sha256(canonical(entry) + prev_hash.encode("ascii")).hexdigest()


def seal(entry: dict, prev_hash: str) -> dict:
    """The chain fields of a new entry that follows one whose hash is ``prev_hash``."""
    return {"prev_hash": prev_hash, "entry_hash": entry_hash(entry, prev_hash)}


@dataclass(frozen=True)
class Break:
    sequence: int  # the chain position where it breaks
    entry_id: object  # the row id of the entry found there (None if it is missing)
    reason: str  # MODIFIED, INSERTED, DELETED, REORDERED or TRUNCATED
    explanation: str

    def __str__(self):
        where = f"#{self.sequence}" + (f" (id {self.entry_id})" if self.entry_id is not None else "")
        return f"{self.reason} at {where}: {self.explanation}"


@dataclass(frozen=True)
class Checkpoint:
    """A chain head someone kept: the chain must still hold this entry with this hash."""

    sequence: int
    entry_hash: str


@dataclass(frozen=True)
class Report:
    entries: int  # entries read before the walk stopped
    head_sequence: int  # the last intact entry (0: none)
    head_hash: str
    broken: Break | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def verify(entries, checkpoint: Checkpoint | None = None) -> Report:
    """Walk the chain; stop at the first break."""
    expected, running, last, count = 1, GENESIS, None, 0
    entries = iter(entries)
    current = next(entries, None)
    while current is not None:
        following = next(entries, None)
        count += 1
        broken = _check(current, expected, running, last, following)
        if broken is None and checkpoint and current["sequence"] == checkpoint.sequence:
            broken = _against_checkpoint(current, checkpoint)
        if broken is not None:
            return Report(count, expected - 1, running, broken)
        expected, running, last, current = current["sequence"] + 1, current["entry_hash"], current, following
    head = expected - 1
    if checkpoint and head < checkpoint.sequence:
        explanation = f"the log ends at #{head} but the checkpoint holds #{checkpoint.sequence}: its tail was cut off"
        return Report(count, head, running, Break(head + 1, None, TRUNCATED, explanation))
    return Report(count, head, running, None)


def _check(entry, expected, running, last, following) -> Break | None:
    sequence, entry_id = entry["sequence"], entry.get("id")
    if sequence < expected:
        if last is not None and sequence == last["sequence"]:
            return Break(sequence, entry_id, INSERTED, f"entries {last.get('id')} and {entry_id} both claim this position")
        return Break(sequence, entry_id, REORDERED, f"it comes after #{expected - 1}")
    if sequence > expected:
        return Break(expected, None, DELETED, f"entries #{expected} to #{sequence - 1} are missing (next: id {entry_id})")
    self_consistent = entry_hash(entry, entry["prev_hash"]) == entry["entry_hash"]
    linked = entry["prev_hash"] == running
    if self_consistent and linked:
        return None
    if following is not None and entry["prev_hash"] == following.get("entry_hash"):
        return Break(sequence, entry_id, REORDERED, "it chains to the entry after it")
    if following is not None and following.get("prev_hash") == running:
        return Break(sequence, entry_id, INSERTED, "the entry after it chains to the one before it")
    if last is not None and entry["prev_hash"] == last["prev_hash"]:
        return Break(last["sequence"], last.get("id"), INSERTED, "the entry after it chains to the one before it")
    if linked:
        return Break(sequence, entry_id, MODIFIED, "its fields no longer match its hash")
    if self_consistent and last is not None:
        return Break(
            last["sequence"], last.get("id"), MODIFIED, "it was changed and its hash recomputed: the next entry no longer chains to it"
        )
    if last is None:
        return Break(sequence, entry_id, DELETED, "the first entry does not start the chain: entries before it were removed")
    return Break(sequence, entry_id, DELETED, "an entry before it was removed and the later ones renumbered")


def _against_checkpoint(entry, checkpoint) -> Break | None:
    if entry["entry_hash"] == checkpoint.entry_hash:
        return None
    return Break(entry["sequence"], entry.get("id"), MODIFIED, "its hash differs from the checkpoint's: the chain was rewritten")
