import uuid

import pytest

from shelter.audit.models import AuditEvent
from shelter.records.models import Organisation
from tests.apiclient import api, ids, url


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(name="SNB", kind="security_service", country="UZ", aliases=["СНБ"])


def test_organisations_are_shared_with_every_account(other_caseworker, researcher, organisation):
    # Organisations are public knowledge, not case content: no access list applies.
    for user in (other_caseworker, researcher):
        assert ids(api(user).get(url("organisations"))) == [str(organisation.pk)]
        assert api(user).get(url(f"organisations/{organisation.pk}")).json()["aliases"] == ["СНБ"]


def test_an_unknown_organisation_is_404(caseworker):
    assert api(caseworker).get(url(f"organisations/{uuid.uuid4()}")).status_code == 404


@pytest.mark.attack("xss")
def test_every_free_text_field_round_trips(caseworker):
    data = {"name": "<b>GKNB</b>", "kind": "security_service", "country": "kg", "aliases": ["ГКНБ", "x\"y"], "notes": "<script>1</script>"}
    response = api(caseworker).post(url("organisations"), data, content_type="application/json")
    assert response.status_code == 201
    body = api(caseworker).get(url(f"organisations/{response.json()['id']}")).json()
    assert {k: body[k] for k in data} == data | {"country": "KG"}
    assert AuditEvent.objects.get(action="create", object_id=body["id"]).fields == ["aliases", "country", "kind", "name", "notes"]


def test_researchers_and_auditors_may_not_write(researcher, auditor, organisation):
    for user in (researcher, auditor):
        client = api(user)
        assert client.post(url("organisations"), {"name": "X", "kind": "ngo"}, content_type="application/json").status_code == 403
        assert client.patch(url(f"organisations/{organisation.pk}"), {"name": "X"}, content_type="application/json").status_code == 403
    assert Organisation.objects.get().name == "SNB"


def test_an_update_audits_the_changed_fields(caseworker, organisation):
    response = api(caseworker).patch(url(f"organisations/{organisation.pk}"), {"country": "UZ", "notes": "new"}, content_type="application/json")
    assert response.status_code == 200
    assert AuditEvent.objects.get(action="update").fields == ["notes"]


@pytest.mark.parametrize("data", [{"name": "", "kind": "ngo"}, {"name": "X", "kind": "cult"}, {"name": "X", "kind": "ngo", "country": "QQ"}])
def test_it_refuses_invalid_values(caseworker, data):
    assert api(caseworker).post(url("organisations"), data, content_type="application/json").status_code == 422


@pytest.mark.attack("sqli")
@pytest.mark.parametrize("field, value", [("name", "SN\x00B"), ("aliases", ["ok", "С\x00НБ"]), ("notes", "a\x00b")])
def test_a_nul_character_is_refused_with_a_reason_not_a_server_error(caseworker, field, value):
    # PostgreSQL stores no NUL in text or JSON; the API refuses it before the database is asked.
    data = {"name": "SNB", "kind": "security_service", field: value}
    response = api(caseworker).post(url("organisations"), data, content_type="application/json")
    assert response.status_code == 422
    assert "NUL" in response.content.decode()
    assert not Organisation.objects.exists()
