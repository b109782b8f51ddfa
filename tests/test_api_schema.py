import json

from django.test import Client

from tests.apiclient import url

RESOURCES = ["cases", "persons", "organisations", "incidents", "legal-processes", "sources", "evidence"]


def openapi():
    response = Client().get(url("openapi.json"))
    assert response.status_code == 200
    return json.loads(response.content)


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
    assert "cdn" not in Client().get(url("openapi.json")).content.decode().lower()
