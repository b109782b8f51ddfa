"""Office documents read with oletools, the field's own library: VBA and Excel 4 (XLM) macros and whether
they are set to run by themselves (olevba), files packed inside a document to be run from it (oleobj),
and the objects of an RTF file, among them the Equation Editor objects of CVE-2017-11882 (rtfobj).
Nothing is run or decrypted; oletools' loggers stay silent, so no content of a hostile file reaches a log."""

import logging
import re

from oletools import oleobj, olevba, rtfobj

from .findings import Finding

# Programs or scripts, named as an embedded package names them (the extension is what Windows obeys).
RUNNABLE = {"exe", "scr", "com", "pif", "bat", "cmd", "js", "jse", "vbs", "vbe", "wsf", "wsh", "hta", "lnk",
            "ps1", "msi", "dll", "cpl", "jar", "reg", "inf", "sct", "chm", "url", "iso", "img", "vhd"}
EXPLOITED = {"equation.3": "the Equation Editor, exploited by CVE-2017-11882 and CVE-2018-0802",
             "ole2link": "a link that fetches content when opened (CVE-2017-0199)"}
EXPLOITED_RU = {"equation.3": "редактор формул, уязвимости CVE-2017-11882 и CVE-2018-0802",
                "ole2link": "ссылка, загружающая содержимое при открытии (CVE-2017-0199)"}
SHOWN_KEYWORDS = 4

for _name in ("olevba", "oleobj", "rtfobj", "olefile", "ppt_parser", "xls_parser", "ooxml", "crypto", "msodde"):
    logging.getLogger(_name).setLevel(logging.CRITICAL + 1)


def macros(name: str, data: bytes, shown: str) -> list[Finding]:
    """office_macro when the document (OLE, OOXML, SYLK…) holds VBA or XLM macros, saying whether they
    are set to run on opening or on an event, and what olevba finds they can do."""
    try:
        parser = olevba.VBA_Parser(name, data=data)
    except Exception:  # noqa: BLE001 — not a document olevba reads: nothing to report from it
        return []
    try:
        vba, xlm = parser.detect_vba_macros(), parser.detect_xlm_macros()
        if not vba and not xlm:
            return []
        try:
            results = parser.analyze_macros() or []
        except Exception:  # noqa: BLE001 — macros that cannot be read are still macros
            results = []
    except Exception:  # noqa: BLE001
        return []
    finally:
        parser.close()
    automatic = _first({keyword for kind, keyword, _ in results if kind == "AutoExec"})
    capable = _first({keyword for kind, keyword, _ in results if kind == "Suspicious" and "XLM" not in keyword})
    what = ["VBA macros" if vba else "Excel 4 (XLM) macros"]
    what_ru = ["макросы VBA" if vba else "макросы Excel 4 (XLM)"]
    if automatic:
        what.append(f"set to run on opening or on an event: {automatic}")
        what_ru.append(f"запускаются при открытии или по событию: {automatic}")
    if capable:
        what.append(f"able to use {capable}")
        what_ru.append(f"используют {capable}")
    return [Finding("office_macro", f"file: {shown}", {"file": shown, "what": "; ".join(what), "what_ru": "; ".join(what_ru)})]


MACRO_SHEET = re.compile(r"(?i)(^|/)(macrosheets|intl-macrosheets)/[^/]+$")
AUTO_OPEN = re.compile(rb"(?i)auto_open|" + re.escape("auto_open".encode("utf-16-le")))  # .xlsx names are UTF-8, .xlsb's UTF-16


WORKBOOK = re.compile(r"(?i)(^|/)workbook\.(xml|bin)$")


def macro_sheets(shown: str, sheets: list[str], workbooks: list[bytes]) -> list[Finding]:
    """office_macro for Excel 4 macro sheets in an .xlsm or .xlsb (``sheets``: their part names), which
    olevba finds only in old .xls files; an Auto_Open name in a workbook part runs them on opening."""
    if not sheets:
        return []
    opening = any(AUTO_OPEN.search(content) for content in workbooks)
    what, what_ru = "Excel 4 (XLM) macro sheets", "листы макросов Excel 4 (XLM)"
    if opening:
        what += "; set to run on opening or on an event: Auto_Open"
        what_ru += "; запускаются при открытии или по событию: Auto_Open"
    return [Finding("office_macro", f"file: {shown} ({sheets[0]})", {"file": shown, "what": what, "what_ru": what_ru})]


def _first(keywords: set[str]) -> str:
    ordered = sorted(keywords, key=str.lower)
    return ", ".join(ordered[:SHOWN_KEYWORDS]) + (", …" if len(ordered) > SHOWN_KEYWORDS else "")


def packages(name: str, data: bytes, shown: str) -> list[Finding]:
    """embedded_object for each program or script packed inside an OLE or OOXML document (OLE Packager)."""
    findings = []
    try:
        for ole in oleobj.find_ole(name, data):
            if ole is None:
                continue
            for path in ole.listdir():
                if path[-1] != "\x01Ole10Native":
                    continue
                native = oleobj.OleNativeStream(ole.openstream(path).read())
                if _runnable(native.filename):
                    findings.append(_package(shown, native.filename))
    except Exception:  # noqa: BLE001 — a damaged container: what was found so far stands
        pass
    return findings


def rtf_objects(data: bytes, shown: str) -> list[Finding]:
    """embedded_object for each object an RTF file carries: RTF is how the Equation Editor exploits and
    packed programs are usually delivered, and a letter has no need of them."""
    findings = []
    try:
        parser = rtfobj.RtfObjParser(data)
        parser.parse()
    except Exception:  # noqa: BLE001
        return findings
    for found in parser.objects:
        if found.is_package:
            findings.append(_package(shown, found.filename or "?"))
            continue
        class_name = (found.class_name or b"").decode("latin-1").strip("\x00") if found.is_ole else ""
        known, known_ru = EXPLOITED.get(class_name.lower()), EXPLOITED_RU.get(class_name.lower())
        what = f"{class_name}, {known}" if known else (class_name or "an object of unknown type")
        what_ru = f"{class_name}, {known_ru}" if known_ru else (class_name or "объект неизвестного типа")
        findings.append(Finding("embedded_object", f"file: {shown} ({class_name or 'objdata'})",
                                {"file": shown, "what": what, "what_ru": what_ru}))
    return findings


def _runnable(filename: str | None) -> bool:
    return bool(filename) and "." in filename and filename.rsplit(".", 1)[-1].lower() in RUNNABLE


def _package(shown: str, filename: str) -> Finding:
    from .files import shown_name  # files reads documents through this module

    filename = shown_name(filename)
    return Finding("embedded_object", f"file: {shown} (package {filename})",
                   {"file": shown, "what": f"the file {filename}, packed to be opened from the document",
                    "what_ru": f"файл {filename}, упакованный, чтобы его открыли из документа"})
