"""Links, remote images, forms and file-building scripts in a message's text and HTML. Nothing is
fetched: a link is judged by what it says."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote, urlsplit

from . import domains
from .defang import defang
from .findings import Finding

URL = re.compile(r"""(?i)\b(?:https?://|www\.)[^\s<>"'()\[\]{}]+""")
SMUGGLING = re.compile(r"(?s)(?=.*\b(?:new\s+Blob|msSaveOrOpenBlob)\b)(?=.*\b(?:createObjectURL|msSaveOrOpenBlob|\.download\s*=))")


@dataclass
class Page:
    """What an HTML part holds that matters here."""
    anchors: list[tuple[str, str]] = field(default_factory=list)  # (href, shown text)
    images: list[str] = field(default_factory=list)
    forms: list[tuple[str, bool]] = field(default_factory=list)  # (action, has a password field)
    scripts: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)  # what a reader sees (for the wording of a lure)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page, self._anchor, self._text, self._form, self._script = Page(), None, [], None, None
        self._style = False

    def handle_starttag(self, tag, attrs):
        attrs = {k.lower(): v or "" for k, v in attrs}
        if tag == "a" and attrs.get("href"):
            self._anchor, self._text = attrs["href"], []
        elif tag == "img" and attrs.get("src"):
            self.page.images.append(attrs["src"])
        elif tag == "form":
            self._form = [attrs.get("action", ""), False]
        elif tag == "input" and attrs.get("type", "").lower() == "password":
            if self._form is None:
                self._form = ["", False]
            self._form[1] = True
        elif tag == "script":
            self._script = []
        elif tag == "style":
            self._style = True

    def handle_endtag(self, tag):
        if tag == "a" and self._anchor is not None:
            self.page.anchors.append((self._anchor, " ".join("".join(self._text).split())))
            self._anchor = None
        elif tag == "form" and self._form is not None:
            self.page.forms.append(tuple(self._form))
            self._form = None
        elif tag == "script" and self._script is not None:
            self.page.scripts.append("".join(self._script))
            self._script = None
        elif tag == "style":
            self._style = False

    def handle_data(self, data):
        if self._anchor is not None:
            self._text.append(data)
        if self._script is not None:
            self._script.append(data)
        elif not self._style:
            self.page.text.append(data)

    def close(self):
        super().close()
        if self._form is not None:
            self.page.forms.append(tuple(self._form))


def read_html(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


def urls_in_text(text: str) -> list[str]:
    return [u.rstrip(".,;:!?") for u in URL.findall(text)]


HOST_LINE = re.compile(r"""(?ix)^(?:[a-z][a-z0-9+.-]*://)?(?:[^\s/@:]+@)?
    (?:(?:[\w-]+\.)+(?:[^\W\d_]{2,}|xn--[\w-]+)|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\])
    (?::\d{1,5})?(?:[/?\#]\S*)?$""")


def url_list(text: str) -> list[str] | None:
    """The links of a text that is nothing but links (one per line, `hxxp` and `[.]` undone), or None."""
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    lines = [refang(line) for line in lines]
    if not lines or not all(HOST_LINE.match(line) for line in lines):
        return None
    return [line if "://" in line else f"http://{line}" for line in lines]


def refang(url: str) -> str:
    """A defanged link as it really is (hxxps://example[.]com → https://example.com)."""
    return re.sub(r"(?i)^hxxp", "http", url).replace("[.]", ".").replace("(.)", ".").replace("[:]", ":")


def url_host(url: str) -> str:
    """The host a link points at, lower-cased ('' when it has none)."""
    if url.lower().startswith("www."):
        url = "http://" + url
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def redirect_target(url: str) -> tuple[str, str] | None:
    """(service, target) when a link goes through a shortener or a redirector; target may be ''."""
    host = url_host(url)
    reg = domains.registrable(host)
    data = domains.brands()
    if host in data["shorteners"] or reg in data["shorteners"]:
        return host, ""
    parts = urlsplit(url if "://" in url else "http://" + url)
    for redirector in data["redirectors"]:
        if (host == redirector["host"] or host.endswith("." + redirector["host"]) or reg == redirector["host"]) \
                and parts.path == redirector["path"]:
            query = parse_qs(parts.query)
            target = next((query[p][0] for p in redirector["param"] if p in query), "")
            if not target and redirector["host"] == "href.li":
                target = parts.query
            return host, unquote(target)
    return None


def check_url(url: str, where: str) -> list[Finding]:
    """What a single link says about itself."""
    findings = []
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme in ("javascript", "data", "vbscript"):
        return [Finding("script_url", f"{where}: {url[:80]}", {"scheme": scheme})]
    host = url_host(url)
    if not host:
        return findings
    if domains.IPV4.match(host) or host.startswith("["):
        findings.append(Finding("ip_url", f"{where}: {defang(url)}", {"host": defang(host)}))
    redirect = redirect_target(url)
    if redirect:
        service, target = redirect
        findings.append(Finding("shortener_or_redirector", f"{where}: {defang(url)}",
                                {"service": service, "target": f" (to {defang(target)})" if target else ""}))
        if target:
            findings += check_url(target, where)
    findings += check_domain(host, f"{where}: {defang(url)}")
    return findings


def check_domain(host: str, evidence: str) -> list[Finding]:
    imitation = domains.imitation(host)
    if imitation is None:
        return []
    if imitation.homoglyph:
        return [Finding("idn_homoglyph", evidence, {"domain": defang(host), "shown": domains.to_unicode(host),
                                                    "skeleton": domains.skeleton(domains.to_unicode(host))})]
    return [Finding("lookalike_domain", evidence, {"domain": defang(host), "brand": imitation.brand,
                                                   "real": imitation.real, "how": imitation.how, "how_ru": imitation.how_ru})]


def check_page(page: Page, where: str) -> list[Finding]:
    findings = []
    for href, shown in page.anchors:
        findings += check_url(href, where)
        shown_urls = urls_in_text(shown)
        target = url_host(href)
        if shown_urls and target:
            shown_host = url_host(shown_urls[0])
            if shown_host and domains.registrable(shown_host) != domains.registrable(target):
                findings.append(Finding("link_text_mismatch", f"{where}: {defang(shown)} → {defang(href)}",
                                        {"shown": defang(shown_host), "target": defang(target)}))
    for src in page.images:
        if src.lower().startswith(("http://", "https://", "//")):
            findings.append(Finding("tracking_pixel", f"{where}: {defang(src)}",
                                    {"host": defang(url_host(src if "://" in src else "http:" + src))}))
    for action, has_password in page.forms:
        if has_password:
            findings.append(Finding("credential_form", f"{where}: form → {defang(action) or '(this page)'}",
                                    {"target": defang(action) or "?"}))
    if any(SMUGGLING.search(script) for script in page.scripts):
        findings.append(Finding("html_smuggling", where, {"file": where}))
    return findings
