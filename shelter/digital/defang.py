"""Indicators written so that nobody opens them by accident: hxxps://example[.]com/path."""

import re

_SCHEME = re.compile(r"^(?i:(https?|ftp))://")


def defang(value: str) -> str:
    """A URL, domain, e-mail address or IP, with its scheme and the dots of its host broken."""
    match = _SCHEME.match(value)
    if match:
        scheme = match.group(1).lower().replace("t", "x")
        host, slash, tail = value[match.end():].partition("/")
        return f"{scheme}://{host.replace('.', '[.]')}{slash}{tail}"
    if "/" in value or " " in value:
        return value
    return value.replace(".", "[.]")
