"""Writing to the audit log from views, the API and commands."""

import ipaddress
import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection, transaction

from . import chain
from .models import AuditEvent, PendingEvent, chain_entries, lock_chain

log = logging.getLogger(__name__)


def _address(text):
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address  # a dual-stack socket shows ::ffff:a.b.c.d


def _trusted(address) -> bool:
    return any(address in network for network in settings.SHELTER_TRUSTED_PROXIES)


def client_ip(request):
    """The client's address, as recorded in the audit log and sessions and throttled at login.

    X-Forwarded-For is believed only from a configured ``trusted_proxies`` address, and is read from
    the right: each trusted proxy appends the peer it saw, so the first address that is not a
    trusted proxy is the client. Whatever a client puts in the header itself lies to the left of
    that and is never used, so no one can pick the address they are counted (or locked) under.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    address = _address(remote) if remote else None
    if address is None or not _trusted(address):
        return remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        hop_address = _address(hop)
        if hop_address is None:
            break  # garbage: count the request under the last address known to be real
        address = hop_address
        if not _trusted(address):
            break
    return str(address)


def record(actor, action, obj=None, *, request=None, fields=(), case_id=None, object_type="", object_id="", **detail):
    """Append one event. ``obj`` is a model instance; only its type and id are kept, never its content."""
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or str(obj.pk)
        case_id = case_id or getattr(obj, "case_id", None) or (obj.pk if object_type == "case" else None)
    user = actor if getattr(actor, "is_authenticated", False) else None
    # Identity reads, the one event of most requests, wait for the chain off the request path when a
    # chainer runs in this process (``keep_chaining``); every other event is chained as it is written.
    model = PendingEvent if action == "read_identity" and _chainer_running.is_set() else AuditEvent
    return model.objects.create(
        actor=user,
        actor_name=user.get_username() if user else (actor if isinstance(actor, str) else ""),
        action=action,
        object_type=object_type,
        object_id=object_id,
        case_id=case_id,
        fields=sorted(fields),
        detail=detail,
        ip=client_ip(request) if request is not None else None,
    )


CHAIN_BATCH = 500  # waiting reads appended under one hold of the chain's lock


def chain_pending(limit: int = CHAIN_BATCH) -> int:
    """Append waiting reads to the chain, oldest first, in one transaction under the chain's lock;
    how many. Whoever holds the lock takes them: two chainers never append the same row."""
    if not PendingEvent.objects.exists():  # the lock only when there is something to append
        return 0
    with transaction.atomic():
        lock_chain(connection)
        waiting = list(PendingEvent.objects.order_by("id")[:limit])
        for event in waiting:
            AuditEvent(**{name: getattr(event, name) for name in PendingEvent.DATA}).save()
        PendingEvent.objects.filter(pk__in=[event.pk for event in waiting]).delete()
    return len(waiting)


def chain_all_pending() -> None:
    """Append every read waiting now, a batch at a time."""
    while chain_pending() == CHAIN_BATCH:
        pass


_chainer_running = threading.Event()


def keep_chaining(interval_seconds: float = 0.2) -> threading.Thread:
    """A daemon thread of a server process that appends waiting reads every ``interval_seconds``;
    while it runs, this process's identity reads are written as PendingEvent."""

    def loop():
        while True:
            close_old_connections()  # kept open between rounds, as a request's (CONN_MAX_AGE)
            try:
                chain_all_pending()
            except Exception:  # noqa: BLE001 - a failed round is retried; the rows wait in the database
                log.exception("appending audit reads to the chain failed; retrying")
            time.sleep(interval_seconds)

    thread = threading.Thread(target=loop, name="audit-chainer", daemon=True)
    thread.start()
    _chainer_running.set()
    return thread


def history(obj):
    """Create/update/delete events for one record, newest first."""
    return AuditEvent.objects.filter(object_type=obj._meta.model_name, object_id=str(obj.pk)).exclude(
        action="read_identity"
    )


def verify_log(checkpoint=None):
    """Walk the whole stored chain (streamed), waiting reads appended first; returns a ``chain.Report``."""
    chain_all_pending()
    return chain.verify(chain_entries(), checkpoint)
