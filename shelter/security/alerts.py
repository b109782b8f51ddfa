"""Insider alerts: a user who reads the identity data of unusually many records, or exports
unusually often, is flagged to the administrators.

Counts come from the audit log, so they cover the UI and the API alike and cannot be reset by the
user. The check runs after a request, at most once a minute per user (a cache key), so that a
normal request costs one cache lookup.
"""

import itertools
import threading
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from shelter.audit.log import record
from shelter.audit.models import AuditEvent, PendingEvent

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


class ReadWindow:
    """What one user read since ``start``, kept up to date from the audit log a few events at a time:
    each record with the last time it was read, and the unlisted rows of each event. Counting then
    costs the events since the last count, not the hour's (1.1 s with 6,300 events in an hour)."""

    def __init__(self, start):
        self.start = start
        self.records: dict[tuple, object] = {}  # record -> last read
        self.unlisted: dict[tuple, tuple] = {}  # event (its time, object) -> (at, rows beyond those it lists)
        self.read_up_to = start

    def update(self, user) -> None:
        # Events are re-read from a minute before the last one seen: one committed late (its
        # transaction began earlier) is not missed, and reading one twice changes nothing.
        last_read: dict[tuple, object] = {}  # row -> last read
        # Reads still waiting for the chain count too (a server appends them within a second); one
        # appended meanwhile is read again next time (REREAD), and counting it twice changes nothing.
        recent = {"actor": user, "action": "read_identity", "at__gte": self.read_up_to - REREAD}
        rows = (model.objects.filter(**recent).values_list("at", "object_id", "detail") for model in (AuditEvent, PendingEvent))
        for at, object_id, detail in itertools.chain.from_iterable(rows):
            objects = detail.get("objects") or []
            for row in {(str(o.get("type")), str(o.get("id"))) for o in objects}:
                last_read[row] = max(at, last_read.get(row, at))
            beyond = max(int(detail.get("count") or 0) - len(objects), 0)
            if beyond:
                self.unlisted[(at, object_id)] = (at, beyond)
            self.read_up_to = max(self.read_up_to, at)
        for row, read in record_of(set(last_read)).items():
            at = last_read[row]
            self.records[read] = max(at, self.records.get(read, at))

    def count(self, since) -> int:
        self.records = {read: at for read, at in self.records.items() if at >= since}
        self.unlisted = {key: item for key, item in self.unlisted.items() if item[0] >= since}
        self.start = since
        return len(self.records) + sum(n for _, n in self.unlisted.values())


REREAD = timedelta(minutes=1)
_windows: dict[tuple, ReadWindow] = {}  # per server process: each derives its own from the audit log
_windows_lock = threading.Lock()


def distinct_identity_reads(user, since) -> int:
    """Distinct records whose identity data ``user`` read since ``since``. An event lists at most
    200 rows; the ones beyond that are counted as distinct records (an alert errs on the side of
    raising)."""
    key = (user.pk, user.date_joined)  # a test database reuses ids; an account's creation time is its own
    with _windows_lock:
        window = _windows.get(key)
        if window is None or since < window.start:
            window = _windows[key] = ReadWindow(since)
        window.update(user)
        return window.count(since)


def record_of(rows: set) -> dict:
    """The record each row belongs to: a part's record, or the row itself (a part since deleted
    stays a record of its own)."""
    records = {row: row for row in rows if row[0] not in _parts()}
    for part_type, (parent_type, model, parent_field) in _parts().items():
        ids = [i for t, i in rows if t == part_type]
        if not ids:
            continue
        parents = {str(pk): parent for pk, parent in model.objects.filter(pk__in=ids).values_list("pk", parent_field)}
        for part_id in ids:
            parent = parents.get(part_id)
            records[(part_type, part_id)] = (parent_type, str(parent)) if parent is not None else (part_type, part_id)
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
