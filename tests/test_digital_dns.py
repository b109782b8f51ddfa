"""Online checks (dnscheck), against a real name server on 127.0.0.1 that plays back recorded records: DKIM
verified with the key DNS publishes, a missing key said so, a sender domain without a DMARC policy or with
p=none reported, every name asked listed; and without permission, not one query."""

import base64
import socket
import time

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from shelter.digital import dnscheck, iocs
from shelter.digital.message import analyse_bytes

from .dns_server import recorded_dns, txt_record

BODY = b"To: exile@example.net\r\nSubject: interview\r\n\r\nHello, can we talk? https://docs.example.info/form\r\n"


@pytest.fixture(scope="module")
def key():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption())
    return pem, f"v=DKIM1; k=rsa; p={base64.b64encode(public).decode()}"


def signed(key, sender=b"editor@example.org", selector=b"s1", domain=b"example.org"):
    message = b"From: " + sender + b"\r\n" + BODY
    return dkim.sign(message, selector, domain, key[0], include_headers=[b"from", b"to", b"subject"]) + message


@pytest.fixture
def dns(key):
    """(the server's resolver, its address), with example.org's s1 key published."""
    with recorded_dns(txt_record("s1._domainkey.example.org", key[1])) as running:
        yield running


def report(raw, server, keys=None, **online):
    [result] = analyse_bytes(raw, "m.eml", feeds=iocs.Feeds(), dkim_keys=keys,
                             online=dnscheck.Online(server=server, **online))
    return result


def kinds(result):
    return [f.kind for f in result.findings]


def test_an_intact_signature_verifies_with_the_key_published_in_dns(key, dns):
    resolver, server = dns
    result = report(signed(key), server)
    assert "auth_fail" not in kinds(result) and "dkim_key_missing" not in kinds(result)
    [asked] = [q for q in result.dns if q["for"] == "DKIM key"]
    assert asked["name"] == "s1[.]_domainkey[.]example[.]org" and asked["result"] == "the signature verifies"
    assert "s1._domainkey.example.org" in resolver.names_asked()


@pytest.mark.parametrize("original, changed", [(b"can we talk", b"send your password"),
                                               (b"Subject: interview", b"Subject: urgent: sign in")])
def test_a_tampered_message_fails_against_the_key_in_dns(key, dns, original, changed):
    _, server = dns
    result = report(signed(key).replace(original, changed), server)
    [failed] = [f for f in result.findings if f.kind == "auth_fail"]
    assert failed.params["result"] == "fail" and "d=example[.]org" in failed.evidence


def test_a_signature_whose_key_is_not_in_dns_is_reported_as_such(key, dns):
    _, server = dns
    result = report(signed(key, selector=b"gone"), server)
    [missing] = [f for f in result.findings if f.kind == "dkim_key_missing"]
    assert "gone[.]_domainkey[.]example[.]org" in missing.summary("en") and "auth_fail" not in kinds(result)


def test_a_key_given_in_a_file_is_used_before_dns(key, dns):
    resolver, server = dns
    given = {"gone._domainkey.example.org": key[1].encode()}
    result = report(signed(key, selector=b"gone"), server, keys=given)
    assert "dkim_key_missing" not in kinds(result) and "auth_fail" not in kinds(result)
    assert "gone._domainkey.example.org" not in resolver.names_asked()


def test_a_sender_domain_with_p_none_is_reported_as_easy_to_forge(key, dns):
    _, server = dns
    result = report(b"From: news@example.com\r\n" + BODY, server)
    [weak] = [f for f in result.findings if f.kind == "spoofable_domain"]
    assert "p=none" in weak.summary("en") and "~all" in weak.summary("en") and "p=none" in weak.summary("ru")
    assert weak.severity == "info"


def test_a_sender_domain_without_dmarc_is_reported_as_easy_to_forge(key, dns):
    _, server = dns
    result = report(b"From: someone@example.net\r\n" + BODY, server)
    [weak] = [f for f in result.findings if f.kind == "spoofable_domain"]
    assert "publishes no DMARC policy" in weak.summary("en") and "не публикует политику DMARC" in weak.summary("ru")


def test_a_domain_whose_policy_rejects_forgeries_is_not_reported(key, dns):
    _, server = dns
    result = report(signed(key), server)
    assert "spoofable_domain" not in kinds(result)
    assert {"p=reject", "v=spf1 ip4:192.0.2.0/24 include:_spf.example.net -all"} <= {q.get("result") for q in result.dns}


def test_a_subdomain_without_a_policy_follows_its_organisations_policy(key, dns):
    resolver, server = dns
    result = report(b"From: alerts@news.example.org\r\n" + BODY, server)
    assert "spoofable_domain" not in kinds(result)
    assert ["_dmarc.news.example.org", "_dmarc.example.org"] == [n for n in resolver.names_asked() if n.startswith("_dmarc")]


def test_the_report_says_it_was_online_and_lists_every_name_asked(key, dns):
    resolver, server = dns
    out = report(signed(key), server).as_dict()
    assert out["online"] is True
    assert sorted(q["name"].replace("[.]", ".") for q in out["dns_queries"]) == sorted(set(resolver.names_asked()))
    assert set(resolver.names_asked()) == {"s1._domainkey.example.org", "example.org", "_dmarc.example.org"}


def test_link_domains_are_never_asked(key, dns):
    resolver, server = dns
    report(signed(key), server)
    assert not any("example.info" in name for name in resolver.names_asked())


def test_a_name_server_that_does_not_answer_is_a_note_not_a_crash(key):
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    silent.bind(("127.0.0.1", 0))
    try:
        started = time.monotonic()
        result = report(signed(key), f"127.0.0.1:{silent.getsockname()[1]}", query_seconds=0.4, budget_seconds=0.5)
        elapsed = time.monotonic() - started
    finally:
        silent.close()
    assert elapsed < 1.0  # three names, 0.4 s each, but 0.5 s in all
    assert "auth_fail" not in kinds(result) and "spoofable_domain" not in kinds(result)
    outcomes = [q["outcome"] for q in result.dns]
    assert len(outcomes) == 3 and outcomes[0] == "failed (no answer within 0.4 s)"
    assert all(o.startswith(("failed", "not asked")) for o in outcomes)


def test_without_permission_no_socket_is_opened(key, monkeypatch):
    opened = []

    def refuse(*args, **kwargs):
        opened.append(args)
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket, "socket", refuse)
    [result] = analyse_bytes(signed(key), "m.eml", feeds=iocs.Feeds())
    assert opened == [] and result.dns is None and "online" not in result.as_dict()


@pytest.mark.parametrize("text, expected", [
    ("127.0.0.1:5353", ("127.0.0.1", 5353)), ("192.0.2.1", ("192.0.2.1", 53)),
    ("[::1]:5353", ("::1", 5353)), ("::1", ("::1", 53)),
])
def test_a_name_server_is_an_address_with_an_optional_port(text, expected):
    assert dnscheck.parse_server(text) == expected


@pytest.mark.parametrize("text", ["ns.example.org:53", "127.0.0.1:0", "127.0.0.1:dns", "[::1]x"])
def test_a_name_server_of_another_shape_is_refused(text):
    with pytest.raises(dnscheck.ServerError):
        dnscheck.parse_server(text)
