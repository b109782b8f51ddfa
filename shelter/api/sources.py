from uuid import UUID

from django.db import transaction
from ninja import PatchDict, Query, Router, Schema, Status

from shelter.records.models import Confidentiality, Reliability, Source, SourceKind

from .common import apply, audit_write, get_or_404, page, reject_nulls, values_of, visible, writable, writable_case
from .schemas import CasePaging, LanguageCode, LongText, Page, PartialDate, ShortText, Stamped

router = Router(tags=["sources"])


class SourceFields(Schema):
    kind: SourceKind
    title: ShortText = ""
    url: ShortText = ""
    language: LanguageCode = ""
    published_on: PartialDate = ""
    reliability: Reliability = Reliability.F
    confidentiality: Confidentiality = Confidentiality.CONFIDENTIAL
    notes: LongText = ""


class SourceIn(SourceFields):
    case_id: UUID


class SourceOut(Stamped):
    case_id: UUID
    kind: SourceKind
    title: str | None
    url: str | None
    language: str
    published_on: str
    reliability: Reliability
    confidentiality: Confidentiality
    notes: str | None


def source_out(source) -> dict:
    return values_of(source, SourceOut.model_fields)


@router.get("", response=Page[SourceOut])
def list_sources(request, paging: Query[CasePaging]):
    return page(visible(request, Source), paging, source_out)


@router.get("/{id}", response=SourceOut)
def get_source(request, id: UUID):
    return source_out(get_or_404(request, Source, id))


@router.post("", response={201: SourceOut})
def create_source(request, payload: SourceIn):
    with transaction.atomic():
        case = writable_case(request, payload.case_id)
        source = Source.objects.create(case=case, **payload.model_dump(exclude={"case_id"}))
        audit_write(request, "create", source, sorted(payload.model_fields_set - {"case_id"}))
    return Status(201, source_out(source))


@router.patch("/{id}", response=SourceOut)
def update_source(request, id: UUID, payload: PatchDict[SourceFields]):
    values = reject_nulls(payload, SourceFields)
    with transaction.atomic():
        source = writable(request, Source, id)
        changed = apply(source, values)
        if changed:
            source.save()
        audit_write(request, "update", source, changed)
    return source_out(source)
