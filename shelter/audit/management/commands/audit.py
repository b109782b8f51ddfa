"""``shelter audit``: verify the audit log's hash chain, and export signed checkpoints of its head.

``verify`` recomputes every entry's hash and names the first entry that was modified, inserted,
deleted or moved — by sequence number and id, never by content. A chain can be recomputed whole
by someone with write access to the database; a checkpoint kept outside the instance is what
proves that: ``verify --checkpoint FILE`` checks that the chain still holds the checkpointed head;
without ``--checkpoint``, the newest one taken automatically (``shelter.audit.outside``) is used.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shelter.audit import checkpoint as checkpoints
from shelter.audit import outside
from shelter.audit.log import verify_log


class Command(BaseCommand):
    help = "Verify the audit log's hash chain, or export a signed checkpoint of its head."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser("verify", help="walk the whole chain; non-zero exit status at the first break")
        verify.add_argument("--checkpoint", help="a checkpoint file: the chain must still hold its head")
        export = actions.add_parser("checkpoint", help="print (or write) the chain head, signed with Ed25519")
        export.add_argument("--output", help="file to write the checkpoint to (default: standard output)")

    def handle(self, *args, action, **options):
        getattr(self, action)(**options)

    def verify(self, checkpoint=None, **options):
        if checkpoint:
            head, public_key = read_checkpoint(Path(checkpoint))
        else:  # the newest one taken automatically, if any
            head, public_key = newest_outside_checkpoint()
        report = verify_log(head)
        if not report.intact:
            raise CommandError(
                f"the audit log was tampered with — {report.broken} "
                f"(intact up to #{report.head_sequence})"
            )
        summary = f"Audit chain intact: {report.entries} entries, #1 to #{report.head_sequence}, head {report.head_hash[:16]}…"
        if head is not None:
            summary += f"; it holds checkpoint #{head.sequence} (key {checkpoints.fingerprint(public_key)})"
        self.stdout.write(summary + ".")

    def checkpoint(self, output=None, **options):
        try:
            text, sequence, public_key = outside.signed_head()
        except (outside.BrokenChain, checkpoints.CheckpointError) as e:
            raise CommandError(str(e)) from e
        if output:
            write_new_file(Path(output), text)
            self.stderr.write(
                f"Checkpoint of #{sequence} written to {output}; signing key "
                f"{checkpoints.fingerprint(public_key)}. Keep a copy outside this instance."
            )
        else:
            self.stdout.write(text, ending="")


def newest_outside_checkpoint():
    try:
        kept = outside.latest()
    except (checkpoints.CheckpointError, OSError, ValueError) as e:
        raise CommandError(f"the newest checkpoint in {settings.SHELTER_AUDIT_CHECKPOINT_DIR} cannot be trusted: {e}") from e
    if kept is None:
        return None, None
    return kept.head, trusted_public_key()


def read_checkpoint(path: Path):
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise CommandError(f"{path} does not exist") from e
    except (OSError, UnicodeDecodeError) as e:
        raise CommandError(f"cannot read {path}") from e
    trusted = trusted_public_key()
    try:
        return checkpoints.load(text, trusted)
    except checkpoints.CheckpointError as e:
        raise CommandError(f"{path.name}: {e}") from e


def trusted_public_key():
    try:
        return checkpoints.existing_public_key(settings.SHELTER_AUDIT_SIGNING_KEY_FILE)
    except checkpoints.CheckpointError as e:
        raise CommandError(str(e)) from e


def write_new_file(path: Path, text: str):
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as e:
        raise CommandError(f"{path} already exists: choose another --output") from e
    except OSError as e:
        raise CommandError(f"cannot write {path} ({e.strerror})") from e
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
