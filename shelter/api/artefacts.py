"""Suspicious messages and files: triage one into a case (multipart upload), read analyses, take their
indicators as STIX for MVT, and (coordinators) list campaigns. Values of a report are identity data of
its case: null for researchers, defanged for everyone else."""

from uuid import UUID

from django.conf import settings
from ninja import File, Form, Query, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from shelter.artefacts import campaigns, triage
from shelter.artefacts.models import Artefact, Campaign
from shelter.audit.log import record
from shelter.digital import stix

from .common import get_or_404, page, require_coordinator, reveals_identity, visible, writable_case
from .schemas import CasePaging, Out, Page, Stamped

router = Router(tags=["suspicious messages and files"])
campaigns_router = Router(tags=["suspicious messages and files"])


class ArtefactOut(Stamped):
    case_id: UUID
    evidence_id: UUID
    verdict: str
    score: int
    likely_goal: list[str]
    kinds: list[str]
    campaign: str | None
    other_cases: int
    reports: list[dict] | None


class CampaignOut(Out):
    id: UUID
    name: str
    artefacts: int
    cases: int


def artefact_out(artefact: Artefact) -> dict:
    reports = triage.reports_of(artefact) if reveals_identity() else None
    if reports is not None:
        reports = [{k: v for k, v in r.items() if k != "raw_indicators"} for r in reports]
    return {"id": artefact.pk, "created_at": artefact.created_at, "updated_at": artefact.updated_at,
            "case_id": artefact.case_id, "evidence_id": artefact.evidence_id, "verdict": artefact.verdict,
            "score": artefact.score, "likely_goal": artefact.goal_list, "kinds": [k for k in artefact.kinds.split(",") if k],
            "campaign": str(artefact.campaign) if artefact.campaign_id else None,
            "other_cases": other_cases if (other_cases := getattr(artefact, "other_cases_count", None)) is not None
            else campaigns.other_cases(artefact), "reports": reports}


@router.get("", response=Page[ArtefactOut])
def list_artefacts(request, paging: Query[CasePaging]):
    artefacts = visible(request, Artefact).select_related("campaign").annotate(other_cases_count=campaigns.other_cases_expression())
    return page(artefacts, paging, artefact_out)


@router.post("", response={201: ArtefactOut})
def triage_artefact(request, case_id: Form[UUID], file: File[UploadedFile]):
    """Analyse a suspicious message (.eml) or file offline and keep it encrypted as the case's evidence."""
    case = writable_case(request, case_id)
    if file.size > settings.SHELTER_MAX_UPLOAD_BYTES:
        raise HttpError(413, f"the file is too large: the limit is {settings.SHELTER_MAX_UPLOAD_BYTES} bytes")
    data = file.read()
    if not data:
        raise HttpError(422, "the file is empty")
    try:
        artefact = triage.triage_into_case(case, file.name or "upload", data, request.user, request=request)
    except triage.AlreadyStored as e:
        raise HttpError(409, str(e)) from e
    return Status(201, artefact_out(artefact))


@router.get("/{id}", response=ArtefactOut)
def get_artefact(request, id: UUID):
    return artefact_out(get_or_404(request, Artefact, id))


@router.get("/{id}/stix", response=dict)
def artefact_stix(request, id: UUID):
    """The artefact's indicators as a STIX 2.1 bundle MVT reads."""
    artefact = get_or_404(request, Artefact, id)
    reports = triage.reports_of(artefact) if reveals_identity() else None
    if reports is None:
        raise HttpError(403, "your role may not read the values of this report")
    record(request.user, "export", artefact, request=request, format="stix2")
    return stix.of_reports(reports, f"Shelter {artefact.case.reference}")



@campaigns_router.get("", response=list[CampaignOut])
def list_campaigns(request):
    """Campaigns linked across cases: for coordinators, who see every case."""
    require_coordinator(request, "campaigns")
    return [{"id": c.pk, "name": str(c), "artefacts": c.artefacts.count(), "cases": c.artefacts.values("case_id").distinct().count()}
            for c in Campaign.objects.all()]


@campaigns_router.get("/{id}/stix", response=dict)
def campaign_stix(request, id: UUID):
    """The indicators of every message and file of a campaign as a STIX 2.1 bundle MVT reads."""
    require_coordinator(request, "campaigns")
    campaign = Campaign.objects.filter(pk=id).first()
    if campaign is None:
        raise HttpError(404, "no such campaign")
    record(request.user, "export", campaign, request=request, format="stix2")
    return campaigns.stix_bundle(campaign)
