"""Notices and requests (Interpol, OpenSanctions, entered by hand) and the alerts that tie them to
registered persons, with their triage.

A notice names its subject and an alert ties that name to a registered person: both are for roles
that read identity data only, decided on the role before any lookup (as screening is). A request
entered on a case is seen by that case's users only; an alert by the users of the matched person's
case. A request entered without a case is screened against the whole registry, as an imported
notice is; one entered on a case only against that case and the cases its author sees. The answer
lists only the alerts the caller can see. An alert shows its notice only to those who may read it
(``Notice.objects.visible_to``): to the others its reference and explanation are null, and they may
only escalate it (confirming or dismissing is a 403 with the reason).

Triage goes through ``shelter.notices.triage``, which audits every decision. A decision already
taken is a 409 with the reason; a missing or bad dismissal reason is a 422.
"""

import secrets
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from django.db import transaction
from ninja import Body, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from shelter import matching
from shelter.notices import importing, triage
from shelter.notices.models import AlertStatus, Notice, NoticeAlert, RequestKind, RequestSource
from shelter.notices.sources import interpol
from shelter.records import sealing

from .common import audit_write, ensure_writable, get_or_404, page, require_writer, values_of, visible, writable_case
from .schemas import CasePaging, Country, LongText, NoNul, Out, Page, PartialDate, RequiredCountry, ShortText

router = Router(tags=["notices"])
alerts_router = Router(tags=["alerts"])

MAX_ALIASES = matching.MAX_ALIASES
MAX_CHARGES = 50
MAX_NATIONALITIES = 10
MANUAL_PREFIX = "M-"
CHARGE_TEXT = interpol.MAX_TEXT  # as long as an imported charge may be
ChargeText = Annotated[str, Field(max_length=CHARGE_TEXT), NoNul]
ReasonText = Annotated[str, Field(max_length=triage.REASON_MAX), NoNul]


def require_reader(request):
    # On the role alone, before any lookup: a researcher learns nothing about which ids exist.
    if not request.user.reads_identity:
        raise HttpError(403, "notices and alerts need access to identity data")


# --- shapes -------------------------------------------------------------------------------------


class ChargeIn(Schema):
    charge: ChargeText = Field(min_length=1, description="as the requesting state words it")
    translation: ChargeText = ""
    issuing_state: Country = Field("", description="the requesting state when left out")


class NoticeIn(Schema):
    kind: RequestKind
    case: UUID | None = Field(None, description="the case the request was received on: only its users will see it")
    requesting_state: RequiredCountry
    name: ShortText = Field("", description="surname, as written in the request")
    forename: ShortText = ""
    aliases: list[ShortText] = Field([], max_length=MAX_ALIASES, description="other spellings, one name each")
    birth_date: PartialDate = ""
    gender: Literal["", "male", "female"] = ""
    nationalities: list[RequiredCountry] = Field([], max_length=MAX_NATIONALITIES)
    charges: list[ChargeIn] = Field([], max_length=MAX_CHARGES)
    issued_on: PartialDate = ""
    charged_on: PartialDate = ""
    in_absentia: bool = False
    facts_summary: LongText = ""
    penalty_years: Decimal | None = Field(None, ge=0, le=100, decimal_places=1)
    request_reference: ShortText = Field("", description="the request's own reference, as the requesting state numbers it")


class ChargeOut(Schema):
    charge: str = ""
    translation: str = ""
    issuing_state: str = ""


class NoticeOut(Out):
    id: UUID
    source: RequestSource
    reference: str | None = Field(
        description="the source's own identifier; Shelter's (M-…) for a request entered by hand; null once erased"
    )
    kind: RequestKind
    case_id: UUID | None
    requesting_state: str
    warrant_states: list[str]
    nationalities: list[str]
    gender: str
    name: str | None
    forename: str | None
    aliases: list[str] | None
    birth_date: str | None
    place_of_birth: str | None
    charges: list[ChargeOut] | None
    facts_summary: str | None
    request_reference: str | None
    last_seen_at: datetime | None = Field(None, description="when a fetch of Interpol's public list last returned it")
    withdrawn_at: datetime | None = Field(None, description="when a complete fetch of its nationality no longer did")
    issued_on: str
    charged_on: str
    in_absentia: bool
    penalty_years: float | None
    version: int
    first_seen_at: datetime
    updated_at: datetime


class AlertOut(Out):
    id: UUID
    case_id: UUID
    person_id: UUID
    notice_id: UUID
    notice_kind: RequestKind
    notice_reference: str | None = Field(description="null when the caller may not read the notice")
    notice_version: int
    score: float
    status: AlertStatus
    reason: str | None
    decided_by: str | None = Field(description="the username of whoever decided")
    decided_at: datetime | None
    process_id: UUID | None = Field(description="the legal process a confirmation recorded")
    task_id: UUID | None = Field(description="the deadline a confirmation opened on the case")
    created_at: datetime
    updated_at: datetime


class AlertDetailOut(AlertOut):
    explanation: list[dict[str, Any]] | None = Field(
        description="the features that fired and their contributions; null when the caller may not read the notice"
    )


class NoticeCreatedOut(NoticeOut):
    alerts: list[AlertDetailOut] = Field(description="the alerts the request raised on cases the caller can see")


class NoticePaging(CasePaging):
    kind: RequestKind | None = None
    source: RequestSource | None = None


class AlertPaging(CasePaging):
    status: AlertStatus | None = None


class DismissIn(Schema):
    reason: ReasonText = Field(min_length=1, description="why the notice does not concern this person")


class EscalateIn(Schema):
    note: ReasonText = ""


def notice_out(notice: Notice) -> dict:
    out = values_of(notice, [
        "id", "source", "kind", "case_id", "requesting_state", "warrant_states", "nationalities", "gender", "name",
        "forename", "birth_date", "place_of_birth", "facts_summary", "request_reference", "issued_on", "charged_on", "in_absentia",
        "version", "first_seen_at", "updated_at", "last_seen_at", "withdrawn_at",
    ])
    hidden = not sealing.current().reveal
    out["reference"] = notice.source_id
    out["aliases"] = None if hidden or isinstance(notice.aliases, sealing.Hidden) else notice.alias_list()
    out["charges"] = None if hidden or isinstance(notice.charges, sealing.Hidden) else notice.charge_list()
    out["penalty_years"] = None if notice.penalty_years is None else float(notice.penalty_years)
    return out


def alert_out(alert: NoticeAlert) -> dict:
    out = values_of(alert, [
        "id", "case_id", "person_id", "notice_id", "notice_version", "score", "status", "reason", "decided_at",
        "process_id", "task_id", "created_at", "updated_at",
    ])
    readable = alert.notice_readable  # annotated by ``visible_alerts``
    out["notice_kind"], out["notice_reference"] = alert.notice.kind, alert.notice.source_id if readable else None
    out["decided_by"] = alert.decided_by.get_username() if alert.decided_by else None
    return out


def alert_detail_out(alert: NoticeAlert) -> dict:
    out = alert_out(alert)
    hidden = not (sealing.current().reveal and alert.notice_readable) or isinstance(alert.explanation, sealing.Hidden)
    out["explanation"] = None if hidden else alert.explanation_features()
    return out


# --- notices ------------------------------------------------------------------------------------


@router.get("", response=Page[NoticeOut])
def list_notices(request, paging: Query[NoticePaging]):
    require_reader(request)
    notices = Notice.objects.visible_to(request.user)
    if paging.kind:
        notices = notices.filter(kind=paging.kind)
    if paging.source:
        notices = notices.filter(source=paging.source)
    return page(notices, paging, notice_out)


@router.get("/{id}", response=NoticeOut)
def get_notice(request, id: UUID):
    require_reader(request)
    return notice_out(get_or_404(request, Notice, id))


@router.post("", response={201: NoticeCreatedOut}, summary="Enter a request by hand and screen it")
def create_notice(request, payload: NoticeIn):
    require_reader(request)
    require_writer(request)
    case = writable_case(request, payload.case) if payload.case else None
    parsed = parsed_request(payload)
    extra = {
        "requesting_state": payload.requesting_state, "issued_on": payload.issued_on,
        "charged_on": payload.charged_on, "in_absentia": payload.in_absentia,
        "facts_summary": payload.facts_summary.strip(), "request_reference": payload.request_reference.strip(),
        # A float keeps the stored version's JSON plain; the column keeps one decimal.
        "penalty_years": None if payload.penalty_years is None else float(payload.penalty_years),
    }
    with transaction.atomic():
        report = importing.import_notices(
            [parsed], source=RequestSource.MANUAL, kind=payload.kind, user=request.user, extra=extra, case=case
        )
        [notice] = report.created
        audit_write(request, "create", notice, sorted(payload.model_fields_set))
    raised = visible_alerts(request).filter(pk__in=[a.pk for a in report.alerts])
    out = notice_out(Notice.objects.get(pk=notice.pk))  # re-read: the penalty as the column keeps it
    out["alerts"] = [alert_detail_out(a) for a in raised]
    return Status(201, out)


def parsed_request(payload: NoticeIn) -> interpol.Notice:
    """The request in the parser's shape, or 422 with the matcher's reason and which name it
    concerns: a request the matcher cannot read would never raise an alert. Reasons never quote
    the name."""
    name, forename = clean(payload.name), clean(payload.forename)
    aliases = [clean(alias) for alias in payload.aliases]
    if not (name or forename):
        raise HttpError(422, "name or forename is required")
    full_name = " ".join(part for part in (forename, name) if part)
    for where, text in (("name", full_name), *((f"aliases[{i}]", a) for i, a in enumerate(aliases))):
        if not text:
            raise HttpError(422, f"{where} is empty")
        try:
            matching.prepare_name(text)
        except matching.InvalidPerson as e:
            raise HttpError(422, f"{where}: {e}") from None
    nationalities = tuple(dict.fromkeys(payload.nationalities))
    try:
        matching.make(full_name, aliases, birth_date=payload.birth_date or None,
                      nationality=nationalities[0].lower() if nationalities else None, gender=payload.gender or None)
    except matching.InvalidPerson as e:
        raise HttpError(422, str(e)) from None
    warrants = tuple(
        interpol.Warrant(issuing_country=charge.issuing_state or payload.requesting_state, charge=clean(charge.charge),
                         charge_translation=clean(charge.translation))
        for charge in payload.charges
    )
    if any(not w.charge for w in warrants):
        raise HttpError(422, "charges: a charge is empty")
    return interpol.Notice(
        entity_id=new_reference(), name=name, forename=forename, aliases=tuple(aliases), birth_date=payload.birth_date,
        gender=payload.gender or None, nationalities=nationalities, warrants=warrants,
    )


def clean(text: str) -> str:
    return " ".join(text.split())


def new_reference() -> str:
    """Shelter's reference of a request entered by hand. Random, so that it says nothing about how
    many requests exist; never the caller's text, since it goes into URLs and file names."""
    while True:
        reference = MANUAL_PREFIX + secrets.token_hex(5).upper()
        # An existing reference would make the import update that notice: draw again.
        if not Notice.objects.with_reference(reference, RequestSource.MANUAL).exists():
            return reference


# --- alerts -------------------------------------------------------------------------------------


def visible_alerts(request):
    return visible(request, NoticeAlert).with_readable_notice(request.user).select_related("notice", "decided_by")


@alerts_router.get("", response=Page[AlertOut])
def list_alerts(request, paging: Query[AlertPaging]):
    require_reader(request)
    alerts = visible_alerts(request)
    if paging.status:
        alerts = alerts.filter(status=paging.status)
    return page(alerts, paging, alert_out)


@alerts_router.get("/{id}", response=AlertDetailOut)
def get_alert(request, id: UUID):
    require_reader(request)
    get_or_404(request, NoticeAlert, id)  # the same 404 for an alert not seen as for none
    return alert_detail_out(visible_alerts(request).get(pk=id))


@alerts_router.post("/{id}/confirm", response=AlertDetailOut, summary="The notice concerns this person")
def confirm_alert(request, id: UUID):
    return decide(request, id, "confirm", lambda alert: triage.confirm(request.user, alert, request=request))


@alerts_router.post("/{id}/dismiss", response=AlertDetailOut, summary="Not this person: say why")
def dismiss_alert(request, id: UUID, payload: DismissIn):
    return decide(request, id, "dismiss", lambda alert: triage.dismiss(request.user, alert, payload.reason, request=request))


@alerts_router.post("/{id}/escalate", response=AlertDetailOut, summary="Not sure: a coordinator decides")
def escalate_alert(request, id: UUID, payload: EscalateIn = Body(None)):
    note = payload.note if payload is not None else ""
    return decide(request, id, "escalate", lambda alert: triage.escalate(request.user, alert, note, request=request))


def decide(request, id, decision: str, act):
    """Role (403), visibility (404), an editable case (403, or 400 once erased), a decision still
    open (409), then the decision itself (422 when its reason is refused)."""
    require_reader(request)
    require_writer(request)
    with transaction.atomic():
        alert = get_or_404(request, NoticeAlert, id)
        ensure_writable(request, alert.case)
        # Locked, so that two people deciding at once cannot both confirm (two processes, two tasks).
        alert = NoticeAlert.objects.select_for_update().get(pk=alert.pk)
        if decision != "escalate" and not triage.reads_notice(request.user, alert):
            raise HttpError(403, "this alert comes from a request you may not read: escalate it to a coordinator")
        if alert.status not in triage.ALLOWED_FROM[decision]:
            raise HttpError(409, f"already decided: {alert.status}")
        try:
            act(alert)
        except triage.TriageRefused as e:
            raise HttpError(422, " ".join(e.messages)) from None
    return alert_detail_out(visible_alerts(request).get(pk=alert.pk))
