"""Real-browser tests: Playwright driving Debian's Chromium against a live server.

They save screenshots to docs/screenshots/ (used by the README)."""

import os
import re
import shutil
from pathlib import Path

import pytest

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps",
]


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures are
    # still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900})
    # Nothing may leave the machine: fail loudly on any request to another host.
    external = []
    context.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1).*"), lambda route: (external.append(route.request.url), route.abort()))
    page = context.new_page()
    yield page
    context.close()
    assert external == [], f"the page tried to reach {external}"


def log_in(page, username, password=PASSWORD):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/(audit/)?$"))  # an auditor lands on the audit log


def log_out(page):
    page.click("header form[action='/logout/'] button")
    page.wait_for_url(re.compile(r"/login/"))


def test_a_caseworker_documents_a_case_and_a_researcher_sees_no_name(page, make_user, researcher):
    caseworker = make_user("caseworker", "amina")
    log_in(page, "amina")

    # Open a case.
    page.click("text=Open a case")
    page.fill("#id_title", "Rakhimov family, Istanbul")
    page.click("button:has-text('Save')")
    page.wait_for_url(re.compile(r"/cases/[0-9a-f-]+/$"))
    case_url = page.url
    reference = page.locator("header.pagehead p.muted").inner_text()

    # Add a person named in Cyrillic, with a Latin alias.
    page.click("text=Add a person")
    page.fill("#id_names-0-value", "Жасур Рахимов")
    page.select_option("#id_names-0-language", "ru")
    page.fill("#id_names-1-value", "Jasur Rakhimov")
    assert page.input_value("#id_names-1-kind") == "alias"  # a second name is an alias unless said otherwise
    page.fill("#id_birth_date", "1984-05")
    page.check("input[name=nationalities][value=UZ]")
    page.check("text=Opposition member")
    page.click("button:has-text('Save')")
    page.wait_for_url(re.compile(r"/persons/[0-9a-f-]+/$"))
    assert page.locator("h1").inner_text() == "Жасур Рахимов"
    person_url = page.url

    # Add a source, then an incident citing it.
    page.goto(case_url)
    page.click("text=Add a source")
    page.select_option("#id_kind", "interview")
    page.fill("#id_title", "Interview with his sister, March 2021")
    page.click("button:has-text('Save')")
    page.wait_for_url(re.compile(r"/sources/"))

    page.goto(case_url)
    page.click("text=Record an incident")
    page.fill("#id_title", "Detained at Sabiha Gökçen airport")
    page.fill("#id_date", "2021-03-14")
    page.select_option("#id_origin_state", "UZ")
    page.select_option("#id_host_state", "TR")
    page.check("text=Detention")
    page.check("text=Interpol abuse (Red Notice, diffusion)")
    page.check("text=Interview with his sister, March 2021")
    page.select_option("#id_acts-0-person", label="Жасур Рахимов")
    page.fill("#id_narrative", "Held for two days on an Interpol diffusion, then released.")
    page.click("button:has-text('Save')")
    page.wait_for_url(re.compile(r"/incidents/[0-9a-f-]+/$"))
    assert "Uzbekistan" in page.locator(".state.origin").inner_text()
    assert "Turkey" in page.locator(".state.host").inner_text() or "Türkiye" in page.locator(".state.host").inner_text()
    assert "Interview with his sister" in page.content()
    page.screenshot(path=str(SCREENSHOTS / "incident.png"), full_page=True)

    # Find the person by the Latin spelling recorded as alias.
    page.goto("/search/")
    page.fill("input[name=q]", "rakhimov")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("ul.results li")
    page.click("ul.results a")
    assert page.url == person_url

    # Switch the UI to Russian.
    page.click("button.lang[value=ru]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ru"
    assert "Поиск по имени" in page.locator("header.topbar").inner_text()
    assert "Узбекистан" in page.content()
    page.screenshot(path=str(SCREENSHOTS / "person-ru.png"), full_page=True)
    page.click("button.lang[value=en]")
    page.wait_for_load_state()

    # A researcher on the same case sees a pseudonym, never the name.
    from shelter.records.models import Case, CaseAccess

    case = Case.objects.get(reference=reference.split()[1])
    CaseAccess.objects.create(case=case, user=researcher)
    log_out(page)
    log_in(page, "researcher")
    page.goto(person_url)
    content = page.content()
    assert "Рахимов" not in content and "Rakhimov" not in content
    assert re.search(r"P-[A-Z2-7]{6}", page.locator("h1").inner_text())
    page.screenshot(path=str(SCREENSHOTS / "person-researcher.png"), full_page=True)
    assert caseworker.username  # the caseworker account did the work above


def test_the_dashboard_shows_charts_and_deadlines(page):
    from shelter.ops import demo_data

    demo_data.load()
    log_in(page, "coordinator", demo_data.DEMO_PASSWORD)
    assert page.locator("figure.chart svg rect.bar").count() > 3
    assert page.locator("ul.deadlines li").count() > 0
    page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)
    page.click("figure.chart svg a >> nth=0")
    page.wait_for_url(re.compile(r"/incidents/\?origin="))
    assert page.locator("table tbody tr").count() > 0


def test_a_caseworker_screens_a_name_written_in_another_script(page, make_user):
    from shelter.records.models import Case, CaseAccess, Person, PersonName

    caseworker = make_user("caseworker", "dilnoza")
    case = Case.objects.create(title="Karimov family, Istanbul")
    CaseAccess.objects.create(case=case, user=caseworker)
    person = Person.objects.create(case=case, birth_date="1979-08", nationalities=["UZ"], gender="male")
    PersonName.objects.create(person=person, value="Каримов Улугбек Рустамович", language="ru")
    brother = Person.objects.create(case=case, birth_date="1983", nationalities=["UZ"], gender="male")
    PersonName.objects.create(person=brother, value="Бахтиёр Каримов", language="ru")
    log_in(page, "dilnoza")

    def screen_karimov():
        page.fill("#id_name", "Ulugbek Karimov")
        page.fill("#id_birth_date", "1979-08-15")
        page.select_option("#id_nationality", "UZ")
        page.select_option("#id_gender", "male")
        page.click("form.screen-form button[type=submit]")
        page.wait_for_selector("article.match")

    # The Latin spelling of a notice finds the person registered in Cyrillic, and says why.
    page.click("header.topbar >> text=Screening")
    page.wait_for_url(re.compile(r"/screen/$"))
    screen_karimov()
    assert page.url.endswith("/screen/")  # posted: the name is in no URL
    card = page.locator("article.match").first
    assert card.locator("h3").inner_text() == "Каримов Улугбек Рустамович"
    assert page.locator("article.match").count() == 1  # not his brother
    assert "same name in another script" in card.inner_text()
    assert "Birth dates agree" in card.inner_text()
    assert "Рустамович" in card.locator("p.unmatched").inner_text()  # the patronymic only the registry has
    assert card.locator("figure.score svg line.threshold").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "screening.png"), full_page=True)

    # The same in Russian.
    page.click("button.lang[value=ru]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ru"
    screen_karimov()
    assert "то же имя в другой письменности" in card.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "screening-ru.png"), full_page=True)
    page.click("button.lang[value=en]")
    page.wait_for_load_state()

    # The card links to the person page.
    page.goto("/screen/")
    screen_karimov()
    page.click("article.match h3 a")
    page.wait_for_url(re.compile(rf"/persons/{person.pk}/$"))


def test_a_caseworker_finds_a_cyrillic_name_by_typing_a_latin_spelling(page, make_user):
    from shelter.records.models import Case, CaseAccess, Person, PersonName

    caseworker = make_user("caseworker", "gulnora")
    case = Case.objects.create(title="Toshmatov family, Berlin")
    CaseAccess.objects.create(case=case, user=caseworker)
    person = Person.objects.create(case=case, nationalities=["UZ"], gender="male")
    PersonName.objects.create(person=person, value="Тошматов Шерзод", language="uz")
    log_in(page, "gulnora")

    def search(name):
        page.goto("/search/")
        page.fill("input[type=search]", name)
        page.press("input[type=search]", "Enter")
        page.wait_for_selector("#results p")

    # A spelling in another script and scheme (Russian-style Latin) finds the Uzbek Cyrillic record.
    search("Sherzod Tashmatov")
    assert "Tashmatov" not in page.url and "q=" not in page.url  # the name went by POST, not into the history
    assert page.locator("p.error").count() == 0  # a fresh instance's name index is current
    assert page.locator("#results ul.results li").count() == 1
    assert "Тошматов Шерзод" in page.locator("#results ul.results").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "search.png"), full_page=True)

    # The same in Russian.
    page.click("button.lang[value=ru]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ru"
    search("Sherzod Tashmatov")
    assert "Тошматов Шерзод" in page.locator("#results ul.results").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "search-ru.png"), full_page=True)

    # A name nobody has: the page offers to screen it, by POST, so the name stays out of the URL.
    search("Rustam Nazarov")
    page.click("form.screen-offer button[type=submit]")
    page.wait_for_selector("section.screen-results p.no-match")
    assert page.url.endswith("/screen/")
    assert page.locator("#id_name").input_value() == "Rustam Nazarov"


def test_an_alert_is_triaged_to_confirmed_and_the_dossier_downloaded(page, make_user, tmp_path):
    """An Interpol notice spelled in Latin raises an alert on a person registered in Cyrillic; the
    caseworker reads why, confirms it, assesses the return risk and downloads the dossier."""
    import io

    import pypdf

    from shelter.notices import importing
    from shelter.notices.models import AlertStatus, NoticeAlert
    from shelter.notices.sources.interpol import parse_page
    from shelter.records.models import AsylumStatus, Case, CaseAccess, Person, PersonName, Term

    caseworker = make_user("caseworker", "farida")
    case = Case.objects.create(title="Kabirov family, Berlin")
    CaseAccess.objects.create(case=case, user=caseworker)
    person = Person.objects.create(case=case, birth_date="1965-01-07", nationalities=["TJ"], gender="male")
    PersonName.objects.create(person=person, value="Мухиддин Кабиров", language="tg")
    person.profiles.set(Term.objects.filter(thesaurus="profiles", code="opposition"))
    AsylumStatus.objects.create(case=case, person=person, host_country="DE", status="refugee", since="2016")
    detail = (Path(__file__).parent / "data" / "interpol" / "red_detail.json").read_text()
    notices = parse_page({"_embedded": {"notices": [__import__("json").loads(detail)]}}).notices
    importing.import_notices(notices, source="interpol")
    log_in(page, "farida")

    # The alert, with the matcher's reasons.
    page.click("header.topbar >> text=Notices")
    page.click("text=Alerts to triage")
    page.click("table.alerts tbody tr a >> nth=0")
    page.wait_for_url(re.compile(r"/alerts/[0-9a-f-]+/$"))
    assert "same name in another script" in page.locator("article.match").inner_text()
    assert "Organisation of an extremist community" in page.locator("section.notice-subject").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "alert.png"), full_page=True)

    # Confirmed, once asked again: the notice becomes a legal process of the person.
    page.click("#confirm-alert")
    page.click("#confirm-alert-sure")
    page.wait_for_selector("text=Confirmed: the notice is recorded")
    alert = NoticeAlert.objects.get()
    assert alert.status == AlertStatus.CONFIRMED and alert.process is not None

    # The notice's signs of abuse, with their legal basis.
    page.click("text=The notice, its versions and its signs of abuse")
    page.wait_for_url(re.compile(r"/notices/[0-9a-f-]+/$"))  # count() does not wait for the page
    assert page.locator("ol.indicator-list li").count() >= 3
    assert "Art. 3" in page.locator("section.indicators").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "notice-indicators.png"), full_page=True)

    # Return risk to Tajikistan.
    page.goto(f"/persons/{person.pk}/risk/")
    page.select_option("#id_destination", "TJ")
    page.click("#assess-risk")
    page.wait_for_url(re.compile(r"/risk/[0-9a-f-]+/$"))
    assert page.locator("h1 .level").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "risk.png"), full_page=True)

    # The dossier, downloaded as PDF.
    page.goto(f"/persons/{person.pk}/")
    with page.expect_download() as download_info:
        page.click("#dossier-pdf-en")
    download = download_info.value
    assert download.suggested_filename.startswith(f"dossier-{person.pseudonym}-en-")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(saved.read_bytes())).pages)
    assert "Decision support, not legal advice" in text and "2026/11111" in text and "Tajikistan" in text

    # The dossier in Russian, as a lawyer reads it on screen.
    page.goto(f"/persons/{person.pk}/dossier/?lang=ru")
    assert "не юридическая консультация" in page.locator("p.disclaimer").first.inner_text()
    assert page.evaluate("getComputedStyle(document.querySelector('p.disclaimer')).borderTopStyle") == "solid"
    page.screenshot(path=str(SCREENSHOTS / "dossier-ru.png"), full_page=True)


# Where each checkbox sits against its label, and whether clicking the label's words ticks it. The words'
# first line is measured (not the label's box): a label may wrap its checkbox or run over two lines.
CHECKBOXES_AND_THEIR_WORDS = """() => Array.from(document.querySelectorAll("main form input[type=checkbox]")).map(input => {
  const label = input.labels && input.labels[0];
  const picker = input.closest("div.country-picker");
  const inPicker = picker ? Array.from(picker.querySelectorAll("input")).indexOf(input) : -1;
  if (!label) return {id: input.id, label: null, inPicker};
  const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT,
    {acceptNode: node => node.textContent.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT});
  const words = walker.nextNode();
  const range = document.createRange();
  range.selectNodeContents(words);
  const line = range.getClientRects()[0];
  const box = input.getBoundingClientRect();
  return {id: input.id, label: label.textContent.trim(), box: [box.left, box.top, box.right, box.bottom],
          line: [line.left, line.top, line.right, line.bottom], inPicker};
})"""


def checkbox_form_urls(records):
    case, person, incident, process = records["case"], records["person"], records["incident"], records["process"]
    return [
        f"/cases/{case.pk}/persons/new/", f"/persons/{person.pk}/edit/",
        f"/cases/{case.pk}/incidents/new/", f"/incidents/{incident.pk}/edit/",
        f"/cases/{case.pk}/processes/new/", f"/processes/{process.pk}/edit/",
        "/notices/new/", f"/persons/{person.pk}/risk/",
    ]


@pytest.mark.parametrize("language,width", [("en", 1280), ("ru", 1280), ("ru", 390)])
def test_every_checkbox_sits_on_the_line_of_its_own_label(page, records, language, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "caseworker")
    if language != "en":
        page.click(f"button.lang[value={language}]")
        page.wait_for_load_state()
    for url in checkbox_form_urls(records):
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == language
        checkboxes = page.evaluate(CHECKBOXES_AND_THEIR_WORDS)
        assert checkboxes, f"{url} has no checkbox"
        for checkbox in checkboxes:
            if checkbox["inPicker"] >= 3:  # the country picker's 250 boxes are alike: its first three stand for them
                continue
            assert checkbox["label"], f"{url}: #{checkbox['id']} has no label"
            left, top, right, bottom = checkbox["box"]
            line_left, line_top, line_right, line_bottom = checkbox["line"]
            where = f"{url}: #{checkbox['id']} and its label {checkbox['label']!r}"
            assert abs((top + bottom) / 2 - (line_top + line_bottom) / 2) <= 4, f"{where} are not on one line"
            assert 0 <= line_left - right <= 24, f"{where}: the checkbox is not just before its words"

            # Clicking the words ticks that very checkbox, and no other.
            before = page.eval_on_selector_all("main form input[type=checkbox]", "all => all.map(i => i.checked)")
            page.locator(f"#{checkbox['id']}").scroll_into_view_if_needed()
            line = page.evaluate(CHECKBOXES_AND_THEIR_WORDS)[checkboxes.index(checkbox)]["line"]
            page.mouse.click(line[0] + 3, (line[1] + line[3]) / 2)
            after = page.eval_on_selector_all("main form input[type=checkbox]", "all => all.map(i => i.checked)")
            changed = [i for i, (b, a) in enumerate(zip(before, after)) if b != a]
            assert changed == [checkboxes.index(checkbox)], f"{where}: clicking the words ticked {changed}"
    if width == 1280:
        page.goto(checkbox_form_urls(records)[-1])
        page.screenshot(path=str(SCREENSHOTS / f"risk-form-{language}.png"), full_page=True)
    page.goto(checkbox_form_urls(records)[0])
    page.screenshot(path=str(SCREENSHOTS / f"person-form-{language}{'-phone' if width == 390 else ''}.png"), full_page=True)


def an_alert(case):
    """A Red Notice spelled in Latin that raises an alert on a person of `case` registered in Cyrillic."""
    import json

    from shelter.notices import importing
    from shelter.notices.models import NoticeAlert
    from shelter.notices.sources.interpol import parse_page
    from shelter.records.models import Person, PersonName

    person = Person.objects.create(case=case, birth_date="1965-01-07", nationalities=["TJ"], gender="male")
    PersonName.objects.create(person=person, value="Мухиддин Кабиров", language="tg")
    detail = json.loads((Path(__file__).parent / "data" / "interpol" / "red_detail.json").read_text())
    importing.import_notices(parse_page({"_embedded": {"notices": [detail]}}).notices, source="interpol")
    return NoticeAlert.objects.get()


def main_pages(records, alert):
    return {
        "dashboard": "/", "cases": "/cases/", "case": f"/cases/{records['case'].pk}/",
        "persons": "/persons/", "person": f"/persons/{records['person'].pk}/",
        "incidents": "/incidents/", "incident": f"/incidents/{records['incident'].pk}/",
        "processes": "/processes/", "notices": "/notices/", "alerts": "/alerts/", "alert": f"/alerts/{alert.pk}/",
        "screening": "/screen/", "search": "/search/", "travel": "/travel/",
        "risk": f"/persons/{records['person'].pk}/risk/",
        # and the rest, forms included
        "process": f"/processes/{records['process'].pk}/", "sources": "/sources/",
        "source": f"/sources/{records['source'].pk}/", "evidence-list": "/evidence/",
        "evidence": f"/evidence/{records['evidence'].pk}/", "organisations": "/organisations/",
        "notice": f"/notices/{alert.notice_id}/", "profile": "/profile/",
        "dossier": f"/persons/{records['person'].pk}/dossier/",  # a printable document: no header
        "person-edit": f"/persons/{records['person'].pk}/edit/",
        "incident-edit": f"/incidents/{records['incident'].pk}/edit/",
        "process-new": f"/cases/{records['case'].pk}/processes/new/", "notice-new": "/notices/new/",
    }


def assert_it_fits_a_phone(page, url):
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate("""() => Array.from(document.querySelectorAll("body *"))
      .filter(e => e.getBoundingClientRect().right > 391 && e.parentElement.getBoundingClientRect().right <= 391
              && !e.parentElement.closest("ul.menu, .scroll"))
      .slice(0, 4).map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""))""")
    assert width <= 390, f"{url} is {width} px wide on a 390 px phone, beyond it: {wide}"
    if "/dossier/" in url or "/exports/screenings/" in url or "/brief/" in url:  # documents, without the site's header
        return
    log_out_button = page.locator("header form[action='/logout/'] button").bounding_box()
    assert 0 <= log_out_button["x"] and log_out_button["x"] + log_out_button["width"] <= 390, f"{url}: Log out is off-screen"


PHONE_SCREENSHOTS = {"dashboard", "case", "person", "incidents", "alert", "screening"}


@pytest.mark.parametrize("role", ["caseworker", "coordinator"])
def test_every_main_page_fits_a_phone(browser, live_server, records, coordinator, auditor, administrator, role):
    alert = an_alert(records["case"])
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 390, "height": 844},
                                  device_scale_factor=1, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto("/login/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if role == "caseworker":
        page.screenshot(path=str(SCREENSHOTS / "phone-login.png"), full_page=True)
    log_in(page, role)
    for name, url in main_pages(records, alert).items():
        assert_it_fits_a_phone(page, url)
        if role == "caseworker" and name in PHONE_SCREENSHOTS:
            page.screenshot(path=str(SCREENSHOTS / f"phone-{name}.png"), full_page=True)
    log_out(page)
    log_in(page, "auditor")
    assert_it_fits_a_phone(page, "/audit/")
    log_out(page)
    log_in(page, "administrator")
    assert_it_fits_a_phone(page, "/")
    if role == "caseworker":
        page.screenshot(path=str(SCREENSHOTS / "phone-administrator.png"))
    context.close()


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("role", ["caseworker", "coordinator", "administrator"])
def test_the_navigation_fits_one_line_on_a_laptop(page, make_user, role, language):
    make_user(role)
    log_in(page, role)
    if language != "en":
        page.click(f"button.lang[value={language}]")
        page.wait_for_load_state()
    tops = page.eval_on_selector_all("header nav ul.menu > li", "items => items.map(li => li.getBoundingClientRect().top)")
    assert len(tops) >= 10 and len(set(tops)) == 1, f"the menu runs over {len(set(tops))} lines"
    if role == "administrator":
        page.screenshot(path=str(SCREENSHOTS / f"header-administrator-{language}.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 120})
    menu = page.evaluate("(m => [m.scrollWidth, m.clientWidth])(document.querySelector('header nav ul.menu'))")
    assert menu[0] <= menu[1], f"the menu needs {menu[0]} px and has {menu[1]}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_the_per_victim_source_box_spans_the_row_so_sources_can_be_told_apart(page, records):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, "caseworker")
    page.goto(f"/cases/{records['case'].pk}/incidents/new/")
    box = page.locator("#id_acts-0-sources").bounding_box()
    form = page.locator("main form").bounding_box()
    assert box["width"] >= form["width"] * 0.8
