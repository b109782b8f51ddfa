"""Exports of surveillance technology: screen a request (the body is REQUEST.json, as ``shelter exports
screen`` reads it), list the caller's requests, read one's latest or any kept screening, screen it again.

A request is its author's and the coordinators'; the screening reads the incidents of the caller's
cases. Every screening is kept as a version and audited."""

import json
from typing import Literal
from uuid import UUID

from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from shelter.exportcontrol import screening
from shelter.exportcontrol.models import ExportRequest
from shelter.exports.controls import ScreeningError
from shelter.exports.request import InvalidRequest, from_json

from .common import page
from .schemas import Paging

router = Router(tags=["exports"])
MAX_BODY = 1_000_000


class Language(Schema):
    language: Literal["en", "ru"] = "en"


def _reader(request):
    if request.user.role == "auditor":
        raise HttpError(403, "auditors read the audit log only")


def _visible_or_404(request, id) -> ExportRequest:
    found = ExportRequest.objects.visible_to(request.user).filter(pk=id).first()
    if found is None:
        raise HttpError(404, "not found")
    return found


def _read_body(request):
    if len(request.body) > MAX_BODY:
        raise HttpError(413, f"the request is larger than {MAX_BODY} bytes")
    try:
        return from_json(json.loads(request.body.decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise HttpError(400, "the body must be a JSON object (REQUEST.json)") from None
    except InvalidRequest as e:
        raise HttpError(422, str(e)) from None


def _screened(request, asked, stored, language) -> dict:
    try:
        kept = screening.save(asked, request.user, stored, http_request=request)
    except ScreeningError as e:
        raise HttpError(422, f"item: {e.reason[language]}") from None
    return _out(kept, language)


def _out(kept, language: str) -> dict:
    return {"request": str(kept.request_id), "version": kept.version, "screened_at": kept.screened_at.isoformat(),
            **screening.as_json(kept.result, language)}


@router.post("", response={201: dict}, summary="Screen a proposed export and keep the result")
def screen(request, options: Query[Language]):
    _reader(request)
    return Status(201, _screened(request, _read_body(request), None, options.language))


@router.get("", response=dict, summary="The export requests the caller may see")
def list_requests(request, paging: Query[Paging]):
    _reader(request)

    def row(stored):
        latest = stored.latest()
        return {"id": str(stored.pk), "reference": stored.reference, "destination": stored.destination,
                "recommendation": latest.recommendation if latest else None, "version": latest.version if latest else 0,
                "updated_at": stored.updated_at.isoformat()}

    # The versions with the requests, as the UI's list reads them (latest() picks from them).
    return page(ExportRequest.objects.visible_to(request.user).prefetch_related("screenings"), paging, row)


@router.get("/{id}", response=dict, summary="A request's latest screening, or ?version=N")
def get_request(request, id: UUID, options: Query[Language], version: int | None = None):
    _reader(request)
    stored = _visible_or_404(request, id)
    kept = stored.screenings.filter(version=version).first() if version else stored.latest()
    if kept is None:
        raise HttpError(404, "no such version")
    return {**_out(kept, options.language), "versions": list(stored.screenings.values_list("version", flat=True))}


@router.post("/{id}/screen", response={201: dict}, summary="Screen a request again, as it is or changed (a body)")
def rescreen(request, id: UUID, options: Query[Language]):
    _reader(request)
    stored = _visible_or_404(request, id)
    asked = _read_body(request) if request.body else from_json(stored.request)
    return Status(201, _screened(request, asked, stored, options.language))
