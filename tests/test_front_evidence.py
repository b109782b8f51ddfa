import pytest

from shelter.records.models import CustodyEvent, EvidenceFile

from .conftest import PDF_BYTES, login


def upload(client, case, name, data, title="Warrant"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"/cases/{case.pk}/evidence/new/", {"title": title, "file": SimpleUploadedFile(name, data)})


def test_a_pdf_is_stored_encrypted_and_downloads_intact(client, caseworker, case):
    login(client, caseworker)
    response = upload(client, case, "warrant.pdf", PDF_BYTES)
    evidence = EvidenceFile.objects.get()
    assert response["Location"] == f"/evidence/{evidence.pk}/"
    assert PDF_BYTES not in evidence.blob_path.read_bytes()
    download = client.get(f"/evidence/{evidence.pk}/download/")
    assert download.content == PDF_BYTES
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Disposition"] == f'attachment; filename="evidence-{evidence.pk}.pdf"'
    assert list(CustodyEvent.objects.values_list("action", flat=True)) == ["uploaded", "downloaded"]


def test_a_disguised_file_is_refused(client, caseworker, case):
    login(client, caseworker)
    response = upload(client, case, "warrant.pdf", b"MZ\x90\x00\x03 this is a Windows executable")
    assert b"does not match its name" in response.content
    response = upload(client, case, "notes.txt", b"<html><script>alert(1)</script></html>")
    assert b"not plain text" in response.content
    assert EvidenceFile.objects.count() == 0


def test_an_unaccepted_type_is_refused(client, caseworker, case):
    login(client, caseworker)
    response = upload(client, case, "tool.exe", b"MZ\x90\x00")
    assert b"are not accepted" in response.content
    assert EvidenceFile.objects.count() == 0


def test_an_oversized_file_is_refused(client, caseworker, case, settings):
    settings.SHELTER_MAX_UPLOAD_BYTES = 1024
    login(client, caseworker)
    response = upload(client, case, "big.pdf", PDF_BYTES + b"0" * 2048)
    assert b"too large" in response.content
    assert EvidenceFile.objects.count() == 0


def test_the_same_file_twice_in_a_case_is_refused(client, caseworker, case):
    login(client, caseworker)
    upload(client, case, "warrant.pdf", PDF_BYTES)
    response = upload(client, case, "copy.pdf", PDF_BYTES, title="Copy")
    assert b"already stored in this case" in response.content
    assert EvidenceFile.objects.count() == 1


def test_an_empty_file_is_refused(client, caseworker, case):
    login(client, caseworker)
    response = upload(client, case, "empty.pdf", b"")
    assert response.status_code == 200
    assert EvidenceFile.objects.count() == 0


def test_the_title_and_source_can_be_changed_but_not_the_file(client, caseworker, records):
    login(client, caseworker)
    evidence = records["evidence"]
    client.post(f"/evidence/{evidence.pk}/edit/", {"title": "Warrant, page 1", "source": str(records["source"].pk)})
    evidence.refresh_from_db()
    assert evidence.title == "Warrant, page 1" and evidence.source == records["source"]
    assert client.get(f"/evidence/{evidence.pk}/download/").content == PDF_BYTES
    assert b"Warrant, page 1" in client.get("/evidence/").content


@pytest.mark.attack("data-at-rest")
def test_a_file_of_exactly_the_limit_is_taken_in_memory_never_through_a_temporary_file(
    client, caseworker, case, settings, monkeypatch
):
    from django.core.files import uploadedfile

    def no_temporary_file(*args, **kwargs):
        raise AssertionError("an upload went to a temporary file, in clear")

    monkeypatch.setattr(uploadedfile.tempfile, "NamedTemporaryFile", no_temporary_file)
    login(client, caseworker)
    data = PDF_BYTES + b"0" * (settings.SHELTER_MAX_UPLOAD_BYTES - len(PDF_BYTES))
    response = upload(client, case, "scan.pdf", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert EvidenceFile.objects.get().size == len(data)


def test_the_chain_of_custody_and_date_help_speak_russian(client, caseworker, records):
    evidence = records["evidence"]
    login(client, caseworker)
    client.cookies["django_language"] = "ru"
    page = client.get(f"/evidence/{evidence.pk}/").content.decode()
    assert "загружено" in page and ">uploaded<" not in page
    form = client.get(f"/persons/{records['person'].pk}/edit/").content.decode()
    assert "ГГГГ" in form and "YYYY, YYYY-MM" not in form
