import io
import os

import pytest

from shelter.crypto import aead, keys, stream
from shelter.crypto.blind import blind_index, pseudonym


def test_sealed_values_open_only_with_the_same_key_and_context():
    key = aead.new_key()
    token = aead.seal(key, b"secret", b"row-1")
    assert aead.unseal(key, token, b"row-1") == b"secret"
    with pytest.raises(aead.DecryptionError):
        aead.unseal(key, token, b"row-2")
    with pytest.raises(aead.DecryptionError):
        aead.unseal(aead.new_key(), token, b"row-1")
    tampered = token[:-1] + bytes([token[-1] ^ 1])
    with pytest.raises(aead.DecryptionError):
        aead.unseal(key, tampered, b"row-1")


def test_the_master_key_file_is_created_once_and_private(tmp_path):
    path = tmp_path / "master.key"
    first = keys.load_master_key(path, environ={})
    assert keys.load_master_key(path, environ={}) == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_the_environment_overrides_the_key_file_and_is_validated(tmp_path):
    import base64

    key = os.urandom(32)
    assert keys.load_master_key(tmp_path / "none", environ={keys.ENV_VAR: base64.b64encode(key).decode()}) == key
    assert not (tmp_path / "none").exists()
    with pytest.raises(keys.MasterKeyError, match="32 bytes"):
        keys.load_master_key(tmp_path / "none", environ={keys.ENV_VAR: base64.b64encode(b"short").decode()})


def test_wrapped_data_keys_unwrap_only_under_their_label():
    master, data = aead.new_key(), aead.new_key()
    wrapped = keys.wrap(master, data, "case/1")
    assert keys.unwrap(master, wrapped, "case/1") == data
    with pytest.raises(aead.DecryptionError):
        keys.unwrap(master, wrapped, "case/2")


@pytest.mark.parametrize("size", [0, 1, stream.CHUNK - 1, stream.CHUNK, stream.CHUNK * 3 + 7])
def test_streams_round_trip(size):
    key, data = aead.new_key(), os.urandom(size)
    out = io.BytesIO()
    stream.encrypt_stream(key, io.BytesIO(data), out, b"file")
    assert b"".join(stream.decrypt_stream(key, io.BytesIO(out.getvalue()), b"file")) == data


def test_a_truncated_or_reordered_stream_is_detected():
    key, data = aead.new_key(), os.urandom(stream.CHUNK * 2 + 10)
    out = io.BytesIO()
    stream.encrypt_stream(key, io.BytesIO(data), out, b"file")
    blob = out.getvalue()
    header, body = blob[:12], blob[12:]
    chunk = stream.CHUNK + stream.TAG
    truncated = header + body[: chunk * 2]
    reordered = header + body[chunk : chunk * 2] + body[:chunk] + body[chunk * 2 :]
    for bad in (truncated, reordered):
        with pytest.raises(aead.DecryptionError):
            b"".join(stream.decrypt_stream(key, io.BytesIO(bad), b"file"))


def test_blind_indexes_and_pseudonyms_are_keyed():
    k1, k2 = aead.new_key(), aead.new_key()
    assert blind_index(k1, "karimov", "d") == blind_index(k1, "karimov", "d")
    assert blind_index(k1, "karimov", "d") != blind_index(k2, "karimov", "d")
    assert blind_index(k1, "karimov", "d") != blind_index(k1, "karimov", "e")
    assert pseudonym(k1, "id", "P").startswith("P-") and pseudonym(k1, "id", "P") != pseudonym(k2, "id", "P")
