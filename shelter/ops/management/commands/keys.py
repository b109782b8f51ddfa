"""``shelter keys``: rotate the master key, and back it up as K-of-N word shares.

rotate   A new master key re-wraps every case data key and every instance key (KeyMaterial) in one
         database transaction; then the new key file is renamed over ``master.key``. Running
         servers stat the key file on every use (``sealing.master_key``), so they pick the new key
         up on their next request; a last pass re-wraps any key a server wrapped under the old key
         in the meantime. The previous key stays in ``master.key.previous-<time>`` (0600) until the
         operator deletes it: backups and shares made before the rotation still need it.
split    SLIP-0039 shares of the master key (shelter.crypto.sharing), one per file or printed.
recover  Rebuild the key from K shares and check it against this instance, or write it to a file
         for a new machine.
"""

import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from shelter.audit.log import record
from shelter.crypto import aead, keys, sharing
from shelter.ops import instance
from shelter.records import sealing
from shelter.records.models import Case, KeyMaterial

ACTOR = "cli"


class Command(BaseCommand):
    help = "Rotate the master key, or back it up as K-of-N word shares and recover it from them."
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        rotate = actions.add_parser("rotate", help="re-wrap every key under a new master key")
        rotate.add_argument(
            "--print-new-key",
            action="store_true",
            help=f"with {keys.ENV_VAR}: print the new key once, for your secrets manager",
        )
        split = actions.add_parser("split", help="write the master key as K-of-N word shares")
        split.add_argument("--shares", type=int, required=True, help="how many shares to make (N)")
        split.add_argument("--threshold", type=int, required=True, help="how many shares rebuild the key (K)")
        split.add_argument("--output-dir", help="write one file per share here (else they are printed)")
        recover = actions.add_parser("recover", help="rebuild the master key from K shares")
        recover.add_argument("share_files", nargs="*", metavar="SHARE_FILE", help="share files (else read from standard input)")
        recover.add_argument("--output", help="write the rebuilt key to this new key file (for a new machine)")

    def handle(self, *args, action, **options):
        getattr(self, action)(**options)

    # rotate

    def rotate(self, print_new_key, **options):
        from_environment = bool(os.environ.get(keys.ENV_VAR))
        if from_environment and not print_new_key:
            raise CommandError(
                f"the master key comes from {keys.ENV_VAR}, which Shelter cannot replace. Stop the service, then run "
                "again with --print-new-key: the new key is printed once, for you to put in your secrets manager"
            )
        old = current_master_key()
        new = aead.new_key()
        if from_environment:
            counts = rewrap_in_transaction(old, new)
            self.stdout.write(keys.encode(new))
            self.stderr.write(
                f"Master key rotated: {counts_text(counts)} re-wrapped (fingerprint {keys.fingerprint(new)}, "
                f"was {keys.fingerprint(old)}).\nPut the key printed above in {keys.ENV_VAR} and restart every "
                "Shelter process now: it is not shown again, and until the restart they cannot open any case."
            )
            return
        previous, counts, late = self.rotate_key_file(old, new)
        self.stdout.write(
            f"Master key rotated: {counts_text(counts)} re-wrapped under the new key "
            f"(fingerprint {keys.fingerprint(new)}, was {keys.fingerprint(old)})."
        )
        if any(late.values()):
            self.stdout.write(f"{counts_text(late)} wrapped by a running server during the rotation were re-wrapped too.")
        self.stdout.write(
            f"The previous key is kept in {previous} (readable by you only). Backups and key shares made before "
            "now need it: delete it once you no longer keep them, and make new shares with `shelter keys split`."
        )

    def rotate_key_file(self, old: bytes, new: bytes):
        path = Path(settings.SHELTER_MASTER_KEY_FILE)
        pending = path.with_name(path.name + ".new")
        if pending.exists():
            raise CommandError(
                f"{pending} exists: an earlier rotation was interrupted. If the instance cannot open its cases, "
                f"that file holds the key the database is under; otherwise delete it, then rotate again"
            )
        keys.write_key_file(pending, new)
        try:
            previous = keep_previous(path, old)
        except BaseException:
            pending.unlink(missing_ok=True)
            raise
        try:
            counts = rewrap_in_transaction(old, new)
        except BaseException:
            pending.unlink(missing_ok=True)
            previous.unlink(missing_ok=True)
            raise
        try:
            os.replace(pending, path)
            keys.sync_directory(path.parent)
        except OSError as e:
            raise CommandError(
                f"the database is now under the key in {pending}, but it could not be moved to {path} "
                f"({e.strerror}): move it there by hand"
            ) from e
        # A server that read the old key just before the rename may have wrapped a new case's key with it.
        late = rewrap_in_transaction(old, new, audit=False)
        return previous, counts, late

    # split

    def split(self, shares, threshold, output_dir=None, **options):
        master_key = instance.existing_master_key()
        if master_key is None:
            raise CommandError("this instance has no master key yet")
        try:
            mnemonics = sharing.split(master_key, shares, threshold)
        except sharing.SharingError as e:
            raise CommandError(str(e)) from e
        fingerprint = keys.fingerprint(master_key)
        texts = [share_text(n, shares, threshold, fingerprint, mnemonic) for n, mnemonic in enumerate(mnemonics, 1)]
        if output_dir:
            written = write_share_files(Path(output_dir), texts)
            where = f"written to {len(written)} files in {output_dir} (readable by you only)"
        else:
            self.stdout.write("\n".join(texts))
            where = "printed above"
        record(ACTOR, "backup", object_type="master_key", object_id=fingerprint, shares=shares, threshold=threshold)
        self.stderr.write(
            f"{shares} shares of the master key (fingerprint {fingerprint}) {where}: any {threshold} rebuild it, "
            f"fewer reveal nothing. Give each to a different keeper, then delete any copy left on this machine."
        )

    # recover

    def recover(self, share_files, output=None, **options):
        if share_files:
            mnemonics = [read_share_file(Path(name)) for name in share_files]
        else:
            mnemonics = self.read_shares(options.get("stdin") or sys.stdin)
        try:
            master_key = sharing.recover(mnemonics)
            keys.decode(keys.encode(master_key), "the rebuilt key")  # the right length for a master key
        except (sharing.SharingError, keys.MasterKeyError) as e:
            raise CommandError(str(e)) from e
        fingerprint = keys.fingerprint(master_key)
        if output:
            write_recovered_key(Path(output), master_key)
            self.stdout.write(f"Master key (fingerprint {fingerprint}) written to {output}.")
            return
        existing = instance.existing_master_key()
        if existing is None:
            raise CommandError("this instance has no master key to compare with: give --output to write the rebuilt one")
        if keys.fingerprint(existing) != fingerprint:
            raise CommandError(
                f"the shares rebuild a key with fingerprint {fingerprint}, but this instance's key is "
                f"{keys.fingerprint(existing)}: they belong to another instance or to a key rotated out since"
            )
        record(ACTOR, "restore", object_type="master_key", object_id=fingerprint, verified=True)
        self.stdout.write(f"The shares rebuild this instance's master key (fingerprint {fingerprint}).")

    def read_shares(self, stream) -> list[str]:
        """One share a line; at a terminal, ask for each without echoing it."""
        if not stream.isatty():
            return share_lines(stream.read())
        import getpass

        first = getpass.getpass("Share 1: ")
        try:
            needed = sharing.threshold_of(first)
        except sharing.SharingError as e:
            raise CommandError(str(e)) from e
        return [first] + [getpass.getpass(f"Share {n} of {needed}: ") for n in range(2, needed + 1)]


def current_master_key() -> bytes:
    try:
        master_key = instance.existing_master_key()
    except keys.MasterKeyError as e:
        raise CommandError(str(e)) from e
    if master_key is None:
        raise CommandError(f"{settings.SHELTER_MASTER_KEY_FILE} does not exist: this instance has no master key to rotate")
    return master_key


def keep_previous(path: Path, old: bytes) -> Path:
    """A copy of the key being replaced, for backups and shares made with it."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    for n in range(1, 100):
        previous = path.with_name(f"{path.name}.previous-{stamp}" + (f"-{n}" if n > 1 else ""))
        try:
            keys.write_key_file(previous, old)
            return previous
        except FileExistsError:
            continue
    raise CommandError(f"cannot find a free name for the previous key beside {path}")


def rewrap_in_transaction(old: bytes, new: bytes, audit: bool = True) -> dict:
    try:
        with transaction.atomic():
            counts = rewrap_all(old, new)
            if audit:
                record(
                    ACTOR, "update", object_type="master_key", object_id=keys.fingerprint(new),
                    fields=["master_key"], previous_fingerprint=keys.fingerprint(old), **counts,
                )
    except RewrapError as e:
        raise CommandError(f"{e}; nothing was changed") from e
    return counts


class RewrapError(Exception):
    pass


def rewrap_all(old: bytes, new: bytes) -> dict:
    """Re-wrap every wrapped key still under ``old``; keys already under ``new`` are left alone, so
    running it twice is harmless. Crypto-erased cases (no wrapped key) stay erased."""
    counts = {"case_keys": 0, "instance_keys": 0}
    cases = Case.objects.select_for_update().exclude(wrapped_key=None).values_list("pk", "reference", "wrapped_key")
    for pk, reference, wrapped in cases:
        rewrapped = rewrap(old, new, wrapped, sealing.case_label(pk), f"case {reference}")
        if rewrapped is not None:
            Case.objects.filter(pk=pk).update(wrapped_key=rewrapped)
            counts["case_keys"] += 1
    for name, wrapped in KeyMaterial.objects.select_for_update().values_list("pk", "wrapped"):
        rewrapped = rewrap(old, new, wrapped, name, f"instance key {name!r}")
        if rewrapped is not None:
            KeyMaterial.objects.filter(pk=name).update(wrapped=rewrapped)
            counts["instance_keys"] += 1
    return counts


def rewrap(old: bytes, new: bytes, wrapped, label: str, what: str) -> bytes | None:
    """``wrapped`` under ``new``, or None if it is already."""
    try:
        keys.unwrap(new, wrapped, label)
        return None
    except aead.DecryptionError:
        pass
    try:
        data_key = keys.unwrap(old, wrapped, label)
    except aead.DecryptionError as e:
        raise RewrapError(f"the key of {what} does not open under the current master key") from e
    return keys.wrap(new, data_key, label)


def counts_text(counts: dict) -> str:
    return f"{counts['case_keys']} case key(s) and {counts['instance_keys']} instance key(s)"


# Share files

COMMENT = "#"


def share_text(n: int, total: int, threshold: int, fingerprint: str, mnemonic: str) -> str:
    return (
        f"{COMMENT} Shelter master-key share {n} of {total}; any {threshold} rebuild the key "
        f"(fingerprint {fingerprint}).\n{COMMENT} Keep it apart from the other shares. Recover with "
        f"`shelter keys recover`.\n{mnemonic}\n"
    )


def share_lines(text: str) -> list[str]:
    """The shares in a text: every non-empty line that is not a comment."""
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith(COMMENT)]


def read_share_file(path: Path) -> str:
    try:
        lines = share_lines(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise CommandError(f"cannot read {path}") from e
    if len(lines) != 1:
        raise CommandError(f"{path} must hold exactly one share")
    return lines[0]


def write_share_files(directory: Path, texts: list[str]) -> list[Path]:
    """One 0600 file a share; all or none (a half-written set is removed)."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    written = []
    try:
        for n, text in enumerate(texts, 1):
            path = directory / f"shelter-key-share-{n}-of-{len(texts)}.txt"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            written.append(path)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
    except OSError as e:
        for path in written:
            path.unlink(missing_ok=True)
        raise CommandError(f"cannot write the shares to {directory} ({e.strerror}); none were kept") from e
    return written


def write_recovered_key(path: Path, master_key: bytes):
    try:
        keys.write_key_file(path, master_key)
    except FileExistsError as e:
        raise CommandError(f"{path} already exists: a key file is never overwritten") from e
    except OSError as e:
        raise CommandError(f"cannot write {path} ({e.strerror})") from e
