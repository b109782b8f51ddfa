"""Storing and reading evidence files: the single place where an evidence blob is written.

A blob is encrypted with its case's data key (``shelter.crypto.stream``), bound to its row by the
associated data ``evidence.blob_aad``, so a blob copied onto another row does not decrypt. The
SHA-256 of the plaintext is kept on the row and in the chain of custody, and checked on every read.

Atomicity: the blob is first encrypted into a temporary file next to its final place; the row and
its custody event are then saved and the temporary file renamed, all inside one transaction. A
failed write leaves no row; a failed database write leaves no blob. (A caller that wraps this in a
longer transaction and rolls that back leaves an encrypted, unreadable-without-its-row blob.)
"""

import hashlib
import hmac
import io
import os
import re
import tempfile

from django.conf import settings
from django.db import transaction

from shelter.crypto.aead import DecryptionError
from shelter.crypto.stream import decrypt_stream, encrypt_stream

from . import sealing
from .models import CustodyEvent, EvidenceFile

UPLOADED = "uploaded"


class EvidenceError(Exception):
    """An evidence file cannot be stored or read back intact."""


class EvidenceTooLarge(EvidenceError):
    pass


class EvidenceIntegrityError(EvidenceError):
    """The blob is missing, was tampered with, or does not match its recorded SHA-256."""


def evidence_dir():
    """The evidence directory, created readable by its owner only."""
    directory = settings.SHELTER_EVIDENCE_DIR
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(directory, 0o700)  # mkdir's mode is subject to the umask and ignored for existing dirs
    return directory


def store_evidence(case, title, original_name, data: bytes, content_type, uploaded_by, source=None) -> EvidenceFile:
    """Encrypt ``data`` into the evidence store and record it, with an "uploaded" custody event."""
    if len(data) > settings.SHELTER_MAX_UPLOAD_BYTES:
        raise EvidenceTooLarge(f"evidence files are limited to {settings.SHELTER_MAX_UPLOAD_BYTES} bytes")
    digest = hashlib.sha256(data).hexdigest()
    evidence = EvidenceFile(
        case=case,
        title=title,
        original_name=original_name,
        content_type=content_type or "application/octet-stream",
        size=len(data),
        sha256=digest,
        uploaded_by=uploaded_by,
        source=source,
    )
    temporary = _write_encrypted_temporary(evidence, data)
    try:
        with transaction.atomic():
            evidence.save()
            CustodyEvent.objects.create(
                evidence=evidence,
                actor=uploaded_by,
                actor_name=_actor_name(uploaded_by),
                action=UPLOADED,
                sha256=digest,
            )
            os.replace(temporary, evidence.blob_path)
    except BaseException:
        _unlink_quietly(temporary)
        raise
    return evidence


def open_evidence(evidence: EvidenceFile) -> bytes:
    """The plaintext of an evidence file, verified against its recorded SHA-256."""
    key = sealing.case_key(evidence.case_id)  # raises sealing.Erased once the case is crypto-erased
    try:
        with open(evidence.blob_path, "rb") as blob:
            data = b"".join(decrypt_stream(key, blob, evidence.blob_aad))
    except FileNotFoundError as e:
        raise EvidenceIntegrityError(f"the blob of evidence file {evidence.pk} is missing") from e
    except DecryptionError as e:
        raise EvidenceIntegrityError(f"the blob of evidence file {evidence.pk} is corrupt or was tampered with") from e
    if not hmac.compare_digest(hashlib.sha256(data).hexdigest(), evidence.sha256):
        raise EvidenceIntegrityError(f"evidence file {evidence.pk} does not match its recorded SHA-256")
    return data


def _write_encrypted_temporary(evidence, data: bytes) -> str:
    # The primary key is a client-side UUID, so the associated data is known before the row exists.
    key = sealing.case_key(evidence.case_id)
    fd, path = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=evidence_dir())  # mode 0600
    try:
        with os.fdopen(fd, "wb") as out:
            encrypt_stream(key, io.BytesIO(data), out, aad=evidence.blob_aad)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        _unlink_quietly(path)
        raise
    return path


def _unlink_quietly(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _actor_name(user) -> str:
    return user.get_username() if user is not None else "system"


SAFE_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}$")


def attachment_name(evidence) -> str:
    """The name an evidence file downloads under: its id and its original extension."""
    # Not the original name: it may carry a person's name, and headers end up in proxy logs.
    match = SAFE_EXTENSION.search(evidence.original_name)
    return f"evidence-{evidence.pk}{match.group(0).lower() if match else '.bin'}"
