"""Value types and shared shapes of the API.

Input types validate at the edge, so a bad date, country or thesaurus code is a 422 with a reason
before any record is touched. Error messages name the rule, never the rejected value: the value may
be a birth date or a name.
"""

from datetime import datetime
from typing import Annotated, Generic, TypeVar
from uuid import UUID

from ninja import Schema
from pydantic import AfterValidator, Field, field_validator

from shelter import countries, dates, thesaurus
from shelter.records import sealing

MAX_PAGE = 200
SHORT_TEXT = 500  # the length the web forms accept for one-line identity fields
LONG_TEXT = 100_000


def _partial_date(value: str) -> str:
    if not value:
        return ""
    try:
        return dates.parse(value).iso()
    except dates.PartialDateError:
        raise ValueError("not a date: use YYYY, YYYY-MM or YYYY-MM-DD") from None


def _country(value: str) -> str:
    if not value:
        return ""
    try:
        return countries.normalise(value)
    except ValueError:
        raise ValueError("unknown country code: use ISO 3166-1 alpha-2, or SU for the USSR") from None


def _code_of(name: str):
    def check(value: str) -> str:
        if value and value not in thesaurus.codes(name):
            raise ValueError(f"unknown {name} code: see shelter/data/{name}.json")
        return value

    return check


def _no_nul(value: str) -> str:
    # PostgreSQL stores no NUL character in text or JSON: refused here, not a 500 there.
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    return value


NoNul = AfterValidator(_no_nul)
ShortText = Annotated[str, Field(max_length=SHORT_TEXT), NoNul]
LongText = Annotated[str, Field(max_length=LONG_TEXT), NoNul]
PartialDate = Annotated[str, Field(max_length=20, description="YYYY, YYYY-MM or YYYY-MM-DD"), AfterValidator(_partial_date)]
RequiredPartialDate = Annotated[str, Field(min_length=1, max_length=20), AfterValidator(_partial_date)]
Country = Annotated[str, Field(max_length=10, description="ISO 3166-1 alpha-2, or SU"), AfterValidator(_country)]
RequiredCountry = Annotated[str, Field(min_length=1, max_length=10), AfterValidator(_country)]
TacticCode = Annotated[str, Field(max_length=40), AfterValidator(_code_of("tactics"))]
ProfileCode = Annotated[str, Field(max_length=40), AfterValidator(_code_of("profiles"))]
AccusationCode = Annotated[str, Field(max_length=30), AfterValidator(_code_of("accusations"))]
LanguageCode = Annotated[str, Field(max_length=3, description="ISO 639-1")]


class Out(Schema):
    """Base of every response shape: identity data the caller may not read (or that was
    crypto-erased) comes out as null, never as the "[hidden]" marker text."""

    @field_validator("*", mode="before")
    @classmethod
    def _hidden_is_null(cls, value):
        return None if isinstance(value, sealing.Hidden) else value


class Paging(Schema):
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    # Bounded: an offset past a 64-bit integer is a database error (a 500) on SQLite and PostgreSQL.
    offset: int = Field(0, ge=0, le=2**31 - 1)


class CasePaging(Paging):
    case: UUID | None = Field(None, description="only the records of this case")


class KeysetPaging(CasePaging):
    after: str | None = Field(None, max_length=300, description="the `next` cursor of the previous page")


T = TypeVar("T")


class Page(Schema, Generic[T]):
    count: int = Field(description="the records, counted up to 1,000 or to this page's end if further")
    more: bool = Field(description="true when there are more records than the count says")
    next: str | None = Field(None, description="on the lists of persons and incidents: pass it as `after` for the "
                             "next page (faster than an offset deep into a long list); null on the last page")
    limit: int
    offset: int
    items: list[T]


class Stamped(Out):
    id: UUID
    created_at: datetime
    updated_at: datetime
