"""Insider alerts: a user who reads the identity data of unusually many records, or exports
unusually often, is flagged to the administrators.

Counts come from the audit log, so they cover the UI and the API alike and cannot be reset by the
user. The check runs after a request, at most once a minute per user (a cache key), so that a
normal request costs one cache lookup.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from shelter.audit.log import record
from shelter.audit.models import AuditEvent

from .models import Alert, AlertKind

CHECK_EVERY_SECONDS = 60
READS_WINDOW = timedelta(hours=1)
EXPORTS_WINDOW = timedelta(days=1)


def _parts():
    """Rows read along with their record, and the record they belong to: a person's names, contacts
    and documents, an incident's involvements, a case's deadlines. A page listing 50 names is 50
    persons read; a person page showing three names is one."""
    from shelter.records.models import ContactDetail, Deadline, IdentityDocument, Involvement, PersonName

    return {
        "personname": ("person", PersonName, "person_id"),
        "contactdetail": ("person", ContactDetail, "person_id"),
        "identitydocument": ("person", IdentityDocument, "person_id"),
        "involvement": ("incident", Involvement, "incident_id"),
        "deadline": ("case", Deadline, "case_id"),
    }


def alert_middleware(get_response):
    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)  # API token authentication sets it inside the view
        if user is not None and user.is_authenticated and due(user):
            check(user)
        return response

    return middleware


def due(user) -> bool:
    # cache.add is atomic and only succeeds when the key is absent: once a minute per user.
    return cache.add(f"shelter:alert-check:{user.pk}", True, CHECK_EVERY_SECONDS)


def check(user, now=None) -> list[Alert]:
    now = now or timezone.now()
    raised = []
    reads = distinct_identity_reads(user, now - READS_WINDOW)
    if reads > settings.SHELTER_ALERT_READS_PER_HOUR:
        raised += raise_once(user, AlertKind.READS, READS_WINDOW, reads, now)
    exports = AuditEvent.objects.filter(actor=user, action="export", at__gte=now - EXPORTS_WINDOW).count()
    if exports > settings.SHELTER_ALERT_EXPORTS_PER_DAY:
        raised += raise_once(user, AlertKind.EXPORTS, EXPORTS_WINDOW, exports, now)
    return raised


def over_read_threshold(user) -> bool:
    return distinct_identity_reads(user, timezone.now() - READS_WINDOW) > settings.SHELTER_ALERT_READS_PER_HOUR


def distinct_identity_reads(user, since) -> int:
    """Distinct records whose identity data ``user`` read since ``since``. An event lists at most
    200 rows; the ones beyond that are counted as distinct records (an alert errs on the side of
    raising)."""
    rows, unlisted = set(), 0
    events = AuditEvent.objects.filter(actor=user, action="read_identity", at__gte=since).values_list("detail", flat=True)
    for detail in events.iterator():
        objects = detail.get("objects") or []
        rows.update((str(o.get("type")), str(o.get("id"))) for o in objects)
        unlisted += max(int(detail.get("count") or 0) - len(objects), 0)
    return len(records_of(rows)) + unlisted


def records_of(rows: set) -> set:
    """Replace each part by the record it belongs to (a part since deleted stays a record of its own)."""
    records = {row for row in rows if row[0] not in _parts()}
    for part_type, (parent_type, model, parent_field) in _parts().items():
        ids = [i for t, i in rows if t == part_type]
        if not ids:
            continue
        parents = {str(pk): parent for pk, parent in model.objects.filter(pk__in=ids).values_list("pk", parent_field)}
        for part_id in ids:
            parent = parents.get(part_id)
            records.add((parent_type, str(parent)) if parent is not None else (part_type, part_id))
    return records


def raise_once(user, kind, window, count, now) -> list[Alert]:
    """One alert per user, kind and window: no new one while the last is younger than the window."""
    with transaction.atomic():
        if Alert.objects.filter(user=user, kind=kind, created_at__gt=now - window).exists():
            return []
        alert = Alert.objects.create(user=user, kind=kind, window=window, count=count, created_at=now)
        record("system", "alert", alert, kind=kind, count=count, user=user.get_username())
    return [alert]


def acknowledge(alert, admin, request=None) -> bool:
    updated = Alert.objects.filter(pk=alert.pk, acknowledged_at=None).update(
        acknowledged_by=admin, acknowledged_at=timezone.now()
    )
    if updated:
        record(admin, "alert_ack", alert, request=request, kind=alert.kind, user=alert.user.get_username())
    return bool(updated)
