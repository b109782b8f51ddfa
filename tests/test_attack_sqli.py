"""SQL injection: classic payloads in every search and filter of the web UI and the API. Each answer
is a 200 or a 4xx (never a 500), shows nothing of a case the attacker cannot see, and every table
is intact afterwards."""

import pytest
from django.test import Client

from shelter.audit.models import AuditEvent
from shelter.records.models import Case, Incident, LegalProcess, Organisation, Person, PersonName, Source
from tests.apiclient import api, text_of, url

from .conftest import login

pytestmark = pytest.mark.attack("sqli")

PAYLOADS = [
    "' OR 1=1 --",
    "' OR '1'='1",
    "admin'--",
    '"; DROP TABLE records_person; --',
    "'; DELETE FROM audit_auditevent; --",
    "1; SELECT sqlite_version(); --",
    "1) UNION SELECT username, password FROM accounts_user --",
    "%' --",
    "%",
    "_",
    "\\",
    "ʼ OR 1=1 --",  # modifier letter apostrophe
    "’ OR ’1’=’1",  # right single quotation marks
    "＇ OR １=１ --",  # fullwidth forms, which NFKC folds to ASCII
    "\x00",
    "Karimov\x00' OR 1=1 --",
    "-1",
    "99999999999999999999999",
    "1e309",
    "A" * 10_000,
    "' OR 1=1 --" * 500,
]

# What the attacker must never see: the identity data of the victim's case ("Karimov" is also the
# search box's placeholder, so the first names stand for the names), and its records' ids.
IDENTITY = ["Улугбек", "Ulugbek", "Taken from his flat", "2021/12345", "Interview with the brother", "CCF reply due"]


def secrets_of(victim):
    return IDENTITY + [victim["case"].reference] + [str(victim[key].pk) for key in
                                                    ("case", "person", "incident", "process", "source", "evidence")]

UI_FILTERS = [
    ("/search/", "q"),
    ("/incidents/", "origin"), ("/incidents/", "host"), ("/incidents/", "tactic"), ("/incidents/", "year"),
    ("/incidents/", "profile"),
    ("/cases/", "status"),
    ("/processes/", "kind"),
    ("/organisations/", "q"),
    ("/persons/", "page"), ("/cases/", "page"), ("/incidents/", "page"), ("/sources/", "page"),
]
AUDIT_FILTERS = [("/audit/", "action"), ("/audit/", "actor"), ("/audit/", "page")]
API_FILTERS = [
    ("persons", "q"), ("persons", "case"), ("persons", "limit"), ("persons", "offset"),
    ("incidents", "origin"), ("incidents", "host"), ("incidents", "tactic"), ("incidents", "year"),
    ("incidents", "profile"), ("incidents", "case"),
    ("cases", "limit"), ("organisations", "offset"),
    ("legal-processes", "case"), ("sources", "case"), ("evidence", "case"),
]


def table_counts():
    return {model.__name__: model.objects.count()
            for model in (Case, Person, PersonName, Incident, LegalProcess, Source, Organisation, AuditEvent)}


@pytest.fixture
def victim(records):
    Organisation.objects.create(name="SNB", kind="security_service", country="UZ")
    return records


@pytest.fixture
def outsider_case(other_caseworker):
    """The attacker's own case, so that the attacker's searches run over real rows too."""
    from shelter.records.models import CaseAccess

    case = Case.objects.create(title="Outsider's own case")
    CaseAccess.objects.create(case=case, user=other_caseworker)
    person = Person.objects.create(case=case)
    PersonName.objects.create(person=person, value="Zafar Rashidov")
    return case


def assert_intact(before, victim):
    after = table_counts()
    # Reads append to the audit log; nothing else may change.
    assert {k: v for k, v in after.items() if k != "AuditEvent"} == {k: v for k, v in before.items() if k != "AuditEvent"}
    assert after["AuditEvent"] >= before["AuditEvent"]
    assert Person.objects.get(pk=victim["person"].pk).primary_name() == "Улугбек Каримов"


def assert_refused_or_answered(response):
    assert response.status_code < 500, response.status_code
    assert response.status_code in (200, 400, 403, 404, 422), response.status_code


def assert_filter_survives_injection(user, victim, path, param):
    """Every payload in ``param`` of ``path`` is answered or refused, shows none of the victim's
    data, and leaves every table as it was."""
    client = Client(raise_request_exception=False)
    login(client, user)
    before = table_counts()
    for payload in PAYLOADS:
        response = client.get(path, {param: payload})
        assert_refused_or_answered(response)
        body = response.content.decode(errors="replace")
        for secret in secrets_of(victim):
            assert secret not in body, (path, param, payload, secret)
    assert_intact(before, victim)


@pytest.mark.parametrize("path,param", UI_FILTERS)
def test_ui_searches_and_filters_survive_injection(victim, outsider_case, other_caseworker, path, param):
    assert_filter_survives_injection(other_caseworker, victim, path, param)


@pytest.mark.parametrize("path,param", AUDIT_FILTERS)
def test_audit_log_filters_survive_injection(victim, auditor, path, param):
    assert_filter_survives_injection(auditor, victim, path, param)


def test_an_injected_search_finds_nothing_for_the_victims_handler_either(victim, caseworker):
    """The victim's own caseworker gets no extra rows from a payload: the query is data, not SQL."""
    client = Client(raise_request_exception=False)
    login(client, caseworker)
    for payload in PAYLOADS:
        response = client.post("/search/", {"q": payload})
        assert response.status_code == 200
        assert f"/persons/{victim['person'].pk}/".encode() not in response.content, payload


@pytest.mark.parametrize("resource,param", API_FILTERS)
def test_api_searches_and_filters_survive_injection(victim, outsider_case, other_caseworker, resource, param):
    client = api(other_caseworker, raise_request_exception=False)
    before = table_counts()
    for payload in PAYLOADS:
        response = client.get(url(resource), {param: payload})
        assert_refused_or_answered(response)
        text = text_of(response)
        for secret in secrets_of(victim):
            assert secret not in text, (resource, param, payload, secret)
    assert_intact(before, victim)


def test_an_injected_case_filter_is_refused_with_a_reason(victim, other_caseworker):
    response = api(other_caseworker).get(url("persons"), {"case": f"{victim['case'].pk}' OR 1=1 --"})
    assert response.status_code == 422
    assert "case" in response.content.decode()


def test_the_victims_case_id_as_a_filter_gives_an_outsider_nothing(victim, other_caseworker):
    for resource in ("persons", "incidents", "legal-processes", "sources", "evidence"):
        response = api(other_caseworker).get(url(resource), {"case": str(victim["case"].pk)})
        assert response.status_code == 200
        assert response.json()["items"] == [], resource
