"""Time-based one-time passwords (RFC 6238) and recovery codes.

Codes are 6 digits over 30-second steps with HMAC-SHA1, what every authenticator app understands.
A code of the previous, current or next step is accepted (clock drift), and never a step at or
before the last one accepted, so an observed code cannot be replayed.

The shared secret is sealed with AES-256-GCM under the *MFA key*: a random instance key stored
wrapped by the master key (``KeyMaterial`` "mfa", like the blind-index key), so a database dump
alone does not give an attacker anyone's second factor, and ``shelter keys rotate`` re-wraps it with
the others. The associated data binds a sealed secret to its user. Recovery codes are stored as
HMAC-SHA256 digests under the same key.
"""

import base64
import hashlib
import hmac
import secrets
import time

import segno
from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from shelter.crypto import aead
from shelter.records.models import KeyMaterial

from .models import RecoveryCode, TOTPDevice

STEP_SECONDS = 30
DIGITS = 6
SECRET_BYTES = 20  # 160 bits, the size RFC 4226 recommends for HMAC-SHA1
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def mfa_key() -> bytes:
    return KeyMaterial.unwrapped("mfa")


def _aad(user_id) -> bytes:
    return f"accounts.totpdevice.sealed_secret:{user_id}".encode()


def required_for(role) -> bool:
    """Every role, where MFA is required at all: a researcher's password still opens every
    pseudonymised narrative of their cases, an auditor's the whole audit log."""
    return bool(settings.SHELTER_MFA_REQUIRED)


def is_required(user) -> bool:
    return required_for(user.role)


def device(user):
    """The user's confirmed authenticator, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def is_enrolled(user) -> bool:
    return device(user) is not None


# Enrolment


def pending_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (created once, so reloading the page keeps the secret)."""
    existing = TOTPDevice.objects.filter(user=user).first()
    if existing is not None:
        return existing
    sealed = aead.seal(mfa_key(), secrets.token_bytes(SECRET_BYTES), _aad(user.pk))
    return TOTPDevice.objects.create(user=user, sealed_secret=sealed)


def secret(dev: TOTPDevice) -> bytes:
    return aead.unseal(mfa_key(), bytes(dev.sealed_secret), _aad(dev.user_id))


def secret_text(dev: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in: base32, no padding."""
    return base64.b32encode(secret(dev)).decode().rstrip("=")


def _totp(dev: TOTPDevice) -> TOTP:
    return TOTP(secret(dev), DIGITS, SHA1(), STEP_SECONDS, enforce_key_length=False)


def provisioning_uri(dev: TOTPDevice) -> str:
    return _totp(dev).get_provisioning_uri(dev.user.get_username(), settings.SHELTER_MFA_ISSUER)


def qr_svg(uri: str) -> str:
    """The URI as an inline SVG QR code, drawn here: the secret never goes to an outside service."""
    return segno.make(uri, error="m").svg_inline(scale=4, border=2)


def confirm(dev: TOTPDevice, code: str) -> list[str] | None:
    """Confirm an enrolment with a first code; returns the recovery codes (shown once) or None."""
    if not _accept_code(dev, code):
        return None
    TOTPDevice.objects.filter(pk=dev.pk).update(confirmed_at=timezone.now())
    return issue_recovery_codes(dev.user)


# Verification


def _accept_code(dev: TOTPDevice, code: str, now: float | None = None) -> bool:
    code = code.strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return False
    now = time.time() if now is None else now
    totp = _totp(dev)
    current = int(now) // STEP_SECONDS
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate(step * STEP_SECONDS), code.encode()):
            # Conditional update: of two requests racing with the same code, only one wins.
            return TOTPDevice.objects.filter(pk=dev.pk, last_step__lt=step).update(last_step=step) == 1
    return False


def verify(user, code: str) -> bool:
    """A current authenticator code or an unused recovery code (which is then used up)."""
    dev = device(user)
    if dev is None:
        return False
    return _accept_code(dev, code) or use_recovery_code(user, code)


# Recovery codes


def _normalise(code: str) -> str:
    return "".join(c for c in code.lower() if c.isalnum())


def _recovery_digest(code: str) -> str:
    return hmac.new(mfa_key(), b"recovery:" + _normalise(code).encode(), hashlib.sha256).hexdigest()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(12))  # about 59 bits
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


@transaction.atomic
def issue_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes; the clear codes are returned once and stored nowhere."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=_recovery_digest(c)) for c in codes)
    return codes


def use_recovery_code(user, code: str) -> bool:
    if len(_normalise(code)) != 12:
        return False
    used = RecoveryCode.objects.filter(user=user, digest=_recovery_digest(code), used_at=None)
    return used.update(used_at=timezone.now()) == 1


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at=None).count()
