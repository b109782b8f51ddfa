import pytest

from shelter.files import UnsupportedFile, classify


@pytest.mark.parametrize("name,head,content_type", [
    ("a.pdf", b"%PDF-1.7 ...", "application/pdf"), ("a.PNG", b"\x89PNG\r\n\x1a\n....", "image/png"),
    ("a.jpg", b"\xff\xd8\xff\xe0", "image/jpeg"), ("a.txt", "Привет, мир".encode(), "text/plain"),
    ("a.docx", b"PK\x03\x04...", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("a.mp4", b"\x00\x00\x00\x18ftypmp42", "video/mp4"),
])
def test_it_recognises_accepted_files(name, head, content_type):
    assert classify(name, head) == content_type


@pytest.mark.parametrize("name,head,reason", [
    ("a.pdf", b"MZ\x90\x00", "does not match"), ("a.exe", b"MZ", "not accepted"), ("a", b"%PDF-", "not accepted"),
    ("a.txt", b"<!DOCTYPE html><script>", "not plain text"), ("a.txt", b"\x00\x01\x02", "not plain text"),
    ("a.png", b"%PDF-1.4", "does not match"), ("a.svg", b"<svg onload=alert(1)>", "not accepted"),
    ("a.html", b"<html>", "not accepted"),
])
def test_it_refuses_disguised_and_unaccepted_files(name, head, reason):
    with pytest.raises(UnsupportedFile, match=reason):
        classify(name, head)
