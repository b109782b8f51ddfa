"""The network in a real browser: the vendored Cytoscape.js draws the ego view under the page's CSP,
a tap shows a point's details, "Expand" brings its neighbours a capped step at a time, and the tables
say the same without JavaScript; in English and Russian, at desktop width and on a phone. Screenshots
go to docs/screenshots/network/."""

import pytest

from shelter.actors.models import Actor, ActorName, Identifier
from shelter.records.models import Case, CaseAccess, Incident, Involvement, Organisation

from .test_browser import SCREENSHOTS, assert_it_fits_a_phone, browser, log_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = SCREENSHOTS / "network"


@pytest.fixture
def network(make_user):
    """An officer of the SNB whose phone called in two incidents of one case and is a "consular
    official's" WhatsApp in another case; 25 more numbers of the officer to cap the view."""
    caseworker = make_user("caseworker")
    make_user("coordinator")
    snb = Organisation.objects.create(name="СНБ Узбекистана", kind="security_service", country="UZ")
    case = Case.objects.create(title="Семья Каримовых")
    CaseAccess.objects.create(case=case, user=caseworker)
    officer = Actor.objects.create(case=case, kind="intelligence_officer", organisation=snb, confidence="corroborated", first_seen="2021")
    ActorName.objects.create(actor=officer, value="Рустам Каримов")
    Identifier.objects.create(actor=officer, kind="phone", value="+998 90 123-45-67")
    for n in range(25):
        Identifier.objects.create(actor=officer, kind="phone", value=f"+99891{n:07d}")
    for date, title in (("2021-03", "Звонок брату"), ("2022-07", "Визит к матери")):
        incident = Incident.objects.create(case=case, title=title, date=date, origin_state="UZ", host_state="TR")
        Involvement.objects.create(incident=incident, actor=officer, role="perpetrator")
    other = Case.objects.create(title="Другое дело")
    consul = Actor.objects.create(case=other, kind="consular", claimed_organisation=snb)
    ActorName.objects.create(actor=consul, value="Р. Каримов")
    Identifier.objects.create(actor=consul, kind="whatsapp", value="998901234567")
    return {"officer": officer, "consul": consul, "case": case, "other": other}


def open_ego(page, centre, language, cap=20):
    if language == "ru":
        page.goto("/")
        page.click("button.lang[value=ru]")
        page.wait_for_load_state()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"/network/ego/?centre={centre}&cap={cap}")
    page.wait_for_selector(".network[data-ready=true]")
    return errors


def graph_nodes(page) -> int:
    # Cytoscape keeps its instance on the container; the count is what the canvas draws.
    return page.evaluate("document.getElementById('network-graph')._cyreg.cy.nodes().length")


def tap(page, node_id):
    page.evaluate("id => { const cy = document.getElementById('network-graph')._cyreg.cy; cy.getElementById(id).emit('tap'); }", node_id)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_coordinator_draws_expands_and_reads_the_network(browser, live_server, network, language):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, "coordinator")
    errors = open_ego(page, f"actor:{network['officer'].pk}", language)
    assert graph_nodes(page) == 21  # the officer and 20 of its 30 neighbours (the consul is likely the same actor)
    assert "20" in page.locator(".network-count").inner_text() and "10" in page.locator(".network-count").inner_text()
    phone = network["officer"].identifiers.order_by("created_at").first()
    tap(page, f"identifier:{phone.pk}")
    details = page.locator("#network-details")
    assert "+998 90 123-45-67" in details.inner_text()
    with page.expect_response(lambda r: "/network/ego.json" in r.url and "radius=1" in r.url):
        details.locator("[data-action=expand]").click()
    page.wait_for_function("() => !document.querySelector('#network-details [data-action=expand]') || "
                           "!document.querySelector('#network-details [data-action=expand]').disabled")
    page.wait_for_function("id => document.getElementById('network-graph')._cyreg.cy.getElementById(id).length === 1",
                           arg=f"actor:{network['consul'].pk}")
    tap(page, f"actor:{network['consul'].pk}")
    assert "Р. Каримов" in details.inner_text() and network["other"].reference in details.inner_text()
    page.evaluate("id => document.getElementById('network-graph')._cyreg.cy.getElementById(id).connectedEdges()[0].emit('tap')",
                  f"actor:{network['consul'].pk}")
    relation = details.inner_text()
    assert "Р. Каримов" in relation and " — " in relation and "Centre here" not in relation
    page.screenshot(path=str(SHOTS / f"coordinator-ego-{language}-1280.png"), full_page=True)
    assert errors == [], errors  # no script error, no refused inline style
    context.close()


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_caseworker_on_a_phone_sees_the_graph_and_the_hint(browser, live_server, network, language):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, "caseworker")
    errors = open_ego(page, f"actor:{network['officer'].pk}", language, cap=40)
    phone = network["officer"].identifiers.order_by("created_at").first()
    tap(page, f"identifier:{phone.pk}")
    details = page.locator("#network-details").inner_text()
    assert network["other"].reference not in page.content()
    hint = "ask a coordinator" if language == "en" else "спросите координатора"
    assert hint in details
    page.screenshot(path=str(SHOTS / f"caseworker-ego-{language}-390.png"), full_page=True)
    assert_it_fits_a_phone(page, f"/network/ego/?centre=actor:{network['officer'].pk}")
    assert errors == [], errors
    context.close()


def test_without_javascript_the_tables_say_the_same(browser, live_server, network):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "coordinator")
    page.goto(f"/network/ego/?centre=actor:{network['officer'].pk}")
    assert not page.locator(".network").is_visible()
    rows = page.locator("table.network-table").first.locator("tbody tr")
    assert rows.count() == 21
    page.click("text=Show more")
    assert page.locator("table.network-table").first.locator("tbody tr").count() == 31
    page.screenshot(path=str(SHOTS / "coordinator-tables-en-1280.png"), full_page=True)
    context.close()
