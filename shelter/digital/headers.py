"""What the headers say about the sender: the receiving provider's authentication results (RFC 8601:
only the topmost provider's entries are trusted, anything below may be written by the sender), and
whether the name, the address and the reply address agree."""

import re
from email.utils import getaddresses, parseaddr

import authres

from . import domains
from .defang import defang
from .findings import Finding

FAILING = {"fail", "softfail", "permerror", "temperror", "policy"}
RECEIVED_IP = re.compile(r"\[(\d{1,3}(?:\.\d{1,3}){3})\]")


def authentication(message) -> list[Finding]:
    """Findings from the receiving provider's own Authentication-Results (and ARC) headers."""
    headers = message.get_all("Authentication-Results") or []
    if not headers:
        spf = (message.get("Received-SPF") or "").strip()
        if spf.split(" ", 1)[0].lower() in FAILING:
            return [Finding("auth_fail", f"Received-SPF: {spf[:160]}", {"server": "?", "method": "spf", "result": spf.split()[0]})]
        return [Finding("auth_unverifiable", "no Authentication-Results header")]
    try:
        first = authres.AuthenticationResultsHeader.parse("Authentication-Results: " + str(headers[0]))
    except Exception:  # noqa: BLE001 — a malformed header is itself reported, never trusted
        return [Finding("auth_unverifiable", f"Authentication-Results: {str(headers[0])[:160]}")]
    trusted = first.authserv_id
    findings = []
    for raw in headers:
        try:
            parsed = authres.AuthenticationResultsHeader.parse("Authentication-Results: " + str(raw))
        except Exception:  # noqa: BLE001
            continue
        if parsed.authserv_id != trusted:
            continue  # written further down the path, perhaps by the sender
        for result in parsed.results:
            if str(result.result).lower() in FAILING:
                findings.append(Finding("auth_fail", f"Authentication-Results: {trusted}; {result.method}={result.result}",
                                        {"server": trusted, "method": result.method, "result": result.result}))
    return findings


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].lower().strip(">") if "@" in address else ""


def identity(message) -> list[Finding]:
    """Display names that impersonate a service, and a reply address elsewhere."""
    findings = []
    name, address = parseaddr(str(message.get("From", "")))
    domain = _domain(address)
    if name and domain:
        lowered = domains.skeleton(name.lower())
        for brand in domains.brands()["brands"]:
            words = {brand["name"].lower().split(" ")[0], *brand["tokens"]}
            words |= {d.split(".")[0] for d in brand["domains"] if len(d.split(".")[0]) >= 5}
            if any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in words if len(w) >= 4) \
                    and domains.registrable(domain) not in brand["domains"]:
                findings.append(Finding("display_name_impersonation", f"From: {name} <{defang(address)}>",
                                        {"name": name, "brand": brand["name"], "domain": defang(domain)}))
                break
    for header in ("Reply-To",):
        for _, reply in getaddresses([str(v) for v in message.get_all(header) or []]):
            reply_domain = _domain(reply)
            if reply_domain and domain and domains.registrable(reply_domain) != domains.registrable(domain):
                findings.append(Finding("reply_to_mismatch", f"{header}: {defang(reply)}",
                                        {"reply_to": defang(reply), "domain": defang(domain)}))
    return findings


def received_ips(message) -> list[str]:
    """The public addresses in Received headers (where the message passed)."""
    found = []
    for header in message.get_all("Received") or []:
        for ip in RECEIVED_IP.findall(str(header)):
            octets = [int(o) for o in ip.split(".")]
            private = octets[0] in (10, 127) or (octets[0] == 192 and octets[1] == 168) or \
                (octets[0] == 172 and 16 <= octets[1] <= 31) or max(octets) > 255
            if not private and ip not in found:
                found.append(ip)
    return found


DKIM_DOMAIN = re.compile(r"(?:^|;)\s*d\s*=\s*([A-Za-z0-9.-]+)")


def dkim_domains(message) -> list[str]:
    """The domains that signed the message (DKIM-Signature d=): the sender's infrastructure, whoever
    the From line names."""
    found = []
    for header in message.get_all("DKIM-Signature") or []:
        match = DKIM_DOMAIN.search(" ".join(str(header).split()))
        if match and match.group(1).lower() not in found:
            found.append(match.group(1).lower().rstrip("."))
    return found
