"""Two-person approval of exports that contain identity data.

A coordinator or administrator asks (with a reason, optionally limited to some cases); a *different*
coordinator or administrator approves; the command line export consumes the approval once, within
24 hours of the request.
"""

import uuid

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from shelter.audit.log import record

from .models import APPROVAL_LIFETIME, ExportApproval


class ApprovalRefused(CommandError):
    pass


def may_handle(user) -> bool:
    return user.is_authenticated and user.role in ("administrator", "coordinator")


def request_export(user, reason: str, cases: list[str], request=None) -> ExportApproval:
    approval = ExportApproval.objects.create(requested_by=user, reason=reason, cases=" ".join(cases))
    record(user, "export_request", approval, request=request, cases=len(cases))
    return approval


def approve(approval, user, request=None):
    """Raises ValueError with the reason when ``user`` may not approve this request."""
    if approval.requested_by_id == user.pk:
        raise ValueError(_("The person who asked for an export cannot approve it."))
    if approval.approved_at or approval.used_at:
        raise ValueError(_("This request was already approved."))
    if approval.expired:
        raise ValueError(_("This request has expired."))
    updated = ExportApproval.objects.filter(pk=approval.pk, approved_at=None).update(
        approved_by=user, approved_at=timezone.now()
    )
    if not updated:
        raise ValueError(_("This request was already approved."))
    record(user, "export_approve", approval, request=request, requested_by=approval.requested_by.get_username())


def consume(approval_id, references, actor="cli", request=None, owner=None) -> ExportApproval:
    """Use an approval for one export of ``references`` (empty: every case), or refuse with the reason.
    With ``owner`` (a web export), only an approval that user asked for."""
    try:
        approval = ExportApproval.objects.get(pk=uuid.UUID(str(approval_id)))
    except (ValueError, ExportApproval.DoesNotExist):
        raise ApprovalRefused(f"no export approval {approval_id}") from None
    if owner is not None and approval.requested_by_id != owner.pk:
        raise ApprovalRefused("this export approval was asked for by someone else")
    if not approval.approved_at:
        raise ApprovalRefused("this export request has not been approved by a second coordinator or administrator yet")
    if approval.used_at:
        raise ApprovalRefused("this export approval was already used")
    if approval.expired:
        hours = int(APPROVAL_LIFETIME.total_seconds() // 3600)
        raise ApprovalRefused(f"this export approval has expired (approvals are valid for {hours} hours)")
    allowed = approval.case_references
    if allowed and (not references or not set(references) <= set(allowed)):
        raise ApprovalRefused(f"this approval covers only the cases {' '.join(allowed)}: pass them with --case")
    # Single use even if two exports race for the same approval.
    if not ExportApproval.objects.filter(pk=approval.pk, used_at=None).update(used_at=timezone.now()):
        raise ApprovalRefused("this export approval was already used")
    record(actor, "export_use", approval, request=request, requested_by=approval.requested_by.get_username(),
           approved_by=approval.approved_by.get_username())
    return approval
