"""Reading and validating a JSON Lines file of persons (plain Python, no Django): the one reader of
``shelter persons import``, ``shelter screen`` and ``shelter match``.

One person per line::

    {"id": "p-17", "name": "Ўткир Ҳошимов", "aliases": ["Utkir Khashimov"], "birth_date": "1979-08",
     "nationality": ["UZ", "SU"], "gender": "male", "profile": "journalist"}

``nationality``, ``aliases`` and ``profile`` take one value or a list. Error reasons name the line and
the field, never the value: a file of persons is identity data, and reasons end up on terminals, in
CI logs and in e-mails. Only the ``id`` (an external reference, not a name) is ever repeated back.

A file imported into the registry is read ``strict``ly: an unknown field is refused (it would be
data silently lost) and an id may appear once (it is the record's key on re-import). A file only
screened or scored is read leniently, as docs/matching.md promises: other keys are ignored and ids
are passed through.
"""

import json
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from shelter import countries, dates, thesaurus

from .line_report import LineError

FIELDS = ("id", "name", "aliases", "birth_date", "nationality", "gender", "profile")  # what an import stores
GENDERS = ("male", "female")
MAX_ID_LENGTH = 100  # Person.external_id
MAX_NAME_LENGTH = 500  # what the database holds; the matcher takes at most 300 (matching.person)


@dataclass(kw_only=True)
class PersonFields:
    """A person as read. A field absent from the line is None ("leave as it is" on re-import)."""

    name: str
    aliases: list[str] = field(default_factory=list)
    birth_date: str | None = None
    nationalities: list[str] | None = None
    gender: str | None = None
    profiles: list[str] | None = None
    documents: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class PersonLine(PersonFields):
    """A valid line: the person and its ``id``, as given (a string or a number: output echoes it)."""

    line: int
    id: str | int | float

    @property
    def external_id(self) -> str:
        return str(self.id)


class Invalid(ValueError):
    """A reason why one line is rejected (never containing the rejected value)."""


def show_id(external_id: str) -> str:
    return repr(external_id if len(external_id) <= 40 else external_id[:40] + "…")


def read(lines: Iterable[str | bytes], *, strict: bool = True) -> Iterator[PersonLine | LineError]:
    """Parse and validate every non-blank line (text, or bytes in UTF-8); line numbers count blank
    lines too. Read ``strict``ly, a duplicate of an earlier id is an error."""
    first_seen: dict[str, int] = {}
    for number, item in objects(lines):
        if isinstance(item, LineError):
            yield item
            continue
        try:
            record = parse_person_line(number, item, strict=strict)
        except Invalid as e:
            yield LineError(number, str(e))
            continue
        first = first_seen.get(record.external_id)
        if strict and first is not None:
            yield LineError(number, f"duplicate id {show_id(record.external_id)} (first on line {first})")
            continue
        first_seen.setdefault(record.external_id, number)
        yield record


def objects(lines: Iterable[str | bytes]) -> Iterator[tuple[int, dict | LineError]]:
    """(line number, JSON object) for every non-blank line, or the reason it is not one."""
    for number, text in enumerate(lines, start=1):
        try:
            text = decode(text, first=number == 1)
            if not text.strip():
                continue
            yield number, parse_object(text)
        except Invalid as e:
            yield number, LineError(number, str(e))


def decode(line: str | bytes, first: bool) -> str:
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError:
            raise Invalid("not valid UTF-8 text") from None
    return line.removeprefix("\ufeff") if first else line  # a byte order mark left by some editors


def parse_object(text: str) -> dict:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise Invalid(f"invalid JSON ({e.msg} at column {e.colno})") from None
    if not isinstance(data, dict):
        raise Invalid("not a JSON object")
    return data


def parse_line(number: int, text: str, *, strict: bool = True) -> PersonLine:
    """One line of text (already decoded) as a person, or ``Invalid``."""
    return parse_person_line(number, parse_object(text), strict=strict)


def parse_person_line(number: int, data: dict, *, strict: bool = True) -> PersonLine:
    return PersonLine(line=number, id=parse_id(data.get("id")), **vars(parse_person(data, strict=strict)))


def parse_person(data, *, strict: bool = True) -> PersonFields:
    """A person's fields from a JSON object (an ``id`` is left to the caller)."""
    if not isinstance(data, dict):
        raise Invalid("a person must be a JSON object")
    if strict:
        unknown = [position for position, key in enumerate(data, start=1) if key not in FIELDS]
        if unknown:
            # By position, not by key: a misplaced key may well be a name ({"Karimov": ...}).
            positions = ", ".join(map(str, unknown))
            raise Invalid(f"unknown field at position {positions} of the object (known fields: {', '.join(FIELDS)})")
    return PersonFields(
        name=parse_name(data.get("name"), "name"),
        aliases=parse_aliases(data.get("aliases")),
        birth_date=parse_birth_date(data["birth_date"]) if data.get("birth_date") not in (None, "") else None,
        nationalities=parse_nationalities(data["nationality"]) if "nationality" in data else None,
        gender=parse_gender(data["gender"]) if "gender" in data else None,
        profiles=parse_profiles(data["profile"]) if "profile" in data else None,
        # Document numbers are compared by the matcher but not imported (a strict read refuses them).
        documents=[] if strict else parse_documents(data.get("documents")),
    )


def parse_id(value) -> str | int | float:
    """A string id stripped, a numeric one kept a number (screening output echoes ids as given)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise Invalid("missing id" if value is None else "id must be a string or a number")
    if isinstance(value, str):
        value = value.strip()
    if value == "":
        raise Invalid("missing id")
    if len(str(value)) > MAX_ID_LENGTH:
        raise Invalid(f"id is longer than {MAX_ID_LENGTH} characters")
    return value


def parse_name(value, what: str) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise Invalid(f"missing {what}")
    if not isinstance(value, str):
        raise Invalid(f"{what} must be a string")
    text = " ".join(value.split())
    if len(text) > MAX_NAME_LENGTH:
        raise Invalid(f"{what} is longer than {MAX_NAME_LENGTH} characters")
    return text


def parse_aliases(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise Invalid("aliases must be a list of strings")
    aliases = []
    for index, alias in enumerate(value, start=1):
        text = parse_name(alias, f"alias {index}")
        if text not in aliases:
            aliases.append(text)
    return aliases


def parse_birth_date(value) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # a bare year
    if not isinstance(value, str):
        raise Invalid("birth_date must be a string: YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        return dates.parse(value).iso()
    except dates.PartialDateError:
        # The parser's own message quotes the value: a birth date is identity data.
        raise Invalid("birth_date is not a valid date: use YYYY, YYYY-MM or YYYY-MM-DD") from None


def as_list(value, what: str) -> list:
    if value is None:
        return []
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise Invalid(f"{what} must be a string or a list of strings")
    return values


def parse_nationalities(value) -> list[str]:
    codes = []
    for index, code in enumerate(as_list(value, "nationality"), start=1):
        try:
            normalised = countries.normalise(code)
        except ValueError:
            raise Invalid(f"nationality {index}: unknown country code (use ISO 3166-1 alpha-2, or SU for the USSR)") from None
        if normalised not in codes:
            codes.append(normalised)
    return codes


def parse_gender(value) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or value.strip().lower() not in GENDERS:
        raise Invalid("gender must be male or female")
    return value.strip().lower()


def parse_profiles(value) -> list[str]:
    known = thesaurus.codes("profiles")
    profiles = []
    for index, code in enumerate(as_list(value, "profile"), start=1):
        normalised = code.strip().lower()
        if normalised not in known:
            raise Invalid(f"profile {index} is not a known profile code (known: {', '.join(known)})")
        if normalised not in profiles:
            profiles.append(normalised)
    return profiles


def parse_documents(value) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid("documents must be a list of strings")
    return value
