"""``shelter restore``: rebuild an instance from a ``shelter backup`` archive.

The archive is decrypted and authenticated to its last byte before anything changes: the database
entries are held in memory, the evidence blobs (still encrypted under their cases' keys) are
staged in a private directory. Only then is the database loaded, in one transaction, and the blobs
moved into place. A wrong passphrase, a damaged archive or a mismatched master key leave the
instance as it was.
"""

import base64
import binascii
import json
import os
import re
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, transaction

from shelter.actors import legacy
from shelter.audit.log import record
from shelter.actors import name_index as actor_name_index
from shelter.crypto import keys
from shelter.exchange import archive, passphrase
from shelter.ops import instance, sealed_json
from shelter.records import external_ids, name_index
from shelter.records.evidence import evidence_dir
from shelter.records.models import EvidenceFile, Term
from shelter.records.thesauri import sync_thesauri
from shelter.security.lockdown import refuse_command

EVIDENCE_NAME = re.compile(r"^evidence/([0-9a-f-]{36})\.bin$")
# The name index is derived from the names: not loaded, but rebuilt with this release's keys (an
# archive of an older Shelter holds rows built with older keys, under the model names of its time).
NAME_INDEX_MODELS = {"records.nametoken", "records.blockingkey", "records.nameindexversion", "screening.blockingkey",
                     "actors.actornamekey"}
# Kept aggregates' version (records.tallies): raised by the rows being loaded, never loaded itself.
DERIVED_MODELS = NAME_INDEX_MODELS | {"records.dataversion"}


@dataclass
class Contents:
    manifest: dict = field(default_factory=dict)
    master_key: bytes | None = None
    databases: dict[str, bytes] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)  # file names staged


class Command(BaseCommand):
    help = "Restore a backup archive written by `shelter backup`."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the archive file")
        parser.add_argument("--passphrase-file", help=f"file whose first line is the passphrase (else ${passphrase.ENV_VAR}, else asked)")
        parser.add_argument("--replace", action="store_true", help="delete everything in this instance's database first")

    def handle(self, *args, **options):
        refuse_command("restore")
        try:
            secret = passphrase.obtain(options["passphrase_file"], confirm=False)
        except passphrase.PassphraseError as e:
            raise CommandError(str(e)) from e
        path = Path(options["archive"])
        staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=settings.SHELTER_HOME))  # mode 0700
        try:
            contents = read_contents(path, secret, staging)
            check_schema(contents.manifest)
            key_to_install = plan_master_key(contents)
            occupied = instance.occupied_models()
            if occupied and not options["replace"]:
                summary = ", ".join(f"{n} {label}" for label, n in sorted(occupied.items()))
                raise CommandError(
                    f"the database is not empty ({summary}): restore into a fresh instance, "
                    "or pass --replace to delete everything in it first"
                )
            with transaction.atomic():
                if options["replace"]:
                    flush_database()
                loaded = load_databases(contents)
                record(
                    "cli",
                    "restore",
                    object_type="instance",
                    records=loaded,
                    evidence_files=len(contents.evidence),
                    replaced=bool(options["replace"]),
                    archive_created_at=contents.manifest.get("created_at"),
                    master_key_installed=key_to_install is not None,
                )
            if key_to_install is not None:
                instance.install_master_key(key_to_install)
            place_evidence(staging, contents.evidence, remove_orphans=options["replace"])
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        names, _, _ = name_index.reindex()  # after the archive's master key, if any, is in place
        actor_name_index.reindex()
        external_ids.reindex()
        legacy.move_named_involvements()  # an archive made before the names became actors
        self.stdout.write(
            f"Restored {loaded} records and {len(contents.evidence)} evidence files from {path.name}; "
            f"the name index of {names} names was rebuilt."
        )


def read_contents(path: Path, secret: str, staging: Path) -> Contents:
    contents = Contents()
    try:
        with open(path, "rb") as src:
            for number, (name, member) in enumerate(archive.read_archive(src, secret)):
                if number == 0:
                    if name != archive.MANIFEST_NAME:
                        raise archive.CorruptArchive("the archive does not start with its manifest")
                    contents.manifest = archive.parse_manifest(member.read())
                elif name == "master.key":
                    contents.master_key = decode_master_key(member.read())
                elif name in contents.manifest.get("database_files", []):
                    contents.databases[name] = member.read()
                elif match := EVIDENCE_NAME.match(name):
                    contents.evidence.append(stage_blob(staging, match.group(1), member))
                else:
                    raise archive.CorruptArchive(f"unexpected entry in the archive: {name!r}")
    except FileNotFoundError as e:
        raise CommandError(f"{path} does not exist") from e
    except OSError as e:
        raise CommandError(f"cannot read {path} ({e.strerror})") from e
    except archive.ArchiveError as e:
        raise CommandError(f"cannot restore {path.name}: {e}") from e
    if missing := set(contents.manifest.get("database_files", [])) - set(contents.databases):
        raise CommandError(f"cannot restore {path.name}: the archive lacks {', '.join(sorted(missing))}")
    if len(contents.evidence) != contents.manifest.get("evidence_files"):
        raise CommandError(f"cannot restore {path.name}: the evidence files do not match the manifest")
    return contents


def decode_master_key(data: bytes) -> bytes:
    try:
        key = base64.b64decode(data, validate=True)
    except binascii.Error as e:
        raise archive.CorruptArchive("the archived master key is not valid base64") from e
    if len(key) != 32:
        raise archive.CorruptArchive("the archived master key has the wrong length")
    return key


def stage_blob(staging: Path, name: str, member) -> str:
    try:
        filename = f"{uuid.UUID(name)}.bin"  # canonical form: no path can come out of an entry name
    except ValueError as e:
        raise archive.CorruptArchive("an evidence entry of the archive has a malformed name") from e
    fd = os.open(staging / filename, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        shutil.copyfileobj(member, out)
    return filename


def check_schema(manifest: dict):
    """The archive's schema must not be newer than this instance's: its rows would not fit."""
    applied = instance.applied_migrations()
    unknown = [
        f"{app}.{name}"
        for app, names in manifest.get("migrations", {}).items()
        for name in names
        if name not in applied.get(app, [])
    ]
    if unknown:
        raise CommandError(
            f"the archive was made by a newer Shelter (migrations {', '.join(unknown[:5])} are not applied here): "
            "upgrade Shelter and run `shelter migrate` first"
        )


def plan_master_key(contents: Contents) -> bytes | None:
    """Check the instance's master key against the archive's; returns a key to install, if any."""
    expected = contents.manifest.get("master_key_fingerprint")
    archived = contents.master_key
    if archived is not None and keys.fingerprint(archived) != expected:
        raise CommandError("the archived master key does not match the archive's manifest")
    current = instance.existing_master_key()
    if current is not None:
        if expected and keys.fingerprint(current) != expected:
            raise CommandError(
                f"this instance's master key (fingerprint {keys.fingerprint(current)}) is not the key the "
                f"archive's data is sealed with (fingerprint {expected}): restore into an instance with that key, "
                "or into a fresh instance from an archive made with --include-master-key"
            )
        return None
    if archived is not None:
        return archived
    if expected:
        raise CommandError(
            f"this instance has no master key: put the backed-up instance's key (fingerprint {expected}) at "
            f"{settings.SHELTER_MASTER_KEY_FILE}, or restore an archive made with --include-master-key"
        )
    return None


def flush_database():
    """Empty every table. The audit log refuses deletes unless the (non-model) unlock table holds
    a row: open it for the flush only."""
    # PostgreSQL refuses to TRUNCATE a table with deferred constraint checks pending in the
    # transaction: run them now.
    connection.check_constraints()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO audit_unlock (reason) VALUES (%s)", ["shelter restore --replace"])
    try:
        call_command("flush", interactive=False, verbosity=0)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_unlock")


def load_databases(contents: Contents) -> int:
    # The archive's thesaurus rows replace the ones migrate created, so that the term ids its
    # incidents and persons refer to are the right ones; terms added since come back by syncing.
    Term.objects.all().delete()
    loaded_models = set()
    for name in contents.manifest["database_files"]:
        try:
            rows = without_name_index(contents.databases[name])
            objects = sealed_json.Deserializer(rows, handle_forward_references=True)
            loaded_models |= sealed_json.save_all(objects)
        except (DeserializationError, DatabaseError, ObjectDoesNotExist, ValueError) as e:
            raise CommandError(f"the archive's {name} could not be loaded: {type(e).__name__}") from e
    sync_thesauri()
    reset_sequences(loaded_models)
    return sum(model._default_manager.count() for model in loaded_models)


def without_name_index(data: bytes) -> str:
    return json.dumps([row for row in json.loads(data) if row.get("model") not in DERIVED_MODELS])


def reset_sequences(models):
    """Rows came with their ids: move the id sequences past them (PostgreSQL; a no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def place_evidence(staging: Path, filenames: list[str], remove_orphans: bool):
    target = evidence_dir()
    for filename in filenames:
        os.replace(staging / filename, target / filename)
    if remove_orphans:
        # Blobs of the replaced database: their rows are gone, nothing can reach them any more.
        kept = {f"{pk}.bin" for pk in EvidenceFile.objects.values_list("pk", flat=True)}
        for blob in target.glob("*.bin"):
            if blob.name not in kept:
                blob.unlink()
