"""Chunked authenticated encryption for files (evidence, backups).

Each 64 KiB chunk is sealed with AES-256-GCM under a nonce made of a random per-file prefix, the
chunk counter and a last-chunk flag, so chunks cannot be reordered, dropped or the file truncated
without detection (the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár, 2015).
"""

import os
import struct
from typing import BinaryIO, Iterator

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .aead import DecryptionError

MAGIC = b"SHLS1"
PREFIX_BYTES = 7
CHUNK = 64 * 1024
TAG = 16


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", counter, 1 if last else 0)


def encrypt_stream(key: bytes, src: BinaryIO, dst: BinaryIO, aad: bytes) -> int:
    """Encrypt ``src`` into ``dst``; returns the number of plaintext bytes."""
    aes, prefix = AESGCM(key), os.urandom(PREFIX_BYTES)
    dst.write(MAGIC + prefix)
    total, counter = 0, 0
    chunk = src.read(CHUNK)
    while True:
        following = src.read(CHUNK)
        last = not following
        dst.write(aes.encrypt(_nonce(prefix, counter, last), chunk, aad))
        total += len(chunk)
        if last:
            return total
        chunk, counter = following, counter + 1


def decrypt_stream(key: bytes, src: BinaryIO, aad: bytes) -> Iterator[bytes]:
    """Yield plaintext chunks; raises DecryptionError on any tampering or truncation."""
    aes = AESGCM(key)
    header = src.read(len(MAGIC) + PREFIX_BYTES)
    if len(header) != len(MAGIC) + PREFIX_BYTES or not header.startswith(MAGIC):
        raise DecryptionError("not an encrypted Shelter file")
    prefix = header[len(MAGIC) :]
    counter = 0
    block = src.read(CHUNK + TAG)
    while True:
        following = src.read(CHUNK + TAG)
        last = not following
        try:
            yield aes.decrypt(_nonce(prefix, counter, last), block, aad)
        except InvalidTag as e:
            raise DecryptionError("file is corrupt, truncated or was encrypted with another key") from e
        if last:
            return
        block, counter = following, counter + 1
