"""Alerts: a notice screened against the registry, and the triage of what it found.

The system screens every new or changed public notice against every readable case (``screen_among``),
so that a notice is never missed because of who imported it. A request entered on a case is screened
only against that case and the cases its author may see: it is that case's record, and an alert
would carry it to users who may not read it. Each alert is stored on the matched person's case and is
seen only by that case's users; only those who may also read the notice confirm or dismiss it, the
others escalate it to a coordinator. Triage — confirm, dismiss with a reason, escalate — is audited.
Confirming ties the notice to the person: a legal process of the notice's kind (the notice's own:
request kinds are process kinds) is recorded and a task is opened on the case.
"""

import datetime
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shelter import matching
from shelter.audit.log import record
from shelter.records import access
from shelter.records.models import Case, Deadline, LegalProcess, ProcessStatus
from shelter.screening import registry

from .models import TO_DECIDE, AlertStatus, Notice, NoticeAlert
from .sources import interpol

REASON_MAX = 1000
TASK_DAYS = 14  # a confirmed notice is looked at within two weeks: a CCF request or a defence starts there
# The statuses from which each decision may still be taken.
ALLOWED_FROM = {"confirm": TO_DECIDE, "dismiss": TO_DECIDE, "escalate": (AlertStatus.OPEN,)}


class TriageRefused(ValidationError):
    """The decision cannot be taken; the message says why."""


def screen_notice(notice) -> list[NoticeAlert]:
    """Screen ``notice`` against the cases it may reach (``screened_cases``); new alerts are opened,
    open ones rescored. A decided alert keeps its decision: a new version of the notice does not reopen it."""
    if notice.case_id and notice.case.erased:
        return []  # its subject's name is gone with the case's key
    try:
        query = interpol.as_person(notice.as_parsed())
    except matching.InvalidPerson:
        return []
    found = []
    for hit in registry.screen_among(screened_cases(notice), query):
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


def screened_cases(notice):
    """Every readable case for a notice of no case (a public one, or a request entered without a
    case): none is missed because of who brought it in. A request entered on a case: that case and
    those its author may see now (a coordinator: all), never a case whose users could not read it."""
    cases = Case.objects.exclude(wrapped_key=None)
    if not notice.case_id:
        return cases
    author = access.visible_cases(notice.created_by) if notice.created_by else Case.objects.none()
    return cases.filter(Q(pk=notice.case_id) | Q(pk__in=author.values("pk")))


def alert_summary(alert: NoticeAlert) -> dict:
    """An alert as the CLI reports it: ids and the score, never a name. ``external_id`` is the
    registry's own reference for the person (``persons import``), so its owner can map alerts back;
    read through the model attribute, which may unseal it."""
    return {
        "alert": str(alert.pk), "notice": alert.notice.source_id, "person": str(alert.person_id),
        "case": alert.case.reference, "score": round(alert.score, 4), "status": alert.status,
        "external_id": alert.person.external_id,
    }


# --- triage -------------------------------------------------------------------------------------


def may_triage(user, alert: NoticeAlert) -> bool:
    return access.can_edit(user, alert.case)


def reads_notice(user, alert: NoticeAlert) -> bool:
    """May ``user`` read the notice behind ``alert``? Not always: an alert on their case may come from
    a request entered on a case they do not work on."""
    return Notice.objects.visible_to(user).filter(pk=alert.notice_id).exists()


def may_decide(user, alert: NoticeAlert) -> bool:
    """Confirm or dismiss: only with the notice in view. Confirming copies it into the case."""
    return may_triage(user, alert) and reads_notice(user, alert)


def check(user, alert: NoticeAlert, decision: str) -> None:
    if not may_triage(user, alert):
        raise PermissionDenied("triage needs edit access to the case")
    if decision != "escalate" and not reads_notice(user, alert):
        raise PermissionDenied("confirming or dismissing needs to read the notice: escalate it to a coordinator")
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
    # The process's history says where it came from.
    record(user, "create", alert.process, request=request, fields=["kind", "reference", "status"], from_alert=str(alert.pk))
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
