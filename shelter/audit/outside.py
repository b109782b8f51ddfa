"""Signed checkpoints of the audit chain kept outside the database, taken without anyone asking:
once a day by ``shelter serve`` and on every ``shelter backup``, into ``audit_checkpoint_dir``
(``SHELTER_AUDIT_CHECKPOINT_DIR``; point it at storage the database's administrators cannot
rewrite). ``shelter audit verify`` and the audit page check the chain against the newest one, so a
log cut off at its end no longer passes unnoticed.
"""

import datetime
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from . import checkpoint as checkpoints
from .chain import Checkpoint
from .log import verify_log
from .models import AuditEvent

DAY = datetime.timedelta(days=1)
STALE = datetime.timedelta(days=2)
PREFIX = "checkpoint-"
log = logging.getLogger(__name__)


class BrokenChain(Exception):
    """The chain is broken: no checkpoint is signed for it."""


@dataclass(frozen=True)
class Kept:
    path: Path
    head: Checkpoint
    created_at: datetime.datetime


def signed_head() -> tuple[str, int, bytes]:
    """The chain's head as a signed checkpoint: its text, its sequence, and the signing public key."""
    report = verify_log()
    if not report.intact:
        raise BrokenChain(f"refusing to sign a broken chain — {report.broken}")
    key = checkpoints.load_or_create_key(settings.SHELTER_AUDIT_SIGNING_KEY_FILE)
    head_at = AuditEvent.objects.filter(sequence=report.head_sequence).values_list("at", flat=True).first()
    payload = checkpoints.make(
        key, sequence=report.head_sequence, entry_hash=report.head_hash,
        head_at=head_at.isoformat() if head_at else None, entries=report.entries,
        created_at=timezone.now().isoformat(),
    )
    return checkpoints.dumps(payload), report.head_sequence, checkpoints.public_bytes(key)


def take() -> Path:
    """Write a checkpoint of the head into the outside directory; returns its path."""
    text, sequence, _ = signed_head()
    directory = Path(settings.SHELTER_AUDIT_CHECKPOINT_DIR)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = directory / f"{PREFIX}{timezone.now():%Y%m%dT%H%M%S%f}-{sequence:010d}.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def latest() -> Kept | None:
    """The newest checkpoint in the outside directory, its signature checked; None if there is none.
    Raises CheckpointError if the newest file is not a checkpoint this instance signed."""
    directory = Path(settings.SHELTER_AUDIT_CHECKPOINT_DIR)
    try:
        names = sorted(p.name for p in directory.iterdir() if p.name.startswith(PREFIX) and p.suffix == ".json")
    except FileNotFoundError:
        return None
    if not names:
        return None
    path = directory / names[-1]  # names start with the time they were taken
    trusted = checkpoints.existing_public_key(settings.SHELTER_AUDIT_SIGNING_KEY_FILE)
    head, _ = checkpoints.load(path.read_text(encoding="utf-8"), trusted)
    created = datetime.datetime.strptime(names[-1][len(PREFIX):].split("-")[0], "%Y%m%dT%H%M%S%f")
    return Kept(path, head, created.replace(tzinfo=datetime.timezone.utc))


def take_if_due() -> Path | None:
    """A checkpoint if the newest is a day old or there is none (or it cannot be read)."""
    try:
        kept = latest()
    except (checkpoints.CheckpointError, OSError, ValueError):
        kept = None
    if kept is not None and timezone.now() - kept.created_at < DAY:
        return None
    return take()


def keep_taking_daily(interval_seconds: float = 3600, stop: threading.Event | None = None) -> threading.Thread:
    """A daemon thread that checks every ``interval_seconds`` whether a day has passed (``serve``),
    until ``stop`` is set."""
    from django.db import connection

    stop = stop or threading.Event()

    def loop():
        while not stop.is_set():
            try:
                # No path or number in the line: the server's output is read for leaks, and needs neither.
                if take_if_due() is not None:
                    log.info("audit checkpoint written to the audit checkpoint directory")
            except Exception as e:  # a broken chain or a full disk must not stop the server
                log.error("no audit checkpoint could be taken: %s", e)
            finally:
                connection.close()
            stop.wait(interval_seconds)

    thread = threading.Thread(target=loop, name="audit-checkpoints", daemon=True)
    thread.start()
    return thread
