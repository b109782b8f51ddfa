"""The master key and envelope encryption of data keys.

The master key never enters the database: it is read from ``SHELTER_MASTER_KEY`` (base64) or from
a key file that is created, readable by its owner only, on first use. Data keys (one per case) are
stored wrapped by the master key; destroying a wrapped data key erases what it protected.
"""

import base64
import binascii
import hashlib
import hmac
import os
from pathlib import Path

from . import aead

ENV_VAR = "SHELTER_MASTER_KEY"


class MasterKeyError(Exception):
    """The master key is missing, malformed or does not fit this database."""


def _decode(text: str, where: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as e:
        raise MasterKeyError(f"{where} is not valid base64") from e
    if len(key) != aead.KEY_BYTES:
        raise MasterKeyError(f"{where} must hold {aead.KEY_BYTES} bytes, not {len(key)}")
    return key


def load_master_key(key_file: Path, environ=os.environ) -> bytes:
    """Return the master key from the environment, else from ``key_file`` (created if absent)."""
    if environ.get(ENV_VAR):
        return _decode(environ[ENV_VAR], ENV_VAR)
    try:
        return _decode(key_file.read_text(), str(key_file))
    except FileNotFoundError:
        pass
    key = aead.new_key()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: two processes starting at once must not each write a different key.
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _decode(key_file.read_text(), str(key_file))
    with os.fdopen(fd, "w") as f:
        f.write(base64.b64encode(key).decode() + "\n")
    return key


def encode(master_key: bytes) -> str:
    """The master key as it is written in a key file or ``SHELTER_MASTER_KEY``."""
    return base64.b64encode(master_key).decode()


def decode(text: str, where: str) -> bytes:
    """A master key from its base64 text; ``where`` names the source in the error message."""
    return _decode(text, where)


def write_key_file(path: Path, master_key: bytes):
    """Write a new key file, readable by its owner only, and flush it to disk before returning.
    Refuses to overwrite: a key file that exists may be the only copy of a key."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(encode(master_key) + "\n")
        f.flush()
        os.fsync(f.fileno())


def sync_directory(path: Path):
    """Make a rename inside ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fingerprint(master_key: bytes) -> str:
    """A short public identifier of a master key, to tell keys apart without revealing them."""
    return hmac.new(master_key, b"shelter/fingerprint", hashlib.sha256).hexdigest()[:16]


def wrap(master_key: bytes, data_key: bytes, label: str) -> bytes:
    return aead.seal(master_key, data_key, b"shelter/wrap/" + label.encode())


def unwrap(master_key: bytes, wrapped: bytes, label: str) -> bytes:
    return aead.unseal(master_key, bytes(wrapped), b"shelter/wrap/" + label.encode())
