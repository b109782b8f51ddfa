"""Property-based tests of the chunked file encryption under evidence files and backups: any bytes
come back exactly, and any change to the ciphertext — a flipped byte anywhere, a cut, another
key or another binding — is refused with DecryptionError, never read as different plaintext."""

import io
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shelter.crypto import stream
from shelter.crypto.aead import DecryptionError

pytestmark = pytest.mark.attack("property")

FAST = settings(max_examples=60, deadline=None, database=None)
KEY = os.urandom(32)
AAD = b"evidence/0b6f1f4e"
# Sizes around the chunk boundary matter most; full chunks are built from a repeated pattern, as
# drawing 64 KiB of random bytes per example would be slow.
plaintexts = st.builds(
    lambda whole_chunks, tail: (b"\xa5\x5a" * (stream.CHUNK // 2)) * whole_chunks + tail,
    st.integers(0, 2), st.binary(max_size=300),
)


def encrypt(data, key=KEY, aad=AAD) -> bytes:
    out = io.BytesIO()
    stream.encrypt_stream(key, io.BytesIO(data), out, aad)
    return out.getvalue()


def decrypt(ciphertext, key=KEY, aad=AAD) -> bytes:
    return b"".join(stream.decrypt_stream(key, io.BytesIO(ciphertext), aad))


@FAST
@given(plaintexts)
def test_any_bytes_round_trip(data):
    assert decrypt(encrypt(data)) == data


@FAST
@given(plaintexts, st.data())
def test_any_flipped_byte_is_detected(data, draw):
    ciphertext = bytearray(encrypt(data))
    position = draw.draw(st.integers(0, len(ciphertext) - 1))
    ciphertext[position] ^= draw.draw(st.integers(1, 255))
    with pytest.raises(DecryptionError):
        decrypt(bytes(ciphertext))


@FAST
@given(plaintexts, st.data())
def test_any_truncation_is_detected(data, draw):
    ciphertext = encrypt(data)
    cut = draw.draw(st.integers(0, len(ciphertext) - 1))
    with pytest.raises(DecryptionError):
        decrypt(ciphertext[:cut])


@FAST
@given(plaintexts, st.binary(min_size=1, max_size=40))
def test_appended_bytes_are_detected(data, extra):
    with pytest.raises(DecryptionError):
        decrypt(encrypt(data) + extra)


@FAST
@given(st.binary(max_size=300))
def test_another_key_or_binding_is_refused(data):
    ciphertext = encrypt(data)
    with pytest.raises(DecryptionError):
        decrypt(ciphertext, key=os.urandom(32))
    with pytest.raises(DecryptionError):
        decrypt(ciphertext, aad=AAD + b"-moved")


@FAST
@given(st.binary(max_size=200))
def test_arbitrary_bytes_are_refused_with_decryption_error(garbage):
    with pytest.raises(DecryptionError):
        decrypt(garbage)
    with pytest.raises(DecryptionError):
        decrypt(stream.MAGIC + garbage)
