"""The indicator feeds page: the shipped feeds with their publishers and licences for everyone who
triages; imports by administrators only, all-or-nothing, with the reason when refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shelter.artefacts.models import IndicatorFeed
from shelter.audit.models import AuditEvent

from .conftest import login


def test_a_caseworker_sees_the_shipped_feeds_with_their_licences_but_no_import(client, caseworker):
    login(client, caseworker)
    page = client.get(reverse("indicator-feeds")).content.decode()
    assert "amnesty-2020-03-12_uzbekistan" in page and "CC BY 2.0" in page and "mvt-2022-06-23_rcs_lab" in page
    assert 'enctype="multipart/form-data"' not in page


@pytest.mark.attack("insider")
def test_only_an_administrator_may_import(client, caseworker, coordinator):
    for user in (caseworker, coordinator):
        client.logout()
        login(client, user)
        upload = SimpleUploadedFile("x.txt", b"evil.example\n")
        assert client.post(reverse("indicator-feeds"), {"file": upload, "name": "x"}).status_code == 403
    assert not IndicatorFeed.objects.exists()


def test_an_administrator_imports_a_list_and_it_is_audited(client, administrator):
    login(client, administrator)
    upload = SimpleUploadedFile("domains.txt", b"# published list\nmail-verify-login.example\n203.0.113.9\n")
    response = client.post(reverse("indicator-feeds"), {"file": upload, "name": "ngo-list", "campaign": "Phishing 2026",
                                                        "source": "https://ngo.example/iocs"}, follow=True)
    page = response.content.decode()
    assert "2 indicators imported" in page and "ngo-list" in page and "Phishing 2026" in page
    assert AuditEvent.objects.filter(action="import", object_type="indicatorfeed").exists()


def test_a_bad_list_is_refused_naming_the_line_and_the_feed_before_it_is_kept(client, administrator):
    login(client, administrator)
    client.post(reverse("indicator-feeds"), {"file": SimpleUploadedFile("a.txt", b"one.example\n"), "name": "ngo-list"})
    response = client.post(reverse("indicator-feeds"), {"file": SimpleUploadedFile("b.txt", b"two.example\nnot a value here\n"), "name": "ngo-list"})
    assert "Nothing was imported" in response.content.decode() and "line 2" in response.content.decode()
    assert list(IndicatorFeed.objects.get(name="ngo-list").indicators.values_list("value", flat=True)) == ["one.example"]


def test_a_shipped_feeds_name_cannot_be_taken(client, administrator):
    login(client, administrator)
    upload = SimpleUploadedFile("a.txt", b"one.example\n")
    response = client.post(reverse("indicator-feeds"), {"file": upload, "name": "mvt-2022-06-23_rcs_lab"})
    assert "shipped with Shelter" in response.content.decode() and not IndicatorFeed.objects.exists()


@pytest.mark.attack("xss")
def test_a_campaign_name_with_markup_is_shown_as_text(client, administrator):
    login(client, administrator)
    upload = SimpleUploadedFile("a.txt", b"one.example\n")
    client.post(reverse("indicator-feeds"), {"file": upload, "name": "n", "campaign": "<script>alert(1)</script>"})
    page = client.get(reverse("indicator-feeds")).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_the_page_reads_in_russian(client, caseworker):
    login(client, caseworker)
    client.cookies["django_language"] = "ru"
    page = client.get(reverse("indicator-feeds")).content.decode()
    assert "Источники индикаторов" in page and "шпионская программа Hermit" in page


@pytest.mark.attack("insider")
def test_an_auditor_does_not_see_it(client, auditor):
    login(client, auditor)
    assert client.get(reverse("indicator-feeds")).status_code in (302, 403)
