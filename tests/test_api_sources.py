import uuid

import pytest

from shelter.audit.models import AuditEvent
from shelter.records.models import Source
from tests.apiclient import api, shows_identity, url


@pytest.fixture
def source_data(case):
    return {
        "case_id": str(case.pk),
        "kind": "publication",
        "title": "Exiled blogger Karimov <script>alert(1)</script>",
        "url": "https://example.org/karimov?a=1&b=<2>",
        "language": "ru",
        "published_on": "2019/3/7",
        "reliability": "B",
        "confidentiality": "public",
        "notes": "Said: \"Ulugbek Karimov was seized\"\n\ttab",
    }


@pytest.fixture
def source(caseworker, source_data):
    response = api(caseworker).post(url("sources"), source_data, content_type="application/json")
    assert response.status_code == 201, response.content
    return Source.objects.get(pk=response.json()["id"])


@pytest.mark.attack("xss")
def test_every_free_text_field_round_trips(caseworker, source, source_data):
    body = api(caseworker).get(url(f"sources/{source.pk}")).json()
    assert {k: body[k] for k in source_data} == source_data | {"published_on": "2019-03-07"}


def test_it_hides_identity_from_researchers(researcher, source):
    response = api(researcher).get(url(f"sources/{source.pk}"))
    assert response.status_code == 200
    assert response.json()["title"] is None and response.json()["url"] is None and response.json()["notes"] is None
    assert response.json()["reliability"] == "B"
    assert not shows_identity(response)
    assert not shows_identity(api(researcher).get(url("sources")))


def test_researchers_may_not_write(researcher, source, source_data):
    assert api(researcher).post(url("sources"), source_data, content_type="application/json").status_code == 403
    assert api(researcher).patch(url(f"sources/{source.pk}"), {"reliability": "A"}, content_type="application/json").status_code == 403


@pytest.mark.attack("idor")
def test_outsider_gets_404_and_an_empty_list(other_caseworker, source, source_data):
    client = api(other_caseworker)
    hidden = client.get(url(f"sources/{source.pk}"))
    assert hidden.status_code == 404
    assert hidden.content == client.get(url(f"sources/{uuid.uuid4()}")).content
    assert client.patch(url(f"sources/{source.pk}"), {"reliability": "A"}, content_type="application/json").status_code == 404
    assert client.post(url("sources"), source_data, content_type="application/json").status_code == 404
    assert client.get(url("sources")).json()["count"] == 0


def test_an_update_audits_the_changed_fields(caseworker, source):
    response = api(caseworker).patch(
        url(f"sources/{source.pk}"), {"reliability": "A", "language": "ru"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert AuditEvent.objects.get(action="update", object_id=str(source.pk)).fields == ["reliability"]


@pytest.mark.parametrize("change", [{"published_on": "March 2019"}, {"reliability": "Z"}, {"kind": None}, {"language": "russian"}])
def test_it_refuses_invalid_values(caseworker, source, change):
    response = api(caseworker).patch(url(f"sources/{source.pk}"), change, content_type="application/json")
    assert response.status_code == 422


@pytest.mark.attack("crypto-erasure")
def test_it_refuses_writes_to_an_erased_case(caseworker, case, source):
    case.erase()
    assert api(caseworker).patch(url(f"sources/{source.pk}"), {"reliability": "A"}, content_type="application/json").status_code == 400
