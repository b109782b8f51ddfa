"""Export screening in a real browser: a caseworker fills in the form, reads the screening (the
recommendation, the entry, the match with its incidents, the destination's charts), downloads the memo,
in English and Russian, at desktop width and on a phone. Screenshots go to docs/screenshots/exports/."""

import pytest

from shelter.records.models import Case, CaseAccess

from .exports_records import documented
from .test_browser import SCREENSHOTS, assert_it_fits_a_phone, browser, log_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = SCREENSHOTS / "exports"


@pytest.fixture
def documented_service(make_user):
    from shelter.records.models import Organisation

    caseworker = make_user("caseworker")
    case = Case.objects.create(title="Семья Каримовых")
    CaseAccess.objects.create(case=case, user=caseworker)
    sgb = Organisation.objects.create(name="State Security Service of the Republic of Uzbekistan", kind="security_service",
                                      country="UZ", aliases=["SNB", "СНБ", "SGB", "СГБ", "DXX"])
    documented(case, sgb, ["surveillance", "coercion_by_proxy"], "2021-03", host="UZ")
    documented(case, sgb, ["digital_attack"], "2022-05")
    documented(case, sgb, ["surveillance"], "2023-02")
    return sgb


def switch_to(page, language):
    if language == "ru":
        page.goto("/")
        page.click("button.lang[value=ru]")
        page.wait_for_load_state()


@pytest.mark.parametrize("language, width", [("en", 1280), ("ru", 1280), ("en", 390), ("ru", 390)])
def test_a_caseworker_screens_an_imsi_catcher_for_the_security_service(browser, live_server, documented_service, language, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone = width < 500
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900 if not phone else 844},
                                  is_mobile=phone, has_touch=phone)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, "caseworker")
    switch_to(page, language)
    page.goto("/exports/new/")
    page.fill("#id_reference", "EX-2026-017")
    page.fill("#id_description", "IMSI catcher for GSM, UMTS and LTE (cell-site simulator)")
    page.select_option("#id_destination", "UZ")
    page.select_option("#id_party_0_role", "end_user")
    page.fill("#id_party_0_name", "O'zbekiston Respublikasi Davlat xavfsizlik xizmati")
    page.select_option("#id_party_0_country", "UZ")
    page.select_option("#id_party_1_role", "consignee")
    page.fill("#id_party_1_name", "Technische Universität Dresden")
    page.screenshot(path=str(SHOTS / f"form-{language}-{width}.png"), full_page=True)
    page.click("#screen-export")
    page.wait_for_url("**/exports/*-*/")
    text = page.locator("main").inner_text()
    assert ("Deny" if language == "en" else "Отказать") in text and "5A001.f" in text
    assert documented_service.name in text
    assert page.locator("figure.chart svg").count() == 2
    page.screenshot(path=str(SHOTS / f"screening-{language}-{width}.png"), full_page=True)
    if phone:
        assert_it_fits_a_phone(page, page.url)
    else:
        with page.expect_download() as download:
            page.click(f"a[href$='memo/?lang={language}&format=pdf']")
        assert download.value.suggested_filename.endswith(f"-v1-{language}.pdf")
        page.click(f"a[href$='memo/?lang={language}']")
        page.wait_for_selector("#recommendation")
        page.screenshot(path=str(SHOTS / f"memo-{language}-{width}.png"), full_page=True)
    assert errors == [], errors
    context.close()
