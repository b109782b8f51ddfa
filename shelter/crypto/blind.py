"""Keyed blind indexes: equality lookups on encrypted values without storing plaintext."""

import base64
import hashlib
import hmac


def blind_index(key: bytes, value: str, domain: str) -> str:
    """HMAC-SHA256 of ``value`` under ``key``; ``domain`` keeps indexes of different kinds apart."""
    mac = hmac.new(key, domain.encode() + b"\x00" + value.encode(), hashlib.sha256)
    return mac.hexdigest()


def pseudonym(key: bytes, object_id: str, prefix: str) -> str:
    """A stable, non-reversible label such as ``P-4KQ7TZ`` for a record shown to researchers."""
    mac = hmac.new(key, b"pseudonym\x00" + object_id.encode(), hashlib.sha256).digest()
    return f"{prefix}-{base64.b32encode(mac[:5]).decode()[:6]}"
