import pytest

from shelter.audit.models import AuditEvent

from .conftest import PASSWORD


def test_a_user_logs_in_and_the_login_is_audited(client, caseworker):
    response = client.post("/login/", {"username": "caseworker", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="login", actor=caseworker).exists()


def test_a_failed_login_is_audited_without_the_password(client, caseworker):
    response = client.post("/login/", {"username": "caseworker", "password": "wrong password 123"})
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="login_failed")
    assert event.actor_name == "caseworker"
    assert "wrong password" not in str(event.detail)


def test_unknown_and_known_users_get_the_same_answer(client, caseworker):
    known = client.post("/login/", {"username": "caseworker", "password": "nope nope nope"}).content
    unknown = client.post("/login/", {"username": "nobody-here", "password": "nope nope nope"}).content
    strip = lambda html: html.replace(b"caseworker", b"").replace(b"nobody-here", b"")  # noqa: E731
    import re

    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub(b"", strip(known)) == token.sub(b"", strip(unknown))


@pytest.mark.usefixtures("argon2")
def test_passwords_are_hashed_with_argon2(caseworker):
    assert caseworker.password.startswith("argon2")


def test_logging_out_needs_a_post_and_is_audited(client, caseworker):
    client.login(username="caseworker", password=PASSWORD)
    assert client.get("/logout/").status_code == 405
    client.post("/logout/")
    assert AuditEvent.objects.filter(action="logout", actor=caseworker).exists()


@pytest.mark.attack("csrf")
def test_writes_are_protected_against_csrf(caseworker, case):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.login(username="caseworker", password=PASSWORD)
    response = client.post(f"/cases/{case.pk}/edit/", {"title": "x", "status": "open", "opened_on": "2026-01-01"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.title == "Family of Ulugbek Karimov"


def test_pages_load_no_external_assets(client, caseworker, records):
    import re

    client.login(username="caseworker", password=PASSWORD)
    for url in ["/", "/login/", f"/incidents/{records['incident'].pk}/", "/search/"]:
        html = client.get(url).content.decode()
        for attribute in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert not re.match(r"^(https?:)?//", attribute), (url, attribute)
