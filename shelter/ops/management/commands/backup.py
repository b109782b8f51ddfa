"""``shelter backup``: an encrypted archive of the whole instance.

The archive (see shelter.exchange.archive) holds:
- ``manifest.json``: format version, creation time, Shelter version, master-key fingerprint, counts
  and the applied migrations;
- ``master.key``: only with --include-master-key, so the archive alone rebuilds an instance;
- ``database/main.json`` and ``database/audit.json``: every Shelter table (users, cases, records,
  key material, the audit log) in Django's JSON serialization, sealed fields as base64 ciphertext;
- ``evidence/<uuid>.bin``: every evidence blob, as stored (encrypted under its case's key).
"""

import base64
import io
import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

import shelter
from shelter.audit import checkpoint as checkpoints
from shelter.audit import outside
from shelter.audit.log import record
from shelter.crypto import keys
from shelter.exchange import archive, passphrase
from shelter.ops import instance, sealed_json
from shelter.records.models import EvidenceFile


class Command(BaseCommand):
    help = "Write an encrypted backup archive of the database and the evidence files."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="archive file to write (default: $SHELTER_HOME/backups/…)")
        parser.add_argument("--passphrase-file", help=f"file whose first line is the passphrase (else ${passphrase.ENV_VAR}, else asked)")
        parser.add_argument(
            "--include-master-key",
            action="store_true",
            help="put the master key inside the archive, so archive and passphrase alone rebuild the instance",
        )

    def handle(self, *args, **options):
        try:
            secret = passphrase.obtain(options["passphrase_file"], confirm=True)
            archive.check_new_passphrase(secret)
        except (passphrase.PassphraseError, archive.ArchiveError) as e:
            raise CommandError(str(e)) from e
        output = Path(options["output"]) if options["output"] else default_output()
        if output.exists():
            raise CommandError(f"{output} already exists: choose another --output")

        master_key = instance.existing_master_key()
        if options["include_master_key"] and master_key is None:
            raise CommandError("this instance has no master key to include")
        databases = dump_databases()
        evidence, missing = evidence_entries()
        if missing:
            self.stderr.write(f"warning: {missing} evidence blob(s) are missing from {settings.SHELTER_EVIDENCE_DIR}")
        counts = instance.row_counts()
        manifest = archive.make_manifest(
            created_at=timezone.now().isoformat(),
            shelter_version=shelter.__version__,
            master_key_fingerprint=keys.fingerprint(master_key) if master_key else None,
            includes_master_key=bool(options["include_master_key"]),
            database_files=[name for name, _ in databases],
            counts=counts,
            evidence_files=len(evidence),
            evidence_missing=missing,
            migrations=instance.applied_migrations(),
        )
        entries = [archive.bytes_entry(archive.MANIFEST_NAME, manifest)]
        if options["include_master_key"]:
            entries.append(archive.bytes_entry("master.key", base64.b64encode(master_key)))
        entries += [archive.bytes_entry(name, data) for name, data in databases] + evidence
        write_atomically(output, secret, entries)

        record(
            "cli",
            "backup",
            object_type="instance",
            records=sum(counts.values()),
            evidence_files=len(evidence),
            includes_master_key=bool(options["include_master_key"]),
        )
        self.stdout.write(f"Backup written to {output}: {sum(counts.values())} records, {len(evidence)} evidence files.")
        # The backup holds the log as it is now; a checkpoint outside both shows if either is cut later.
        try:
            self.stdout.write(f"Audit checkpoint written to {outside.take()}.")
        except (outside.BrokenChain, checkpoints.CheckpointError, OSError) as e:
            self.stderr.write(f"warning: no audit checkpoint was taken: {e}")


def default_output() -> Path:
    directory = settings.SHELTER_HOME / "backups"
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return directory / f"shelter-{timezone.now():%Y%m%d-%H%M%S}.shbk"


def dump_databases() -> list[tuple[str, bytes]]:
    sealed_json.register()
    dumps = []
    for name, labels, natural in instance.dump_groups():
        buffer = io.BytesIO()
        text = io.TextIOWrapper(buffer, encoding="utf-8", write_through=True)
        call_command(
            "dumpdata", *labels, format=sealed_json.FORMAT, natural_foreign=natural, stdout=text, verbosity=0
        )
        text.flush()
        dumps.append((name, buffer.getvalue()))
        text.detach()
    return dumps


def evidence_entries() -> tuple[list[archive.Entry], int]:
    entries, missing = [], 0
    for evidence in EvidenceFile.objects.only("pk").order_by("pk"):
        try:
            entries.append(archive.file_entry(f"evidence/{evidence.pk}.bin", evidence.blob_path))
        except FileNotFoundError:
            missing += 1  # crypto-erased cases have their blobs deleted
    return entries, missing


def write_atomically(output: Path, secret: str, entries):
    """Write to a hidden temporary file beside ``output`` (readable by its owner only) and rename
    it once complete, so a failed backup leaves no partial archive behind."""
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_name(f".{output.name}.part")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as e:
        raise CommandError(f"cannot write {temporary} ({e.strerror})") from e
    try:
        with os.fdopen(fd, "wb") as f:
            archive.write_archive(f, secret, entries)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, output)
    except archive.ArchiveError as e:
        temporary.unlink(missing_ok=True)
        raise CommandError(str(e)) from e
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
