"""Screening against the registry (``registry.screen``): candidates through the keyed index, only in
cases the user can see, scored by the matcher, best first."""

import pytest
from django.core.exceptions import PermissionDenied

from shelter.matching import person as matching
from shelter.matching.score import THRESHOLD
from shelter.records import sealing
from shelter.records.models import BlockingKey, Case, CaseAccess, IdentityDocument, Person, PersonName
from shelter.screening import registry


def recorded(case, *names, **fields) -> Person:
    person = Person.objects.create(case=case, **fields)
    for n, value in enumerate(names):
        PersonName.objects.create(person=person, value=value, kind="primary" if n == 0 else "alias")
    return person


def screen(user, name, *aliases, **facts):
    return registry.screen(user, matching.make(name, aliases, **facts))


def persons(alerts) -> list:
    return [alert.person for alert in alerts]


@pytest.fixture
def cyrillic_only(case):
    """Recorded in Cyrillic only: a Latin query must reach him through the keys alone."""
    return recorded(case, "Ҳошимов Рустам", birth_date="1985-03-12", nationalities=["TJ"], gender="male")


@pytest.fixture
def elsewhere(other_caseworker):
    """A case `caseworker` is not on, with a person of the same name as `person`."""
    case = Case.objects.create(title="Another family")
    CaseAccess.objects.create(case=case, user=other_caseworker)
    return recorded(case, "Ulugbek Karimov", birth_date="1979-08", nationalities=["UZ"], gender="male")


# --- finding ------------------------------------------------------------------------------------


def test_it_finds_a_registered_person_written_in_another_script(caseworker, cyrillic_only):
    alerts = screen(caseworker, "Rustam Khoshimov")
    assert persons(alerts) == [cyrillic_only]
    assert alerts[0].result.score >= THRESHOLD
    assert alerts[0].result.match


def test_it_finds_a_person_through_any_of_the_query_names(caseworker, cyrillic_only):
    assert persons(screen(caseworker, "Someone Unrelated", "Rustam Hoshimov")) == [cyrillic_only]


def test_the_explanation_says_which_facts_agreed(caseworker, person):
    alerts = screen(caseworker, "Ulugbek Karimov", birth_date="1979-08-14", nationality="uz", gender="male")
    features = {f["feature"]: f for f in alerts[0].result.explanation()}
    assert set(features) >= {"name", "birth_date", "nationality"}
    assert features["birth_date"]["contribution"] > 0
    assert features["nationality"]["contribution"] > 0


def test_contradicting_facts_lower_the_score(caseworker, person):
    agreeing = screen(caseworker, "Ulugbek Karimov", birth_date="1979-08")[0].result.score
    contradicting = screen(caseworker, "Ulugbek Karimov", birth_date="1950")
    assert not contradicting or contradicting[0].result.score < agreeing


def test_a_name_unknown_to_the_registry_gets_no_alert(caseworker, person):
    assert screen(caseworker, "Zarina Rahmonova") == []


def test_alerts_come_best_first_and_never_below_the_threshold(caseworker, case, person):
    close = recorded(case, "Ulugbek Karimov", birth_date="1950", gender="female")
    alerts = screen(caseworker, "Ulugbek Karimov", birth_date="1979-08", gender="male")
    scores = [alert.result.score for alert in alerts]
    assert scores == sorted(scores, reverse=True)
    assert all(score >= THRESHOLD for score in scores)
    assert persons(alerts)[0] == person
    assert close not in persons(alerts)[:1]


def test_the_candidates_are_the_persons_sharing_the_most_keys(caseworker, case, person):
    recorded(case, "Karimov Bakhtiyor")
    assert persons(registry.screen(caseworker, matching.make("Ulugbek Karimov"), limit=1)) == [person]


def test_a_person_recorded_under_several_names_is_one_alert(caseworker, person):
    assert persons(screen(caseworker, "Ulugbek Karimov", "Улугбек Каримов")) == [person]


def test_a_dual_national_is_compared_as_a_national_of_each(caseworker, case):
    dual = recorded(case, "Rustam Nazarov", nationalities=["RU", "TJ"])
    features = {f["feature"]: f for f in screen(caseworker, "Rustam Nazarov", nationality="tj")[0].result.explanation()}
    assert persons(screen(caseworker, "Rustam Nazarov", nationality="tj")) == [dual]
    assert features["nationality"]["contribution"] > 0


def test_documents_count_when_the_query_has_some(caseworker, person):
    IdentityDocument.objects.create(person=person, kind="passport", number="AA 123-4567")
    plain = registry.screen(caseworker, matching.make("Ulugbek Karimov"))[0].result.score
    with_document = registry.screen(caseworker, matching.make("Ulugbek Karimov", documents=["aa1234567"]))[0]
    assert with_document.result.score > plain or with_document.result.score == 1.0
    assert "documents" in {f["feature"] for f in with_document.result.explanation()}


def test_a_flood_of_query_keys_is_screened_in_chunks_with_the_same_result(caseworker, person, monkeypatch):
    query = matching.make("Ulugbek Karimov", ["Ulugbek Karimov Rustamovich", "Karimov Ulugbek Rustam ogli"])
    whole = [(a.person, a.result.score) for a in registry.screen(caseworker, query)]
    monkeypatch.setattr(registry, "QUERY_CHUNK", 7)
    assert [(a.person, a.result.score) for a in registry.screen(caseworker, query)] == whole != []


def test_a_recorded_name_the_matcher_refuses_does_not_hide_the_person(caseworker, person):
    PersonName.objects.create(person=person, value="K", kind="alias")
    assert persons(screen(caseworker, "Ulugbek Karimov")) == [person]


def test_decrypted_names_are_noted_for_the_read_audit(caseworker, person):
    with sealing.scope(reveal=True) as scope:
        screen(caseworker, "Ulugbek Karimov")
    read = {(kind, record_id) for kind, record_id in scope.reads}
    assert {("personname", str(name.pk)) for name in person.names.all()} <= read
    assert ("person", str(person.pk)) in read


# --- who may screen what -------------------------------------------------------------------------


@pytest.mark.attack("idor")
def test_it_never_returns_persons_of_cases_the_user_cannot_see(caseworker, other_caseworker, person, elsewhere):
    assert persons(screen(caseworker, "Ulugbek Karimov")) == [person]
    assert persons(screen(other_caseworker, "Ulugbek Karimov")) == [elsewhere]


@pytest.mark.attack("idor")
def test_a_user_on_no_case_finds_nobody(make_user, person):
    assert screen(make_user("caseworker", "newcomer"), "Ulugbek Karimov") == []


def test_a_coordinator_screens_every_case(coordinator, person, elsewhere):
    assert set(persons(screen(coordinator, "Ulugbek Karimov"))) == {person, elsewhere}


@pytest.mark.attack("insider")
@pytest.mark.parametrize("role", ["researcher", "auditor"])
def test_researchers_cannot_screen(make_user, case, person, role):
    user = make_user(role, f"a-{role}")
    CaseAccess.objects.create(case=case, user=user)
    with pytest.raises(PermissionDenied):
        screen(user, "Ulugbek Karimov")


@pytest.mark.attack("insider")
def test_a_deactivated_user_cannot_screen(caseworker, person):
    caseworker.is_active = False
    with pytest.raises(PermissionDenied):
        screen(caseworker, "Ulugbek Karimov")


@pytest.mark.attack("crypto-erasure")
def test_erased_cases_are_never_candidates(caseworker, person):
    # Even with its index rows left behind (a crash between the two statements of an erasure).
    Case.objects.filter(pk=person.case_id).update(wrapped_key=None)
    assert BlockingKey.objects.filter(case=person.case_id).exists()
    assert screen(caseworker, "Ulugbek Karimov") == []


@pytest.mark.attack("idor")
def test_index_rows_pointing_into_a_visible_case_cannot_pull_in_a_hidden_person(caseworker, person, elsewhere):
    # A forged or corrupted row: the person is checked again, not only the row.
    BlockingKey.objects.filter(person=elsewhere).update(case=person.case)
    assert persons(screen(caseworker, "Ulugbek Karimov")) == [person]


@pytest.mark.attack("denial-of-service")
def test_a_person_recorded_with_more_names_than_the_bound_is_scored_by_its_first_ones(case):
    # Recorded before the bound (or written around the forms): it must not make every screening slower.
    person = Person.objects.create(case=case)
    PersonName.objects.create(person=person, value="Ulugbek Karimov")
    for letter in "ABCDEFGH":
        PersonName.objects.create(person=person, value=f"Karimov {letter}li", kind="alias")
    with sealing.scope(reveal=True):
        names = registry.recorded_names(Person.objects.get(pk=person.pk))
    assert len(names) == matching.MAX_NAMES
    assert names[0].text == "Ulugbek Karimov"
