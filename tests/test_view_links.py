"""The links page: coordinators see both sides of a link between cases and confirm or reject it
(audited); nobody else may see it or decide."""

import pytest
from django.urls import reverse

from shelter.actors.models import Actor, Identifier, Link, LinkStatus
from shelter.audit.models import AuditEvent
from shelter.records.models import Case

from .conftest import login


@pytest.fixture
def link(case):
    other = Case.objects.create(title="Other")
    for owner, value in ((case, "+998 90 123-45-67"), (other, "998901234567")):
        Identifier.objects.create(actor=Actor.objects.create(case=owner, kind="informant"), kind="phone", value=value)
    return Link.objects.get()


def test_a_coordinator_sees_both_sides(client, coordinator, link):
    login(client, coordinator)
    page = client.get(reverse("links")).content.decode()
    for side in link.sides.all():
        assert side.case.reference in page
    assert "+998 90 123-45-67" in page and "998901234567" in page


@pytest.mark.parametrize("decision", [LinkStatus.CONFIRMED, LinkStatus.REJECTED])
def test_a_coordinator_decides_and_it_is_audited(client, coordinator, link, decision):
    login(client, coordinator)
    response = client.post(reverse("link-decide", args=[link.pk]), {"decision": decision})
    link.refresh_from_db()
    assert response.status_code == 302 and link.status == decision and link.decided_by == coordinator
    assert AuditEvent.objects.filter(action="update", object_type="link", object_id=str(link.pk), detail__decision=decision).exists()


def test_a_decision_of_another_kind_is_refused(client, coordinator, link):
    login(client, coordinator)
    assert client.post(reverse("link-decide", args=[link.pk]), {"decision": "maybe"}).status_code == 400
    link.refresh_from_db()
    assert link.status == LinkStatus.OPEN


@pytest.mark.attack("insider")
def test_only_coordinators_see_or_decide(client, caseworker, researcher, link):
    for user in (caseworker, researcher):
        client.logout()
        login(client, user)
        assert client.get(reverse("links")).status_code == 403
        assert client.post(reverse("link-decide", args=[link.pk]), {"decision": "rejected"}).status_code == 403
    link.refresh_from_db()
    assert link.status == LinkStatus.OPEN


def test_the_coordinators_dashboard_counts_the_open_links(client, coordinator, link):
    login(client, coordinator)
    page = client.get(reverse("dashboard")).content.decode()
    assert "<strong>1</strong> link between cases to decide" in page


def test_a_coordinator_sees_both_actors_likely_the_same_with_the_score_and_why(client, coordinator, informant, same_actor_elsewhere):
    login(client, coordinator)
    page = client.get(reverse("links")).content.decode()
    assert informant.case.reference in page and same_actor_elsewhere.case.reference in page
    assert "Рустам Каримов" in page and "Rustam Karimov" in page
    assert "Likely the same actor" in page and "90 %" in page
    assert "names alike (100 %)" in page and "the same organisation" in page


def test_a_coordinator_rejects_a_likely_same_actor_and_it_is_audited(client, coordinator, informant, same_actor_elsewhere):
    link = Link.objects.get(kind="same_actor")
    login(client, coordinator)
    client.post(reverse("link-decide", args=[link.pk]), {"decision": LinkStatus.REJECTED})
    link.refresh_from_db()
    assert link.status == LinkStatus.REJECTED
    assert AuditEvent.objects.filter(action="update", object_type="link", object_id=str(link.pk)).exists()
