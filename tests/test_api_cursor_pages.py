"""The API's lists of incidents and persons page by cursor too: ``next`` on a full page, ``after`` for
the page that follows, from an index (an offset deep into a million rows reads and skips them all).
Every record comes once, in the list's order, and only records the caller may see."""

import pytest

from shelter.records.models import Case, Incident, Person

from .apiclient import api, url


@pytest.fixture
def seven_incidents(case):
    # Equal dates: the creation time and the id must break the ties.
    return [Incident.objects.create(case=case, title=f"Incident {n}", date="2021" if n % 2 else "2021-05",
                                    origin_state="UZ", host_state="TR") for n in range(7)]


def walk(client, resource, **params):
    seen, after = [], None
    for _ in range(20):
        body = client.get(url(resource), {**params, **({"after": after} if after else {})}).json()
        seen += [item["id"] for item in body["items"]]
        after = body["next"]
        if after is None:
            return seen
    raise AssertionError("the cursor never ended")


def test_cursor_pages_give_every_incident_once_in_the_list_order(caseworker, seven_incidents):
    client = api(caseworker)
    by_offset = [i["id"] for i in client.get(url("incidents"), {"limit": 50}).json()["items"]]
    assert walk(client, "incidents", limit=3) == by_offset and len(by_offset) == 7


@pytest.mark.attack("idor")
def test_cursor_pages_keep_to_the_filters_and_the_callers_cases(caseworker, seven_incidents):
    hidden = Case.objects.create(title="Not the caseworker's")
    Incident.objects.create(case=hidden, title="Hidden", date="2021", origin_state="UZ", host_state="TR")
    Incident.objects.create(case=seven_incidents[0].case, title="Elsewhere", date="2021", origin_state="TJ", host_state="TR")
    ids = walk(api(caseworker), "incidents", limit=2, origin="UZ")
    assert sorted(ids) == sorted(str(i.pk) for i in seven_incidents)


def test_cursor_pages_of_persons(caseworker, case):
    for n in range(5):
        Person.objects.create(case=case)
    client = api(caseworker)
    assert walk(client, "persons", limit=2) == [p["id"] for p in client.get(url("persons"), {"limit": 50}).json()["items"]]


def test_the_last_page_has_no_cursor(caseworker, seven_incidents):
    assert api(caseworker).get(url("incidents"), {"limit": 7}).json()["next"] is None


@pytest.mark.parametrize("after", ["not-a-cursor", "W10", "WyIyMDIxIiwgIngiLCAieSJd", "e30", "%%%"])
def test_a_forged_cursor_is_refused_with_the_reason(caseworker, seven_incidents, after):
    response = api(caseworker).get(url("incidents"), {"after": after})
    assert response.status_code == 400 and "cursor" in response.json()["detail"]


def test_after_and_offset_together_are_refused(caseworker, seven_incidents):
    client = api(caseworker)
    after = client.get(url("incidents"), {"limit": 2}).json()["next"]
    response = client.get(url("incidents"), {"after": after, "offset": 2})
    assert response.status_code == 400 and "offset" in response.json()["detail"]
