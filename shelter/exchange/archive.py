"""The encrypted backup archive.

Layout of the file::

    header  = "SHELTER-BACKUP" | version (1 byte) | scrypt log2(N), r, p (1 byte each)
              | salt (16 bytes) | passphrase check (16 bytes)
    body    = shelter.crypto.stream chunked AES-256-GCM of a tar archive, with the header as
              associated data (so no header byte can be changed either)

The passphrase goes through scrypt into 64 bytes: the first half is the encryption key, the second
half keys the passphrase check, an HMAC that tells a wrong passphrase from a damaged file. (It
gives an attacker nothing: trying a passphrase against the first chunk is as cheap.)

Inside, the tar archive holds ``manifest.json`` first, then the other entries; see
``shelter.ops.management.commands.backup`` for what Shelter puts there. The tar stream is
generated and consumed on the fly, so an archive is never held in memory nor written in clear.
"""

import hashlib
import hmac
import io
import json
import os
import struct
import tarfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from shelter.crypto.aead import DecryptionError
from shelter.crypto.stream import CHUNK, decrypt_stream, encrypt_stream

MAGIC = b"SHELTER-BACKUP"
VERSION = 1
SALT_BYTES = 16
CHECK_BYTES = 16
HEADER = struct.Struct(f">{len(MAGIC)}sBBBB{SALT_BYTES}s{CHECK_BYTES}s")
# OWASP's recommendation for scrypt: N=2^17, r=8, p=1 (128 MiB, about half a second).
LOG2_N, R, P = 17, 8, 1
# What a header may ask for: bounded, so a forged header cannot make a restore allocate gigabytes.
LOG2_N_RANGE, R_RANGE, P_RANGE = range(14, 21), range(1, 17), range(1, 5)
MIN_PASSPHRASE = 12
MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = "shelter-backup"
MANIFEST_VERSION = 1


class ArchiveError(Exception):
    """The archive cannot be written or read; the message says why."""


class WrongPassphrase(ArchiveError):
    pass


class CorruptArchive(ArchiveError):
    pass


def check_new_passphrase(passphrase: str):
    if len(passphrase) < MIN_PASSPHRASE:
        raise ArchiveError(f"the passphrase must be at least {MIN_PASSPHRASE} characters long")


def derive_keys(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> tuple[bytes, bytes]:
    material = Scrypt(salt=salt, length=64, n=2**log2_n, r=r, p=p).derive(passphrase.encode("utf-8"))
    return material[:32], material[32:]


def _passphrase_check(check_key: bytes) -> bytes:
    return hmac.new(check_key, b"shelter-backup/passphrase-check", hashlib.sha256).digest()[:CHECK_BYTES]


# Writing


@dataclass(frozen=True)
class Entry:
    """One file of the archive; ``open`` is only called when the entry is written."""

    name: str
    size: int
    open: Callable[[], BinaryIO]


def bytes_entry(name: str, data: bytes) -> Entry:
    return Entry(name, len(data), lambda: io.BytesIO(data))


def file_entry(name: str, path) -> Entry:
    return Entry(name, os.stat(path).st_size, lambda: open(path, "rb"))


def write_archive(dst: BinaryIO, passphrase: str, entries: Iterable[Entry]) -> int:
    """Encrypt a tar archive of ``entries`` into ``dst``; returns the plaintext size."""
    check_new_passphrase(passphrase)
    salt = os.urandom(SALT_BYTES)
    key, check_key = derive_keys(passphrase, salt, LOG2_N, R, P)
    header = HEADER.pack(MAGIC, VERSION, LOG2_N, R, P, salt, _passphrase_check(check_key))
    dst.write(header)
    return encrypt_stream(key, GeneratorReader(_tar_stream(entries)), dst, aad=header)


def _tar_stream(entries: Iterable[Entry]) -> Iterator[bytes]:
    now = int(time.time())
    for entry in entries:
        info = tarfile.TarInfo(entry.name)
        info.size, info.mode, info.mtime = entry.size, 0o600, now
        yield info.tobuf(format=tarfile.PAX_FORMAT, encoding="utf-8", errors="strict")
        with entry.open() as f:
            remaining = entry.size
            while remaining:
                block = f.read(min(CHUNK, remaining))
                if not block:
                    raise ArchiveError(f"{entry.name} changed while it was being backed up")
                remaining -= len(block)
                yield block
        padding = -entry.size % tarfile.BLOCKSIZE
        yield b"\0" * padding
    yield b"\0" * (2 * tarfile.BLOCKSIZE)  # the end-of-archive marker


class GeneratorReader(io.RawIOBase):
    """A readable file over an iterator of byte strings. ``read(n)`` returns exactly ``n`` bytes
    until the end: the chunked cipher relies on full chunks."""

    def __init__(self, pieces: Iterable[bytes]):
        self._pieces = iter(pieces)
        self._buffer = bytearray()
        self._done = False

    def readable(self):
        return True

    def read(self, size=-1):
        while not self._done and (size < 0 or len(self._buffer) < size):
            try:
                self._buffer += next(self._pieces)
            except StopIteration:
                self._done = True
        if size < 0:
            size = len(self._buffer)
        out = bytes(self._buffer[:size])
        del self._buffer[:size]
        return out

    def readinto(self, b):
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)


# Reading


def read_header(src: BinaryIO) -> tuple[bytes, tuple]:
    header = src.read(HEADER.size)
    if len(header) != HEADER.size or not header.startswith(MAGIC):
        raise ArchiveError("this is not a Shelter backup archive")
    _, version, log2_n, r, p, salt, check = HEADER.unpack(header)
    if version != VERSION:
        raise ArchiveError(f"archive format version {version} is not supported (this Shelter reads version {VERSION})")
    if log2_n not in LOG2_N_RANGE or r not in R_RANGE or p not in P_RANGE:
        raise CorruptArchive("the archive header is corrupt (key-derivation parameters out of range)")
    return header, (log2_n, r, p, salt, check)


def read_archive(src: BinaryIO, passphrase: str) -> Iterator[tuple[str, BinaryIO]]:
    """Yield (name, file) for every entry, each to be read before the next is asked for. The
    whole archive is authenticated only once the iteration has ended without an error: callers
    must stage what they read and apply it only then."""
    header, (log2_n, r, p, salt, check) = read_header(src)
    key, check_key = derive_keys(passphrase, salt, log2_n, r, p)
    if not hmac.compare_digest(_passphrase_check(check_key), check):
        raise WrongPassphrase("wrong passphrase for this archive")
    plaintext = AuthenticatedReader(decrypt_stream(key, src, aad=header))
    try:
        with tarfile.open(fileobj=plaintext, mode="r|") as tar:
            for member in tar:
                if not member.isreg():
                    raise CorruptArchive(f"unexpected entry type in the archive: {member.name!r}")
                yield member.name, tar.extractfile(member)
    except tarfile.TarError as e:
        raise CorruptArchive("the archive's contents are malformed") from e
    plaintext.read_to_end()  # authenticates the final chunk: detects truncation


class AuthenticatedReader(GeneratorReader):
    """Plaintext of the chunked cipher; any authentication failure becomes a CorruptArchive."""

    def read(self, size=-1):
        try:
            return super().read(size)
        except DecryptionError as e:
            raise CorruptArchive("the archive is damaged, truncated or was tampered with") from e

    def read_to_end(self):
        while self.read(CHUNK):
            pass


# The manifest


def make_manifest(**fields) -> bytes:
    manifest = {"format": MANIFEST_FORMAT, "version": MANIFEST_VERSION, **fields}
    return json.dumps(manifest, indent=2, sort_keys=True).encode()


def parse_manifest(data: bytes) -> dict:
    try:
        manifest = json.loads(data)
    except (ValueError, UnicodeDecodeError) as e:
        raise CorruptArchive("the archive's manifest is not valid JSON") from e
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise ArchiveError("the archive holds no Shelter backup manifest")
    if manifest.get("version") != MANIFEST_VERSION:
        raise ArchiveError(
            f"backup format version {manifest.get('version')!r} is not supported "
            f"(this Shelter restores version {MANIFEST_VERSION})"
        )
    return manifest
