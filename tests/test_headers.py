"""HTTP hardening: CSP with nothing inline, Permissions-Policy, cross-origin isolation headers, HSTS
and the HTTPS redirect in production, and evidence served as an inert download."""

import re
from pathlib import Path

import pytest
from django.test import Client

from .conftest import login

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
TEMPLATE_DIRS = sorted(Path(__file__).resolve().parent.parent.joinpath("shelter").glob("*/templates"))
INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(rb"<style\b|\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(rb"<[^>]+\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(rb"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def assert_hardened(response):
    assert response["Content-Security-Policy"] == CSP
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def assert_nothing_inline(html: bytes):
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html), INLINE_STYLE.search(html)
    assert not EVENT_HANDLER.search(html), EVENT_HANDLER.search(html)
    assert not JAVASCRIPT_URL.search(html)


@pytest.mark.attack("headers")
def test_the_login_page_is_served_with_the_strict_headers(client, db):
    response = client.get("/login/")
    assert response.status_code == 200
    assert_hardened(response)
    assert_nothing_inline(response.content)


@pytest.mark.attack("headers")
def test_every_record_page_has_the_strict_headers_and_nothing_inline(client, caseworker, records):
    login(client, caseworker)
    pages = [
        "/", "/cases/", f"/cases/{records['case'].pk}/", "/persons/", f"/persons/{records['person'].pk}/",
        f"/persons/{records['person'].pk}/edit/", "/incidents/", f"/incidents/{records['incident'].pk}/",
        f"/incidents/{records['incident'].pk}/edit/", f"/processes/{records['process'].pk}/",
        f"/sources/{records['source'].pk}/", f"/evidence/{records['evidence'].pk}/", "/search/", "/profile/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_hardened(response)
        assert_nothing_inline(response.content)


@pytest.mark.attack("headers")
def test_no_page_of_a_logged_in_user_is_kept_by_a_browser_or_proxy(client, caseworker, records):
    login(client, caseworker)
    pages = [
        "/", "/cases/", f"/cases/{records['case'].pk}/", "/persons/", f"/persons/{records['person'].pk}/",
        f"/persons/{records['person'].pk}/edit/", f"/incidents/{records['incident'].pk}/", "/search/", "/profile/",
    ]
    for url in pages:
        assert "no-store" in client.get(url)["Cache-Control"], url
    assert "no-store" in client.post("/search/", {"q": "Karimov"})["Cache-Control"]


@pytest.mark.attack("headers")
def test_a_view_cannot_make_a_page_cacheable(rf):
    from django.http import HttpResponse

    from shelter.security.headers import security_headers

    def cacheable(request):
        response = HttpResponse("a name")
        response["Cache-Control"] = "public, max-age=3600"
        return response

    assert security_headers(cacheable)(rf.get("/persons/"))["Cache-Control"] == "no-store"


def test_static_files_stay_cacheable(client, db):
    response = client.get("/static/vendor/htmx.min.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.attack("headers")
def test_htmx_is_told_not_to_inject_its_indicator_style(client, caseworker):
    login(client, caseworker)
    html = client.get("/").content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>""" in html


@pytest.mark.attack("headers")
def test_no_template_has_inline_script_style_or_event_handlers():
    templates = [path for directory in TEMPLATE_DIRS for path in directory.rglob("*.html")]
    assert len(templates) > 20
    for path in templates:
        assert_nothing_inline(path.read_bytes())


@pytest.mark.attack("headers")
def test_evidence_downloads_are_inert_attachments(client, caseworker, records):
    login(client, caseworker)
    response = client.get(f"/evidence/{records['evidence'].pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == CSP


@pytest.mark.attack("headers")
def test_api_responses_carry_the_headers_too(client, caseworker):
    from shelter.accounts.models import ApiToken

    _, token = ApiToken.objects.issue(caseworker, "laptop")
    response = client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert_hardened(response)


@pytest.mark.attack("headers")
def test_production_https_sends_hsts_for_a_year_including_subdomains(client, db):
    response = client.get("/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.attack("headers")
def test_behind_a_tls_proxy_plain_http_is_redirected(settings, db):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    plain = client.get("/login/")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/login/"
    proxied = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.attack("csrf")
def test_a_form_post_with_a_null_origin_is_still_refused(caseworker):
    """We keep Referrer-Policy same-origin rather than accept "Origin: null", which a sandboxed
    frame or data: page on any site can send."""
    client = Client(enforce_csrf_checks=True)
    login(client, caseworker)
    page = client.get("/profile/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1).decode()
    forged = client.post("/profile/tokens/", {"csrfmiddlewaretoken": token, "name": "x"}, HTTP_ORIGIN="null")
    assert forged.status_code == 403
    same_origin = client.post("/profile/tokens/", {"csrfmiddlewaretoken": token, "name": "x"}, HTTP_ORIGIN="http://testserver")
    assert same_origin.status_code == 200
