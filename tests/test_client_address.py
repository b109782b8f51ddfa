"""The client address Shelter records and throttles (shelter.audit.log.client_ip): the peer's, or,
from a configured reverse proxy only, the nearest untrusted address in X-Forwarded-For."""

import pytest
from django.test import RequestFactory

from shelter import home
from shelter.accounts.models import UserSession
from shelter.audit.log import client_ip
from shelter.audit.models import AuditEvent

from .conftest import PASSWORD


def request(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@pytest.fixture
def proxies(settings):
    settings.SHELTER_TRUSTED_PROXIES = home.networks("10.0.0.2, 10.1.0.0/16")


@pytest.mark.attack("brute-force")
def test_it_ignores_forwarded_for_when_no_proxy_is_trusted(settings):
    settings.SHELTER_TRUSTED_PROXIES = []
    assert client_ip(request("203.0.113.9", "198.51.100.7")) == "203.0.113.9"


@pytest.mark.attack("brute-force")
@pytest.mark.usefixtures("proxies")
def test_it_ignores_forwarded_for_from_an_address_that_is_not_a_trusted_proxy():
    assert client_ip(request("203.0.113.9", "198.51.100.7")) == "203.0.113.9"


@pytest.mark.usefixtures("proxies")
def test_it_takes_the_client_from_a_trusted_proxy():
    assert client_ip(request("10.0.0.2", "198.51.100.7")) == "198.51.100.7"


@pytest.mark.attack("brute-force")
@pytest.mark.usefixtures("proxies")
def test_it_takes_the_nearest_untrusted_hop_so_a_forged_first_entry_is_ignored():
    # The client sent "X-Forwarded-For: 192.0.2.1"; the proxies appended what they saw.
    assert client_ip(request("10.0.0.2", "192.0.2.1, 198.51.100.7, 10.1.4.5")) == "198.51.100.7"


@pytest.mark.usefixtures("proxies")
def test_it_knows_a_trusted_proxy_seen_through_a_dual_stack_socket():
    assert client_ip(request("::ffff:10.0.0.2", "198.51.100.7")) == "198.51.100.7"


@pytest.mark.usefixtures("proxies")
def test_it_keeps_the_proxy_address_when_forwarded_for_is_missing_or_garbage():
    assert client_ip(request("10.0.0.2")) == "10.0.0.2"
    assert client_ip(request("10.0.0.2", "198.51.100.7, <script>")) == "10.0.0.2"
    assert client_ip(request("10.0.0.2", "not-an-address")) == "10.0.0.2"


@pytest.mark.usefixtures("proxies")
def test_the_audit_log_and_the_sessions_list_record_the_real_client(client, caseworker):
    client.post(
        "/login/", {"username": "caseworker", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert UserSession.objects.get(user=caseworker).ip == "198.51.100.7"
    assert AuditEvent.objects.get(action="login", actor=caseworker).ip == "198.51.100.7"

