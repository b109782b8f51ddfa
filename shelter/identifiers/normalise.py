"""One written form for each identifier an actor leaves — a phone number, an address, an account, a plate —
so that `+998 90 123-45-67` and `998901234567`, or `Rustam.K@Gmail.com` and `rustamk+x@gmail.com`, are
known as the same. The rules, each with its source, are in data/identifiers.json; numbers and codes are
read with `phonenumbers` and `python-stdnum`."""

import ipaddress
import json
import re
import unicodedata
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import phonenumbers
from stdnum import iban as stdnum_iban

KINDS = ("phone", "email", "telegram", "whatsapp", "signal", "imo", "viber", "vk", "ok", "instagram", "facebook", "x",
         "plate", "address", "ip", "wallet", "iban", "bank_account", "passport")


class IdentifierError(ValueError):
    """A value that is not an identifier of its kind, with the reason: a fixed ``template`` (which a
    translation can look up) filled with ``params``."""

    def __init__(self, template: str, **params):
        self.template, self.params = template, params
        super().__init__(template.format(**params))


@cache
def rules() -> dict:
    return json.loads((Path(__file__).parent / "data" / "identifiers.json").read_text(encoding="utf-8"))


def family(kind: str) -> str:
    """The kind an identifier is compared as: an account known by its phone number (WhatsApp, Signal,
    IMO, Viber) as that phone."""
    return "phone" if kind in rules()["phone_accounts"]["kinds"] else kind


def normalise(kind: str, value: str, country: str = "") -> str:
    """The identifier's one written form (what is blind-indexed and compared), or IdentifierError.
    ``country`` (ISO 3166 alpha-2) reads national phone numbers and places plates and documents."""
    value = unicodedata.normalize("NFKC", str(value)).strip()
    if not value:
        raise IdentifierError("empty")
    if kind not in KINDS:
        raise IdentifierError("unknown kind {kind!r}: one of {kinds}", kind=kind, kinds=", ".join(KINDS))
    country = (country or "").upper()
    if family(kind) == "phone":
        return phone(value, country)
    if kind == "email":
        return email(value)
    if kind in rules()["accounts"]:
        return account(kind, value)
    placed = {"plate": plate, "bank_account": bank_account, "passport": document}
    if kind in placed:
        return placed[kind](value, country)
    return {"address": address, "ip": ip, "wallet": wallet, "iban": iban}[kind](value)


def phone(value: str, country: str = "") -> str:
    """E.164. A number written without its country code is read in ``country``; one written with it
    (`998…`, `+998…`, `00998…`) in any."""
    digits = re.sub(r"[^\d+]", "", value)
    candidates = [digits] if digits.startswith("+") else (
        ["+" + digits[2:]] if digits.startswith("00") else [digits, "+" + digits])
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, country or None)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if country:
        raise IdentifierError("not a valid phone number in {country}", country=country)
    raise IdentifierError("not a valid phone number (give the country, or write it with +)")


def email(value: str) -> str:
    """Case folded; the provider's other domains for one mailbox joined; dots ignored where the provider
    ignores them (Gmail); a +tag dropped where the provider delivers it to the same mailbox."""
    value = value.strip().strip("<>").removeprefix("mailto:")
    if value.count("@") != 1:
        raise IdentifierError("not an e-mail address")
    local, domain = value.casefold().split("@")
    domain = domain.rstrip(".")
    if not local or "." not in domain:
        raise IdentifierError("not an e-mail address")
    same = rules()["email"]["same_mailbox"]["map"]
    domain = same.get(domain, domain)
    if domain in rules()["email"]["plus_tags"]["domains"]:
        local = local.split("+", 1)[0]
    if domain in rules()["email"]["dots_ignored"]["domains"]:
        local = local.replace(".", "")
    return f"{local}@{domain}"


def account(kind: str, value: str) -> str:
    """A messenger or social account as the platform names it: the handle, without `@` or the address
    of its page, case folded where the platform ignores case."""
    rule = rules()["accounts"][kind]
    handle = value.strip()
    if "/" in handle or handle.lower().startswith(tuple(rule["hosts"])):
        parts = urlsplit(handle if "://" in handle else "https://" + handle)
        if parts.hostname not in rule["hosts"]:
            raise IdentifierError("not an address of a {kind} page", kind=kind)
        handle = parts.path.strip("/") + (f"?{parts.query}" if parts.query else "")
    handle = handle.lstrip("@").casefold()
    if rule.get("dots_ignored") and not handle.startswith("profile.php"):
        handle = handle.replace(".", "")
    if not re.match(rule["pattern"], handle):
        raise IdentifierError("not a {kind} account name", kind=kind)
    return handle


def plate(value: str, country: str = "") -> str:
    """A registration plate: the country, then its letters and digits, Cyrillic letters that look Latin
    written as the Latin ones (a plate written by a Russian speaker and an English one match)."""
    letters = rules()["plate_letters"]["map"]
    text = "".join(letters.get(c, c) for c in value.upper())
    text = re.sub(r"[\s\-–·.]", "", text)
    if not re.fullmatch(r"[A-Z0-9]{3,12}", text):
        raise IdentifierError("a plate has 3 to 12 letters and digits (Latin, or Cyrillic letters that look Latin)")
    return f"{country or '??'}:{text}"


def address(value: str) -> str:
    """A postal address, loosely: case folded, punctuation and spacing ignored (two caseworkers rarely
    write an address the same way; this catches the same address copied from the same source)."""
    text = re.sub(r"[^\w]+", " ", value.casefold()).strip()
    if len(text) < 5:
        raise IdentifierError("too short for an address")
    return text


def ip(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip("[]")))
    except ValueError as e:
        raise IdentifierError("not an IP address") from e


WALLETS = [(re.compile(r"^0x[0-9a-fA-F]{40}$"), str.lower),  # Ethereum and its kin: hex, case is only a checksum
           (re.compile(r"^(bc1|tb1|ltc1)[0-9a-zA-Z]{8,87}$"), str.lower),  # bech32: one case
           (re.compile(r"^[13mn2][1-9A-HJ-NP-Za-km-z]{25,34}$"), str),  # Bitcoin base58: case matters
           (re.compile(r"^T[1-9A-HJ-NP-Za-km-z]{33}$"), str)]  # Tron (USDT): base58


def wallet(value: str) -> str:
    value = value.strip()
    for pattern, fold in WALLETS:
        if pattern.match(value):
            return fold(value)
    raise IdentifierError("not a wallet address Shelter reads (Bitcoin, Ethereum and its kin, Tron)")


def iban(value: str) -> str:
    try:
        return stdnum_iban.validate(value)
    except Exception as e:  # noqa: BLE001 — stdnum raises its own ValidationError kinds
        raise IdentifierError("not a valid IBAN ({reason})", reason=str(e)) from e


def bank_account(value: str, country: str = "") -> str:
    digits = re.sub(r"[\s\-]", "", value).upper()
    if not re.fullmatch(r"[A-Z0-9]{6,34}", digits):
        raise IdentifierError("a bank account has 6 to 34 letters and digits")
    return f"{country or '??'}:{digits}"


def document(value: str, country: str = "") -> str:
    """An identity document's number, with the country that issued it."""
    text = re.sub(r"[\s\-№#]", "", value.upper())
    text = "".join(rules()["plate_letters"]["map"].get(c, c) for c in text)  # series written in Cyrillic
    if not re.fullmatch(r"[A-Z0-9]{5,20}", text):
        raise IdentifierError("a document number has 5 to 20 letters and digits")
    return f"{country or '??'}:{text}"
