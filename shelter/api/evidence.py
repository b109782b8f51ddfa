"""Evidence files: metadata, and the download of the decrypted content.

Uploads go through the web app (``shelter.files`` checks what a file really is); the API reads only.
The content of a file cannot be pseudonymised, so researchers see metadata only."""

import hashlib
from datetime import datetime
from uuid import UUID

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from ninja import Query, Router
from ninja.errors import HttpError

from shelter.audit.log import record
from shelter.records import sealing
from shelter.records.evidence import EvidenceIntegrityError, attachment_name, open_evidence
from shelter.records.models import CustodyEvent, EvidenceFile

from .common import get_or_404, page, reveals_identity, values_of, visible
from .schemas import CasePaging, Out, Page, Stamped

router = Router(tags=["evidence"])

DOWNLOADED = "downloaded"


class CustodyOut(Out):
    at: datetime
    actor_name: str
    action: str
    sha256: str


class EvidenceOut(Stamped):
    case_id: UUID
    title: str | None
    original_name: str | None
    content_type: str
    size: int
    sha256: str
    source_id: UUID | None
    custody: list[CustodyOut]


def evidence_out(evidence) -> dict:
    out = values_of(evidence, [field for field in EvidenceOut.model_fields if field != "custody"])
    out["custody"] = [{f: getattr(e, f) for f in CustodyOut.model_fields} for e in evidence.custody.all()]
    return out


@router.get("", response=Page[EvidenceOut])
def list_evidence(request, paging: Query[CasePaging]):
    return page(visible(request, EvidenceFile).prefetch_related("custody"), paging, evidence_out)


@router.get("/{id}", response=EvidenceOut)
def get_evidence(request, id: UUID):
    return evidence_out(get_or_404(request, EvidenceFile, id))


@router.get("/{id}/download", response={200: bytes}, openapi_extra={
    "responses": {"200": {"description": "the file", "content": {"application/octet-stream": {}}}}
})
def download_evidence(request, id: UUID):
    evidence = get_or_404(request, EvidenceFile, id)
    if not reveals_identity():
        raise HttpError(403, "evidence files carry identity data: your role may not download them")
    try:
        content = open_evidence(evidence)
    except sealing.Erased:
        raise HttpError(410, "the case was crypto-erased: its files can no longer be read") from None
    except EvidenceIntegrityError:
        # Missing, corrupt or tampered with: never served. The message names no file content.
        raise HttpError(500, "the stored file failed its integrity check") from None
    CustodyEvent.objects.create(
        evidence=evidence,
        actor=request.user,
        actor_name=request.user.get_username(),
        action=DOWNLOADED,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    record(request.user, "download", evidence, request=request)
    return attachment(content, attachment_name(evidence))


def attachment(content: bytes, filename: str) -> HttpResponse:
    # Never rendered by the browser, whatever the file claims to be.
    response = HttpResponse(content, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
