from datetime import date
from typing import Annotated
from uuid import UUID

from django.db import transaction
from ninja import PatchDict, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from shelter.records.models import Case, CaseAccess, CaseStatus

from .common import apply, audit_write, get_or_404, page, reject_nulls, reveals_identity, values_of, visible, writable
from .schemas import LongText, NoNul, Page, Paging, ShortText, Stamped

router = Router(tags=["cases"])


class CaseFields(Schema):
    title: ShortText = ""
    status: CaseStatus = CaseStatus.OPEN
    notes: LongText = ""
    external_source: Annotated[str, Field(max_length=200), NoNul] = ""
    never_publish: bool = False


class CaseIn(CaseFields):
    reference: Annotated[str, Field(
        max_length=30, description="generated (SH-YYYY-NNNN) when left out; only a coordinator may choose one"), NoNul] = ""
    opened_on: date | None = None


class CaseOut(Stamped):
    reference: str
    title: str | None
    status: CaseStatus
    opened_on: date
    notes: str | None
    external_source: str | None
    never_publish: bool
    erased: bool


def case_out(case) -> dict:
    out = values_of(case, CaseOut.model_fields)
    # May point at a record elsewhere that carries names: identity tier, though not sealed.
    out["external_source"] = case.external_source if reveals_identity() else None
    return out


@router.get("", response=Page[CaseOut])
def list_cases(request, paging: Query[Paging]):
    return page(visible(request, Case), paging, case_out)


@router.get("/{id}", response=CaseOut)
def get_case(request, id: UUID):
    return case_out(get_or_404(request, Case, id))


@router.post("", response={201: CaseOut})
def create_case(request, payload: CaseIn):
    if not request.user.opens_cases:
        raise HttpError(403, "your role may not open cases")
    values = payload.model_dump(exclude_none=True)
    if values.get("reference"):
        # References are unique across the instance: telling a caseworker that one is taken would
        # tell them that a case they may not see exists. Only those who see every case choose one.
        if not request.user.sees_all_cases:
            raise HttpError(422, "reference: only a coordinator may choose a case reference; leave it out and one is generated")
        if Case.objects.filter(reference=values["reference"]).exists():
            raise HttpError(422, "reference: already taken")
    with transaction.atomic():
        case = Case(**values)
        case.save()
        # Whoever opens a case works on it: without this, a caseworker could not see it.
        CaseAccess.objects.create(case=case, user=request.user)
        audit_write(request, "create", case, sorted(payload.model_fields_set))
    return Status(201, case_out(case))


@router.patch("/{id}", response=CaseOut)
def update_case(request, id: UUID, payload: PatchDict[CaseFields]):
    values = reject_nulls(payload, CaseFields)
    with transaction.atomic():
        case = writable(request, Case, id)
        changed = apply(case, values)
        if changed:
            case.save()
        audit_write(request, "update", case, changed)
    return case_out(case)
