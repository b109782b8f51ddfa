import pytest

from shelter.accounts import mfa
from shelter.accounts.reauth import SESSION_KEY
from shelter.audit.models import AuditEvent
from shelter.records.models import CustodyEvent

from .conftest import PASSWORD
from .test_mfa import code


def age_login(client, minutes):
    session = client.session
    session[SESSION_KEY] -= minutes * 60
    session.save()


@pytest.fixture
def download_url(records):
    return f"/evidence/{records['evidence'].pk}/download/"


def test_right_after_login_evidence_downloads(client, caseworker, download_url):
    client.login(username="caseworker", password=PASSWORD)
    assert client.get(download_url).status_code == 200


@pytest.mark.attack("session")
def test_an_old_login_must_confirm_the_password_before_a_download(client, caseworker, download_url, settings):
    settings.SHELTER_REAUTH_MINUTES = 10
    client.login(username="caseworker", password=PASSWORD)
    age_login(client, 11)
    response = client.get(download_url)
    assert response.status_code == 302 and response.url.startswith("/login/confirm/?next=")
    assert not CustodyEvent.objects.filter(action="downloaded").exists()
    response = client.post(response.url, {"password": PASSWORD, "next": download_url})
    assert response.status_code == 302 and response.url == download_url
    assert client.get(download_url).status_code == 200


def test_the_window_comes_from_the_settings(client, caseworker, download_url, settings):
    settings.SHELTER_REAUTH_MINUTES = 60
    client.login(username="caseworker", password=PASSWORD)
    age_login(client, 30)
    assert client.get(download_url).status_code == 200


@pytest.mark.attack("session")
def test_a_wrong_password_does_not_confirm_and_is_audited(client, caseworker, download_url):
    client.login(username="caseworker", password=PASSWORD)
    age_login(client, 11)
    response = client.post("/login/confirm/", {"password": "wrong password 1", "next": download_url})
    assert response.status_code == 200 and "didn" in response.content.decode()
    assert client.get(download_url).status_code == 302
    event = AuditEvent.objects.get(action="login_failed", detail__reason="reauth")
    assert "wrong password" not in str(event.detail)


@pytest.mark.attack("brute-force")
def test_guessing_the_password_on_the_confirm_page_locks_it(client, caseworker, download_url, settings):
    settings.SHELTER_LOGIN_MAX_FAILURES_PER_ACCOUNT = 3
    client.login(username="caseworker", password=PASSWORD)
    age_login(client, 11)
    for n in range(3):
        client.post("/login/confirm/", {"password": f"guess {n}", "next": download_url})
    client.post("/login/confirm/", {"password": PASSWORD, "next": download_url})
    assert client.get(download_url).status_code == 302


@pytest.mark.attack("mfa")
def test_an_enrolled_user_confirms_with_a_code_too(client, caseworker, download_url):
    device = mfa.pending_device(caseworker)
    mfa.confirm(device, code(device))
    client.force_login(caseworker)
    age_login(client, 11)
    html = client.get("/login/confirm/").content.decode()
    assert 'name="code"' in html
    client.post("/login/confirm/", {"password": PASSWORD, "code": "000000", "next": download_url})
    assert client.get(download_url).status_code == 302
    client.post("/login/confirm/", {"password": PASSWORD, "code": code(device, 1), "next": download_url})
    assert client.get(download_url).status_code == 200


@pytest.mark.attack("session")
def test_the_confirm_page_never_returns_to_another_site(client, caseworker):
    client.login(username="caseworker", password=PASSWORD)
    for target in ["https://evil.example/x", "//evil.example/x", "javascript:alert(1)"]:
        response = client.post("/login/confirm/", {"password": PASSWORD, "next": target})
        assert response.status_code == 302 and response.url == "/", target


def test_the_confirm_page_needs_a_login(client, db):
    response = client.get("/login/confirm/")
    assert response.status_code == 302 and response.url.startswith("/login/")
