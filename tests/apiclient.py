"""Helpers of the API tests: a client that authenticates with a real token, and leak checks."""

import json

from django.test import Client

from shelter.accounts.models import ApiToken

IDENTITY = ("Каримов", "Karimov", "Улугбек", "Ulugbek")


def api(user, **client_options) -> Client:
    """A test client that sends a freshly issued bearer token of ``user``."""
    _, clear = ApiToken.objects.issue(user, "tests")
    return Client(headers={"authorization": f"Bearer {clear}"}, **client_options)


def url(path: str) -> str:
    return f"/api/v1/{path.lstrip('/')}"


def text_of(response) -> str:
    """The body as sent, plus its JSON with non-ASCII unescaped: the name must be in neither."""
    body = response.content.decode()
    try:
        return body + json.dumps(response.json(), ensure_ascii=False)
    except ValueError:
        return body


def shows_identity(response) -> bool:
    text = text_of(response)
    return any(name in text for name in IDENTITY)


def ids(response) -> list[str]:
    return [item["id"] for item in response.json()["items"]]
