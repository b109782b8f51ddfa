"""Organisations are public knowledge shared by all cases: every account may read them, the roles
that edit records may write them.

What an import of a FollowTheMoney list set (``shelter organisations import``: topics, datasets, the
entity's id and schema, weak aliases, other countries, first and last seen, and whether it is on a
sanctions or export-restriction list) is read-only here: a write that sends one of those fields is
refused (422), and so is a change to the name, aliases or country of an imported organisation. A
listing changes only when the list is imported again, so that no hand edit forges or hides one.
"""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import PatchDict, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field, model_validator

from shelter.records.models import Organisation, OrganisationKind

from .common import apply, audit_write, page, reject_nulls, require_writer
from .schemas import Country, LongText, NoNul, Page, Paging, Stamped

# Set by an import only; never taken from a write.
IMPORTED_ONLY = ("weak_aliases", "countries", "topics", "datasets", "ftm_id", "ftm_schema", "first_seen", "last_seen",
                 "restricted", "restriction_linked")
# Taken from a write, except on an organisation that was imported.
FROM_THE_LIST = ("name", "aliases", "country")

router = Router(tags=["organisations"])


class OrganisationFields(Schema):
    name: Annotated[str, Field(min_length=1, max_length=200), NoNul]
    kind: OrganisationKind
    country: Country = ""
    aliases: list[Annotated[str, Field(max_length=200), NoNul]] = Field([], max_length=100)
    notes: LongText = ""

    @model_validator(mode="before")
    @classmethod
    def _no_imported_fields(cls, data):
        sent_data = getattr(data, "_obj", data)  # ninja hands validators its DjangoGetter around the body
        if isinstance(sent_data, dict):
            sent = sorted(set(sent_data) & set(IMPORTED_ONLY))
            if sent:
                raise ValueError(f"{', '.join(sent)}: set by importing a list (shelter organisations import), read-only here")
        return data


class OrganisationFilters(Paging):
    restricted: bool | None = Field(None, description="true: only those on a sanctions or export-restriction list")


class OrganisationOut(Stamped):
    name: str
    kind: OrganisationKind
    country: str
    aliases: list[str]
    notes: str
    countries: list[str] = Field(description="countries after the first (ISO 3166-1 alpha-2); read-only")
    weak_aliases: list[str] = Field(description="names too broad to match on, as the list gives them; read-only")
    topics: list[str] = Field(description="FollowTheMoney topic codes (sanction, export.control, gov.security…); read-only")
    datasets: list[str] = Field(description="the lists it was imported from (us_trade_csl…); read-only")
    restricted: bool = Field(description="on a sanctions, export-control or debarment list (topics sanction, "
                                         "export.control or debarment); read-only")
    restriction_linked: bool = Field(description="linked to a listed entity without being listed itself; read-only")
    ftm_id: str = Field(description="the FollowTheMoney entity id, empty for an organisation entered by hand; read-only")
    ftm_schema: str
    first_seen: datetime | None
    last_seen: datetime | None


def organisation_out(organisation) -> dict:
    return {field: getattr(organisation, field) for field in OrganisationOut.model_fields}


@router.get("", response=Page[OrganisationOut])
def list_organisations(request, filters: Query[OrganisationFilters]):
    organisations = Organisation.objects.all()
    if filters.restricted is not None:
        listed = organisations.restricted()
        organisations = listed if filters.restricted else organisations.exclude(pk__in=listed.values("pk"))
    return page(organisations, filters, organisation_out)


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
        if organisation.imported:
            refused = sorted(f for f in FROM_THE_LIST if f in values and values[f] != getattr(organisation, f))
            if refused:
                raise HttpError(422, f"{', '.join(refused)}: imported from a list, changed only by importing it again")
        changed = apply(organisation, values)
        if changed:
            organisation.save()
        audit_write(request, "update", organisation, changed)
    return organisation_out(organisation)
