"""Attachments judged by their content, not their name: programs and scripts, names that hide the type,
archives and disk images (what is inside, whether it is locked: containers), Office macros and packed
files (oletools: office), remote templates and DDE, active PDF content, HTML that builds a file. Read
within limits; nothing inside is run, opened or unpacked."""

import hashlib
import re
from dataclasses import dataclass

from . import containers, links, office
from .defang import defang
from .findings import Finding

EXECUTABLE_EXTENSIONS = {"exe", "scr", "com", "pif", "bat", "cmd", "js", "jse", "vbs", "vbe", "wsf", "hta",
                         "lnk", "ps1", "psm1", "apk", "jar", "msi", "dll", "cpl", "reg", "sh", "elf"}
DOCUMENT_EXTENSIONS = {"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "rtf", "txt", "jpg", "jpeg", "png", "odt", "zip"}
MAGIC = [(b"MZ", "Windows program"), (b"\x7fELF", "Linux program"), (b"dex\n", "Android program"),
         (b"#!", "script"), (b"L\x00\x00\x00\x01\x14\x02\x00", "Windows shortcut")]
RTL_OVERRIDE = "\u202e"
PDF_ACTIVE = [(rb"/JavaScript\b|/JS\b", "JavaScript"), (rb"/OpenAction\b", "an action on opening"),
              (rb"/AA\b", "automatic actions"), (rb"/Launch\b", "a Launch action"), (rb"/EmbeddedFile\b", "an embedded file")]


@dataclass(frozen=True)
class FileLimits:
    archive_members: int = 1000
    member_bytes: int = 20 * 1024 * 1024  # an XML part of an Office file is read only up to this


def hashes(data: bytes) -> dict:
    return {"md5": hashlib.md5(data).hexdigest(), "sha1": hashlib.sha1(data).hexdigest(),  # noqa: S324 — indicators, not security
            "sha256": hashlib.sha256(data).hexdigest()}


def kind_of(data: bytes) -> str:
    """What the content is, whatever its name says."""
    for magic, what in MAGIC:
        if data.startswith(magic):
            return what
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if data.startswith(b"{\\rt"):
        return "rtf"
    if data.startswith(b"Rar!\x1a\x07"):
        return "rar archive"
    if data.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z archive"
    if data.startswith(b"ID;P"):
        return "sylk"  # a spreadsheet as text, which can carry Excel 4 macros
    if data[32769:32774] == b"CD001":
        return "disk image"
    head = data[:2048].lower()
    if b"<html" in head or b"<!doctype html" in head or b"<script" in head:
        return "html"
    return "data"


def _extensions(name: str) -> list[str]:
    parts = name.lower().rsplit("/", 1)[-1].split(".")
    return parts[1:] if len(parts) > 1 else []


def check_name(name: str) -> list[Finding]:
    findings = []
    if RTL_OVERRIDE in name:
        shown = name.replace(RTL_OVERRIDE, "")
        findings.append(Finding("double_extension", f"file: {shown_name(name)}",
                                {"file": shown_name(name), "how": f"a right-to-left override shows the name reversed from there on; it really ends in .{_extensions(shown)[-1] if _extensions(shown) else '?'}"}))
    extensions = _extensions(name.replace(RTL_OVERRIDE, ""))
    if len(extensions) >= 2 and extensions[-1] in EXECUTABLE_EXTENSIONS and extensions[-2] in DOCUMENT_EXTENSIONS:
        findings.append(Finding("double_extension", f"file: {name}",
                                {"file": name, "how": f"it looks like .{extensions[-2]} but is .{extensions[-1]}"}))
    return findings


def shown_name(name: str) -> str:
    """A file name with its invisible and direction-changing characters made visible."""
    return "".join(f"<U+{ord(c):04X}>" if c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f" or not c.isprintable() else c
                   for c in name)


def check_file(name: str, data: bytes, body_text: str = "", limits: FileLimits = FileLimits()) -> list[Finding]:
    """Findings about one file (an attachment, or a file given on its own)."""
    findings = check_name(name)
    given, name = name, shown_name(name)
    what = kind_of(data)
    extensions = _extensions(name)
    executable = what in ("Windows program", "Linux program", "Android program", "Windows shortcut") or \
        (extensions and extensions[-1] in EXECUTABLE_EXTENSIONS)
    if executable:
        findings.append(Finding("executable_attachment", f"file: {name}", {"file": name, "what": what if what != "data" else f".{extensions[-1]}"}))
    if what == "zip":
        findings += _zip(given, name, data, body_text, limits)
    elif what in CONTAINERS:
        listing = CONTAINERS[what](data, limits.archive_members)
        findings += _archive(name, listing, body_text, limits) if listing else []
    elif what == "pdf":
        active = [label for pattern, label in PDF_ACTIVE if re.search(pattern, data)]
        if active:
            findings.append(Finding("pdf_active_content", f"file: {name}", {"file": name, "what": ", ".join(active)}))
    elif what in ("ole", "sylk"):
        findings += office.macros(given, data, name) + office.packages(given, data, name)
    elif what == "rtf":
        findings += office.rtf_objects(data, name)
    elif what == "html":
        page = links.read_html(data.decode("utf-8", "replace"))
        findings += links.check_page(page, f"file: {name}")
    return findings


CONTAINERS = {"7z archive": containers.sevenzip_listing, "rar archive": containers.rar_listing,
              "disk image": containers.disk_image_listing}


def _archive(name: str, listing: containers.Listing, body_text: str, limits: FileLimits) -> list[Finding]:
    """What any archive's listing shows: too many files, a password (and whether the message gives it),
    programs inside, names that hide their type."""
    findings = []
    if listing.more:
        findings.append(Finding("parse_limit", f"file: {name}",
                                {"what": f"{len(listing.names) + listing.more} files in {name}, over {limits.archive_members}"}))
    if listing.locked:
        in_message = re.search(r"(?i)password|пароль|parol", body_text) is not None
        hidden = " — even the names of its files are hidden" if listing.names_locked else ""
        hidden_ru = " — скрыты даже имена файлов" if listing.names_locked else ""
        findings.append(Finding("encrypted_archive", f"file: {name}",
                                {"file": name, "password": hidden + (" (the password is in the message)" if in_message else ""),
                                 "password_ru": hidden_ru + (" (пароль указан в письме)" if in_message else "")}))
    inner = [n for n in listing.names if _extensions(n) and _extensions(n)[-1] in EXECUTABLE_EXTENSIONS]
    if inner:
        findings.append(Finding("archive_with_executable", f"file: {name}", {"file": name, "inner": ", ".join(map(shown_name, inner[:5]))}))
    for inner_name in listing.names:
        findings += [f for f in check_name(inner_name) if f.kind == "double_extension"]
    return findings


def _zip(given: str, name: str, data: bytes, body_text: str, limits: FileLimits) -> list[Finding]:
    """A zip: as an archive, and as the container of an Office document (OOXML) with its macros,
    packed files, remote templates and DDE fields."""
    opened = containers.zip_listing(data, limits.archive_members)
    if opened is None:
        return []
    listing, archive = opened
    findings = _archive(name, listing, body_text, limits)
    members = archive.infolist()[: limits.archive_members]
    readable = {m.filename: m for m in members if m.file_size <= limits.member_bytes and not m.flag_bits & 0x1}
    if any(n.endswith("vbaProject.bin") for n in readable):
        findings += office.macros(given, data, name) or [
            Finding("office_macro", f"file: {name}", {"file": name, "what": "a VBA project whose code could not be read",
                                                       "what_ru": "проект VBA, код которого не прочитан"})]
    sheets = [n for n in readable if office.MACRO_SHEET.search(n)]
    if sheets:
        findings += office.macro_sheets(name, sheets, [archive.read(m) for n, m in readable.items() if office.WORKBOOK.search(n)])
    if any("/embeddings/" in n for n in readable) and all(m.file_size <= limits.member_bytes for m in members if "/embeddings/" in m.filename):
        findings += office.packages(given, data, name)
    for member_name, member in readable.items():
        if not member_name.endswith((".rels", "document.xml")):
            continue
        xml = archive.read(member)
        if member_name.endswith(".rels"):
            for target in re.findall(rb'Target="([^"]+)"[^>]*TargetMode="External"', xml) + \
                    re.findall(rb'TargetMode="External"[^>]*Target="([^"]+)"', xml):
                if b"attachedTemplate" in xml or b"oleObject" in xml or b"frame" in xml:
                    findings.append(Finding("remote_template", f"file: {name} ({member_name})",
                                            {"file": name, "target": defang(target.decode("utf-8", "replace"))}))
        elif re.search(rb"DDEAUTO|\bDDE\b", xml):
            findings.append(Finding("dde", f"file: {name} ({member_name})", {"file": name}))
    return findings
