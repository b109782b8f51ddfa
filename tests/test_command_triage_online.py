"""`shelter triage --online`: warns on stderr that asking DNS can tell the sender, asks the configured name
server from the isolated child, records it in each report; without --online, the name server hears
nothing, even when one is configured."""

import base64
import json
from email.message import EmailMessage
from io import StringIO

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.management import CommandError, call_command

from .dns_server import recorded_dns, txt_record

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def signed_and_key():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption())
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "Editor <editor@example.org>", "exile@example.net", "interview"
    m.set_content("Hello, can we talk? The questions: https://docs.example.info/q")
    raw = bytes(m).replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n")
    raw = dkim.sign(raw, b"s1", b"example.org", pem, include_headers=[b"from", b"to", b"subject"]) + raw
    return raw, f"v=DKIM1; k=rsa; p={base64.b64encode(public).decode()}"


@pytest.fixture
def message(tmp_path, signed_and_key):
    path = tmp_path / "interview.eml"
    path.write_bytes(signed_and_key[0])
    return path


@pytest.fixture
def dns(signed_and_key):
    with recorded_dns(txt_record("s1._domainkey.example.org", signed_and_key[1])) as running:
        yield running


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("triage", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_online_first_warns_on_stderr_that_the_sender_can_see_the_queries(message, dns):
    _, server = dns
    out, err = run(message, "--online", "--dns-server", server, "--json")
    assert "name servers" in err and "attacker" in err and "being examined" in err
    assert "Warning" not in out


def test_online_the_report_says_so_and_names_what_was_asked(message, dns):
    resolver, server = dns
    [report] = json.loads(run(message, "--online", "--dns-server", server, "--json")[0])
    assert report["online"] is True
    assert {q["name"] for q in report["dns_queries"]} == \
        {"s1[.]_domainkey[.]example[.]org", "example[.]org", "_dmarc[.]example[.]org"}
    assert sorted(set(resolver.names_asked())) == ["_dmarc.example.org", "example.org", "s1._domainkey.example.org"]
    assert "auth_fail" not in {f["kind"] for f in report["findings"]}


def test_online_a_tampered_message_fails_from_the_isolated_child(tmp_path, signed_and_key, dns):
    _, server = dns
    path = tmp_path / "tampered.eml"
    path.write_bytes(signed_and_key[0].replace(b"can we talk", b"send your password"))
    [report] = json.loads(run(path, "--online", "--dns-server", server, "--json")[0])
    assert "auth_fail" in {f["kind"] for f in report["findings"]}


def test_the_dns_server_setting_reaches_the_isolated_analysis(message, dns, settings):
    resolver, server = dns
    settings.SHELTER_DNS_SERVER = server
    out, _ = run(message, "--online")
    assert "s1._domainkey.example.org" in resolver.names_asked()
    assert "DNS asked: s1[.]_domainkey[.]example[.]org TXT (DKIM key): answered, the signature verifies" in out


def test_without_online_the_name_server_hears_nothing_even_when_configured(message, dns, settings):
    resolver, server = dns
    settings.SHELTER_DNS_SERVER = server
    out, err = run(message, "--json")
    [report] = json.loads(out)
    assert resolver.names_asked() == [] and err == "" and "online" not in report


@pytest.mark.parametrize("args, reason", [
    (["--dns-server", "127.0.0.1:5353"], "only with --online"),
    (["--online", "--dns-server", "ns.example.org"], "as an IP address"),
    (["--online", "--case", "ANY-1"], "not used with --case"),
])
def test_online_options_of_another_shape_are_refused_with_the_reason(message, args, reason):
    with pytest.raises(CommandError, match=reason):
        run(message, *args)
