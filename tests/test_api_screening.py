"""POST /api/v1/screen: a person described by a notice or a request, screened against the persons
of the cases the token's user can see."""

import json
import uuid

import pytest

from shelter.audit.models import AuditEvent
from shelter.matching.score import THRESHOLD
from shelter.records import name_index
from shelter.records.models import Person, PersonName
from tests.apiclient import api, shows_identity, text_of, url
from tests.test_attack_logs import every_log_line  # noqa: F401 (a fixture)
from tests.test_attack_sqli import PAYLOADS

QUERY = {"name": "Ulugbek Karimov", "birth_date": "1979-08", "nationality": "UZ", "gender": "male"}


def post(user, body, **client_options):
    return api(user, **client_options).post(url("screen"), body, content_type="application/json")


@pytest.fixture
def cyrillic_only(case):
    person = Person.objects.create(case=case, birth_date="1985-03-12", nationalities=["TJ"])
    PersonName.objects.create(person=person, value="Ҳошимов Рустам")
    return person


def test_it_finds_a_registered_person_written_in_another_script(caseworker, cyrillic_only):
    response = post(caseworker, {"name": "Rustam Khoshimov", "birth_date": "1985-03-12"})
    assert response.status_code == 200
    body = response.json()
    assert body["threshold"] == THRESHOLD
    [alert] = body["alerts"]
    assert alert["person"] == str(cyrillic_only.pk)
    assert alert["case"] == cyrillic_only.case.reference
    assert alert["score"] >= THRESHOLD


def test_an_alert_explains_its_score(caseworker, person):
    response = post(caseworker, QUERY)
    [alert] = response.json()["alerts"]
    features = {f["feature"]: f for f in alert["explanation"]}
    assert set(features) >= {"name", "birth_date", "nationality"}
    assert features["name"]["parts"]
    assert response["Cache-Control"] == "no-store"  # it names people: no browser or proxy keeps it


def test_aliases_are_screened_too(caseworker, person):
    response = post(caseworker, {"name": "Someone Unrelated", "aliases": ["Улугбек Каримов"]})
    assert [a["person"] for a in response.json()["alerts"]] == [str(person.pk)]


def test_nobody_matching_is_an_empty_list(caseworker, person):
    response = post(caseworker, {"name": "Zarina Rahmonova"})
    assert response.status_code == 200
    assert response.json()["alerts"] == []


@pytest.mark.attack("idor")
def test_it_never_returns_persons_of_cases_the_user_cannot_see(caseworker, other_caseworker, person, elsewhere):
    mine = post(caseworker, QUERY).json()["alerts"]
    theirs = post(other_caseworker, QUERY).json()["alerts"]
    assert [a["person"] for a in mine] == [str(person.pk)]
    assert [a["person"] for a in theirs] == [str(elsewhere.pk)]
    assert person.case.reference not in json.dumps(theirs)


def test_a_coordinator_screens_every_case(coordinator, person, elsewhere):
    alerts = post(coordinator, QUERY).json()["alerts"]
    assert {a["person"] for a in alerts} == {str(person.pk), str(elsewhere.pk)}


@pytest.mark.attack("insider")
@pytest.mark.parametrize("role", ["researcher", "auditor"])
def test_researchers_cannot_screen(request, person, role):
    response = post(request.getfixturevalue(role), QUERY)
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not shows_identity(response)
    assert str(person.pk) not in text_of(response)
    assert not AuditEvent.objects.filter(object_type="screening").exists()


def test_it_needs_a_token(person):
    from django.test import Client

    response = Client().post(url("screen"), QUERY, content_type="application/json")
    assert response.status_code == 401
    assert not shows_identity(response)


@pytest.mark.parametrize(
    "body",
    [
        {"name": "K"},
        {"name": "Ulugbek Каримов"},
        {"name": "   "},
        {"name": "12345"},
        {"name": "Ulugbek Karimov", "aliases": ["Dr"]},
        {"name": "Ulugbek Karimov", "aliases": [""]},
        {"name": "Ulugbek Karimov", "birth_date": "31.02.1979"},
        {"name": "Ulugbek Karimov", "nationality": "ZZ"},
        {"name": "Ulugbek Karimov", "gender": "unknown-value"},
        {"name": "Ulugbek Karimov", "aliases": ["Ulugbek Karimov"] * 21},
        {"name": "Ulugbek " * 50},
        {"aliases": ["Ulugbek Karimov"]},
        {"name": ["Ulugbek Karimov"]},
    ],
)
def test_bad_input_gets_a_reason(caseworker, person, body):
    response = post(caseworker, body)
    assert response.status_code == 422
    assert response.json()["detail"]
    assert not AuditEvent.objects.filter(object_type="screening").exists()


def test_the_reason_says_which_name_and_never_quotes_it(caseworker, person):
    response = post(caseworker, {"name": "Ulugbek Karimov", "aliases": ["Rustam", "Zarina Раҳмонова"]})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith("aliases[1]:") and "mixes scripts" in detail
    for fragment in ("Zarina", "Раҳмонова", "Ulugbek", "Karimov"):
        assert fragment not in text_of(response)


def test_validation_errors_do_not_echo_the_values(caseworker, person):
    response = post(caseworker, {"name": "Ulugbek Karimov", "birth_date": "Karimov 1979-08-40", "gender": "Ulugbek"})
    assert response.status_code == 422
    assert not shows_identity(response)


@pytest.mark.attack("logs")
def test_the_screening_is_audited_without_the_queried_name(caseworker, person):
    assert post(caseworker, QUERY | {"aliases": ["Улугбек Каримов"]}).status_code == 200
    [event] = AuditEvent.objects.filter(object_type="screening")
    assert event.action == "read_identity"
    assert event.actor == caseworker
    assert event.fields == ["aliases", "birth_date", "gender", "name", "nationality"]
    assert event.detail == {"alerts": 1, "aliases": 1}
    # The candidate's names were decrypted: that read is audited as every read is.
    read = AuditEvent.objects.filter(action="read_identity").exclude(object_type="screening").get()
    assert str(person.names.first().pk) in json.dumps(read.detail)
    for event in AuditEvent.objects.all():
        text = json.dumps([event.detail, event.fields, event.object_id], ensure_ascii=False)
        for name in ("Karimov", "Каримов", "Ulugbek", "Улугбек", "1979"):
            assert name not in text


@pytest.mark.attack("logs")
def test_no_log_line_carries_the_queried_name(every_log_line, caseworker, person):  # noqa: F811
    secret = {"name": "Zhyldyzkan Quorbelieva", "aliases": ["Жылдызкан Корбелиева", "Q"], "birth_date": "1988-02-29"}
    client = api(caseworker, raise_request_exception=False)
    assert client.post(url("screen"), secret, content_type="application/json").status_code == 422
    secret["aliases"] = secret["aliases"][:1]
    assert client.post(url("screen"), secret, content_type="application/json").status_code == 200
    lines = every_log_line()
    assert any("SELECT" in line for line in lines)
    for line in lines:
        for fragment in ("Zhyldyzkan", "Quorbelieva", "Жылдызкан", "Корбелиева"):
            assert fragment.lower() not in line.lower(), line[:500]


@pytest.mark.attack("sqli")
@pytest.mark.parametrize("payload", PAYLOADS)
def test_injection_in_a_name_is_only_a_name(other_caseworker, person, payload):
    counts = (Person.objects.count(), PersonName.objects.count(), AuditEvent.objects.count())
    client = api(other_caseworker, raise_request_exception=False)
    for body in ({"name": payload}, {"name": "Ulugbek Karimov", "aliases": [payload]}, {"name": "Karimov " + payload}):
        response = client.post(url("screen"), body, content_type="application/json")
        assert response.status_code in (200, 422), response.status_code
        assert not shows_identity(response) or "Karimov" in payload
        if response.status_code == 200:
            assert response.json()["alerts"] == []
    assert (Person.objects.count(), PersonName.objects.count()) == counts[:2]
    assert AuditEvent.objects.count() >= counts[2]


@pytest.mark.attack("crypto-erasure")
def test_an_erased_case_is_never_screened(caseworker, person):
    person.case.erase()
    response = post(caseworker, QUERY)
    assert response.status_code == 200
    assert response.json()["alerts"] == []


def test_a_get_is_not_a_screening(caseworker, person):
    response = api(caseworker).get(url("screen"), {"name": "Ulugbek Karimov"})
    assert response.status_code == 405


def test_an_unknown_field_changes_nothing(caseworker, person):
    response = post(caseworker, QUERY | {"case": str(uuid.uuid4()), "limit": 100000})
    assert response.status_code == 200
    assert len(response.json()["alerts"]) == 1


# Generous, as SECURITY.md states it: measured at 1.7–2.4 s on a 2-core machine under a load of 5
# (other test runs), where the same attack with the bounds before (21 names of 20 parts) took 19 s.
WORST_CASE_SECONDS = 4.0


@pytest.mark.attack("denial-of-service")
def test_a_worst_case_screening_finishes_within_the_stated_time(caseworker, case):
    import random
    import time

    from shelter import matching
    from shelter.exchange import person_lines
    from shelter.matching import MAX_ALIASES, MAX_CANDIDATES, MAX_NAMES, MAX_PARTS
    from shelter.ops.person_import import import_persons
    from shelter.screening import registry

    from .worst_names import worst_name, worst_names

    names = worst_names(seed=3)
    # As many candidates as are scored, each with as many names of as many parts as a person may
    # have, all different (no cache helps) and all sharing the query's first two parts (each is a candidate).
    rng = random.Random(4)
    shared = " ".join(names[0].split()[:2])
    lines = []
    for number in range(MAX_CANDIDATES):
        own = [f"{shared} {worst_name(rng, MAX_PARTS - 2)}"[: matching.MAX_NAME_LENGTH] for _ in range(MAX_NAMES)]
        lines.append(json.dumps({"id": f"w-{number}", "name": own[0], "aliases": own[1:]}))
    import_persons(case, list(person_lines.read(lines)))
    assert len(names) == 1 + MAX_ALIASES and all(len(name.split()) == MAX_PARTS for name in names)
    query = matching.make(names[0], names[1:])
    assert len(registry.candidate_ids(registry.screenable_cases(caseworker), name_index.query_blocking_digests(query),
                                      MAX_CANDIDATES)) == MAX_CANDIDATES  # every one of them will be scored
    assert post(caseworker, {"name": "Ulugbek Karimov"}).status_code == 200  # a running server has its code loaded
    matching.clear_caches()
    started = time.perf_counter()
    response = post(caseworker, {"name": names[0], "aliases": names[1:]})
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert elapsed < WORST_CASE_SECONDS, f"{elapsed:.2f} s"


@pytest.mark.attack("denial-of-service")
def test_too_many_aliases_or_parts_are_refused_with_the_reason(caseworker, person):
    from shelter.matching import MAX_ALIASES, MAX_PARTS

    response = post(caseworker, {"name": "Ulugbek Karimov", "aliases": ["Karimov Ulugbek"] * (MAX_ALIASES + 1)})
    assert response.status_code == 422
    assert "aliases" in response.content.decode()
    response = post(caseworker, {"name": "Ulugbek Karimov", "aliases": [" ".join(["Karimov"] * (MAX_PARTS + 1))]})
    assert response.status_code == 422
    assert f"aliases[0]: name has more than {MAX_PARTS} parts" in response.content.decode()
