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


# --- organisations imported from a FollowTheMoney list ---------------------------------------------


@pytest.fixture
def listed(db):
    return Organisation.objects.create(
        name="Tekhnologii Svyazi LLC", kind="company", country="RU", aliases=["ООО «Технологии связи»"],
        countries=["BY"], weak_aliases=["Svyaz"], topics=["sanction", "export.control"], datasets=["us_trade_csl"],
        ftm_id="fict-co-tekhsvyaz", ftm_schema="Company")


@pytest.fixture
def linked(db):
    return Organisation.objects.create(name="Mirnaya Institute", kind="other", topics=["sanction.linked"],
                                       datasets=["us_trade_csl"], ftm_id="fict-org-mirnaya", ftm_schema="Organization")


def test_an_imported_organisation_shows_its_listing(caseworker, listed):
    body = api(caseworker).get(url(f"organisations/{listed.pk}")).json()

    assert body["topics"] == ["sanction", "export.control"] and body["datasets"] == ["us_trade_csl"]
    assert body["restricted"] is True and body["restriction_linked"] is False
    assert (body["ftm_id"], body["ftm_schema"], body["countries"], body["weak_aliases"]) == (
        "fict-co-tekhsvyaz", "Company", ["BY"], ["Svyaz"])


def test_an_organisation_entered_by_hand_is_not_restricted(caseworker, organisation):
    body = api(caseworker).get(url(f"organisations/{organisation.pk}")).json()

    assert body["restricted"] is False and body["topics"] == [] and body["ftm_id"] == ""


def test_the_list_filters_on_a_sanctions_or_export_restriction_list(caseworker, organisation, listed, linked):
    client = api(caseworker)

    assert ids(client.get(url("organisations"), {"restricted": "true"})) == [str(listed.pk)]
    assert set(ids(client.get(url("organisations"), {"restricted": "false"}))) == {str(organisation.pk), str(linked.pk)}
    assert len(ids(client.get(url("organisations")))) == 3


@pytest.mark.parametrize("field, value", [("topics", ["sanction"]), ("datasets", ["us_trade_csl"]), ("ftm_id", "NK-x"),
                                          ("restricted", True), ("last_seen", "2026-01-01T00:00:00Z")])
def test_a_write_cannot_forge_a_listing(caseworker, organisation, field, value):
    client = api(caseworker)
    created = client.post(url("organisations"), {"name": "X", "kind": "company", field: value}, content_type="application/json")
    patched = client.patch(url(f"organisations/{organisation.pk}"), {field: value}, content_type="application/json")

    for response in (created, patched):
        assert response.status_code == 422 and "read-only" in response.content.decode()
    assert Organisation.objects.count() == 1 and Organisation.objects.get().topics == []


def test_an_imported_organisations_name_aliases_and_country_are_read_only(caseworker, listed):
    client = api(caseworker)
    for change in ({"name": "Someone Else Ltd"}, {"aliases": []}, {"country": "DE"}):
        response = client.patch(url(f"organisations/{listed.pk}"), change, content_type="application/json")
        assert response.status_code == 422 and "importing it again" in response.content.decode()
    listed.refresh_from_db()
    assert (listed.name, listed.aliases, listed.country) == ("Tekhnologii Svyazi LLC", ["ООО «Технологии связи»"], "RU")


def test_an_imported_organisations_kind_and_notes_stay_editable(caseworker, listed):
    response = api(caseworker).patch(url(f"organisations/{listed.pk}"),
                                     {"kind": "security_service", "notes": "supplies the SNB", "name": listed.name},
                                     content_type="application/json")

    assert response.status_code == 200
    listed.refresh_from_db()
    assert (listed.kind, listed.notes, listed.restricted) == ("security_service", "supplies the SNB", True)
    assert AuditEvent.objects.get(action="update").fields == ["kind", "notes"]
