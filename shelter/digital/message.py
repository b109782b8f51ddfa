"""A whole message (or a file) analysed within limits: the headers, every text and HTML part, every
attachment, and each message forwarded inside it (message/rfc822, to any depth the limits allow), each
reported on its own. The values it yields (domains, URLs, addresses, IPs, hashes, names) are matched
against the indicator feeds."""

import email
import re
from pathlib import Path
from dataclasses import dataclass, field, replace
from email import policy
from email.utils import parseaddr

from . import dkimcheck, dnscheck, files, headers, iocs, links, outlook, similarity
from .defang import defang
from .findings import Finding
from .verdict import goals, verdict


@dataclass(frozen=True)
class Limits:
    message_bytes: int = 50 * 1024 * 1024
    header_line_bytes: int = 64 * 1024
    parts: int = 1000
    depth: int = 10


@dataclass
class Report:
    file: str
    message_id: str = ""
    subject: str = ""
    findings: list[Finding] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    traits: list[dict] = field(default_factory=list)  # similarity samples (see similarity), for linking only
    dns: list[dict] | None = None  # with --online only: the names asked (dnscheck)

    def trait(self, type_: str, values: list[str]) -> None:
        self.traits += [{"type": type_, "value": v} for v in values if {"type": type_, "value": v} not in self.traits]

    def indicate(self, type_: str, value: str, context: str) -> None:
        if value and not any(i["type"] == type_ and i["value"] == value for i in self.indicators):
            self.indicators.append({"type": type_, "value": value, "context": context})

    def as_dict(self) -> dict:
        result, score = verdict(self.findings)
        out = {"file": self.file}
        if self.message_id:
            out["message_id"] = self.message_id
        if self.subject:
            out["subject"] = self.subject
        out.update({"verdict": result, "score": score, "likely_goal": goals(self.findings),
                    "findings": [f.as_dict() for f in _unique(self.findings)],
                    "indicators": [{**i, "value": defang(i["value"]) if i["type"] in ("domain", "url", "email", "ipv4") else i["value"]}
                                   for i in self.indicators]})
        if self.dns is not None:
            out.update({"online": True, "dns_queries": self.dns})
        return out


def _unique(findings):
    return list({(f.kind, f.evidence): f for f in findings}.values())


def _oversized_header(raw: bytes, limit: int) -> bool:
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    return any(len(line) > limit for line in head.splitlines())


def analyse_bytes(raw: bytes, name: str, limits: Limits = Limits(), feeds: iocs.Feeds | None = None,
                  dkim_keys: dict | None = None, online: "dnscheck.Online | dnscheck.Session | None" = None) -> list[Report]:
    """The reports for a message (.eml bytes) or, if it is not one, for the file itself. ``dkim_keys``
    (DNS records by name, see dkimcheck) lets a DKIM signature be verified offline; ``online`` lets DNS
    be asked (see dnscheck: it reveals), and each report then lists what was asked."""
    reports = _analyse_bytes(raw, name, limits, feeds, dkim_keys, online)
    if online is not None:
        for report in reports:  # a file, or a message over a limit: online, nothing asked
            report.dns = [] if report.dns is None else report.dns
    return reports


def _analyse_bytes(raw, name, limits, feeds, dkim_keys, online) -> list[Report]:
    feeds = iocs.built_in() if feeds is None else feeds
    given, name = name, files.shown_name(name)  # reports show the name with its tricks visible; checks read it as given
    if raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") and name.lower().endswith(".msg"):
        try:
            raw = outlook.to_eml(raw)
        except outlook.NotOutlook:
            pass  # analysed as the file it is
    if is_mbox(raw[:1024]):  # an mbox given as bytes: read it from a temporary file, one message at a time
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".mbox") as handle:
            handle.write(raw)
            handle.flush()
            return [replace(r, file=r.file.replace(Path(handle.name).name, name, 1))
                    for r in analyse_file(handle.name, limits, feeds, dkim_keys, online)]
    looks_like_mail = re.match(rb"(?i)^(?:[\w-]+:[^\n]*\r?\n)+", raw[:4096]) is not None and b"\n\n" in raw[:limits.message_bytes].replace(b"\r\n", b"\n")
    if not looks_like_mail:
        report = Report(name)
        listed = links.url_list(raw[:1024 * 1024].decode("utf-8", "replace")) if len(raw) <= 1024 * 1024 and b"\0" not in raw else None
        if listed:
            _links(report, listed, feeds)
        else:
            _file(report, given, raw, "", feeds)
        return [report]
    reports: list[Report] = []
    if len(raw) > limits.message_bytes:
        report = Report(name, findings=[Finding("parse_limit", name, {"what": f"{len(raw)} bytes, over {limits.message_bytes}"})])
        return [report]
    if _oversized_header(raw, limits.header_line_bytes):
        return [Report(name, findings=[Finding("parse_limit", name, {"what": f"a header line over {limits.header_line_bytes} bytes"})])]
    message = email.message_from_bytes(raw, policy=policy.default)
    _message(message, name, limits, feeds, reports, depth=0, budget=[limits.parts])
    if online is None:
        reports[0].findings += dkimcheck.check(raw, dkim_keys or {})
    else:
        session = online if isinstance(online, dnscheck.Session) else dnscheck.Session(online)
        dnscheck.examine(raw, reports, dkim_keys or {}, session)
    return reports


def _message(message, name, limits, feeds, reports, depth, budget):
    report = Report(name, str(message.get("Message-ID", "") or "").strip(), str(message.get("Subject", "") or "")[:300])
    reports.append(report)
    report.findings += headers.authentication(message) + headers.identity(message)
    _, sender = parseaddr(str(message.get("From", "")))
    if sender:
        report.indicate("email", sender.lower(), "From")
        report.indicate("domain", sender.rsplit("@", 1)[-1].lower(), "From")
        report.findings += links.check_domain(sender.rsplit("@", 1)[-1], f"From: {defang(sender)}")
    for _, reply in email.utils.getaddresses([str(v) for v in message.get_all("Reply-To") or []]):
        report.indicate("email", reply.lower(), "Reply-To")
    for ip in headers.received_ips(message):
        report.indicate("ipv4", ip, "Received")
    for domain in headers.dkim_domains(message):
        report.indicate("domain", domain, "DKIM")
    texts, wording = [], []
    for part in _leaves(message, limits, report, budget):
        if part.get_content_type() == "message/rfc822":
            if depth + 1 > limits.depth:
                report.findings.append(Finding("parse_limit", name, {"what": f"messages nested deeper than {limits.depth}"}))
                continue
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            if hasattr(inner, "walk"):
                _message(inner, f"{name} › {part.get_filename() or 'forwarded message'}", limits, feeds, reports, depth + 1, budget)
            continue
        filename = part.get_filename()
        try:
            payload = part.get_payload(decode=True) or b""
        except Exception:  # noqa: BLE001 — a broken encoding is reported through what remains
            payload = b""
        if filename or part.get_content_maintype() not in ("text",):
            _file(report, filename or f"part {part.get_content_type()}", payload, "\n".join(texts), feeds)
        elif part.get_content_subtype() == "html":
            html = payload.decode(part.get_content_charset() or "utf-8", "replace")
            page = links.read_html(html)
            report.findings += links.check_page(page, "HTML body")
            for href, _ in page.anchors:
                report.indicate("url", href, "link")
            texts.append(html)
            wording.append(" ".join(page.text))
        else:
            text = payload.decode(part.get_content_charset() or "utf-8", "replace")
            texts.append(text)
            wording.insert(0, text)  # a plain version, when there is one, is the lure as written
            for url in links.urls_in_text(text):
                _link(report, url, "text body")
    if message.get_content_maintype() == "text" and not message.is_multipart():
        payload = message.get_payload(decode=True) or b""
        text = payload.decode(message.get_content_charset() or "utf-8", "replace")
        if message.get_content_subtype() == "html":
            page = links.read_html(text)
            report.findings += links.check_page(page, "HTML body")
            for href, _ in page.anchors:
                report.indicate("url", href, "link")
            wording.append(" ".join(page.text))
        else:
            wording.append(text)
            for url in links.urls_in_text(text):
                _link(report, url, "text body")
    if wording:
        report.trait("lure", similarity.lure_trait(wording[0]))
    _link_domains(report)
    _known(report, feeds)


def _link(report: Report, url: str, where: str) -> None:
    report.findings += links.check_url(url, where)
    report.indicate("url", url, "link")


def _link_domains(report: Report) -> None:
    """Each link's host as a domain of its own (what feeds and campaigns match)."""
    for indicator in list(report.indicators):
        if indicator["type"] == "url":
            host = links.url_host(indicator["value"])
            if host:
                report.indicate("domain", host, indicator["context"])


def _leaves(message, limits: Limits, report: Report, budget: list):
    """The message's parts that hold content, in order, without entering forwarded messages (each is
    reported on its own) and within the budget of parts and the depth of nesting."""
    if not message.is_multipart():
        return
    stack = [(sub, 1) for sub in reversed(message.get_payload())]
    while stack:
        part, level = stack.pop()
        budget[0] -= 1
        if budget[0] < 0:
            report.findings.append(Finding("parse_limit", report.file, {"what": f"more than {limits.parts} parts"}))
            return
        if part.get_content_type() == "message/rfc822" or not part.is_multipart():
            yield part
        elif level >= limits.depth * 10:
            report.findings.append(Finding("parse_limit", report.file, {"what": "multipart sections nested too deep"}))
        else:
            stack.extend((sub, level + 1) for sub in reversed(part.get_payload()))


def _file(report: Report, name: str, data: bytes, body_text: str, feeds) -> None:
    report.findings += files.check_file(name, data, body_text)
    for type_, value in files.hashes(data).items():
        report.indicate(type_, value, f"file {files.shown_name(name)}")
    report.indicate("filename", files.shown_name(name), "attachment")
    report.trait("file", similarity.file_trait(data))
    _known(report, feeds)


def _links(report: Report, urls: list[str], feeds) -> None:
    """A list of links someone was sent (pasted, or kept as text), each judged on its own."""
    for url in urls[:10000]:
        _link(report, url, "link list")
    _link_domains(report)
    _known(report, feeds)


def _known(report: Report, feeds: iocs.Feeds) -> None:
    for indicator in report.indicators:
        found = feeds.match(indicator["type"], indicator["value"])
        if found:
            report.findings.append(Finding("known_ioc", f"{indicator['context']}: {defang(indicator['value'])}",
                                           {"value": defang(indicator["value"]), "campaign": found.campaign,
                                            "campaign_ru": found.campaign_ru or found.campaign, "feed": found.feed}))


MBOX_FROM = re.compile(rb"^From \S+ ")


def is_mbox(head: bytes) -> bool:
    return MBOX_FROM.match(head) is not None


def analyse_file(path, limits: Limits = Limits(), feeds: iocs.Feeds | None = None, dkim_keys: dict | None = None,
                 online: "dnscheck.Online | dnscheck.Session | None" = None) -> list[Report]:
    """A message, a file, or a whole mailbox (mbox), read one message at a time (with one DNS budget)."""
    import mailbox
    from pathlib import Path

    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(1024)
    if is_mbox(head):
        reports = []
        if isinstance(online, dnscheck.Online):
            online = dnscheck.Session(online)
        for number, message in enumerate(mailbox.mbox(path, create=False), start=1):
            raw = message.as_bytes()
            reports += analyse_bytes(raw, f"{path.name} #{number}", limits, feeds, dkim_keys, online)
        return reports
    with path.open("rb") as handle:
        raw = handle.read(limits.message_bytes + 1)
    return analyse_bytes(raw, path.name, limits, feeds, dkim_keys, online)


def report_dicts_for_path(path: str, feeds: iocs.Feeds | None = None, dkim_keys: dict | None = None,
                          online: dnscheck.Online | None = None) -> list[dict]:
    return [_plain(report) for report in analyse_file(path, feeds=feeds, dkim_keys=dkim_keys, online=online)]


def report_dicts(raw: bytes, name: str, feeds: iocs.Feeds | None = None) -> list[dict]:
    """The reports as plain data (what a child process hands back), each with its raw indicator values
    (for STIX and for linking) beside the defanged ones it shows."""
    return [_plain(report) for report in analyse_bytes(raw, name, feeds=feeds)]


def _plain(report: Report) -> dict:
    return {**report.as_dict(), "raw_indicators": report.indicators, "traits": report.traits}
