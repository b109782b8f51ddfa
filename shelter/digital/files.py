"""Attachments judged by their content, not their name: programs and scripts, names that hide the type,
archives (what is inside, whether it is locked), Office macros, remote templates and DDE, active PDF
content, HTML that builds a file. Read within limits; nothing inside is run or opened."""

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass

from . import links
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
VBA_NAMES = (b"vbaProject.bin", "_VBA_PROJECT".encode("utf-16-le"))


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
    if data.startswith((b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c")):
        return "rar or 7z archive"
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
    name = shown_name(name)
    what = kind_of(data)
    extensions = _extensions(name)
    executable = what in ("Windows program", "Linux program", "Android program", "Windows shortcut") or \
        (extensions and extensions[-1] in EXECUTABLE_EXTENSIONS)
    if executable:
        findings.append(Finding("executable_attachment", f"file: {name}", {"file": name, "what": what if what != "data" else f".{extensions[-1]}"}))
    if what == "zip":
        findings += _zip(name, data, body_text, limits)
    elif what == "pdf":
        active = [label for pattern, label in PDF_ACTIVE if re.search(pattern, data)]
        if active:
            findings.append(Finding("pdf_active_content", f"file: {name}", {"file": name, "what": ", ".join(active)}))
    elif what == "ole" and any(marker in data for marker in VBA_NAMES):
        findings.append(Finding("office_macro", f"file: {name}", {"file": name, "what": "a VBA project"}))
    elif what == "rtf" and re.search(rb"\\objdata|\\objupdate", data):
        findings.append(Finding("office_macro", f"file: {name}", {"file": name, "what": "an embedded object (\\objdata)"}))
    elif what == "html":
        page = links.read_html(data.decode("utf-8", "replace"))
        findings += links.check_page(page, f"file: {name}")
    return findings


def _zip(name: str, data: bytes, body_text: str, limits: FileLimits) -> list[Finding]:
    findings = []
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return findings
    if len(members) > limits.archive_members:
        findings.append(Finding("parse_limit", f"file: {name}", {"what": f"{len(members)} files in {name}, over {limits.archive_members}"}))
        members = members[: limits.archive_members]
    names = [m.filename for m in members]
    if any(m.flag_bits & 0x1 for m in members):
        password = " (the password is in the message)" if re.search(r"(?i)password|пароль|parol", body_text) else ""
        findings.append(Finding("encrypted_archive", f"file: {name}", {"file": name, "password": password}))
    inner = [n for n in names if _extensions(n) and _extensions(n)[-1] in EXECUTABLE_EXTENSIONS]
    if inner:
        findings.append(Finding("archive_with_executable", f"file: {name}", {"file": name, "inner": ", ".join(inner[:5])}))
    for n in names:
        findings += [f for f in check_name(n) if f.kind == "double_extension"]
    if any(n.endswith("vbaProject.bin") for n in names):
        findings.append(Finding("office_macro", f"file: {name}", {"file": name, "what": "a VBA project (vbaProject.bin)"}))
    for member in members:
        if not member.filename.endswith(".rels") and not member.filename.endswith("document.xml"):
            continue
        if member.file_size > limits.member_bytes or member.flag_bits & 0x1:
            continue
        xml = archive.read(member)
        if member.filename.endswith(".rels"):
            for target in re.findall(rb'Target="([^"]+)"[^>]*TargetMode="External"', xml) + \
                    re.findall(rb'TargetMode="External"[^>]*Target="([^"]+)"', xml):
                if b"attachedTemplate" in xml or b"oleObject" in xml or b"frame" in xml:
                    findings.append(Finding("remote_template", f"file: {name} ({member.filename})",
                                            {"file": name, "target": defang(target.decode("utf-8", "replace"))}))
        elif re.search(rb"DDEAUTO|\bDDE\b", xml):
            findings.append(Finding("dde", f"file: {name} ({member.filename})", {"file": name}))
    return findings
