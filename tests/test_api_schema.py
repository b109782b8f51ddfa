import json

import pytest
from django.test import Client

from tests.apiclient import api, url

from .conftest import login

RESOURCES = ["cases", "persons", "organisations", "incidents", "legal-processes", "sources", "evidence"]


def openapi():
    from shelter.accounts.models import User

    user = User.objects.create_user("schema-reader", password="x", role="caseworker")
    response = api(user).get(url("openapi.json"))
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.mark.attack("authentication")
def test_the_schema_is_not_served_to_anonymous_visitors(db):
    response = Client().get(url("openapi.json"))
    assert response.status_code == 401
    assert b"paths" not in response.content


@pytest.mark.attack("authentication")
def test_the_schema_is_not_served_for_a_wrong_token(db):
    response = Client(headers={"authorization": "Bearer not-a-token"}).get(url("openapi.json"))
    assert response.status_code == 401


def test_a_logged_in_user_reads_the_schema_in_the_browser(client, caseworker):
    login(client, caseworker)
    assert "paths" in client.get(url("openapi.json")).json()


def test_the_schema_is_json_and_lists_every_resource(db):
    paths = openapi()["paths"]
    for resource in RESOURCES:
        assert f"/api/v1/{resource}" in paths
        assert f"/api/v1/{resource}/{{id}}" in paths
    assert "/api/v1/evidence/{id}/download" in paths


def test_the_schema_declares_bearer_authentication(db):
    schemes = openapi()["components"]["securitySchemes"]
    assert [s["scheme"] for s in schemes.values()] == ["bearer"]


def test_the_schema_offers_writes_only_where_they_exist(db):
    paths = openapi()["paths"]
    assert set(paths["/api/v1/persons"]) == {"get", "post"}
    assert set(paths["/api/v1/persons/{id}"]) == {"get", "patch"}
    assert set(paths["/api/v1/evidence/{id}"]) == {"get"}


def test_there_is_no_docs_page_loading_assets_from_a_cdn(db):
    assert Client().get(url("docs")).status_code == 404
    assert "cdn" not in json.dumps(openapi()).lower()


def test_under_lockdown_a_token_does_not_read_the_schema(caseworker):
    from shelter.security import lockdown

    client = api(caseworker)
    lockdown.turn_on(caseworker)
    assert client.get(url("openapi.json")).status_code == 503
