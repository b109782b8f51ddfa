"""DKIM checked offline: the signing key lives in DNS (selector._domainkey.domain), and asking DNS would
tell the attacker's name servers the message is being examined. Given the key as a DNS record kept in a
file, the signature is verified here; without it, only the receiving provider's recorded result counts."""

import dkim

from .findings import Finding


class KeyFileError(ValueError):
    """A key file that cannot be read, with the line."""


def read_keys(text: str) -> dict[str, bytes]:
    """DNS TXT records as `selector._domainkey.example.org. TXT "v=DKIM1; k=rsa; p=…"` (zone-file style,
    quoted parts joined), or `name<space>value`, one per line."""
    keys = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith((";", "#")):
            continue
        parts = line.split(None, 1)
        if len(parts) != 2 or "._domainkey." not in parts[0]:
            raise KeyFileError(f"line {number} is not 'selector._domainkey.domain VALUE'")
        name, value = parts[0].rstrip(".").lower(), parts[1].strip()
        for prefix in ("IN ", "TXT "):  # zone-file style: NAME [IN] TXT "…" "…"
            if value.upper().startswith(prefix):
                value = value[len(prefix):].strip()
        if '"' in value:
            value = "".join(value.split('"')[1::2])  # the quoted pieces, joined
        keys[name] = value.encode()
    return keys


def check(raw: bytes, keys: dict[str, bytes]) -> list[Finding]:
    """auth_fail when a DKIM signature does not verify against the given key; nothing when it does or
    when no key was given for its domain."""
    if b"dkim-signature:" not in raw[:65536].lower() or not keys:
        return []

    def lookup(name, timeout=5):
        name = name.decode() if isinstance(name, bytes) else name
        return keys.get(name.rstrip(".").lower())

    try:
        valid = dkim.verify(raw, dnsfunc=lookup)
    except Exception as e:  # noqa: BLE001 — a malformed signature is a failed one
        return [Finding("auth_fail", f"DKIM-Signature ({type(e).__name__})", {"server": "offline check", "method": "dkim", "result": "error"})]
    if valid:
        return []
    return [Finding("auth_fail", "DKIM-Signature: does not verify against the key given",
                    {"server": "offline check", "method": "dkim", "result": "fail"})]
