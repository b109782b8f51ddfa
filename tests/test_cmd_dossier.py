"""``shelter dossier PERSON --pdf FILE``: the dossier written to files, in English or Russian."""

import io
import json

import pypdf
import pytest
from django.core.management import CommandError, call_command

from shelter.audit.models import AuditEvent


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_it_writes_the_pdf_and_the_html(capsys, person, tmp_path):
    call_command("dossier", str(person.pk), "--pdf", str(tmp_path / "d.pdf"), "--html", str(tmp_path / "d.html"), "--json")
    written = json.loads(capsys.readouterr().out)["files"]
    assert written["pdf"]["bytes"] == (tmp_path / "d.pdf").stat().st_size
    text = pdf_text(tmp_path / "d.pdf")
    assert "Улугбек Каримов" in text and "Decision support, not legal advice" in text
    assert "Chronology" in text
    html = (tmp_path / "d.html").read_text()
    assert "Decision support, not legal advice" in html
    assert "<style>" in html and "dossier.css" not in html  # opens away from the server
    assert set(AuditEvent.objects.filter(action="export", object_type="dossier").values_list("detail__format", flat=True)) == {"pdf", "html"}


def test_it_needs_somewhere_to_write(person):
    with pytest.raises(CommandError, match="--pdf FILE") as e:
        call_command("dossier", str(person.pk))
    assert e.value.returncode == 2


def test_an_unwritable_path_is_refused_with_its_reason(person, tmp_path):
    with pytest.raises(CommandError, match="cannot write"):
        call_command("dossier", str(person.pk), "--pdf", str(tmp_path / "missing" / "d.pdf"))
