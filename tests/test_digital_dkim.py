"""DKIM checked offline against a key given as a DNS record: a tampered message fails, an intact one
passes, and no key means no claim either way."""

import base64

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from shelter.digital import dkimcheck, iocs
from shelter.digital.message import analyse_bytes

MESSAGE = b"From: editor@example.org\r\nTo: exile@example.net\r\nSubject: interview\r\n\r\nHello, can we talk?\r\n"


@pytest.fixture(scope="module")
def signed():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    signature = dkim.sign(MESSAGE, b"s1", b"example.org", private, include_headers=[b"from", b"to", b"subject"])
    record = f's1._domainkey.example.org. 3600 IN TXT "v=DKIM1; k=rsa; " "p={base64.b64encode(public).decode()}"'
    return signature + MESSAGE, record.replace(" 3600", "")


def kinds(raw, keys):
    return [f.kind for r in analyse_bytes(raw, "m.eml", feeds=iocs.Feeds(), dkim_keys=keys) for f in r.findings]


def test_an_intact_signature_verifies_offline(signed):
    raw, record = signed
    assert "auth_fail" not in kinds(raw, dkimcheck.read_keys(record))


def test_a_tampered_message_fails_offline(signed):
    raw, record = signed
    assert "auth_fail" in kinds(raw.replace(b"can we talk", b"send your password"), dkimcheck.read_keys(record))


def test_without_a_key_nothing_is_claimed_about_the_signature(signed):
    raw, _ = signed
    assert "auth_fail" not in kinds(raw.replace(b"can we talk", b"send your password"), {})


def test_a_key_file_line_of_another_shape_is_named():
    with pytest.raises(dkimcheck.KeyFileError, match="line 2"):
        dkimcheck.read_keys("s1._domainkey.example.org TXT \"v=DKIM1; p=AAAA\"\nnot a record\n")
