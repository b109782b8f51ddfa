"""The policy brief: a state's scorecard, recommendations from the data, and vignettes of the chosen
cases — pseudonymised, written from coded facts, only for persons who consented to publication, never
from a "never publish" case — as HTML or PDF in English or Russian, audited as an export."""

import io

import pytest
from pypdf import PdfReader

from shelter.audit.models import AuditEvent
from shelter.records.models import Person

from .conftest import login
from .scorecard_records import SEALED, consenting, documented, documented_elsewhere, incident_in, never_published  # noqa: F401

HOST = "/scorecards/host/TR/"
BRIEF = "/scorecards/host/TR/brief/?from=2019&to=2024"


def brief(client, *cases, extra=""):
    return client.get(BRIEF + "".join(f"&case={c.pk}" for c in cases) + extra)


def pdf_text(response) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_it_offers_the_case_of_a_consenting_victim(client, caseworker, documented):
    page = login(client, caseworker).get(HOST + "?from=2019&to=2024").content.decode()
    assert f'name="case" value="{documented.pk}"' in page


@pytest.mark.attack("disclosure")
def test_it_offers_no_vignette_without_consent(client, caseworker, documented, consenting):
    consenting.publication_consent = "none"
    consenting.save()
    login(client, caseworker)
    page = client.get(HOST + "?from=2019&to=2024").content.decode()
    assert f'value="{documented.pk}"' not in page
    assert "No case in scope has a person who consented to publication." in page
    shown = brief(client, documented).content.decode()
    assert "Person A" not in shown and "No vignette was chosen." in shown


@pytest.mark.attack("disclosure")
def test_it_never_offers_a_never_publish_case(client, caseworker, documented, never_published):
    login(client, caseworker)
    page = client.get(HOST + "?from=2019&to=2024").content.decode()
    assert f'value="{never_published.pk}"' not in page
    shown = brief(client, never_published).content.decode()
    assert "No vignette was chosen." in shown and "Assassination" not in shown and "Killed" not in shown


@pytest.mark.attack("idor")
def test_it_ignores_a_case_the_reader_may_not_see(client, caseworker, documented, documented_elsewhere):
    person = Person.objects.create(case=documented_elsewhere, publication_consent="named")
    incident_in(documented_elsewhere, "2023", tactics=("rendition",), victim=person)
    shown = brief(login(client, caseworker), documented_elsewhere).content.decode()
    assert "No vignette was chosen." in shown and "Rendition" not in shown


def test_it_writes_a_vignette_from_coded_facts_under_a_pseudonym(client, caseworker, documented):
    shown = brief(login(client, caseworker), documented).content.decode()
    vignette = shown.split('id="vignettes"', 1)[1].split("</section>", 1)[0]
    assert "Person A" in vignette and "Journalist or blogger" in vignette and "Male" in vignette
    assert "2021: Detention, Unlawful deportation — Uzbekistan → Turkey" in vignette.replace("Türkiye", "Turkey")
    assert "Returned to origin state" in vignette and "Refused by Interpol: not published" in vignette


def test_it_recommends_halting_returns_with_its_basis(client, caseworker, documented):
    shown = brief(login(client, caseworker), documented).content.decode()
    recommendations = shown.split('id="recommendations"', 1)[1].split("</section>", 1)[0]
    assert "Halt deportations and extraditions to Uzbekistan" in recommendations
    assert "Convention against Torture, Article 3" in recommendations


@pytest.mark.attack("disclosure")
def test_it_shows_no_sealed_value_in_the_html_or_the_pdf(client, coordinator, documented):
    login(client, coordinator)
    html = brief(client, documented).content.decode()
    response = brief(client, documented, extra="&format=pdf")
    text = pdf_text(response)
    assert "Person A" in text and "Halt deportations" in text.replace("\n", " ")
    for value in SEALED:
        assert value not in html and value not in text, value


def test_the_pdf_is_named_without_identifying_data(client, caseworker, documented):
    response = brief(login(client, caseworker), documented, extra="&format=pdf&lang=ru")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="brief-host-TR-2019-2024-ru.pdf"'


def test_it_writes_the_brief_in_russian(client, caseworker, documented):
    shown = brief(login(client, caseworker), documented, extra="&lang=ru").content.decode()
    assert '<html lang="ru">' in shown and "Лицо А" in shown and "Прекратить депортации и экстрадиции в следующие государства: Узбекистан" in shown
    assert "Person A" not in shown and "Recommendations" not in shown


def test_the_download_is_audited_by_its_scope_not_its_content(client, caseworker, documented):
    brief(login(client, caseworker), documented, extra="&format=pdf")
    event = AuditEvent.objects.get(action="export", object_type="brief")
    assert event.object_id == "host-TR-2019-2024"
    assert event.detail == {"format": "pdf", "language": "en", "cases": 1}
    assert event.actor == caseworker


def test_the_audit_log_names_the_brief(client, caseworker, documented):
    from shelter.front.audit_rows import type_label

    assert type_label("brief") == "policy brief"


@pytest.mark.attack("idor")
def test_it_hides_briefs_from_auditors(client, auditor, documented):
    assert brief(login(client, auditor), documented).status_code == 403
    assert not AuditEvent.objects.filter(object_type="brief").exists()


@pytest.mark.attack("idor")
def test_a_case_seen_by_two_readers_gives_each_only_their_view(client, caseworker, other_caseworker, documented):
    """Another caseworker, given the case's id, gets no vignette: the id alone opens nothing."""
    shown = brief(login(client, other_caseworker), documented).content.decode()
    assert "Person A" not in shown and "No vignette was chosen." in shown


@pytest.mark.parametrize("extra", ["&case=42", "&case=%3Cscript%3E"])
def test_it_refuses_a_malformed_case_id(client, caseworker, documented, extra):
    response = login(client, caseworker).get(BRIEF + extra)
    assert response.status_code == 400 and "<script>" not in response.content.decode().split("<main", 1)[-1].replace("<script src=", "")


@pytest.mark.attack("disclosure")
def test_a_researcher_makes_a_brief_without_identity_data(client, researcher, documented):
    shown = brief(login(client, researcher), documented).content.decode()
    assert "Person A" in shown
    for value in SEALED:
        assert value not in shown, value


def test_each_consenting_victim_gets_their_own_pseudonym(client, caseworker, documented):
    other = Person.objects.create(case=documented, gender="female", publication_consent="named")
    incident_in(documented, "2023-04", tactics=("assault",), outcome="injured", victim=other)
    shown = brief(login(client, caseworker), documented).content.decode()
    vignettes = shown.split('id="vignettes"', 1)[1].split("</section>", 1)[0]
    assert vignettes.count("<h3>") == 2 and "Person A" in vignettes and "Person B" in vignettes
    assert "2023: Assault" in vignettes and "Female" in vignettes


@pytest.mark.attack("disclosure")
def test_a_brief_counts_only_incidents_whose_persons_consented_but_the_scorecard_counts_all(client, caseworker, documented, case):
    """A brief is made to leave Shelter: it counts what the open data may. The scorecard page, read
    inside, counts every incident the reader may see."""
    refusing = Person.objects.create(case=case, publication_consent="none")
    incident_in(case, "2023-02", tactics=("rendition",), outcome="disappeared", victim=refusing)
    login(client, caseworker)
    inside = client.get(HOST + "?from=2019&to=2024").content.decode()
    assert "<dt>Documented incidents</dt><dd>3</dd>" in inside and "Rendition" in inside
    shown = brief(client).content.decode()
    assert "<dt>Documented incidents</dt><dd>2</dd>" in shown
    assert "Rendition" not in shown and "Disappeared" not in shown


def test_a_vignette_leaves_out_processes_outside_the_period(client, caseworker, documented, consenting):
    from shelter.records.models import LegalProcess

    LegalProcess.objects.create(case=documented, person=consenting, kind="extradition", requesting_state="UZ",
                                deciding_state="TR", opened_on="2012-05", status="granted")
    shown = brief(login(client, caseworker), documented).content.decode()
    assert "Red Notice" in shown
    assert "Extradition granted" not in shown


@pytest.mark.attack("disclosure")
def test_neither_scorecard_nor_brief_counts_a_process_of_a_never_publish_case(client, caseworker, documented, consenting,
                                                                             never_published):
    """Consent does not outweigh "never publish"."""
    from shelter.records.models import LegalProcess

    def extradition(case, person):
        LegalProcess.objects.create(case=case, person=person, kind="extradition", requesting_state="UZ",
                                    deciding_state="TR", opened_on="2022-03", status="granted")

    login(client, caseworker)
    extradition(never_published, Person.objects.get(case=never_published))
    assert "Extradition" not in client.get(HOST + "?from=2019&to=2024").content.decode()
    assert "Extradition" not in brief(client).content.decode()
    extradition(documented, consenting)
    assert "Extradition" in client.get(HOST + "?from=2019&to=2024").content.decode()
    assert "Extradition" in brief(client).content.decode()
