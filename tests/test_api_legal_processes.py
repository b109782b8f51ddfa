import uuid

import pytest

from shelter.audit.models import AuditEvent
from shelter.records.models import Case, CaseAccess, LegalProcess, Organisation, Person, Source
from tests.apiclient import api, shows_identity, text_of, url


@pytest.fixture
def process_data(person):
    court = Organisation.objects.create(name="Istanbul court", kind="court", country="TR")
    source = Source.objects.create(case=person.case, kind="court_document")
    return {
        "person_id": str(person.pk),
        "kind": "extradition",
        "requesting_state": "uz",
        "deciding_state": "TR",
        "deciding_body_id": str(court.pk),
        "reference": "2019/123 Karimov <b>",
        "opened_on": "2019-04",
        "decided_on": "",
        "deadline": "2026-12-01",
        "hearing_on": "2026-10-15",
        "status": "active",
        "outcome": "Hearing of Karimov postponed\n</script>",
        "source_ids": [str(source.pk)],
    }


@pytest.fixture
def process(caseworker, process_data):
    response = create(caseworker, process_data)
    assert response.status_code == 201, response.content
    return LegalProcess.objects.get(pk=response.json()["id"])


def create(user, data):
    return api(user).post(url("legal-processes"), data, content_type="application/json")


@pytest.mark.attack("xss")
def test_caseworker_sees_the_process_and_every_free_text_round_trips(caseworker, process, process_data, person):
    body = api(caseworker).get(url(f"legal-processes/{process.pk}")).json()
    assert body["case_id"] == str(person.case_id)
    assert {k: body[k] for k in process_data} == process_data | {"requesting_state": "UZ"}


def test_it_hides_identity_from_researchers(researcher, process):
    response = api(researcher).get(url(f"legal-processes/{process.pk}"))
    assert response.status_code == 200
    assert response.json()["reference"] is None and response.json()["outcome"] is None
    assert response.json()["kind"] == "extradition"
    assert not shows_identity(response)
    assert not shows_identity(api(researcher).get(url("legal-processes")))


def test_researchers_may_not_write(researcher, process, process_data):
    assert create(researcher, process_data).status_code == 403
    response = api(researcher).patch(url(f"legal-processes/{process.pk}"), {"status": "closed"}, content_type="application/json")
    assert response.status_code == 403


@pytest.mark.attack("idor")
def test_outsider_gets_404_and_an_empty_list(other_caseworker, process, process_data):
    client = api(other_caseworker)
    hidden = client.get(url(f"legal-processes/{process.pk}"))
    assert hidden.status_code == 404
    assert hidden.content == client.get(url(f"legal-processes/{uuid.uuid4()}")).content
    assert client.patch(url(f"legal-processes/{process.pk}"), {"status": "closed"}, content_type="application/json").status_code == 404
    assert client.get(url("legal-processes")).json()["count"] == 0
    assert create(other_caseworker, process_data).status_code == 404
    assert "Karimov" not in text_of(hidden)


def test_an_update_audits_the_changed_fields(caseworker, process):
    response = api(caseworker).patch(
        url(f"legal-processes/{process.pk}"), {"status": "refused", "decided_on": "2020-01-31", "kind": "extradition"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["decided_on"] == "2020-01-31"
    assert AuditEvent.objects.get(action="update", object_id=str(process.pk)).fields == ["decided_on", "status"]


def test_a_deadline_may_be_cleared_with_null(caseworker, process):
    response = api(caseworker).patch(url(f"legal-processes/{process.pk}"), {"deadline": None}, content_type="application/json")
    assert response.status_code == 200
    assert LegalProcess.objects.get(pk=process.pk).deadline is None


def test_the_next_hearing_is_set_and_cleared(caseworker, process):
    client = api(caseworker)
    response = client.patch(url(f"legal-processes/{process.pk}"), {"hearing_on": "2027-01-20"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["hearing_on"] == "2027-01-20"
    assert AuditEvent.objects.get(action="update", object_id=str(process.pk)).fields == ["hearing_on"]
    response = client.patch(url(f"legal-processes/{process.pk}"), {"hearing_on": None}, content_type="application/json")
    assert response.json()["hearing_on"] is None
    assert LegalProcess.objects.get(pk=process.pk).hearing_on is None


def test_a_ccf_request_filed_on_a_known_day_gets_the_ccfs_time_limit(caseworker, process_data):
    body = process_data | {"kind": "ccf_access", "opened_on": "2026-03-10", "deadline": None, "hearing_on": None}
    response = create(caseworker, body)
    assert response.status_code == 201
    assert response.json()["deadline"] == "2026-07-10"
    given = create(caseworker, body | {"deadline": "2026-06-01"})
    assert given.json()["deadline"] == "2026-06-01"  # a deadline the caseworker knows wins


@pytest.mark.parametrize(
    "change",
    [
        {"opened_on": "2019-00"}, {"requesting_state": "USSR"}, {"kind": "duel"}, {"deciding_body_id": str(uuid.uuid4())},
        {"hearing_on": "2026-02-30"}, {"hearing_on": "next week"},
    ],
)
def test_it_refuses_invalid_values(caseworker, process_data, change):
    assert create(caseworker, process_data | change).status_code == 422


@pytest.mark.attack("idor")
def test_it_refuses_a_source_of_another_case(caseworker, process_data):
    other = Case.objects.create(title="Other")
    CaseAccess.objects.create(case=other, user=caseworker)
    process_data["source_ids"] = [str(Source.objects.create(case=other, kind="other").pk)]
    assert create(caseworker, process_data).status_code == 422


@pytest.mark.attack("crypto-erasure")
def test_it_refuses_writes_to_an_erased_case(caseworker, case, process, process_data):
    case.erase()
    assert create(caseworker, process_data).status_code == 400
    assert api(caseworker).patch(url(f"legal-processes/{process.pk}"), {"status": "closed"}, content_type="application/json").status_code == 400
    assert Person.objects.filter(pk=process.person_id).exists()
