from datetime import timedelta

import pytest

from shelter.accounts.models import ApiToken

from .conftest import PASSWORD
from .test_reauth import age_login


def test_a_user_creates_a_token_shown_once_and_revokes_it(client, caseworker):
    client.login(username="caseworker", password=PASSWORD)
    response = client.post("/profile/tokens/", {"name": "laptop"})
    token = ApiToken.objects.get()
    clear = response.content.decode().split('<code class="token">')[1].split("</code>")[0]
    assert ApiToken.objects.authenticate(clear) == caseworker
    assert clear not in client.get("/profile/").content.decode()
    client.post(f"/profile/tokens/{token.pk}/revoke/")
    assert ApiToken.objects.authenticate(clear) is None


def test_a_user_cannot_revoke_someone_elses_token(client, caseworker, other_caseworker):
    token, clear = ApiToken.objects.issue(other_caseworker, "theirs")
    client.login(username="caseworker", password=PASSWORD)
    client.post(f"/profile/tokens/{token.pk}/revoke/")
    assert ApiToken.objects.authenticate(clear) == other_caseworker


@pytest.mark.attack("session")
def test_creating_a_token_asks_for_the_password_again_after_an_old_login(client, caseworker, settings):
    # A borrowed or stolen browser session must not mint a credential that outlives it.
    settings.SHELTER_REAUTH_MINUTES = 10
    client.login(username="caseworker", password=PASSWORD)
    age_login(client, 11)
    response = client.post("/profile/tokens/", {"name": "laptop", "days": "90"})
    assert response.status_code == 302 and response.url == "/login/confirm/?next=%2Fprofile%2F"
    assert not ApiToken.objects.exists()
    client.post(response.url, {"password": PASSWORD, "next": "/profile/"})
    client.post("/profile/tokens/", {"name": "laptop", "days": "90"})
    assert ApiToken.objects.count() == 1


def test_a_token_is_valid_90_days_unless_told_otherwise(client, caseworker):
    client.login(username="caseworker", password=PASSWORD)
    client.post("/profile/tokens/", {"name": "laptop"})
    token = ApiToken.objects.get()
    assert token.expires_at - token.created_at == timedelta(days=90)


@pytest.mark.parametrize("days", ["366", "0", "-1", "soon"])
def test_a_token_lasts_a_year_at_most_and_a_bad_validity_is_explained(client, caseworker, days):
    client.login(username="caseworker", password=PASSWORD)
    response = client.post("/profile/tokens/", {"name": "laptop", "days": days})
    assert response.status_code == 400
    assert "between 1 and 365 days" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_account_page_shows_when_each_token_was_last_used_and_expires(client, caseworker):
    token, clear = ApiToken.objects.issue(caseworker, "laptop", days=30)
    client.login(username="caseworker", password=PASSWORD)
    assert "never used" in client.get("/profile/").content.decode()
    ApiToken.objects.authenticate(clear)
    html = client.get("/profile/").content.decode()
    assert "last used" in html and "never used" not in html
    assert "expires" in html


@pytest.mark.attack("xss")
def test_a_token_name_is_escaped(client, caseworker):
    client.login(username="caseworker", password=PASSWORD)
    client.post("/profile/tokens/", {"name": "<script>alert(1)</script>"})
    html = client.get("/profile/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
