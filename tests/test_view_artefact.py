"""The suspicious-message pages: upload and triage into a case, the analysis page, the STIX download.
Per-case access, researchers kept from the details, values escaped and defanged, both languages."""

import json
from email.message import EmailMessage

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shelter.artefacts import triage
from shelter.artefacts.models import Artefact

from .conftest import login


def phishing_bytes(subject="Security alert") -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "Google <no-reply@accountsgoog1e.com>", "exile@example.org", subject
    m.set_content("Someone has your password: https://accountsgoog1e.com/signin")
    return bytes(m)


@pytest.fixture
def artefact(case, caseworker):
    return triage.triage_into_case(case, "alert.eml", phishing_bytes(), caseworker)


def test_a_caseworker_uploads_a_message_and_sees_its_analysis(client, caseworker, case):
    login(client, caseworker)
    upload = SimpleUploadedFile("alert.eml", phishing_bytes(), content_type="message/rfc822")
    response = client.post(reverse("artefact-new", args=[case.pk]), {"file": upload})
    artefact = Artefact.objects.get(case=case)
    assert response.status_code == 302 and response["Location"] == reverse("artefact", args=[artefact.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Malicious" in page and "Look-alike domain" in page and "accountsgoog1e[.]com" in page
    assert "https://accountsgoog1e.com" not in page and 'href="https://accountsgoog1e' not in page


def test_the_analysis_reads_in_russian(client, caseworker, artefact):
    login(client, caseworker)
    client.cookies["django_language"] = "ru"
    page = client.get(reverse("artefact", args=[artefact.pk])).content.decode()
    assert "Вредоносное" in page and "Поддельный домен" in page and "имитирует Google" in page


def test_an_empty_file_is_refused_with_the_reason_and_nothing_is_stored(client, caseworker, case):
    login(client, caseworker)
    response = client.post(reverse("artefact-new", args=[case.pk]), {"file": SimpleUploadedFile("x.eml", b"")})
    assert response.status_code == 200 and "file is empty" in response.content.decode()
    assert not Artefact.objects.exists()


def test_the_same_file_twice_is_refused(client, caseworker, case, artefact):
    login(client, caseworker)
    response = client.post(reverse("artefact-new", args=[case.pk]), {"file": SimpleUploadedFile("again.eml", phishing_bytes())})
    assert "already stored in this case" in response.content.decode()
    assert Artefact.objects.count() == 1


@pytest.mark.attack("idor")
def test_someone_without_access_to_the_case_gets_404(client, other_caseworker, artefact):
    login(client, other_caseworker)
    assert client.get(reverse("artefact", args=[artefact.pk])).status_code == 404
    assert client.get(reverse("artefact-stix", args=[artefact.pk])).status_code == 404
    assert client.get(reverse("artefact-new", args=[artefact.case.pk])).status_code == 404


@pytest.mark.attack("insider")
def test_researchers_see_the_verdict_and_the_kinds_but_not_the_details(client, researcher, artefact):
    login(client, researcher)
    page = client.get(reverse("artefact", args=[artefact.pk])).content.decode()
    assert "Malicious" in page and "Look-alike domain" in page
    assert "accountsgoog1e" not in page and "Security alert" not in page
    assert client.get(reverse("artefact-stix", args=[artefact.pk])).status_code == 403
    assert client.post(reverse("artefact-new", args=[artefact.case.pk])).status_code == 403


def test_the_stix_download_is_for_mvt_and_audited(client, caseworker, artefact):
    from shelter.audit.models import AuditEvent

    login(client, caseworker)
    response = client.get(reverse("artefact-stix", args=[artefact.pk]))
    assert response["Content-Type"] == "application/octet-stream" and response["Content-Disposition"].endswith('.stix2"')
    patterns = [o["pattern"] for o in json.loads(response.content)["objects"] if o["type"] == "indicator"]
    assert "[domain-name:value='accountsgoog1e.com']" in patterns
    assert AuditEvent.objects.filter(action="export", object_id=str(artefact.pk)).exists()


@pytest.mark.attack("xss")
def test_a_subject_with_markup_is_shown_as_text(client, caseworker, case):
    artefact = triage.triage_into_case(case, "x.eml", phishing_bytes(subject='<script>alert("x")</script>'), caseworker)
    login(client, caseworker)
    page = client.get(reverse("artefact", args=[artefact.pk])).content.decode()
    assert '<script>alert("x")</script>' not in page and "&lt;script&gt;" in page


def test_the_case_page_lists_the_verdict_beside_the_evidence(client, caseworker, artefact):
    login(client, caseworker)
    page = client.get(reverse("case", args=[artefact.case.pk])).content.decode()
    assert reverse("artefact", args=[artefact.pk]) in page and "verdict-malicious" in page


def test_the_analysis_says_what_the_person_should_do_and_offers_a_sheet_in_their_language(client, caseworker, artefact):
    login(client, caseworker)
    page = client.get(reverse("artefact", args=[artefact.pk])).content.decode()
    assert "change it now" in page and "help@accessnow.org" in page
    sheet = client.get(reverse("artefact-advice", args=[artefact.pk]) + "?language=ru").content.decode()
    assert '<html lang="ru">' in sheet and "смените его сейчас" in sheet and "accountsgoog1e" not in sheet


@pytest.mark.attack("idor")
def test_the_advice_sheet_is_only_for_those_on_the_case(client, other_caseworker, artefact):
    login(client, other_caseworker)
    assert client.get(reverse("artefact-advice", args=[artefact.pk])).status_code == 404


HEADERS = """Received: from mail.accountsgoog1e.com ([203.0.113.9]) by mx.example.net
Authentication-Results: mx.example.net; spf=fail smtp.mailfrom=accountsgoog1e.com; dkim=none
From: Google <no-reply@accountsgoog1e.com>
Reply-To: recover@mailbox.example
Subject: Security alert"""


def test_pasted_headers_are_analysed_and_kept_as_evidence(client, caseworker, case):
    login(client, caseworker)
    response = client.post(reverse("artefact-new", args=[case.pk]), {"pasted": HEADERS})
    artefact = Artefact.objects.get(case=case)
    assert response.status_code == 302 and artefact.verdict == "malicious"
    assert {"auth_fail", "reply_to_mismatch", "lookalike_domain"} <= set(artefact.kinds.split(","))
    assert artefact.evidence.original_name == "headers.eml"


def test_pasted_links_are_judged_each_on_its_own(client, caseworker, case):
    login(client, caseworker)
    client.post(reverse("artefact-new", args=[case.pk]), {"pasted": "hxxps://accountsgoog1e[.]com/login\nhttp://192.0.2.1/x\n"})
    artefact = Artefact.objects.get(case=case)
    assert {"lookalike_domain", "ip_url"} <= set(artefact.kinds.split(","))
    page = client.get(reverse("artefact", args=[artefact.pk])).content.decode()
    assert "192[.]0[.]2[.]1" in page and "http://192.0.2.1" not in page


def test_pasted_text_that_is_neither_headers_nor_links_is_refused_with_the_reason(client, caseworker, case):
    login(client, caseworker)
    response = client.post(reverse("artefact-new", args=[case.pk]), {"pasted": "Привет, посмотри это письмо"})
    assert "neither a message" in response.content.decode() and not Artefact.objects.exists()
    nothing = client.post(reverse("artefact-new", args=[case.pk]), {"pasted": ""})
    assert "Choose a file, or paste" in nothing.content.decode()
    both = client.post(reverse("artefact-new", args=[case.pk]),
                       {"pasted": HEADERS, "file": SimpleUploadedFile("a.eml", phishing_bytes())})
    assert "not both" in both.content.decode() and not Artefact.objects.exists()


@pytest.mark.attack("xss")
def test_pasted_headers_with_markup_are_shown_as_text(client, caseworker, case):
    login(client, caseworker)
    pasted = HEADERS.replace("Google <no-reply", '"<img src=x onerror=alert(1)>" <no-reply')
    client.post(reverse("artefact-new", args=[case.pk]), {"pasted": pasted, "title": "<b>headers</b>"})
    artefact = Artefact.objects.get(case=case)
    page = client.get(reverse("artefact", args=[artefact.pk])).content.decode()
    assert "<img src=x" not in page and "<b>headers</b>" not in page and "&lt;b&gt;headers&lt;/b&gt;" in page
