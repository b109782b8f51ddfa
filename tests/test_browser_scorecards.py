"""Scorecards and briefs in a real browser: a caseworker opens Uzbekistan's scorecard as origin and
Turkey's as host, chooses a case for a vignette, opens the brief and downloads its PDF — in English and
Russian, at desktop width and on a phone. Screenshots go to docs/screenshots/scorecards/."""

import pytest

from .scorecard_records import consenting, documented, incident_in  # noqa: F401
from .test_browser import SCREENSHOTS, assert_it_fits_a_phone, browser, log_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = SCREENSHOTS / "scorecards"


@pytest.fixture
def more_years(documented, consenting):
    """A few more incidents so that the charts have several years and tactics to show."""
    incident_in(documented, "2019-06", tactics=("surveillance", "coercion_by_proxy"), outcome="ongoing")
    incident_in(documented, "2020", tactics=("interpol_abuse",), outcome="detained", host="RU")
    incident_in(documented, "2023-02", tactics=("digital_attack", "threats"), outcome="unknown")
    incident_in(documented, "2023-09", tactics=("abduction",), outcome="imprisoned", victim=consenting)
    return documented


@pytest.mark.parametrize("language, width", [("en", 1280), ("ru", 1280), ("en", 390), ("ru", 390)])
def test_a_caseworker_reads_a_scorecard_and_makes_a_brief(browser, live_server, more_years, language, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone = width < 500
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 844 if phone else 900},
                                  is_mobile=phone, has_touch=phone, accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, "caseworker")
    if language == "ru":
        page.click("button.lang[value=ru]")
        page.wait_for_load_state()
    page.goto("/scorecards/")
    page.screenshot(path=str(SHOTS / f"index-{language}-{width}.png"), full_page=True)
    page.select_option("select[name=state]", "UZ")
    page.fill("input[name=from]", "2019")
    page.fill("input[name=to]", "2024")
    page.click("form.scorecard-form button[type=submit]")
    page.wait_for_url("**/scorecards/origin/UZ/?from=2019&to=2024")
    assert page.locator("figure.scorecard-figure svg[role=img]").count() == 3
    text = page.locator("main").inner_text()
    assert ("not a measure of prevalence" if language == "en" else "не мера распространённости") in text
    page.screenshot(path=str(SHOTS / f"origin-UZ-{language}-{width}.png"), full_page=True)
    if phone:
        assert_it_fits_a_phone(page, page.url)
    page.goto("/scorecards/host/TR/?from=2019&to=2024")
    page.check(f"input[name=case][value='{more_years.pk}']")
    page.screenshot(path=str(SHOTS / f"host-TR-{language}-{width}.png"), full_page=True)
    if not phone:
        with page.expect_download() as download:
            page.click("#brief-pdf")
        assert download.value.suggested_filename == f"brief-host-TR-2019-2024-{language}.pdf"
    page.click("#brief-html")
    page.wait_for_selector("#vignettes")
    assert ("Person A" if language == "en" else "Лицо А") in page.locator("#vignettes").inner_text()
    page.screenshot(path=str(SHOTS / f"brief-host-TR-{language}-{width}.png"), full_page=True)
    if phone:
        assert_it_fits_a_phone(page, page.url)
    assert errors == [], errors
    context.close()
