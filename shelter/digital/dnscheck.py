"""What DNS says about a message's sender, asked only when the triage is told to (`--online`): the key of
each DKIM signature (selector._domainkey.domain TXT, RFC 6376), and the sender domain's SPF record (RFC
7208) and DMARC policy (_dmarc.domain TXT, RFC 7489).

Asking reveals. The sender's name servers, perhaps the attacker's, see that someone looks up that key,
record or policy, and when, and may infer that the message is being examined. So nothing here runs unless
asked for, only TXT records of the names the message itself gives as its sender and signer are asked, and
link domains are never resolved nor any web server contacted. Each query has a short timeout and each
file a time budget; a failure is a note in the report, never an exception."""

import ipaddress
import re
import time
from dataclasses import dataclass, field

import dkim
from dkim.util import parse_tag_value

from . import domains
from .defang import defang
from .findings import Finding

QUERY_SECONDS = 3.0  # one query, retries included
BUDGET_SECONDS = 20.0  # every query for one file (a mailbox is one file)
MAX_SIGNATURES = 5  # DKIM signatures checked per message
_LABEL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$")


class ServerError(ValueError):
    """A name server given in another shape than HOST[:PORT] with HOST an IP address."""


def parse_server(text: str) -> tuple[str, int]:
    """`192.0.2.1`, `192.0.2.1:5353`, `::1`, `[::1]:5353` as (address, port); a name is refused, since
    resolving it would itself need a name server."""
    text = text.strip()
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest and not rest.startswith(":"):
            raise ServerError(f"{text!r} is not HOST[:PORT]")
        port = rest[1:]
    elif text.count(":") == 1:
        host, port = text.split(":")
    else:
        host, port = text, ""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise ServerError(f"{text!r}: the name server must be given as an IP address, with an optional port") from None
    if port and not (port.isdigit() and 0 < int(port) < 65536):
        raise ServerError(f"{text!r}: the port must be a number from 1 to 65535")
    return host, int(port or 53)


@dataclass(frozen=True)
class Online:
    """Permission to ask DNS, and how: ``server`` HOST[:PORT], or empty for the system's resolver."""
    server: str = ""
    query_seconds: float = QUERY_SECONDS
    budget_seconds: float = BUDGET_SECONDS

    def __post_init__(self):
        if self.server:
            parse_server(self.server)


@dataclass
class Answer:
    outcome: str  # "answered", "no record", "failed (…)", "not asked (…)"
    records: list[bytes] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        """Whether the answer says something: records, or that there are none."""
        return self.outcome in ("answered", "no record")


class Session:
    """One file's DNS: answers kept for its other messages, every query counted against the budget."""

    def __init__(self, online: Online):
        self.online = online
        self.spent = 0.0
        self._cache: dict[str, Answer] = {}
        self._resolver = None

    def _make_resolver(self):
        import dns.nameserver
        import dns.resolver

        if self.online.server:
            host, port = parse_server(self.online.server)
            resolver = dns.resolver.Resolver(configure=False)
            resolver.nameservers = [dns.nameserver.Do53Nameserver(host, port)]
        else:
            resolver = dns.resolver.Resolver()  # /etc/resolv.conf: reads a file, opens no socket
        resolver.timeout = resolver.lifetime = self.online.query_seconds
        resolver.cache = None
        return resolver

    def txt(self, name: str) -> Answer:
        """The TXT records at ``name`` (each record's strings joined), or why there are none."""
        name = name.rstrip(".").lower()
        if name not in self._cache:
            self._cache[name] = self._ask(name)
        return self._cache[name]

    def _ask(self, name: str) -> Answer:
        import dns.exception
        import dns.name
        import dns.resolver

        if not is_dns_name(name):
            return Answer("not asked (not a DNS name)")
        remaining = self.online.budget_seconds - self.spent
        if remaining <= 0:
            return Answer(f"not asked (the {self.online.budget_seconds:g} s for DNS were spent)")
        started = time.monotonic()
        try:
            if self._resolver is None:
                self._resolver = self._make_resolver()
            answer = self._resolver.resolve(dns.name.from_text(name), "TXT", search=False,
                                            lifetime=min(self.online.query_seconds, remaining))
            return Answer("answered", [b"".join(r.strings) for r in answer])
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return Answer("no record")
        except dns.resolver.LifetimeTimeout:
            return Answer(f"failed (no answer within {min(self.online.query_seconds, remaining):g} s)")
        except dns.resolver.NoNameservers:
            return Answer("failed (the name server refused or could not answer)")
        except dns.resolver.NoResolverConfiguration:
            return Answer("failed (no name server is configured on this system)")
        except (dns.exception.DNSException, OSError, ValueError) as e:
            return Answer(f"failed ({type(e).__name__})")
        finally:
            self.spent += time.monotonic() - started


def is_dns_name(name: str) -> bool:
    """A host name of at least two labels, in letters, digits, hyphens and underscores (once IDNA-encoded):
    what a message claims is asked only when it has this shape."""
    try:
        ascii_name = name.encode("idna").decode("ascii") if not name.isascii() else name
    except UnicodeError:
        return False
    labels = ascii_name.rstrip(".").split(".")
    return len(labels) >= 2 and len(ascii_name) <= 253 and all(_LABEL.match(label) for label in labels) \
        and not labels[-1].isdigit()


def examine(raw: bytes, reports, keys: dict[str, bytes], session: Session) -> None:
    """What DNS says, added to the reports of one message: its DKIM signatures (on the first report, the
    message whose bytes are at hand) and the DMARC policy and SPF record of each report's From domain.
    Each report's ``dns`` lists the names asked and what came back. ``keys`` (given in a file) are used
    before DNS."""
    for report in reports:
        report.dns = []
    reports[0].findings += dkim_signatures(raw, keys, session, reports[0].dns)
    for report in reports:
        sender = next((i["value"] for i in report.indicators if i["type"] == "domain" and i["context"] == "From"), "")
        if sender:
            report.findings += sender_policy(sender, session, report.dns)


def _asked(log: list, name: str, purpose: str, answer: Answer, result: str = "") -> None:
    entry = {"name": defang(name), "type": "TXT", "for": purpose, "outcome": answer.outcome}
    if result:
        entry["result"] = result
    log.append(entry)


def dkim_signatures(raw: bytes, keys: dict[str, bytes], session: Session, log: list) -> list[Finding]:
    """auth_fail for a DKIM signature that does not verify against its key, dkim_key_missing for one whose
    key is not published; a signature whose key DNS could not tell is only noted in ``log``."""
    if b"dkim-signature:" not in raw[:65536].lower():
        return []
    try:
        headers = dkim.DKIM(raw).headers
    except Exception:  # noqa: BLE001 — a message dkimpy cannot read has no signature to check
        return []
    signatures = [value for header, value in headers if header.lower() == b"dkim-signature"]
    findings = []
    for index, value in enumerate(signatures[:MAX_SIGNATURES]):
        try:
            tags = parse_tag_value(value)
            domain, selector = tags[b"d"].decode("ascii").strip(), tags[b"s"].decode("ascii").strip()
        except Exception:  # noqa: BLE001 — malformed: reported as a failed signature
            findings.append(Finding("auth_fail", "DKIM-Signature (malformed)",
                                    {"server": "online check", "method": "dkim", "result": "error"}))
            continue
        name = f"{selector}._domainkey.{domain}".lower()
        evidence = f"DKIM-Signature: d={defang(domain)}; s={selector}"
        answer = None
        if name in keys:
            record = keys[name]
        else:
            answer = session.txt(name)
            if not answer.usable:
                _asked(log, name, "DKIM key", answer, "signature not checked")
                continue
            published = [r for r in answer.records if b"p=" in r]
            if not published:
                _asked(log, name, "DKIM key", answer, "no key published")
                findings.append(Finding("dkim_key_missing", evidence,
                                        {"domain": defang(domain), "selector": selector, "name": defang(name)}))
                continue
            record = published[0]
        try:
            valid = dkim.DKIM(raw, timeout=session.online.query_seconds).verify(
                idx=index, dnsfunc=lambda _name, timeout=5, record=record: record)
            result = "pass" if valid else "fail"
        except dkim.ValidationError as e:
            changed = "body hash mismatch" in str(e)  # RFC 6376 6.1.3: the body was changed after signing
            result = "fail" if changed else "error"
            evidence = f"{evidence} ({'the body was changed after signing' if changed else type(e).__name__})"
        except Exception as e:  # noqa: BLE001 — a malformed signature or key is a failed signature
            result, evidence = "error", f"{evidence} ({type(e).__name__})"
        if answer is not None:
            _asked(log, name, "DKIM key", answer, "the signature verifies" if result == "pass" else "the signature does not verify")
        if result != "pass":
            findings.append(Finding("auth_fail", evidence, {"server": "online check", "method": "dkim", "result": result}))
    return findings


def _dmarc(answer: Answer) -> list[str]:
    return [r.decode("ascii", "replace") for r in answer.records if r.lstrip().lower().startswith(b"v=dmarc1")]


def _policy(record: str, subdomain: bool) -> str:
    tags = {}
    for part in record.split(";"):
        key, _, value = part.partition("=")
        tags[key.strip().lower()] = value.strip().lower()
    policy = tags.get("sp", tags.get("p", "")) if subdomain else tags.get("p", "")
    return policy if policy in ("none", "quarantine", "reject") else "none"  # RFC 7489 6.6.3: invalid p= as none


def _spf(domain: str, session: Session, log: list) -> tuple[str, str]:
    """The SPF record of ``domain``, in English and Russian, for the report."""
    answer = session.txt(domain)
    if not answer.usable:
        _asked(log, domain, "SPF", answer)
        return "not checked (DNS did not answer)", "не проверена (DNS не ответил)"
    records = [r.decode("ascii", "replace") for r in answer.records
               if r.lower() == b"v=spf1" or r.lower().startswith(b"v=spf1 ")]
    _asked(log, domain, "SPF", answer, records[0][:200] if len(records) == 1 else f"{len(records)} SPF records")
    if not records:
        return "no record", "записи нет"
    if len(records) > 1:
        return "more than one record (none applies)", "записей несколько (не действует ни одна)"
    return records[0][:200], records[0][:200]


def sender_policy(domain: str, session: Session, log: list) -> list[Finding]:
    """spoofable_domain when the sender domain publishes no DMARC policy, or only p=none: nothing asks
    receiving providers to refuse mail that falsely claims to come from it. Its SPF record is reported
    with it. The organisational domain's policy applies to a subdomain that has none (RFC 7489 6.6.3)."""
    domain = domain.rstrip(".").lower()
    if not is_dns_name(domain):
        return []
    spf, spf_ru = _spf(domain, session, log)
    name = f"_dmarc.{domain}"
    answer = session.txt(name)
    records = _dmarc(answer)
    subdomain = False
    organisation = domains.registrable(domain)
    if answer.usable and not records and organisation != domain:
        _asked(log, name, "DMARC policy", answer, "no policy")
        name, subdomain = f"_dmarc.{organisation}", True
        answer = session.txt(name)
        records = _dmarc(answer)
    if not answer.usable:
        _asked(log, name, "DMARC policy", answer, "policy not known")
        return []
    if len(records) == 1:
        policy = _policy(records[0], subdomain)
        _asked(log, name, "DMARC policy", answer, f"p={policy}")
        if policy != "none":
            return []
        wording = ("publishes the DMARC policy p=none (monitoring only)", "публикует политику DMARC p=none (только наблюдение)")
        evidence = f"{defang(name)}: {records[0][:200]}"
    else:
        _asked(log, name, "DMARC policy", answer, "no policy" if not records else "more than one policy")
        wording = ("publishes no DMARC policy", "не публикует политику DMARC") if not records else \
            ("publishes more than one DMARC policy, so none applies", "публикует несколько политик DMARC, поэтому не действует ни одна")
        evidence = f"{defang(name)}: {'no record' if not records else f'{len(records)} records'}"
    return [Finding("spoofable_domain", evidence,
                    {"domain": defang(domain), "policy": wording[0], "policy_ru": wording[1], "spf": spf, "spf_ru": spf_ru})]
