"""Campaigns: messages sharing infrastructure across cases are linked as they arrive; coordinators see the
campaign, its cases, timeline, targets' profiles and shared infrastructure; a caseworker learns only that
the message was seen in other cases, never which."""

from email.message import EmailMessage

import pytest
from django.urls import reverse

from shelter.artefacts import triage
from shelter.artefacts.models import Campaign
from shelter.records.models import Case, CaseAccess

from .conftest import login


def lure(subject, sender="Mail.ru <security@mailru-verify.example>", link="https://mailru-verify.example/login") -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = sender, "exile@example.org", subject
    m.set_content(f"Your account is blocked: {link}")
    return bytes(m)


@pytest.fixture
def second_case(db, other_caseworker):
    case = Case.objects.create(title="Другое дело")
    CaseAccess.objects.create(case=case, user=other_caseworker)
    return case


@pytest.fixture
def linked(case, second_case, caseworker, other_caseworker):
    first = triage.triage_into_case(case, "a.eml", lure("Вход заблокирован"), caseworker)
    second = triage.triage_into_case(second_case, "b.eml", lure("Account blocked", sender="Support <help@other.example>"), other_caseworker)
    first.refresh_from_db()
    return first, second


def test_messages_sharing_a_domain_across_cases_form_one_campaign(linked):
    first, second = linked
    assert first.campaign is not None and first.campaign == second.campaign
    assert Campaign.objects.count() == 1


def test_messages_that_share_only_a_big_service_are_not_linked(case, caseworker):
    a = triage.triage_into_case(case, "a.eml", lure("1", sender="Google <x.one@gmail.com>", link="https://one.example/a"), caseworker)
    b = triage.triage_into_case(case, "b.eml", lure("2", sender="Google <y.two@gmail.com>", link="https://two.example/b"), caseworker)
    a.refresh_from_db()
    assert a.campaign is None and b.campaign is None


def test_a_message_joining_two_campaigns_merges_them(case, caseworker):
    a = triage.triage_into_case(case, "a.eml", lure("1", link="https://one-login.example/a", sender="Google <a@one-login.example>"), caseworker)
    b = triage.triage_into_case(case, "b.eml", lure("2", link="https://one-login.example/b", sender="Google <b@one-login.example>"), caseworker)
    c = triage.triage_into_case(case, "c.eml", lure("3", link="https://two-login.example/a", sender="Google <a@two-login.example>"), caseworker)
    d = triage.triage_into_case(case, "d.eml", lure("4", link="https://two-login.example/b", sender="Google <b@two-login.example>"), caseworker)
    assert Campaign.objects.count() == 2
    triage.triage_into_case(case, "e.eml", lure("5", link="https://one-login.example/c https://two-login.example/c",
                                                 sender="Google <c@two-login.example>"), caseworker)
    assert Campaign.objects.count() == 1
    campaigns = {type(x).objects.get(pk=x.pk).campaign_id for x in (a, b, c, d)}
    assert len(campaigns) == 1 and None not in campaigns


@pytest.mark.attack("idor")
def test_a_caseworker_learns_only_that_other_cases_saw_it(client, caseworker, linked, second_case):
    first, _ = linked
    login(client, caseworker)
    page = client.get(reverse("artefact", args=[first.pk])).content.decode()
    assert "seen in 1 other case" in page
    assert second_case.reference not in page and reverse("campaign", args=[first.campaign_id]) not in page
    assert client.get(reverse("campaign", args=[first.campaign_id])).status_code == 403
    assert client.get(reverse("campaigns")).status_code == 403


def test_a_coordinator_sees_the_campaign_its_cases_and_shared_infrastructure(client, coordinator, linked, second_case):
    first, _ = linked
    login(client, coordinator)
    listing = client.get(reverse("campaigns")).content.decode()
    assert str(first.campaign) in listing
    page = client.get(reverse("campaign", args=[first.campaign_id])).content.decode()
    assert first.case.reference in page and second_case.reference in page
    assert "mailru-verify[.]example" in page and "https://" not in page


def test_the_campaign_page_reads_in_russian(client, coordinator, linked):
    first, _ = linked
    login(client, coordinator)
    client.cookies["django_language"] = "ru"
    page = client.get(reverse("campaign", args=[first.campaign_id])).content.decode()
    assert "Кампания" in page and "Общая инфраструктура" in page


@pytest.mark.attack("crypto-erasure")
def test_erasing_a_case_removes_its_digests_from_the_campaigns(linked):
    from shelter.artefacts.models import ArtefactIndicator

    first, second = linked
    first.case.erase()
    assert not ArtefactIndicator.objects.filter(artefact=first).exists()
    first.refresh_from_db()
    assert first.campaign is None


def test_the_campaigns_command_lists_them_with_their_cases(linked, second_case):
    import json
    from io import StringIO

    from django.core.management import call_command

    first, _ = linked
    out = StringIO()
    call_command("campaigns", "--json", stdout=out)
    [row] = json.loads(out.getvalue())
    assert row["campaign"] == str(first.campaign) and row["artefacts"] == 2
    assert row["cases"] == sorted([first.case.reference, second_case.reference])
    assert "lookalike_domain" in row["kinds"]


def test_the_coordinators_dashboard_leads_to_the_campaigns(client, coordinator, caseworker, linked):
    login(client, coordinator)
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("campaigns") in page and "<strong>1</strong> campaign of suspicious messages" in page
    client.logout()
    login(client, caseworker)
    assert reverse("campaigns") not in client.get(reverse("dashboard")).content.decode()


def test_the_campaign_page_says_what_links_its_messages(client, coordinator, linked):
    first, _ = linked
    login(client, coordinator)
    page = client.get(reverse("campaign", args=[first.campaign_id])).content.decode()
    assert "Linked by: a domain" in page


def test_a_coordinator_downloads_the_campaigns_indicators_for_mvt(client, coordinator, linked):
    import json

    from shelter.audit.models import AuditEvent

    first, _ = linked
    login(client, coordinator)
    response = client.get(reverse("campaign-stix", args=[first.campaign_id]))
    assert response["Content-Type"] == "application/octet-stream" and "attachment" in response["Content-Disposition"]
    patterns = {o["pattern"] for o in json.loads(response.content)["objects"] if o["type"] == "indicator"}
    assert "[domain-name:value='mailru-verify.example']" in patterns
    assert AuditEvent.objects.filter(action="export", object_type="campaign", object_id=str(first.campaign_id)).exists()


def test_a_campaigns_indicators_leave_out_the_big_services_it_linked_to(client, coordinator, case, caseworker):
    import json

    a = triage.triage_into_case(case, "a.eml", lure("1", sender="G <a@google-verify.example>", link="https://google-verify.example/x https://www.google.com/"), caseworker)
    triage.triage_into_case(case, "b.eml", lure("2", sender="G <b@google-verify.example>", link="https://google-verify.example/y"), caseworker)
    a.refresh_from_db()
    login(client, coordinator)
    bundle = client.get(reverse("campaign-stix", args=[a.campaign_id])).content.decode()
    assert "google-verify.example" in bundle and "google.com" not in json.loads(bundle).__repr__()


@pytest.mark.attack("idor")
def test_a_caseworker_cannot_download_a_campaigns_indicators(client, caseworker, linked):
    first, _ = linked
    login(client, caseworker)
    assert client.get(reverse("campaign-stix", args=[first.campaign_id])).status_code == 403


@pytest.mark.attack("insider")
def test_a_researcher_sees_the_campaign_by_its_pseudonym_only(client, researcher, linked, second_case):
    first, _ = linked
    login(client, researcher)
    page = client.get(reverse("artefact", args=[first.pk])).content.decode()
    assert str(first.campaign) in page and "seen in 1 other case" in page
    assert second_case.reference not in page and "mailru-verify" not in page
    assert client.get(reverse("campaign", args=[first.campaign_id])).status_code == 403
    assert client.get(reverse("campaign-stix", args=[first.campaign_id])).status_code == 403
