"""Persons with their names, contacts, identity documents and asylum statuses.

Researchers get the pseudonymised record: no names, contacts, documents, birth data, notes or
external reference, and no name search (a hit would tie a name to a pseudonym)."""

from uuid import UUID

from django.db import transaction
from ninja import PatchDict, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field, field_validator, model_validator

from shelter import matching
from shelter.matching import scripts
from shelter.records import name_index
from shelter.records.models import (
    AsylumStatus,
    AsylumStatusKind,
    ContactDetail,
    ContactKind,
    DocumentKind,
    Gender,
    IdentityDocument,
    NameKind,
    Person,
    PersonName,
    PublicationConsent,
    Term,
)
from shelter.screening import registry
from shelter.screening.search import find_persons

from .common import (
    apply,
    audit_write,
    completed,
    get_or_404,
    page,
    reject_nulls,
    replace_children,
    reveals_identity,
    set_related,
    values_of,
    visible,
    writable,
    writable_case,
)
from .schemas import (
    CasePaging,
    KeysetPaging,
    Country,
    LanguageCode,
    LongText,
    Out,
    Page,
    PartialDate,
    ProfileCode,
    RequiredCountry,
    ShortText,
    Stamped,
)

router = Router(tags=["persons"])


class NameIn(Schema):
    value: ShortText = Field(min_length=1)
    kind: NameKind = NameKind.PRIMARY
    script: str = Field("", max_length=4, description="ISO 15924; detected when left out")
    language: LanguageCode = ""

    @field_validator("value")
    @classmethod
    def _not_too_big(cls, value: str) -> str:
        # The matcher's bounds on what one name may cost to index and to screen against.
        try:
            matching.check_size(value)
        except matching.InvalidPerson as e:
            raise ValueError(str(e)) from None
        return value

    @model_validator(mode="after")
    def _detected_script(self):
        # As PersonName.save would, so that an unchanged list of names compares equal.
        self.script = self.script or scripts.iso_15924(self.value)
        return self


class ContactIn(Schema):
    kind: ContactKind
    value: ShortText = Field(min_length=1)


class DocumentIn(Schema):
    kind: DocumentKind
    number: ShortText = ""
    issuing_country: Country = ""
    expires_on: PartialDate = ""


class AsylumStatusIn(Schema):
    host_country: RequiredCountry
    status: AsylumStatusKind
    since: PartialDate = ""
    until: PartialDate = ""


class PersonFields(Schema):
    birth_date: PartialDate = ""
    birth_place: ShortText = ""
    nationalities: list[RequiredCountry] = Field([], max_length=20)
    gender: Gender = Gender.UNKNOWN
    profiles: list[ProfileCode] = Field([], max_length=50)
    notes: LongText = ""
    external_id: str = Field("", max_length=100)
    publication_consent: PublicationConsent = PublicationConsent.NONE
    publication_consent_on: PartialDate = ""
    publication_consent_source: ShortText = ""
    names: list[NameIn] = Field([], max_length=matching.MAX_NAMES, description="replaces all names when given")
    contacts: list[ContactIn] = Field([], max_length=100, description="replaces all contacts when given")
    documents: list[DocumentIn] = Field([], max_length=100, description="replaces all documents when given")
    asylum_statuses: list[AsylumStatusIn] = Field([], max_length=100, description="replaces all when given")


class PersonIn(PersonFields):
    case_id: UUID


class NameOut(Out):
    id: UUID
    value: str | None
    kind: NameKind
    script: str
    language: str


class ContactOut(Out):
    id: UUID
    kind: ContactKind
    value: str | None


class DocumentOut(Out):
    id: UUID
    kind: DocumentKind
    number: str | None
    issuing_country: str
    expires_on: str


class AsylumStatusOut(Out):
    id: UUID
    host_country: str
    status: AsylumStatusKind
    since: str
    until: str


class PersonOut(Stamped):
    case_id: UUID
    pseudonym: str
    birth_date: str | None
    birth_place: str | None
    nationalities: list[str]
    gender: Gender
    profiles: list[str]
    notes: str | None
    external_id: str | None
    publication_consent: PublicationConsent
    publication_consent_on: str
    publication_consent_source: str | None
    names: list[NameOut] | None = Field(description="null where identity data is hidden")
    contacts: list[ContactOut] | None
    documents: list[DocumentOut] | None
    asylum_statuses: list[AsylumStatusOut]


class PersonPaging(KeysetPaging):
    q: str = Field("", max_length=200, description="name search; prefer POST /persons/search, which keeps the name "
                   "out of the URL and so out of access logs")


class PersonSearch(CasePaging):
    q: str = Field(min_length=1, max_length=200, description="the name, in any script or romanisation")


# What each child list holds, as compared and created; the attributes are those of the In schemas.
CHILDREN = {
    "names": (PersonName, NameIn),
    "contacts": (ContactDetail, ContactIn),
    "documents": (IdentityDocument, DocumentIn),
    "asylum_statuses": (AsylumStatus, AsylumStatusIn),
}
SCALARS = ("birth_date", "birth_place", "nationalities", "gender", "notes", "external_id", "publication_consent",
           "publication_consent_on", "publication_consent_source")


def children_out(manager, schema) -> list[dict]:
    return [values_of(child, schema.model_fields) for child in manager.all()]


def person_out(person) -> dict:
    reveal = reveals_identity()
    out = values_of(person, ("id", "case_id", "pseudonym", "created_at", "updated_at", *SCALARS))
    out["profiles"] = [term.code for term in person.profiles.all()]
    out["external_id"] = person.external_id if reveal else None
    out["names"] = children_out(person.names, NameOut) if reveal else None
    out["contacts"] = children_out(person.contacts, ContactOut) if reveal else None
    out["documents"] = children_out(person.documents, DocumentOut) if reveal else None
    out["asylum_statuses"] = children_out(person.asylum_statuses, AsylumStatusOut)
    return out


def with_children(queryset):
    return queryset.prefetch_related("names", "contacts", "documents", "asylum_statuses", "profiles")


def save_person(person, values: dict) -> list[str]:
    """Write scalar fields, profiles and child lists from validated ``values``; the changed names."""
    check_names(values.get("names") or [])
    changed = apply(person, {k: v for k, v in values.items() if k in SCALARS})
    if changed or person._state.adding:
        person.save()
    if "profiles" in values:
        terms = Term.objects.filter(thesaurus="profiles", code__in=values["profiles"])
        if set_related(person.profiles, terms):
            changed.append("profiles")
    for name, (model, schema) in CHILDREN.items():
        if name in values and replace_child_list(person, name, model, schema, values[name]):
            changed.append(name)
    return changed


def check_names(names: list) -> None:
    """The matcher's bounds on a person's names, checked here too because a PATCH body's schema
    (``PatchDict``) keeps neither the list's bound nor the names' validator."""
    if len(names) > matching.MAX_NAMES:
        raise HttpError(422, f"names: at most {matching.MAX_NAMES}")
    for number, name in enumerate(names):
        try:
            matching.check_size(name["value"] if isinstance(name, dict) else name.value)
        except matching.InvalidPerson as e:
            raise HttpError(422, f"names[{number}]: {e}") from None


def replace_child_list(person, name, model, schema, items) -> bool:
    fields = list(schema.model_fields)
    desired = completed(schema, items)
    return replace_children(
        getattr(person, name).all(),
        desired,
        describe=lambda child: {field: getattr(child, field) for field in fields},
        create=lambda item: model.objects.create(person=person, **item),
    )


@router.get("", response=Page[PersonOut])
def list_persons(request, paging: Query[PersonPaging]):
    persons = with_children(visible(request, Person))
    if paging.q:
        if paging.after:
            raise HttpError(400, "a name search pages by offset: its order is by likeness")
        return page(searched(request, persons, paging.q), paging, person_out)
    return page(persons.order_by("created_at", "id"), paging, person_out, keyset=("created_at", "id"))


@router.post("/search", response=Page[PersonOut], summary="Find persons by name (the name in the body, not the URL)")
def search_persons(request, payload: PersonSearch):
    return page(searched(request, with_children(visible(request, Person)), payload.q), payload, person_out)


def searched(request, persons, q: str):
    if not reveals_identity():
        raise HttpError(403, "name search needs access to identity data")
    if name_index.stale():  # an answer from half an index would read as "nobody of that name"
        raise HttpError(503, name_index.STALE_MESSAGE)
    return find_persons(persons, q, registry.screenable_cases(request.user))


@router.get("/{id}", response=PersonOut)
def get_person(request, id: UUID):
    return person_out(get_or_404(request, Person, id))


@router.post("", response={201: PersonOut})
def create_person(request, payload: PersonIn):
    with transaction.atomic():
        case = writable_case(request, payload.case_id)
        person = Person(case=case)
        save_person(person, payload.model_dump(exclude={"case_id"}))
        audit_write(request, "create", person, sorted(payload.model_fields_set - {"case_id"}))
    return Status(201, person_out(person))


@router.patch("/{id}", response=PersonOut)
def update_person(request, id: UUID, payload: PatchDict[PersonFields]):
    values = reject_nulls(payload, PersonFields)
    with transaction.atomic():
        person = writable(request, Person, id)
        changed = save_person(person, values)
        audit_write(request, "update", person, changed)
    return person_out(person)

