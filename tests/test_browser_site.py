"""The static site of ``shelter publish --site`` opened from disk in a real browser, as someone who
downloaded it would: English and Russian, desktop and phone, nothing fetched but its own files, no
JavaScript needed. Screenshots go to docs/screenshots/site/."""

import pytest
from playwright.sync_api import Route

from .test_browser import SCREENSHOTS, browser  # noqa: F401
from .test_cmd_publish_site import demo_site, scorecard_stems  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore")]

SHOTS = SCREENSHOTS / "site"


@pytest.mark.parametrize("language, width", [("en", 1280), ("ru", 1280), ("en", 390), ("ru", 390)])
def test_the_site_reads_from_disk_in_both_languages_on_desktop_and_phone(browser, demo_site, language, width):
    site = demo_site[0]
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone = width < 500
    context = browser.new_context(viewport={"width": width, "height": 900 if not phone else 844}, is_mobile=phone,
                                  has_touch=phone, java_script_enabled=False)
    elsewhere = []

    def refuse(route: Route):
        elsewhere.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith("file://"), refuse)
    page = context.new_page()
    page.goto((site / language / "index.html").as_uri())
    assert page.locator("html").get_attribute("lang") == language
    page.screenshot(path=str(SHOTS / f"index-{language}-{width}.png"), full_page=True)

    stem = "origin-UZ" if "origin-UZ" in scorecard_stems(site, language) else scorecard_stems(site, language)[0]
    page.click(f"a[href='scorecards/{stem}.html']")
    assert page.locator("svg[role=img]").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(SHOTS / f"scorecard-{stem}-{language}-{width}.png"), full_page=True)

    page.click(f"a[href='../briefs/{stem}.html']")
    assert page.locator("#recommendations").count() == 1
    page.screenshot(path=str(SHOTS / f"brief-{stem}-{language}-{width}.png"), full_page=True)

    other = "ru" if language == "en" else "en"
    page.goto((site / language / "scorecards" / f"{stem}.html").as_uri())
    page.click(f"a[hreflang='{other}']")
    assert page.locator("html").get_attribute("lang") == other
    context.close()
    assert elsewhere == []
