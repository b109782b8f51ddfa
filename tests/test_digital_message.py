"""Offline triage of a suspicious message: every finding kind, built in the test, and the limits that
keep a hostile message from hanging or exhausting the parser."""

import io
import time
import zipfile
from email.message import EmailMessage

import pytest

from shelter.digital import iocs
from shelter.digital.message import Limits, analyse_bytes, analyse_file

NO_FEEDS = iocs.Feeds()


def message(sender="Anvar <anvar@example.org>", text="Hello", html=None, **headers) -> EmailMessage:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = sender, "caseworker@example.net", headers.pop("subject", "Hello")
    for name, value in headers.items():
        m[name.replace("_", "-")] = value
    m.set_content(text)
    if html:
        m.add_alternative(html, subtype="html")
    return m


def kinds(m, feeds=NO_FEEDS, **kwargs) -> set[str]:
    reports = analyse_bytes(bytes(m), "message.eml", feeds=feeds, **kwargs)
    return {f.kind for report in reports for f in report.findings}


def report_of(m, feeds=NO_FEEDS) -> dict:
    return analyse_bytes(bytes(m), "message.eml", feeds=feeds)[-1].as_dict()


def test_a_plain_personal_message_shows_no_known_signs():
    result = report_of(message(Authentication_Results="mx.example.net; spf=pass smtp.mailfrom=example.org; dkim=pass header.d=example.org"))
    assert result["verdict"] == "no_known_signs" and result["findings"] == []


def test_it_trusts_only_the_receiving_providers_authentication_results():
    m = message(Authentication_Results="mx.example.net; spf=fail smtp.mailfrom=example.org")
    m["Authentication-Results"] = "forged.example; dkim=fail header.d=example.org"  # lower down: not trusted
    result = report_of(m)
    failures = [f for f in result["findings"] if f["kind"] == "auth_fail"]
    assert [f["evidence"] for f in failures] == ["Authentication-Results: mx.example.net; spf=fail"]


def test_a_message_without_authentication_results_cannot_be_checked_offline():
    assert "auth_unverifiable" in kinds(message())


def test_a_sender_name_imitating_a_service_is_named_with_the_service():
    result = report_of(message(sender="Mail.ru Security <alert@secure-login.example>"))
    finding = next(f for f in result["findings"] if f["kind"] == "display_name_impersonation")
    assert "Mail.ru" in finding["summary"] and "secure-login[.]example" in finding["summary"]
    assert "Mail.ru" in finding["summary_ru"]


def test_a_reply_address_at_another_domain_is_reported():
    assert "reply_to_mismatch" in kinds(message(Reply_To="collect@elsewhere.example"))


@pytest.mark.parametrize("domain, brand", [
    ("accountsgoog1e.com", "Google"), ("accounts-google-security.com", "Google"), ("goolge.com", "Google"),
    ("google.co", "Google"), ("vkontak1e.com", "VK"), ("mailru-support.info", "Mail.ru"), ("ozodl1k.org", "RFE/RL"),
])
def test_lookalike_domains_name_the_service_they_imitate(domain, brand):
    result = report_of(message(text=f"Sign in: https://{domain}/login"))
    finding = next(f for f in result["findings"] if f["kind"] == "lookalike_domain")
    assert brand in finding["summary"] and "hxxps://" in finding["evidence"]


@pytest.mark.parametrize("domain", ["google.com", "mail.google.com", "mail.ru", "mail.com", "example.org", "ozodlik.org"])
def test_the_services_own_domains_and_unrelated_ones_are_not_lookalikes(domain):
    assert "lookalike_domain" not in kinds(message(text=f"See https://{domain}/page"))


def test_a_homoglyph_domain_is_read_as_the_service_it_imitates():
    result = report_of(message(text="Verify: https://xn--ggle-0nda.com/verify"))
    finding = next(f for f in result["findings"] if f["kind"] == "idn_homoglyph")
    assert "google.com" in finding["summary"]


def test_a_link_showing_one_address_and_leading_to_another_is_reported():
    html = '<p><a href="https://signin.example-accounts.net/x">https://accounts.google.com/signin</a></p>'
    assert "link_text_mismatch" in kinds(message(html=html))


def test_a_redirector_is_followed_to_its_target_without_fetching_it():
    result = report_of(message(text="https://www.google.com/url?q=https://accountsgoog1e.com/a"))
    redirect = next(f for f in result["findings"] if f["kind"] == "shortener_or_redirector")
    assert "accountsgoog1e[.]com" in redirect["summary"]
    assert "lookalike_domain" in {f["kind"] for f in result["findings"]}


def test_a_shortener_is_reported():
    assert "shortener_or_redirector" in kinds(message(text="Document: https://bit.ly/3abcDEF"))


def test_a_link_to_a_bare_ip_address_is_reported():
    assert "ip_url" in kinds(message(text="Download: http://185.100.87.1/file"))


def test_a_javascript_or_data_link_is_reported():
    assert "script_url" in kinds(message(html='<a href="javascript:alert(1)">open</a>'))


def test_a_remote_image_that_tells_the_sender_the_mail_was_read_is_reported():
    assert "tracking_pixel" in kinds(message(html='<img src="https://t.example.net/open.gif?id=123" width="1">'))


def test_a_form_asking_for_a_password_is_reported():
    html = '<form action="https://collect.example/p"><input name="u"><input type="password" name="p"></form>'
    assert "credential_form" in kinds(message(html=html))


def attach(m: EmailMessage, name: str, data: bytes) -> EmailMessage:
    m.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return m


def zipped(members: dict, encrypted=False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    data = bytearray(buffer.getvalue())
    if encrypted:  # set the flag a locked archive carries (zipfile cannot write one); the content need not be real
        for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            start = data.find(signature)
            while start != -1:
                data[start + offset] |= 0x1
                start = data.find(signature, start + 4)
    return bytes(data)


def test_a_program_sent_under_a_harmless_name_is_found_by_its_content():
    result = report_of(attach(message(), "photo.jpg", b"MZ\x90\x00" + b"\x00" * 100))
    finding = next(f for f in result["findings"] if f["kind"] == "executable_attachment")
    assert "Windows program" in finding["summary"]
    assert any(i["type"] == "sha256" for i in result["indicators"])


@pytest.mark.parametrize("name", ["invoice.pdf.exe", "report\u202efdp.scr"])
def test_names_that_hide_the_real_type_are_reported(name):
    assert "double_extension" in kinds(attach(message(), name, b"MZ"))


@pytest.mark.attack("xss")
def test_the_right_to_left_override_is_shown_not_obeyed():
    result = report_of(attach(message(), "report\u202efdp.scr", b"MZ"))
    assert all("\u202e" not in f["summary"] and "\u202e" not in f["evidence"] for f in result["findings"])
    assert any("<U+202E>" in f["evidence"] for f in result["findings"])


def test_an_archive_holding_a_program_is_reported():
    assert "archive_with_executable" in kinds(attach(message(), "docs.zip", zipped({"cv.docx.js": b"WScript"})))


def test_a_locked_archive_with_its_password_in_the_body_is_reported():
    m = attach(message(text="Пароль к архиву: 1234"), "scan.zip", zipped({"scan.pdf": b"%PDF"}, encrypted=True))
    result = report_of(m)
    finding = next(f for f in result["findings"] if f["kind"] == "encrypted_archive")
    assert "password is in the message" in finding["summary"]


def test_an_office_document_with_macros_is_reported():
    docm = zipped({"[Content_Types].xml": b"<Types/>", "word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})
    assert "office_macro" in kinds(attach(message(), "invitation.docm", docm))


def test_an_old_office_document_with_macros_attached_to_a_message_is_reported():
    from pathlib import Path

    xls = (Path(__file__).parent / "data" / "office" / "excel4_sample_macro.xls").read_bytes()
    assert "office_macro" in kinds(attach(message(), "invoice.xls", xls))


def test_a_document_loading_a_remote_template_is_reported():
    rels = (b'<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/attachedTemplate" Target="https://templates.example/t.dotm" TargetMode="External"/></Relationships>')
    docx = zipped({"word/_rels/settings.xml.rels": rels, "word/document.xml": b"<w:document/>"})
    result = report_of(attach(message(), "interview.docx", docx))
    finding = next(f for f in result["findings"] if f["kind"] == "remote_template")
    assert "templates[.]example" in finding["summary"]


def test_a_dde_field_is_reported():
    docx = zipped({"word/document.xml": b'<w:instrText> DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"</w:instrText>'})
    assert "dde" in kinds(attach(message(), "court-summons.docx", docx))


def test_active_content_in_a_pdf_is_reported():
    pdf = b"%PDF-1.7\n1 0 obj << /OpenAction 2 0 R >> endobj 2 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj"
    result = report_of(attach(message(), "asylum-decision.pdf", pdf))
    finding = next(f for f in result["findings"] if f["kind"] == "pdf_active_content")
    assert "JavaScript" in finding["summary"] and "opening" in finding["summary"]


def test_html_that_builds_a_file_and_downloads_it_is_reported():
    page = (b"<html><script>var b = new Blob([atob(data)], {type: 'application/octet-stream'});"
            b"var a = document.createElement('a'); a.href = URL.createObjectURL(b); a.download = 'cv.iso';</script></html>")
    assert "html_smuggling" in kinds(attach(message(), "document.html", page))


def test_a_value_from_a_feed_is_a_known_indicator_and_makes_the_verdict_malicious():
    feeds = iocs.Feeds()
    feeds.add(iocs.Indicator("domain", "collect.example", "a test campaign", "test feed"))
    result = report_of(message(text="https://login.collect.example/x"), feeds=feeds)
    assert result["verdict"] == "malicious"
    finding = next(f for f in result["findings"] if f["kind"] == "known_ioc")
    assert "a test campaign" in finding["summary"]


def test_the_shipped_rcs_lab_feed_finds_a_link_to_one_of_its_domains():
    result = report_of(message(text="Update your phone: https://119-tim.info/app"), feeds=iocs.built_in())
    finding = next(f for f in result["findings"] if f["kind"] == "known_ioc")
    assert "RCSLab" in finding["summary"] and "mvt-2022-06-23_rcs_lab" in finding["summary"]


def test_the_verdict_names_what_the_attacker_was_after():
    result = report_of(message(sender="Google <no-reply@accountsgoog1e.com>", text="https://accountsgoog1e.com/x"))
    assert result["verdict"] == "malicious" and result["likely_goal"][0] == "credentials"


def test_a_forwarded_message_is_reported_on_its_own():
    inner = message(sender="Google <no-reply@accountsgoog1e.com>", text="https://accountsgoog1e.com/x")
    outer = message(text="Is this real?")
    outer.add_attachment(inner)
    reports = analyse_bytes(bytes(outer), "fwd.eml", feeds=NO_FEEDS)
    assert [r.as_dict()["verdict"] for r in reports] == ["no_known_signs", "malicious"]
    assert "forwarded message" in reports[1].file


@pytest.mark.attack("xss")
def test_values_are_shown_defanged():
    result = report_of(message(text="https://accountsgoog1e.com/x"))
    shown = " ".join([f["summary"] + f["evidence"] for f in result["findings"]] + [i["value"] for i in result["indicators"]])
    assert "https://" not in shown and "accountsgoog1e.com" not in shown


def test_a_file_that_is_not_a_message_is_analysed_as_a_file():
    reports = analyse_bytes(b"MZ\x90\x00rest", "setup.exe", feeds=NO_FEEDS)
    assert reports[0].file == "setup.exe" and "executable_attachment" in {f.kind for f in reports[0].findings}


# -- limits: a hostile message must not hang or exhaust the parser --------------------------------------

@pytest.mark.attack("denial-of-service")
def test_a_huge_header_line_is_refused_quickly():
    raw = b"From: a@example.org\r\nX-Junk: " + b"A" * (50 * 1024 * 1024) + b"\r\n\r\nbody"
    started = time.monotonic()
    reports = analyse_bytes(raw, "huge.eml", feeds=NO_FEEDS, limits=Limits(message_bytes=100 * 1024 * 1024))
    assert time.monotonic() - started < 5
    assert reports[0].findings[0].kind == "parse_limit" and "header line" in reports[0].findings[0].params["what"]


@pytest.mark.attack("denial-of-service")
def test_messages_nested_too_deep_stop_at_the_limit():
    m = message(text="level 0")
    for level in range(1, 60):
        outer = message(text=f"level {level}")
        outer.add_attachment(m)
        m = outer
    started = time.monotonic()
    reports = analyse_bytes(bytes(m), "deep.eml", feeds=NO_FEEDS, limits=Limits(depth=10))
    assert time.monotonic() - started < 20
    assert len(reports) == 11
    assert any(f.kind == "parse_limit" for r in reports for f in r.findings)


@pytest.mark.attack("denial-of-service")
def test_a_zip_bomb_is_listed_not_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.bin", b"\x00" * (200 * 1024 * 1024))  # 200 MB of zeros, a few hundred KB packed
        for n in range(1500):
            archive.writestr(f"f{n}.txt", b"x")
    started = time.monotonic()
    found = kinds(attach(message(), "bomb.zip", buffer.getvalue()))
    assert time.monotonic() - started < 20
    assert "parse_limit" in found


def test_an_oversized_message_is_refused_without_reading_it():
    reports = analyse_bytes(b"From: a@b.c\r\n\r\n" + b"x" * 2000, "big.eml", feeds=NO_FEEDS, limits=Limits(message_bytes=1000))
    assert reports[0].findings[0].kind == "parse_limit"


def test_a_mailbox_is_read_one_message_at_a_time(tmp_path):
    import mailbox

    box = mailbox.mbox(tmp_path / "inbox.mbox")
    box.add(message(text="Hello, see you tomorrow"))
    box.add(message(sender="Google <no-reply@accountsgoog1e.com>", text="https://accountsgoog1e.com/x"))
    box.flush()
    reports = analyse_file(tmp_path / "inbox.mbox", feeds=NO_FEEDS)
    assert [r.file for r in reports] == ["inbox.mbox #1", "inbox.mbox #2"]
    assert [r.as_dict()["verdict"] for r in reports] == ["no_known_signs", "malicious"]
    assert [r.file for r in analyse_bytes((tmp_path / "inbox.mbox").read_bytes(), "upload.mbox", feeds=NO_FEEDS)] == \
        ["upload.mbox #1", "upload.mbox #2"]


def test_an_outlook_message_is_read_with_its_transport_headers_and_attachments():
    from pathlib import Path

    raw = (Path(__file__).parent / "data" / "msg" / "unicode.msg").read_bytes()
    [report] = analyse_bytes(raw, "forwarded.msg", feeds=NO_FEEDS)
    result = report.as_dict()
    assert result["subject"] == "Test for TIF files"
    assert {"type": "filename", "value": "raised value error.tif", "context": "attachment"} in result["indicators"]
    assert any(i["type"] == "email" and i["context"] == "From" for i in result["indicators"])


def test_a_file_name_with_a_right_to_left_override_is_reported_visibly():
    [report] = analyse_bytes(b"MZ\x90\x00", "photo\u202egpj.exe", feeds=NO_FEEDS)
    assert report.file == "photo<U+202E>gpj.exe"
    assert "double_extension" in {f.kind for f in report.findings}


def test_a_list_of_links_is_judged_link_by_link_and_defanged_ones_are_read():
    reports = analyse_bytes(b"# sent on Telegram\nhxxps://accountsgoog1e[.]com/login\nbit.ly/3xYz\n", "links.txt", feeds=NO_FEEDS)
    found = {f.kind for f in reports[0].findings}
    assert found == {"lookalike_domain", "shortener_or_redirector"}
    assert {"type": "domain", "value": "accountsgoog1e.com", "context": "link"} in reports[0].indicators


def test_a_text_file_that_is_not_only_links_is_a_file_not_a_list():
    [report] = analyse_bytes(b"Meeting notes: see https://example.org tomorrow\n", "notes.txt", feeds=NO_FEEDS)
    assert not any(i["type"] == "url" for i in report.indicators)


def test_every_finding_kind_of_the_vocabulary_is_asserted_by_a_test():
    from pathlib import Path

    from shelter.digital.findings import vocabulary

    here = Path(__file__).parent
    sources = "".join(p.read_text(encoding="utf-8") for p in [*here.glob("test_digital_*.py"), *here.glob("test_command_triage*.py")])
    assert [k for k in vocabulary()["kinds"] if f'"{k}"' not in sources] == []
