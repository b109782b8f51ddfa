"""Alerts: a notice screened against the whole registry, and the triage of what it found.

The system screens every new or changed notice against every readable case (``screen_among``), so
that a notice is never missed because of who imported it; each alert is stored on the matched
person's case and is seen only by that case's users. Triage — confirm, dismiss with a reason,
escalate — is audited. Confirming ties the notice to the person: a legal process of the notice's
kind (the notice's own: request kinds are process kinds) is recorded and a task is opened on the case.
"""

import datetime
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shelter import matching
from shelter.audit.log import record
from shelter.records import access
from shelter.records.models import Case, Deadline, LegalProcess, ProcessStatus
from shelter.screening import registry

from .models import TO_DECIDE, AlertStatus, NoticeAlert
from .sources import interpol

REASON_MAX = 1000
TASK_DAYS = 14  # a confirmed notice is looked at within two weeks: a CCF request or a defence starts there
# The statuses from which each decision may still be taken.
ALLOWED_FROM = {"confirm": TO_DECIDE, "dismiss": TO_DECIDE, "escalate": (AlertStatus.OPEN,)}


class TriageRefused(ValidationError):
    """The decision cannot be taken; the message says why."""


def screen_notice(notice) -> list[NoticeAlert]:
    """Screen ``notice`` against every readable case; new alerts are opened, open ones rescored.
    A decided alert keeps its decision: a new version of the notice does not reopen it."""
    if notice.case_id and notice.case.erased:
        return []  # its subject's name is gone with the case's key
    try:
        query = interpol.as_person(notice.as_parsed())
    except matching.InvalidPerson:
        return []
    found = []
    cases = Case.objects.exclude(wrapped_key=None)
    for hit in registry.screen_among(cases, query):
        alert = NoticeAlert.objects.filter(notice=notice, person=hit.person).first()
        if alert is None:
            alert = NoticeAlert(notice=notice, person=hit.person)
        elif alert.status != AlertStatus.OPEN:
            continue
        alert.score = hit.result.score
        alert.explanation = json.dumps(hit.result.explanation(), ensure_ascii=False)
        alert.notice_version = notice.version
        alert.save()
        found.append(alert)
    return found


def alert_summary(alert: NoticeAlert) -> dict:
    """An alert as the CLI and API report it: ids and the score, never a name."""
    return {
        "alert": str(alert.pk), "notice": alert.notice.source_id, "person": str(alert.person_id),
        "case": alert.case.reference, "score": round(alert.score, 4), "status": alert.status,
    }


# --- triage -------------------------------------------------------------------------------------


def may_triage(user, alert: NoticeAlert) -> bool:
    return access.can_edit(user, alert.case)


def check(user, alert: NoticeAlert, decision: str) -> None:
    if not may_triage(user, alert):
        raise PermissionDenied("triage needs edit access to the case")
    if alert.status not in ALLOWED_FROM[decision]:
        raise TriageRefused(_("This alert was already decided: %(status)s.") % {"status": alert.get_status_display()})


@transaction.atomic
def confirm(user, alert: NoticeAlert, *, request=None) -> NoticeAlert:
    """The notice concerns this person: record it as a legal process and open a task on the case."""
    check(user, alert, "confirm")
    notice = alert.notice
    alert.process = LegalProcess.objects.create(
        case=alert.case, person=alert.person, kind=notice.kind,
        requesting_state=notice.requesting_state if len(notice.requesting_state) == 2 else "",
        reference=notice.source_id, opened_on=notice.issued_on or "", status=ProcessStatus.ACTIVE,
    )
    alert.task = Deadline.objects.create(
        case=alert.case, due_on=timezone.localdate() + datetime.timedelta(days=TASK_DAYS),
        title=_("Assess %(notice)s and decide on a CCF request or defence") % {"notice": notice},
    )
    decide(user, alert, AlertStatus.CONFIRMED, "")
    record(user, "alert_confirmed", alert, request=request, notice=str(notice.pk), process=str(alert.process.pk),
           task=str(alert.task.pk))
    return alert


@transaction.atomic
def dismiss(user, alert: NoticeAlert, reason: str, *, request=None) -> NoticeAlert:
    """Not this person. The reason is required, so that the next reader knows why."""
    check(user, alert, "dismiss")
    decide(user, alert, AlertStatus.DISMISSED, required_reason(reason))
    record(user, "alert_dismissed", alert, request=request, notice=str(alert.notice_id))
    return alert


@transaction.atomic
def escalate(user, alert: NoticeAlert, note: str = "", *, request=None) -> NoticeAlert:
    """Not sure: a coordinator decides. The alert stays open to a decision."""
    check(user, alert, "escalate")
    decide(user, alert, AlertStatus.ESCALATED, clean_reason(note))
    record(user, "alert_escalated", alert, request=request, notice=str(alert.notice_id))
    return alert


def decide(user, alert: NoticeAlert, status: str, reason: str) -> None:
    alert.status, alert.reason = status, reason
    alert.decided_by, alert.decided_at = user, timezone.now()
    alert.save()


def clean_reason(text: str) -> str:
    text = (text or "").replace("\x00", "").strip()
    if len(text) > REASON_MAX:
        raise TriageRefused(_("The reason is too long (at most %(n)d characters).") % {"n": REASON_MAX})
    return text


def required_reason(text: str) -> str:
    text = clean_reason(text)
    if not text:
        raise TriageRefused(_("Say why the alert is dismissed."))
    return text
