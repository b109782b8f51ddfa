from collections import Counter
from urllib.parse import parse_qs, urlsplit

from shelter.records.models import Case, CaseAccess, Incident, Term

from .conftest import login


def incident_form(case_sources=(), person=None, **overrides):
    data = {
        "submission_id": "i1", "title": "Detention at the airport", "date": "2021-03", "origin_state": "UZ",
        "host_state": "TR", "place": "Istanbul", "tactics": [str(Term.objects.get(thesaurus="tactics", code="detention").pk)],
        "accusation": "terrorism_extremism", "people_targeted": "1", "outcome": "released", "host_complicity": "active",
        "narrative": "Held for two days", "sources": [str(s.pk) for s in case_sources],
        "acts-TOTAL_FORMS": "1", "acts-INITIAL_FORMS": "0", "acts-MIN_NUM_FORMS": "0", "acts-MAX_NUM_FORMS": "1000",
        "acts-0-person": str(person.pk) if person else "", "acts-0-role": "victim", "acts-0-proxy_for": "",
        "acts-0-sources": [str(s.pk) for s in case_sources],
        "involvements-TOTAL_FORMS": "1", "involvements-INITIAL_FORMS": "0", "involvements-MIN_NUM_FORMS": "0",
        "involvements-MAX_NUM_FORMS": "1000", "involvements-0-actor_kind": "informant", "involvements-0-organisation": "",
        "involvements-0-actor": "", "involvements-0-new_actor_name": "A neighbour called Bobur", "involvements-0-role": "",
    }
    data.update(overrides)
    return data


def test_a_caseworker_records_an_incident_citing_a_source(client, caseworker, records):
    login(client, caseworker)
    case, person, source = records["case"], records["person"], records["source"]
    response = client.post(f"/cases/{case.pk}/incidents/new/", incident_form([source], person))
    incident = Incident.objects.exclude(pk=records["incident"].pk).get()
    assert response["Location"] == f"/incidents/{incident.pk}/"
    assert incident.origin_state == "UZ" and incident.host_state == "TR"
    assert list(incident.sources.all()) == [source]
    assert incident.acts.get().person == person
    assert list(incident.acts.get().sources.all()) == [source]
    involvement = incident.involvements.get()
    assert involvement.actor.primary_name() == "A neighbour called Bobur" and involvement.actor.case == case
    assert involvement.actor_name == ""


def test_it_refuses_a_person_from_another_case(client, caseworker, records, other_caseworker):
    from shelter.records.models import Case, Person

    foreign = Person.objects.create(case=Case.objects.create(title="Other"))
    login(client, caseworker)
    response = client.post(f"/cases/{records['case'].pk}/incidents/new/", incident_form(person=foreign))
    assert response.status_code == 200
    assert Incident.objects.count() == 1


def test_it_refuses_an_unknown_country_and_a_bad_date(client, caseworker, records):
    login(client, caseworker)
    response = client.post(f"/cases/{records['case'].pk}/incidents/new/", incident_form(origin_state="ZZ", date="2021-00"))
    assert response.status_code == 200
    assert b"month 0 does not exist" in response.content
    assert Incident.objects.count() == 1


def test_the_list_filters_by_origin_host_tactic_year_and_profile(client, caseworker, records):
    records["person"].profiles.set(Term.objects.filter(thesaurus="profiles", code="opposition"))
    login(client, caseworker)
    url = f"/incidents/{records['incident'].pk}/".encode()
    for query, found in [
        ({"origin": "UZ"}, True), ({"origin": "TJ"}, False), ({"host": "TR"}, True), ({"host": "DE"}, False),
        ({"tactic": "detention"}, True), ({"tactic": "assassination"}, False), ({"year": "2021"}, True),
        ({"year": "2020"}, False), ({"profile": "opposition"}, True), ({"profile": "journalist"}, False),
    ]:
        assert (url in client.get("/incidents/", query).content) is found, query


def test_the_incident_page_keeps_origin_and_host_state_apart(client, caseworker, records):
    login(client, caseworker)
    page = client.get(f"/incidents/{records['incident'].pk}/").content.decode()
    origin = page.index("Perpetrating (origin) state")
    host = page.index("Host state (where it happened)")
    assert origin < page.index("Uzbekistan") < host < page.index("Türkiye", host)


def test_an_invalid_filter_value_is_ignored_with_a_message(client, caseworker, records):
    login(client, caseworker)
    response = client.get("/incidents/", {"year": "not-a-year"})
    assert response.status_code == 200
    assert b"errorlist" in response.content or b"error" in response.content


def test_the_tactics_chart_narrows_the_current_selection(client, caseworker, records):
    login(client, caseworker)
    page = client.get("/incidents/", {"origin": "UZ", "page": "1"}).content.decode()
    assert 'href="/incidents/?origin=UZ&amp;tactic=detention"' in page


def test_an_incident_without_a_title_shows_the_same_generated_title_everywhere(client, caseworker, records):
    incident = records["incident"]
    incident.title = ""
    incident.save()
    login(client, caseworker)
    label = str(Incident.objects.get(pk=incident.pk))
    assert label == Incident.objects.get(pk=incident.pk).label()
    for path in ("/incidents/", f"/cases/{incident.case.pk}/", f"/incidents/{incident.pk}/", "/"):
        page = client.get(path).content.decode()
        assert "Untitled" not in page, path
        assert label in page, path


def test_a_named_officer_without_a_name_is_refused_with_a_reason(client, caseworker, records):
    login(client, caseworker)
    case = records["case"]
    data = incident_form(**{"involvements-0-actor_kind": "officer", "involvements-0-new_actor_name": ""})
    response = client.post(f"/cases/{case.pk}/incidents/new/", data)
    assert response.status_code == 200
    assert b"A named officer needs a name" in response.content
    assert Incident.objects.count() == 1


def test_a_researcher_sees_hidden_only_where_a_name_belongs(client, researcher, records):
    from shelter.records.models import ActorKind, Involvement, Organisation

    incident = records["incident"]
    agency = Organisation.objects.create(name="SNB", kind="security_service", country="UZ")
    Involvement.objects.create(incident=incident, actor_kind=ActorKind.AGENCY, organisation=agency)
    Involvement.objects.create(incident=incident, actor_kind=ActorKind.UNKNOWN)
    Involvement.objects.create(incident=incident, actor_kind=ActorKind.OFFICER, actor_name="Major Tursunov")
    login(client, researcher)
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    # The officer's name is hidden; an agency or an unknown actor never had a name to hide.
    assert "<li>State agency: " in page and "<li>Unknown</li>" in page
    assert page.count(" · [hidden]") == 1
    assert "Major Tursunov" not in page


def test_the_tactics_chart_counts_only_the_listed_incidents_the_user_sees(client, caseworker, other_caseworker, records):
    hidden = Case.objects.create(title="Another family")
    CaseAccess.objects.create(case=hidden, user=other_caseworker)
    tactics = {code: Term.objects.get(thesaurus="tactics", code=code) for code in ("detention", "assault", "abduction")}
    for case, origin, codes in [
        (records["case"], "UZ", ["detention", "assault"]), (records["case"], "UZ", ["assault"]),
        (records["case"], "TJ", ["abduction"]), (records["case"], "UZ", []),
        (hidden, "UZ", ["abduction", "assault"]), (hidden, "UZ", ["abduction"]), (hidden, "TJ", ["detention"]),
    ]:
        Incident.objects.create(case=case, date="2022", origin_state=origin, host_state="TR").tactics.set(
            [tactics[c] for c in codes]
        )
    login(client, caseworker)
    for query in ({}, {"origin": "UZ"}):
        selected = Incident.objects.filter(origin_state=query["origin"]) if query else Incident.objects.all()
        listed = selected.visible_to(caseworker)
        assert 0 < listed.count() < selected.count()
        context = client.get("/incidents/", query).context
        expected = Counter(t.code for incident in listed for t in incident.tactics.all())
        bars = {parse_qs(urlsplit(bar["url"]).query)["tactic"][0]: bar["count"] for bar in context["tactic_chart"]["bars"]}
        assert bars == dict(expected), query
        assert context["total"] == listed.count() == len(context["page"].object_list), query


def test_an_incident_found_through_several_victims_or_tactics_is_listed_once(client, caseworker, records):
    from shelter.records.models import Person

    incident, opposition = records["incident"], Term.objects.filter(thesaurus="profiles", code="opposition")
    records["person"].profiles.set(opposition)
    relative = Person.objects.create(case=records["case"])
    relative.profiles.set(opposition)
    incident.acts.create(person=relative, role="proxy_victim")
    assert list(Incident.objects.filter_by(profile="opposition", tactic="detention")) == [incident]
    context = login(client, caseworker).get("/incidents/", {"profile": "opposition"}).context
    assert context["total"] == 1 and list(context["page"].object_list) == [incident]


def test_a_filtered_page_counts_its_incidents_once_without_distinct(client, caseworker, records):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    records["person"].profiles.set(Term.objects.filter(thesaurus="profiles", code="opposition"))
    login(client, caseworker)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/incidents/", {"tactic": "detention", "profile": "opposition", "origin": "UZ"})
    assert response.context["total"] == 1
    sql = [q["sql"].upper() for q in queries.captured_queries]
    assert not any("SELECT DISTINCT" in s for s in sql)
    assert sum("COUNT(*)" in s and "RECORDS_INCIDENT" in s for s in sql) == 1  # (the insider check counts exports)
