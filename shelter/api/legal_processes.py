"""Legal processes against a person: Red Notices, extradition requests, asylum claims, court cases.
A process belongs to its person's case."""

from datetime import date
from uuid import UUID

from django.db import transaction
from ninja import PatchDict, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from shelter.records.models import LegalProcess, Organisation, Person, ProcessKind, ProcessStatus, Source

from .common import (
    apply,
    audit_write,
    ensure_writable,
    get_or_404,
    page,
    reject_nulls,
    require_writer,
    same_case,
    set_related,
    values_of,
    visible,
    writable,
)
from .schemas import CasePaging, Country, LongText, Page, PartialDate, ShortText, Stamped

router = Router(tags=["legal processes"])


class LegalProcessFields(Schema):
    kind: ProcessKind
    requesting_state: Country = ""
    deciding_state: Country = ""
    deciding_body_id: UUID | None = None
    reference: ShortText = ""
    opened_on: PartialDate = ""
    decided_on: PartialDate = ""
    deadline: date | None = Field(None, description="for CCF requests filed on a known day, the CCF's time limit when left out")
    hearing_on: date | None = Field(None, description="the next hearing")
    status: ProcessStatus = ProcessStatus.PENDING
    outcome: LongText = ""
    source_ids: list[UUID] = Field([], max_length=500)


class LegalProcessIn(LegalProcessFields):
    person_id: UUID


class LegalProcessOut(Stamped):
    case_id: UUID
    person_id: UUID
    kind: ProcessKind
    requesting_state: str
    deciding_state: str
    deciding_body_id: UUID | None
    reference: str | None
    opened_on: str
    decided_on: str
    deadline: date | None
    hearing_on: date | None
    status: ProcessStatus
    outcome: str | None
    source_ids: list[UUID]


def legal_process_out(process) -> dict:
    out = values_of(process, [field for field in LegalProcessOut.model_fields if field != "source_ids"])
    out["source_ids"] = [s.pk for s in process.sources.all()]
    return out


def save_legal_process(process, values: dict) -> list[str]:
    deciding_body = values.get("deciding_body_id")
    if deciding_body and not Organisation.objects.filter(pk=deciding_body).exists():
        raise HttpError(422, "deciding_body_id: no such organisation")
    changed = apply(process, {k: v for k, v in values.items() if k != "source_ids"})
    if changed or process._state.adding:
        process.save()
    if "source_ids" in values:
        if set_related(process.sources, same_case(Source, values["source_ids"], process.case, "source_ids")):
            changed.append("source_ids")
    return changed


@router.get("", response=Page[LegalProcessOut])
def list_legal_processes(request, paging: Query[CasePaging]):
    return page(visible(request, LegalProcess).prefetch_related("sources"), paging, legal_process_out)


@router.get("/{id}", response=LegalProcessOut)
def get_legal_process(request, id: UUID):
    return legal_process_out(get_or_404(request, LegalProcess, id))


@router.post("", response={201: LegalProcessOut})
def create_legal_process(request, payload: LegalProcessIn):
    require_writer(request)
    with transaction.atomic():
        person = get_or_404(request, Person, payload.person_id)
        ensure_writable(request, person.case)
        process = LegalProcess(case=person.case, person=person)
        save_legal_process(process, payload.model_dump(exclude={"person_id"}))
        audit_write(request, "create", process, sorted(payload.model_fields_set - {"person_id"}))
    return Status(201, legal_process_out(process))


@router.patch("/{id}", response=LegalProcessOut)
def update_legal_process(request, id: UUID, payload: PatchDict[LegalProcessFields]):
    values = reject_nulls(payload, LegalProcessFields)
    with transaction.atomic():
        process = writable(request, LegalProcess, id)
        changed = save_legal_process(process, values)
        audit_write(request, "update", process, changed)
    return legal_process_out(process)
