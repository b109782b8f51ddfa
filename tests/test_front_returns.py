"""A person's return risk and dossier: assessed, kept with earlier assessments, printed to PDF."""

import io
import json

import pypdf
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shelter.audit.models import AuditEvent
from shelter.notices import importing, triage
from shelter.notices.models import NoticeAlert, RequestKind, RequestSource
from shelter.notices.sources import interpol
from shelter.records.models import AsylumStatus, Term
from shelter.returns.models import RiskAssessment
from shelter.security.models import ExportApproval

from .conftest import PASSWORD, login
from .test_reauth import age_login


@pytest.fixture
def notified_person(person, caseworker):
    """Karimov, a refugee cleric in Germany, subject of a confirmed Uzbek extradition request."""
    person.profiles.set(Term.objects.filter(thesaurus="profiles", code="cleric"))
    AsylumStatus.objects.create(case=person.case, person=person, host_country="DE", status="refugee", since="2017")
    request = interpol.Notice(
        entity_id="M-DOSSIER", name="KARIMOV", forename="ULUGBEK", birth_date="1979-08", nationalities=("UZ",),
        warrants=(interpol.Warrant("UZ", "Art. 244-2 CC UZ: participation in a religious extremist organisation"),),
    )
    report = importing.import_notices([request], source=RequestSource.MANUAL, kind=RequestKind.EXTRADITION,
                                      extra={"requesting_state": "UZ", "charged_on": "2019-05", "in_absentia": True})
    triage.confirm(caseworker, report.alerts[0])
    return person


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_assessing_again_keeps_the_earlier_assessment(client, caseworker, notified_person):
    login(client, caseworker)
    url = reverse("risk", args=[notified_person.pk])
    first = client.post(url, {"destination": "UZ"})
    second = client.post(url, {"destination": "UZ", "confession_evidence": "on"})
    assert first.status_code == second.status_code == 302
    numbers = list(RiskAssessment.objects.filter(person=notified_person).values_list("number", flat=True))
    assert sorted(numbers) == [1, 2]
    newest = RiskAssessment.objects.get(number=2)
    assert json.loads(newest.manual_factors) == {"confession_evidence": True}
    page = client.get(reverse("risk-assessment", args=[newest.pk])).content.decode()
    assert "Uzbekistan" in page and reverse("risk-assessment", args=[RiskAssessment.objects.get(number=1).pk]) in page


def test_a_cleric_wanted_for_extremism_faces_a_high_risk_in_uzbekistan(client, caseworker, notified_person):
    login(client, caseworker).post(reverse("risk", args=[notified_person.pk]), {"destination": "UZ"})
    assert RiskAssessment.objects.get().result_dict()["level"] in ("high", "very_high")


def test_an_unknown_destination_is_refused(client, caseworker, notified_person):
    response = login(client, caseworker).post(reverse("risk", args=[notified_person.pk]), {"destination": "SU"})
    assert response.status_code == 200 and "destination" in response.context["form"].errors
    assert not RiskAssessment.objects.exists()


def test_the_dossier_pdf_holds_the_notice_the_signs_the_risk_and_the_disclaimer(client, caseworker, notified_person):
    login(client, caseworker).post(reverse("risk", args=[notified_person.pk]), {"destination": "UZ"})
    response = client.get(reverse("dossier-pdf", args=[notified_person.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Karimov" not in response["Content-Disposition"] and notified_person.pseudonym in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Decision support, not legal advice" in text
    assert "M-DOSSIER" in text and "244-2" in text
    assert "Refugee or asylum status" in text or "refugee" in text.lower()
    assert "Uzbekistan" in text
    assert "Commission for the Control of INTERPOL" in text
    assert "submission against extradition or removal" in text and "Individual risk factors" in text
    event = AuditEvent.objects.get(action="export", object_type="dossier")
    assert event.detail == {"format": "pdf", "language": "en"}


def test_the_dossier_speaks_russian(client, caseworker, notified_person):
    response = login(client, caseworker).get(reverse("dossier-pdf", args=[notified_person.pk]) + "?lang=ru")
    text = pdf_text(response.content)
    assert "не юридическая консультация" in text
    assert "возражения против экстрадиции" in text
    assert "Улугбек Каримов" in text


@pytest.mark.attack("idor")
def test_outsiders_get_no_dossier_or_risk(client, other_caseworker, researcher, notified_person):
    for user, status in ((other_caseworker, 404), (researcher, 403)):
        login(client, user)
        for name in ("dossier", "dossier-pdf", "risk"):
            assert client.get(reverse(name, args=[notified_person.pk])).status_code == status
        client.logout()


@pytest.mark.attack("xss")
def test_hostile_record_text_is_escaped_in_the_dossier(client, caseworker, notified_person):
    from shelter.records.models import PersonName

    PersonName.objects.create(person=notified_person, value="Ulugbek <script>alert(1)</script>", kind="alias")
    html = login(client, caseworker).get(reverse("dossier", args=[notified_person.pk])).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


@pytest.mark.attack("ssrf")
def test_the_pdf_renderer_fetches_nothing(notified_person):
    """A record's text reaching the dossier as markup must not make the server fetch anything: a
    local server stands in for the metadata service an attacker would aim at."""
    from shelter.returns import dossier

    from .interpol_server import recorded_interpol

    with recorded_interpol() as server:
        html = (f'<img src="{server.url}/latest/meta-data/"><link rel="stylesheet" href="{server.url}/style.css">'
                '<link rel="stylesheet" href="file:///etc/passwd">')
        pdf = dossier.render_pdf(f"<html><body>{html}<p>ok</p></body></html>")
        assert sum(server.hits.values()) == 0
    assert "ok" in pdf_text(pdf)


@pytest.mark.attack("insider")
@pytest.mark.parametrize("name", ["dossier", "dossier-pdf"])
def test_a_dossier_asks_for_the_password_again_after_an_old_login(client, caseworker, notified_person, name):
    # A dossier is a full identity export of one person.
    client.login(username="caseworker", password=PASSWORD)
    age_login(client, 11)
    response = client.get(reverse(name, args=[notified_person.pk]))
    assert response.status_code == 302 and response.url.startswith("/login/confirm/?next=")
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.attack("insider")
def test_dossiers_beyond_the_daily_threshold_need_an_approved_export_request(client, coordinator, administrator, notified_person, settings):
    settings.SHELTER_DOSSIERS_PER_DAY = 2
    login(client, coordinator)
    pdf = reverse("dossier-pdf", args=[notified_person.pk])
    assert [client.get(pdf).status_code for _ in range(2)] == [200, 200]
    response = client.get(pdf)
    assert response.status_code == 403
    assert "approval" in response.content.decode()
    assert "Номер разрешения на экспорт" in client.get(pdf, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert client.get(pdf + "?approval=not-a-number").status_code == 403
    approval = ExportApproval.objects.create(requested_by=coordinator, reason="CCF filing", cases=notified_person.case.reference,
                                             approved_by=administrator, approved_at=timezone.now())
    assert client.get(pdf + f"?approval={approval.pk}").status_code == 200
    approval.refresh_from_db()
    assert approval.used_at is not None
    assert client.get(pdf + f"?approval={approval.pk}").status_code == 403  # used once


@pytest.mark.attack("insider")
def test_a_dossier_cannot_use_someone_elses_approval(client, caseworker, coordinator, administrator, notified_person, settings):
    settings.SHELTER_DOSSIERS_PER_DAY = 0
    approval = ExportApproval.objects.create(requested_by=coordinator, reason="CCF filing", approved_by=administrator,
                                             approved_at=timezone.now())
    login(client, caseworker)
    assert client.get(reverse("dossier-pdf", args=[notified_person.pk]) + f"?approval={approval.pk}").status_code == 403
    approval.refresh_from_db()
    assert approval.used_at is None


@pytest.mark.attack("crypto-erasure")
def test_after_erasure_the_risk_assessments_read_erased_and_the_notice_is_no_longer_tied_to_the_person(
    client, coordinator, caseworker, notified_person
):
    login(client, caseworker).post(reverse("risk", args=[notified_person.pk]), {"destination": "UZ"})
    assessment = RiskAssessment.objects.get()
    notified_person.case.erase()
    page = login(Client(), coordinator).get(reverse("risk-assessment", args=[assessment.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "[erased]" in text and "Каримов" not in text and "Karimov" not in text
    assert not NoticeAlert.objects.exists()  # the link to the notice is gone with the case


def test_the_dossier_page_links_back_to_the_person_and_to_its_pdf_in_its_language(client, caseworker, notified_person):
    page = login(client, caseworker).get(reverse("dossier", args=[notified_person.pk]) + "?lang=ru").content.decode()
    assert f'href="{reverse("person", args=[notified_person.pk])}"' in page
    assert f'href="{reverse("dossier-pdf", args=[notified_person.pk])}?lang=ru"' in page
    pdf = client.get(reverse("dossier-pdf", args=[notified_person.pk]) + "?lang=ru")
    assert "Назад к лицу" not in pdf_text(pdf.content)


def test_the_result_names_each_fact_and_each_source_once(client, caseworker, notified_person):
    login(client, caseworker).post(reverse("risk", args=[notified_person.pk]), {"destination": "UZ", "confession_evidence": "on"})
    page = client.get(reverse("risk-assessment", args=[RiskAssessment.objects.get().pk])).content.decode()
    # The general comment is cited by a dozen factors, the charge bears on two: each is written once.
    assert page.count("CAT/C/GC/4") == 1
    assert page.count("read as Membership of a banned religious or political group") == 1
    assert "Bears on" in page and 'href="#source-1"' in page
    assert "factors not found in the records" in page


def test_an_assessment_made_with_data_since_corrected_says_what_the_current_data_give(client, caseworker, notified_person):
    login(client, caseworker).post(reverse("risk", args=[notified_person.pk]), {"destination": "UZ"})
    stored = RiskAssessment.objects.get()
    page = client.get(reverse("person", args=[notified_person.pk])).content.decode()
    assert "The reference data were corrected" not in page
    # As if made before a correction: older data, and a level the current data do not give.
    result = stored.result_dict()
    result["data_versions"]["countries"], result["level"] = "2026.11-1", "low"
    stored.result, stored.level = json.dumps(result), "low"
    stored.save()
    page = client.get(reverse("person", args=[notified_person.pk])).content.decode()
    assert "The reference data were corrected since assessment 1 for Uzbekistan" in page
    risk_page = client.get(reverse("risk-assessment", args=[stored.pk])).content.decode()
    assert "country data 2026.11-1" in risk_page


def test_the_dossier_links_its_citations_to_the_sources_page_and_the_pdf_does_not(client, caseworker, notified_person):
    import re

    from shelter.assessment import sources

    login(client, caseworker).post(reverse("risk", args=[notified_person.pk]), {"destination": "UZ"})
    html = client.get(reverse("dossier", args=[notified_person.pk])).content.decode()
    anchors = set(re.findall(r'href="/references/#(ref-[0-9a-f]{10})"', html))
    assert anchors
    listed = client.get("/references/").content.decode()
    assert all(f'id="{anchor}"' in listed for anchor in anchors)
