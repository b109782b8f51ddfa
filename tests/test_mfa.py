import re
import time

import pytest
from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP

from shelter.accounts import mfa
from shelter.accounts.models import RecoveryCode, TOTPDevice
from shelter.audit.models import AuditEvent

from .conftest import PASSWORD


def code(device, offset=0):
    """The code an authenticator app shows `offset` steps from now."""
    step = int(time.time()) // 30 + offset
    return TOTP(mfa.secret(device), 6, SHA1(), 30, enforce_key_length=False).generate(step * 30).decode()


@pytest.fixture
def enrolled(caseworker):
    """`caseworker` with a confirmed authenticator (the current step is used up) and its recovery codes."""
    device = mfa.pending_device(caseworker)
    codes = mfa.confirm(device, code(device))
    device.refresh_from_db()
    return device, codes


def log_in_with_password(client, username="caseworker"):
    return client.post("/login/", {"username": username, "password": PASSWORD})


def is_logged_in(client):
    return client.get("/").status_code == 200


def test_enrolment_shows_the_secret_its_uri_and_a_qr_code_drawn_on_the_server(client, caseworker):
    client.login(username="caseworker", password=PASSWORD)
    html = client.get("/account/mfa/").content.decode()
    device = TOTPDevice.objects.get(user=caseworker)
    assert mfa.secret_text(device) in html
    assert "otpauth://totp/Shelter:caseworker?" in html and f"secret={mfa.secret_text(device)}" in html
    assert re.search(r"<svg[^>]*>.*<path", html, re.S)
    assert "<script" not in html.split("<main")[1]


def test_the_secret_is_stored_sealed_and_bound_to_its_user(caseworker, other_caseworker):
    device = mfa.pending_device(caseworker)
    secret = mfa.secret(device)
    assert secret not in bytes(device.sealed_secret)
    assert mfa.secret_text(device).encode() not in bytes(device.sealed_secret)
    moved = TOTPDevice.objects.create(user=other_caseworker, sealed_secret=device.sealed_secret)
    with pytest.raises(Exception):
        mfa.secret(moved)


def test_a_first_code_confirms_enrolment_and_shows_ten_recovery_codes_once(client, caseworker):
    client.login(username="caseworker", password=PASSWORD)
    client.get("/account/mfa/")
    device = TOTPDevice.objects.get(user=caseworker)
    html = client.post("/account/mfa/", {"code": code(device)}).content.decode()
    shown = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", html)
    assert len(shown) == 10
    assert mfa.is_enrolled(caseworker)
    stored = list(RecoveryCode.objects.filter(user=caseworker).values_list("digest", flat=True))
    assert len(stored) == 10 and not set(shown) & set(stored)
    again = client.get("/account/mfa/").content.decode()
    assert not any(c in again for c in shown)
    assert AuditEvent.objects.filter(action="mfa_enrolled", actor=caseworker).exists()


@pytest.mark.attack("mfa")
def test_a_wrong_first_code_does_not_turn_mfa_on(client, caseworker):
    client.login(username="caseworker", password=PASSWORD)
    client.get("/account/mfa/")
    device = TOTPDevice.objects.get(user=caseworker)
    wrong = f"{(int(code(device)) + 1) % 1000000:06d}"
    response = client.post("/account/mfa/", {"code": wrong})
    assert "not valid" in response.content.decode()
    assert not mfa.is_enrolled(caseworker)


def test_an_enrolled_user_logs_in_with_password_then_code(client, enrolled):
    device, _ = enrolled
    response = log_in_with_password(client)
    assert response.status_code == 302 and response.url == "/login/code/"
    assert not is_logged_in(client)
    response = client.post("/login/code/", {"code": code(device, 1)})
    assert response.status_code == 302
    assert is_logged_in(client)


@pytest.mark.attack("mfa")
def test_a_wrong_code_is_refused_and_audited(client, enrolled):
    device, _ = enrolled
    log_in_with_password(client)
    wrong = f"{(int(code(device, 1)) + 1) % 1000000:06d}"
    response = client.post("/login/code/", {"code": wrong})
    assert response.status_code == 200 and "not valid" in response.content.decode()
    assert not is_logged_in(client)
    assert AuditEvent.objects.filter(action="login_failed", actor_name="caseworker", detail__reason="mfa").exists()


@pytest.mark.attack("mfa")
def test_a_code_cannot_be_used_twice(client, enrolled):
    device, _ = enrolled
    used = code(device, 1)
    log_in_with_password(client)
    client.post("/login/code/", {"code": used})
    assert is_logged_in(client)
    client.post("/logout/")
    log_in_with_password(client)
    client.post("/login/code/", {"code": used})
    assert not is_logged_in(client)


@pytest.mark.attack("mfa")
def test_a_code_from_far_away_in_time_is_refused(client, enrolled):
    device, _ = enrolled
    log_in_with_password(client)
    client.post("/login/code/", {"code": code(device, 3)})
    assert not is_logged_in(client)


@pytest.mark.attack("mfa")
def test_a_recovery_code_logs_in_once(client, enrolled):
    _, codes = enrolled
    log_in_with_password(client)
    client.post("/login/code/", {"code": codes[0].upper()})
    assert is_logged_in(client)
    client.post("/logout/")
    log_in_with_password(client)
    client.post("/login/code/", {"code": codes[0]})
    assert not is_logged_in(client)
    assert mfa.recovery_codes_left(enrolled[0].user) == 9


@pytest.mark.attack("brute-force")
def test_guessing_codes_locks_the_account_even_for_the_right_code(client, enrolled, settings):
    settings.SHELTER_LOGIN_MAX_FAILURES_PER_ACCOUNT = 3
    device, codes = enrolled
    log_in_with_password(client)
    for guess in ["000000", "111111", "222222"]:
        client.post("/login/code/", {"code": guess})
    client.post("/login/code/", {"code": codes[1]})
    assert not is_logged_in(client)
    assert mfa.recovery_codes_left(device.user) == 10  # a locked account does not even spend it


@pytest.mark.attack("mfa")
def test_the_code_step_needs_the_password_step_first(client, enrolled):
    device, _ = enrolled
    response = client.post("/login/code/", {"code": code(device, 1)})
    assert response.status_code == 302 and response.url == "/login/"
    assert not is_logged_in(client)


@pytest.mark.attack("mfa")
def test_the_password_step_expires(client, enrolled):
    device, _ = enrolled
    log_in_with_password(client)
    session = client.session
    session["shelter_mfa_pending"]["at"] -= 301
    session.save()
    client.post("/login/code/", {"code": code(device, 1)})
    assert not is_logged_in(client)


@pytest.mark.attack("mfa")
def test_when_required_a_user_without_mfa_can_only_enrol(client, caseworker, case, settings):
    settings.SHELTER_MFA_REQUIRED = True
    response = log_in_with_password(client)
    assert response.url == "/account/mfa/"
    for url in ["/", f"/cases/{case.pk}/", "/profile/", "/evidence/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url == "/account/mfa/", url
    assert client.get("/account/mfa/").status_code == 200


def test_when_required_an_enrolled_user_works_normally(client, enrolled, settings):
    settings.SHELTER_MFA_REQUIRED = True
    device, _ = enrolled
    log_in_with_password(client)
    client.post("/login/code/", {"code": code(device, 1)})
    assert is_logged_in(client)


@pytest.mark.attack("mfa")
@pytest.mark.parametrize("role", ["researcher", "auditor"])
def test_researchers_and_auditors_must_enrol_too(client, researcher, auditor, settings, role):
    # A researcher's phished password still opens every pseudonymised case and its narratives;
    # an auditor's opens the whole audit log.
    settings.SHELTER_MFA_REQUIRED = True
    response = log_in_with_password(client, role)
    assert response.url == "/account/mfa/"
    assert client.get("/").url == "/account/mfa/"


def test_the_security_check_says_mfa_is_required_only_when_every_role_needs_it(settings, monkeypatch):
    from shelter.security import checks

    settings.SHELTER_MFA_REQUIRED = True
    assert checks.check_mfa().message == "required for every account"
    monkeypatch.setattr(mfa, "required_for", lambda role: role != "auditor")
    result = checks.check_mfa()
    assert result.status == "FAIL" and "auditor" in result.message


def test_without_the_requirement_nobody_is_forced_to_enrol(client, caseworker, settings):
    settings.SHELTER_MFA_REQUIRED = False
    log_in_with_password(client)
    assert is_logged_in(client)


def test_the_enrolment_page_is_in_russian(client, caseworker):
    client.login(username="caseworker", password=PASSWORD)
    response = client.get("/account/mfa/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert 'lang="ru"' in response.content.decode()
