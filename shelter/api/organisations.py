"""Organisations are public knowledge shared by all cases: every account may read them, the roles
that edit records may write them."""

from typing import Annotated
from uuid import UUID

from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import PatchDict, Query, Router, Schema, Status
from pydantic import Field

from shelter.records.models import Organisation, OrganisationKind

from .common import apply, audit_write, page, reject_nulls, require_writer
from .schemas import Country, LongText, NoNul, Page, Paging, Stamped

router = Router(tags=["organisations"])


class OrganisationFields(Schema):
    name: Annotated[str, Field(min_length=1, max_length=200), NoNul]
    kind: OrganisationKind
    country: Country = ""
    aliases: list[Annotated[str, Field(max_length=200), NoNul]] = Field([], max_length=100)
    notes: LongText = ""


class OrganisationOut(Stamped):
    name: str
    kind: OrganisationKind
    country: str
    aliases: list[str]
    notes: str


def organisation_out(organisation) -> dict:
    return {field: getattr(organisation, field) for field in OrganisationOut.model_fields}


@router.get("", response=Page[OrganisationOut])
def list_organisations(request, paging: Query[Paging]):
    return page(Organisation.objects.all(), paging, organisation_out)


@router.get("/{id}", response=OrganisationOut)
def get_organisation(request, id: UUID):
    return organisation_out(get_object_or_404(Organisation, pk=id))


@router.post("", response={201: OrganisationOut})
def create_organisation(request, payload: OrganisationFields):
    require_writer(request)
    with transaction.atomic():
        organisation = Organisation.objects.create(**payload.model_dump())
        audit_write(request, "create", organisation, sorted(payload.model_fields_set))
    return Status(201, organisation_out(organisation))


@router.patch("/{id}", response=OrganisationOut)
def update_organisation(request, id: UUID, payload: PatchDict[OrganisationFields]):
    require_writer(request)
    values = reject_nulls(payload, OrganisationFields)
    with transaction.atomic():
        organisation = get_object_or_404(Organisation, pk=id)
        changed = apply(organisation, values)
        if changed:
            organisation.save()
        audit_write(request, "update", organisation, changed)
    return organisation_out(organisation)
