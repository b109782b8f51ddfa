"""Screening: does a person described by a notice, a request or a list match someone in the registry?

The caller's token decides what is screened: only persons of cases its user can see, and only for
roles that read identity data (a match ties a name to a record). The queried name travels in the
body, is never stored, and the audit event holds which facts were given and how many alerts came
back, never the name. The alerts' explanations quote the recorded names: they are identity data,
for the caller only.
"""

from typing import Any, Literal
from uuid import UUID

from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from shelter.audit.log import record
from shelter import matching
from shelter.matching import THRESHOLD
from shelter.records import name_index
from shelter.screening import registry

from .schemas import Country, PartialDate, ShortText

router = Router(tags=["screening"])

MAX_ALIASES = matching.MAX_ALIASES
FACTS = ("name", "aliases", "birth_date", "nationality", "gender")


class ScreenIn(Schema):
    name: ShortText = Field(description="the name as written in the notice or request, in any script")
    aliases: list[ShortText] = Field([], max_length=MAX_ALIASES, description="other spellings, one name each")
    birth_date: PartialDate = ""
    nationality: Country = ""
    gender: Literal["", "male", "female"] = ""


class AlertOut(Schema):
    person: UUID = Field(description="the person's id, as in /persons/{id}")
    case: str = Field(description="the reference of the person's case")
    score: float
    explanation: list[dict[str, Any]] = Field(description="the features that fired and their contributions")


class ScreeningOut(Schema):
    threshold: float
    alerts: list[AlertOut]


@router.post("", response=ScreeningOut, summary="Screen a person against the registry")
def screen(request, payload: ScreenIn):
    # Decided on the role alone, before the query is even read.
    if not registry.may_screen(request.user):
        raise HttpError(403, "screening needs access to identity data")
    if name_index.stale():  # an answer from half an index would read as "no match"
        raise HttpError(503, name_index.STALE_MESSAGE)
    alerts = registry.screen(request.user, query_of(payload))
    record(
        request.user, "read_identity", request=request, object_type="screening",
        fields=[fact for fact in FACTS if getattr(payload, fact)], alerts=len(alerts), aliases=len(payload.aliases),
    )
    return {"threshold": THRESHOLD, "alerts": [alert_out(alert) for alert in alerts]}


def query_of(payload: ScreenIn) -> matching.Person:
    """The matcher's person, or 422 with the matcher's reason and which name it concerns (the
    reasons never quote the name)."""
    for where, text in (("name", payload.name), *((f"aliases[{i}]", a) for i, a in enumerate(payload.aliases))):
        if not text.strip():
            raise HttpError(422, f"{where} is empty")
        try:
            matching.prepare_name(text)
        except matching.InvalidPerson as e:
            raise HttpError(422, f"{where}: {e}") from None
    try:
        return matching.make(
            payload.name,
            payload.aliases,
            birth_date=payload.birth_date or None,
            nationality=payload.nationality or None,
            gender=payload.gender or None,
        )
    except matching.InvalidPerson as e:
        raise HttpError(422, str(e)) from None


def alert_out(alert: registry.RegistryAlert) -> dict:
    return {
        "person": alert.person.pk,
        "case": alert.person.case.reference,
        "score": alert.result.score,
        "explanation": alert.result.explanation(),
    }
