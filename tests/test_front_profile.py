from shelter.accounts.models import ApiToken

from .conftest import PASSWORD


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
