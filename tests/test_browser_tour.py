"""The tour: every role, in English and Russian, at desktop width and on a 390 px phone, through the
pages that role works with. It saves a screenshot of each stop to docs/screenshots/tour/, and on
every Russian page it fails on an English word left in the visible text (names and codes the
record holds, and the words listed in tests/data/russian_allowed.txt with their reasons, aside)."""

import os
import json
import re
from pathlib import Path

import pytest

from .test_browser import CHROMIUM_ARGS, SCREENSHOTS, an_alert, assert_it_fits_a_phone, browser, log_in  # noqa: F401
from shelter.exportcontrol import screening as export_screening
from shelter.exports.request import from_json

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOUR = SCREENSHOTS / "tour"
PHISHING_RU = (
    "From: Google <no-reply@accountsgoog1e.com>\r\nTo: exile@example.org\r\nSubject: =?utf-8?b?"
    + __import__("base64").b64encode("Кто-то знает ваш пароль".encode()).decode()
    + "?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhttps://accountsgoog1e.com/signin\r\n"
).encode()
ALLOWED_FILE = Path(__file__).parent / "data" / "russian_allowed.txt"
# The visible text of a page, without what is not the interface's: code, and anything marked as not
# to be translated (records' data) or as in another language (sources cited in the language they
# were published in).
VISIBLE_TEXT = """() => {
  const skip = "script, style, code, [translate=no], [lang]:not([lang=ru]):not(html)";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || element.closest(skip) || !element.getClientRects().length) continue;
    parts.push(node.textContent);
  }
  for (const input of document.querySelectorAll("input[placeholder], option")) {
    if (!input.closest(skip)) parts.push(input.placeholder || input.textContent);
  }
  return parts.join(" ");
}"""
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
# Identifiers Shelter makes: pseudonyms, case references, references of requests entered by hand.
# A title of a document published in English only, quoted as published in a Russian citation.
QUOTED_ENGLISH_TITLE = re.compile(r"«[^»А-Яа-яЁё]*»")
IDENTIFIERS = re.compile(r"\b[PA]-[A-Z2-7]{6}\b|\bSH-\d{4}-\d{4}\b|\bM-[0-9A-F]{10}\b|\b[CL]-[0-9A-F]{6}\b")


def allowed_words() -> set[str]:
    words = set()
    for line in ALLOWED_FILE.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(word.casefold())
    return words


def record_words() -> set[str]:
    """Latin words the records hold (a notice's names and charges, references, user names): data,
    shown as entered, not the interface."""
    from shelter.accounts.models import User
    from shelter.notices.models import Notice
    from shelter.records import sealing

    texts = list(User.objects.values_list("username", flat=True))
    from shelter.artefacts.models import Artefact
    from shelter.digital.domains import brands

    texts += [b["name"] for b in brands()["brands"]]  # the services a finding names
    from shelter.digital import iocs

    texts += [f"{f['name']} {f['publisher']} {f['licence']} {f['campaign_ru']}" for f in iocs.built_in_summaries()]  # feeds as published
    with sealing.scope(reveal=True):
        for artefact in Artefact.objects.all():  # a suspicious message's values: data, shown as found
            for report in json.loads(artefact.report):
                texts += [report["file"]] + [f["evidence"] for f in report["findings"]]
                texts += [str(i["value"]) + " " + i["context"] for i in report["indicators"]]
        for notice in Notice.objects.all():
            texts += [str(notice.source_id), str(notice.name), str(notice.forename), str(notice.place_of_birth)]
            texts += notice.alias_list() + [c.get("charge", "") + " " + c.get("translation", "") for c in notice.charge_list()]
    return {word.casefold() for text in texts for word in LATIN_WORD.findall(text)}


@pytest.fixture
def tour_records(case, person, make_user):
    """A case recorded in Russian, as a Russian-speaking caseworker would, with an alert, a risk
    assessment and an audit trail."""
    from shelter.records.evidence import store_evidence
    from shelter.records.models import CaseAccess, Deadline, Incident, LegalProcess, Source, Term
    from shelter.artefacts import triage
    from shelter.returns import assessments

    from .conftest import PDF_BYTES

    from shelter.accounts.models import User

    users = {role: User.objects.filter(username=role).first() or make_user(role)
             for role in ("caseworker", "coordinator", "researcher", "auditor", "administrator")}
    case.title, case.notes = "Семья Каримовых, Стамбул", "Встреча в Стамбуле"
    case.save()
    for role in ("caseworker", "researcher"):
        CaseAccess.objects.get_or_create(case=case, user=users[role])
    source = Source.objects.create(case=case, kind="interview", title="Беседа с братом", language="ru")
    incident = Incident.objects.create(case=case, title="Задержание в Стамбуле", date="2021-03", origin_state="UZ",
                                       host_state="TR", narrative="Забрали из квартиры ночью", accusation="terrorism_extremism")
    incident.tactics.set(Term.objects.filter(thesaurus="tactics", code__in=["detention", "interpol_abuse"]))
    incident.sources.add(source)
    incident.acts.create(person=person, role="victim")
    process = LegalProcess.objects.create(case=case, person=person, kind="red_notice", requesting_state="UZ",
                                          reference="2021/12345", opened_on="2020", status="granted")
    evidence = store_evidence(case, "Скан ордера", "order.pdf", PDF_BYTES, "application/pdf", users["caseworker"])
    artefact = triage.triage_into_case(case, "alert.eml", PHISHING_RU, users["caseworker"], title="Письмо «от Google»")
    triage.triage_into_case(case, "alert-2.eml", PHISHING_RU.replace(b"/signin", b"/login"), users["caseworker"], title="Второе письмо")
    artefact.refresh_from_db()
    Deadline.objects.create(case=case, title="Ответ CCF", due_on="2030-01-01")
    from shelter.actors.models import Actor, ActorName, Identifier
    from shelter.records.models import Case

    from shelter.records.models import Involvement, Organisation

    snb = Organisation.objects.create(name="СНБ Узбекистана", kind="security_service", country="UZ")
    actor = Actor.objects.create(case=case, kind="informant", first_seen="2021-02", claimed_organisation=snb)
    ActorName.objects.create(actor=actor, value="Рустам «Дядя»")
    Involvement.objects.create(incident=incident, actor=actor, role="intermediary")
    Identifier.objects.create(actor=actor, kind="phone", value="+998 90 123-45-67")
    Identifier.objects.create(actor=actor, kind="telegram", value="@rustam_k")
    elsewhere = Actor.objects.create(case=Case.objects.create(title="Другое дело"), kind="consular")
    Identifier.objects.create(actor=elsewhere, kind="whatsapp", value="998901234567")
    alert = an_alert(case)
    assessments.assess_risk(alert.person, "TJ", user=users["caseworker"])
    Involvement.objects.create(incident=incident, organisation=snb, actor_kind="agency", role="perpetrator")
    kept = export_screening.save(from_json({
        "id": "EX-2026-017", "item": {"description": "IMSI catcher", "parameters": {"air_interface": True}},
        "parties": [{"role": "end_user", "name": "СНБ Узбекистана", "country": "UZ"}], "destination": "UZ"}),
        users["caseworker"])
    return {"case": case, "person": person, "source": source, "incident": incident, "process": process,
            "evidence": evidence, "alert": alert, "subject": alert.person, "artefact": artefact, "actor": actor,
            "screening": kept}


def stops(role, r) -> dict:
    """The pages of a role's working day."""
    case, person, subject = r["case"].pk, r["person"].pk, r["subject"].pk
    from shelter.returns.models import RiskAssessment

    risk = RiskAssessment.objects.get()
    reader = {
        "dashboard": "/", "cases": "/cases/", "case": f"/cases/{case}/", "person": f"/persons/{subject}/",
        "incident": f"/incidents/{r['incident'].pk}/", "process": f"/processes/{r['process'].pk}/",
        "source": f"/sources/{r['source'].pk}/", "travel": "/travel/?origin=UZ", "profile": "/profile/",
        "references": "/references/",
    }
    identity = {
        "alerts": "/alerts/", "alert": f"/alerts/{r['alert'].pk}/", "notice": f"/notices/{r['alert'].notice_id}/",
        "risk": f"/risk/{risk.pk}/", "risk-form": f"/persons/{subject}/risk/", "screening": "/screen/",
        "evidence": f"/evidence/{r['evidence'].pk}/", "person-form": f"/persons/{person}/edit/",
        "incident-form": f"/incidents/{r['incident'].pk}/edit/", "request-form": "/notices/new/",
        "dossier": f"/persons/{subject}/dossier/", "artefact": f"/suspicious/{r['artefact'].pk}/",
        "feeds": "/indicator-feeds/", "actor": f"/actors/{r['actor'].pk}/",
    }
    scorecards = {"scorecards": "/scorecards/", "scorecard": "/scorecards/origin/UZ/?from=2019&to=2024",
                  "scorecard-host": "/scorecards/host/TR/?from=2019&to=2024",
                  "brief": f"/scorecards/host/TR/brief/?from=2019&to=2024&case={case}"}
    network = {"network": "/network/", "network-ego": f"/network/ego/?centre=actor:{r['actor'].pk}&radius=2"}
    kept = r["screening"]
    exports = {"exports": "/exports/", "export-form": "/exports/new/", "export": f"/exports/{kept.request_id}/",
               "export-memo": f"/exports/screenings/{kept.pk}/memo/", "export-letter": f"/exports/screenings/{kept.pk}/letter/"}
    return {
        "caseworker": {**reader, **identity, **network, **exports, **scorecards},
        "coordinator": {"dashboard": "/", "cases": "/cases/", "alerts": "/alerts/", "alert": identity["alert"],
                        "campaign": f"/campaigns/{r['artefact'].campaign_id}/", "links": "/links/",
                        "organisations": "/organisations/", "case": reader["case"], **network,
                        "scorecard": scorecards["scorecard"]},
        "researcher": {"dashboard": "/", "case": reader["case"], "person": reader["person"], "artefact": identity["artefact"],
                       "actor": identity["actor"], **network,
                       "incident": reader["incident"], "travel": reader["travel"], "scorecard": scorecards["scorecard-host"],
                       "brief": scorecards["brief"]},
        "auditor": {"audit": "/audit/", "profile": "/profile/"},
        "administrator": {"dashboard": "/", "security": "/security/", "exports": "/security/exports/",
                          "audit": "/audit/", "feeds": "/indicator-feeds/"},
    }[role]


SCREENSHOT_AT = {"dashboard", "case", "person", "alert", "risk", "audit", "security", "person-form", "references", "artefact", "campaign", "feeds", "actor", "links", "network", "network-ego", "export", "export-form", "scorecard", "brief"}


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("role", ["caseworker", "coordinator", "researcher", "auditor", "administrator"])
def test_the_tour(browser, live_server, tour_records, role, language):
    TOUR.mkdir(parents=True, exist_ok=True)
    allowed = allowed_words() | record_words()
    left_in_english = {}
    for width in (1280, 390):
        context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": width, "height": 900},
                                      device_scale_factor=1, is_mobile=width < 500)
        page = context.new_page()
        log_in(page, role)
        if language == "ru":
            page.click("button.lang[value=ru]")
            page.wait_for_load_state()
        for name, url in stops(role, tour_records).items():
            response = page.goto(url)
            assert response.status == 200, f"{role} {url}: {response.status}"
            assert page.locator("html").get_attribute("lang") == language
            if width == 390:
                assert_it_fits_a_phone(page, url)
            if name == "network-ego":
                page.wait_for_selector(".network[data-ready=true]")
            if name in SCREENSHOT_AT:
                page.screenshot(path=str(TOUR / f"{role}-{name}-{language}-{width}.jpeg"), type="jpeg", quality=55)
            if language == "ru" and width == 1280:
                text = QUOTED_ENGLISH_TITLE.sub(" ", IDENTIFIERS.sub(" ", page.evaluate(VISIBLE_TEXT)))
                words = {w for w in LATIN_WORD.findall(text) if w.casefold() not in allowed}
                if words:
                    left_in_english[url] = sorted(words)
                    if os.environ.get("SHELTER_TOUR_DEBUG"):
                        print(url, [text[max(0, m.start() - 60):m.end() + 20] for m in LATIN_WORD.finditer(text)
                                    if m.group() in words])
        context.close()
    assert not left_in_english, f"English words on Russian pages: {left_in_english}"
