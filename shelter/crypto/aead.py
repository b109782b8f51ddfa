"""Authenticated encryption of small values (AES-256-GCM).

A sealed value is ``version byte || 96-bit random nonce || ciphertext+tag``. The associated data
binds a ciphertext to where it belongs (table, column, row), so a value copied into another row
fails to open instead of silently moving identity data around.
"""

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = b"\x01"
NONCE_BYTES = 12
KEY_BYTES = 32


class DecryptionError(Exception):
    """The ciphertext is corrupt, was moved, or the key is wrong."""


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return VERSION + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def unseal(key: bytes, token: bytes, aad: bytes) -> bytes:
    if len(token) < 1 + NONCE_BYTES + 16 or token[:1] != VERSION:
        raise DecryptionError("not a sealed value")
    nonce, body = token[1 : 1 + NONCE_BYTES], token[1 + NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, body, aad)
    except InvalidTag as e:
        raise DecryptionError("authentication failed") from e
