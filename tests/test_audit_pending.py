"""A server appends identity reads to the audit chain off the request path (``audit.log``): a request
records its reads as PendingEvent rows, without the chain's lock, and the server's chainer appends them
in order, with their own times, within a fraction of a second. Nothing is lost or reordered, the chain
stays intact, and whatever reads the log sees them."""

import threading

import pytest

from shelter.audit import log
from shelter.audit.models import AuditEvent, PendingEvent
from shelter.security import alerts


@pytest.fixture
def deferred(monkeypatch):
    """This process defers reads, as `shelter serve` does once its chainer runs (the thread itself is
    not started: the tests append by calling chain_pending, as the thread would)."""
    running = threading.Event()
    running.set()
    monkeypatch.setattr(log, "_chainer_running", running)


def read(user, n):
    return log.record(user, "read_identity", object_type="person", object_id=str(n), count=1,
                      objects=[{"type": "person", "id": str(n), "case": ""}])


def test_a_read_waits_outside_the_chain_and_is_appended_in_order(deferred, caseworker):
    before = AuditEvent.objects.count()
    for n in range(3):
        read(caseworker, n)
    assert PendingEvent.objects.count() == 3 and AuditEvent.objects.count() == before
    assert log.chain_pending() == 3
    assert not PendingEvent.objects.exists()
    appended = list(AuditEvent.objects.order_by("sequence").values_list("object_id", "action", "actor_id")[before:])
    assert appended == [(str(n), "read_identity", caseworker.pk) for n in range(3)]
    assert log.verify_log().intact


def test_an_appended_read_keeps_the_time_it_was_made(deferred, caseworker):
    pending = read(caseworker, 1)
    log.chain_pending()
    assert AuditEvent.objects.get(object_id="1", action="read_identity").at == pending.at


def test_other_events_are_chained_at_once(deferred, caseworker):
    event = log.record(caseworker, "export", object_type="case")
    assert isinstance(event, AuditEvent) and not PendingEvent.objects.exists()


def test_verifying_the_log_appends_what_waits_first(deferred, caseworker):
    read(caseworker, 1)
    report = log.verify_log()
    assert report.intact and not PendingEvent.objects.exists()
    assert AuditEvent.objects.filter(action="read_identity", object_id="1").exists()


def test_the_audit_page_shows_reads_still_waiting(deferred, client, caseworker, auditor):
    from .conftest import login

    read(caseworker, 7)
    login(client, auditor)
    client.get("/audit/")
    assert not PendingEvent.objects.exists()
    assert AuditEvent.objects.filter(action="read_identity", object_id="7").exists()


def test_insider_counts_include_reads_still_waiting(deferred, caseworker):
    from datetime import timedelta

    from django.utils import timezone

    hour_ago = timezone.now() - timedelta(hours=1)
    for n in range(3):
        read(caseworker, n)
    assert alerts.distinct_identity_reads(caseworker, hour_ago) == 3
    log.chain_pending()
    assert alerts.distinct_identity_reads(caseworker, hour_ago) == 3  # appended: the same reads, once


def test_without_a_chainer_reads_are_chained_at_once(caseworker):
    assert isinstance(read(caseworker, 1), AuditEvent) and not PendingEvent.objects.exists()
