"""Signed checkpoints of the audit chain's head: plain Python, no Django.

A checkpoint is a small JSON document (head sequence, head hash, head time, entry count, creation
time, the signer's Ed25519 public key and its signature) that someone outside the instance keeps —
a board member, an external auditor. Anyone holding it can later show that the log no longer
holds that head: rewritten, or cut off after it. The signing key lives in a file of its own,
readable by its owner only, and never in the database that it vouches for.
"""

import base64
import binascii
import hashlib
import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .chain import Checkpoint

FORMAT = "shelter-audit-checkpoint/1"
SIGNING_CONTEXT = b"shelter/audit/checkpoint\n"
SIGNED_FIELDS = {"format", "sequence", "entry_hash", "head_at", "entries", "created_at", "public_key"}
KEY_BYTES = 32


class CheckpointError(Exception):
    """A checkpoint or signing key that cannot be trusted or read."""


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The instance's signing key, created (mode 0600) on first use."""
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        # O_EXCL: two commands run at once must not each write a different key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    key = Ed25519PrivateKey.generate()
    with os.fdopen(fd, "w") as f:
        f.write(base64.b64encode(key.private_bytes_raw()).decode() + "\n")
    return key


def existing_public_key(path: Path) -> bytes | None:
    try:
        return public_bytes(_read_key(path))
    except FileNotFoundError:
        return None


def _read_key(path: Path) -> Ed25519PrivateKey:
    try:
        raw = base64.b64decode(path.read_text().strip(), validate=True)
    except (binascii.Error, ValueError) as e:
        raise CheckpointError(f"{path} is not valid base64") from e
    if len(raw) != KEY_BYTES:
        raise CheckpointError(f"{path} must hold {KEY_BYTES} bytes, not {len(raw)}")
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes_raw()


def fingerprint(public_key: bytes) -> str:
    """A short name of a public key for people to compare, e.g. ``3f2a-91c0-77de-0b41``."""
    digest = hashlib.sha256(public_key).hexdigest()[:16]
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


def _signed_bytes(payload: dict) -> bytes:
    signed = {name: payload[name] for name in SIGNED_FIELDS}
    return SIGNING_CONTEXT + json.dumps(signed, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def make(key: Ed25519PrivateKey, *, sequence: int, entry_hash: str, head_at: str | None, entries: int, created_at: str) -> dict:
    payload = {
        "format": FORMAT,
        "sequence": sequence,
        "entry_hash": entry_hash,
        "head_at": head_at,
        "entries": entries,
        "created_at": created_at,
        "public_key": base64.b64encode(public_bytes(key)).decode(),
    }
    payload["signature"] = base64.b64encode(key.sign(_signed_bytes(payload))).decode()
    return payload


def dumps(payload: dict) -> str:
    return json.dumps(payload, indent=2, sort_keys=True) + "\n"


def load(text: str, trusted_public_key: bytes | None) -> tuple[Checkpoint, bytes]:
    """Parse a checkpoint and check its signature, and that ``trusted_public_key`` made it.
    Returns the head it vouches for and its public key."""
    try:
        payload = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise CheckpointError("the checkpoint is not valid JSON") from e
    if not isinstance(payload, dict) or set(payload) != SIGNED_FIELDS | {"signature"}:
        raise CheckpointError("the checkpoint does not have the fields of a Shelter audit checkpoint")
    if payload["format"] != FORMAT:
        raise CheckpointError(f"unknown checkpoint format {str(payload['format'])[:40]!r}")
    _check_types(payload)
    public_key = _decode(payload["public_key"], KEY_BYTES, "public key")
    signature = _decode(payload["signature"], 64, "signature")
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, _signed_bytes(payload))
    except InvalidSignature as e:
        raise CheckpointError("the checkpoint's signature is not valid: it was altered or forged") from e
    if trusted_public_key is None:
        raise CheckpointError("this instance has no audit signing key: it never made this checkpoint")
    if public_key != trusted_public_key:
        raise CheckpointError(
            f"the checkpoint is signed by key {fingerprint(public_key)}, not by this instance's key "
            f"{fingerprint(trusted_public_key)}: it is forged or from another instance"
        )
    return Checkpoint(payload["sequence"], payload["entry_hash"]), public_key


def _check_types(payload):
    sequence, entries = payload["sequence"], payload["entries"]
    if type(sequence) is not int or type(entries) is not int or sequence < 0 or entries < 0:
        raise CheckpointError("the checkpoint's sequence and entry count must be whole numbers")
    digest = payload["entry_hash"]
    if not isinstance(digest, str) or len(digest) != 64 or digest.strip("0123456789abcdef"):
        raise CheckpointError("the checkpoint's hash is not a SHA-256 hex digest")
    for name in ("public_key", "signature", "created_at"):
        if not isinstance(payload[name], str):
            raise CheckpointError(f"the checkpoint's {name} must be text")


def _decode(text: str, size: int, what: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as e:
        raise CheckpointError(f"the checkpoint's {what} is not valid base64") from e
    if len(raw) != size:
        raise CheckpointError(f"the checkpoint's {what} has the wrong length")
    return raw
