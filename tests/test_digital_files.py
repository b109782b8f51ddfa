"""Attachments read with the field's libraries: macros and packed files in Office documents (oletools,
on oletools' own test documents), RTF objects, and what 7z, RAR and ISO containers hold and whether they
are locked — listed, never unpacked."""

import io
import struct
import zlib
from pathlib import Path

import py7zr
import pycdlib
import pytest

from shelter.digital import iocs
from shelter.digital.files import FileLimits, check_file
from shelter.digital.message import analyse_bytes

OFFICE = Path(__file__).parent / "data" / "office"
ARCHIVES = Path(__file__).parent / "data" / "archives"
PROGRAM = b"MZ" + b"\0" * 200


def findings(name, data, body_text="", limits=FileLimits()):
    return {f.kind: f for f in check_file(name, data, body_text, limits)}


def summary(found, kind, language="en"):
    return found[kind].summary(language)


def test_a_documents_vba_macros_are_found_with_the_events_that_run_them():
    found = findings("invitation.docm", (OFFICE / "oleform-PR314.docm").read_bytes())
    assert "VBA macros" in summary(found, "office_macro") and "Frame1_Click" in summary(found, "office_macro")
    assert "макросы VBA" in summary(found, "office_macro", "ru")


@pytest.mark.parametrize("name", ["excel4_sample_macro.xls", "excel4_sample_macro.slk"])
def test_an_excel_4_macro_that_runs_on_opening_is_found(name):
    found = findings(name, (OFFICE / name).read_bytes())
    assert "Excel 4 (XLM) macros" in summary(found, "office_macro") and "Auto_Open" in summary(found, "office_macro")


def test_a_shortcut_packed_in_a_word_document_is_found():
    found = findings("report.doc", (OFFICE / "sample_with_lnk_file.doc").read_bytes())
    assert "calc.lnk" in summary(found, "embedded_object") and "office_macro" not in found


def test_a_text_file_packed_in_a_document_is_not_an_alarm():
    assert findings("notes.docx", (OFFICE / "embedded-simple-2007.docx").read_bytes()) == {}


def test_a_docm_whose_vba_project_cannot_be_read_is_still_a_document_with_macros():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 broken")
    assert "could not be read" in summary(findings("a.docm", buffer.getvalue()), "office_macro")


def ole_object(class_name: str, payload: bytes) -> str:
    """An OLE 1.0 object as RTF's \\objdata carries it (MS-OLEDS 2.2.4), in hex."""
    name = class_name.encode() + b"\0"
    return (struct.pack("<III", 0x0501, 2, len(name)) + name + struct.pack("<III", 0, 0, len(payload)) + payload).hex()


def rtf(class_name: str, payload: bytes) -> bytes:
    return ("{\\rtf1{\\object\\objemb{\\*\\objclass " + class_name + "}{\\*\\objdata " + ole_object(class_name, payload) + "}}}").encode()


def test_an_rtf_with_an_equation_editor_object_names_the_exploit():
    found = findings("cv.rtf", rtf("Equation.3", b"\0" * 64))
    assert "CVE-2017-11882" in summary(found, "embedded_object") and "CVE-2017-11882" in summary(found, "embedded_object", "ru")


def test_an_rtf_with_a_packed_program_names_the_file():
    native = struct.pack("<H", 2) + b"invoice.pdf.exe\0C:\\x\\invoice.pdf.exe\0" + struct.pack("<II", 0, 3) + \
        b"C:\\t\\invoice.pdf.exe\0" + struct.pack("<I", len(PROGRAM)) + PROGRAM
    found = findings("letter.rtf", rtf("Package", native))
    assert "invoice.pdf.exe" in summary(found, "embedded_object")


def sevenzip(files: dict, password=None, header_encryption=False) -> bytes:
    buffer = io.BytesIO()
    with py7zr.SevenZipFile(buffer, "w", password=password, header_encryption=header_encryption) as archive:
        for name, data in files.items():
            archive.writestr(data, name)
    return buffer.getvalue()


def test_a_7z_archive_with_a_program_inside_is_found():
    found = findings("docs.7z", sevenzip({"scan.pdf.exe": PROGRAM, "readme.txt": b"hi"}))
    assert "scan.pdf.exe" in summary(found, "archive_with_executable") and "double_extension" in found


def test_a_locked_7z_says_so_and_whether_the_message_gives_the_password():
    found = findings("docs.7z", sevenzip({"scan.exe": PROGRAM}, password="2024"), body_text="Пароль к архиву: 2024")
    assert "password is in the message" in summary(found, "encrypted_archive") and "archive_with_executable" in found


def test_a_7z_whose_names_are_locked_too_says_even_the_names_are_hidden():
    found = findings("docs.7z", sevenzip({"scan.exe": PROGRAM}, password="2024", header_encryption=True))
    assert "even the names" in summary(found, "encrypted_archive") and "скрыты даже имена" in summary(found, "encrypted_archive", "ru")
    assert "archive_with_executable" not in found


def renamed_rar(new_name: bytes) -> bytes:
    """rar5-times.rar with its one file renamed: the name and the file header's CRC-32 (RAR 5: the
    header starts at byte 24, its size at byte 28, and the CRC covers the size and the header)."""
    data = bytearray((ARCHIVES / "rar5-times.rar").read_bytes())
    at = data.index(b"stest1.txt")
    data[at:at + len(new_name)] = new_name
    size = data[28]
    data[24:28] = struct.pack("<I", zlib.crc32(bytes(data[28:29 + size])))
    return bytes(data)


def test_a_rar_with_a_program_inside_is_found():
    found = findings("docs.rar", renamed_rar(b"scan.p.exe"))
    assert "scan.p.exe" in summary(found, "archive_with_executable")


def test_a_rar_of_text_is_not_an_alarm():
    assert findings("docs.rar", (ARCHIVES / "rar5-times.rar").read_bytes()) == {}


@pytest.mark.parametrize("name, hidden", [("rar5-psw.rar", False), ("rar5-hpsw.rar", True)])
def test_a_locked_rar_says_so(name, hidden):
    found = findings("docs.rar", (ARCHIVES / name).read_bytes())
    assert "encrypted_archive" in found and ("even the names" in summary(found, "encrypted_archive")) == hidden


def iso(files: dict) -> bytes:
    image = pycdlib.PyCdlib()
    image.new(joliet=3)
    for number, (name, data) in enumerate(files.items()):
        image.add_fp(io.BytesIO(data), len(data), f"/F{number}.;1", joliet_path=f"/{name}")
    out = io.BytesIO()
    image.write_fp(out)
    image.close()
    return out.getvalue()


def test_a_disk_image_with_a_shortcut_and_a_program_is_found():
    data = iso({"Invoice.pdf.lnk": b"L\0\0\0\x01\x14\x02\0", "payload.exe": PROGRAM})
    found = findings("invoice.img", data)
    assert "Invoice.pdf.lnk" in summary(found, "archive_with_executable") and "payload.exe" in summary(found, "archive_with_executable")
    assert "double_extension" in found


def test_an_image_of_another_kind_is_not_listed_and_does_not_fail():
    assert findings("disk.img", b"\0" * 40000 + b"CD001" + b"\0" * 1000) == {}


def test_an_archive_over_the_member_limit_is_reported_not_read_in_full():
    found = findings("many.7z", sevenzip({f"f{n}.txt": b"x" for n in range(30)}), limits=FileLimits(archive_members=10))
    assert "30 files" in summary(found, "parse_limit")


def test_a_message_carrying_a_locked_rar_is_judged_through_it():
    from email.message import EmailMessage

    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "Court <notice@sud-uz.example>", "exile@example.org", "Повестка"
    m.set_content("Материалы дела во вложении. Пароль: 2024")
    m.add_attachment((ARCHIVES / "rar5-psw.rar").read_bytes(), maintype="application", subtype="vnd.rar", filename="delo.rar")
    [report] = analyse_bytes(bytes(m), "m.eml", feeds=iocs.Feeds())
    assert any(f.kind == "encrypted_archive" and "password is in the message" in f.summary() for f in report.findings)


def test_a_rar_whose_comment_would_need_the_unrar_program_is_listed_without_running_anything(monkeypatch):
    import subprocess

    def refuse(*args, **kwargs):
        raise AssertionError("a program was run")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    found = findings("old.rar", (ARCHIVES / "rar3-comment-psw.rar").read_bytes())
    assert "encrypted_archive" in found


def test_excel_4_macro_sheets_in_an_xlsm_that_run_on_opening_are_found():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", '<workbook><definedNames><definedName name="_xlnm.Auto_Open">Macro1!$A$1</definedName></definedNames></workbook>')
        archive.writestr("xl/macrosheets/sheet1.xml", "<xm:macrosheet/>")
    found = findings("invoice.xlsm", buffer.getvalue())
    assert "Excel 4 (XLM) macro sheets" in summary(found, "office_macro") and "Auto_Open" in summary(found, "office_macro")
