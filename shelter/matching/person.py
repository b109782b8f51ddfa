"""A person as the matcher sees it (names, birth date, nationality, gender, documents), validated.

Bad input raises ``InvalidPerson`` with a reason a user can act on; nothing is guessed. Reasons never
quote the name: they end up in logs and terminals.
"""

import re
from typing import NamedTuple
from functools import lru_cache

from shelter import countries, dates
from shelter.exchange import person_lines

from . import tag
from .scripts import scripts

# How big a person may be. Comparing two persons costs about (names × names × parts × parts), and a
# name's blocking keys grow with the square of its parts: before these bounds one request of 21 long
# made-up names kept a core busy for seconds and one person wrote 200,000 index rows. With them the
# worst screening (tests/test_api_screening.py) stays under the time SECURITY.md states. Real names
# fit: a nasab or a Spanish name with its particles stays within eight parts, and the matcher itself
# meets a name's spellings in other scripts and schemes, so aliases are for other names.
MAX_NAME_LENGTH = 300
MAX_PARTS = 8
MAX_ALIASES = 5
MAX_NAMES = 1 + MAX_ALIASES
_LETTER = re.compile(r"[^\W\d_]")
GENDERS = ("male", "female")
MIN_BIRTH_YEAR = 1800  # historical figures appear in lists and benchmarks; the registry itself starts in 1850


class InvalidPerson(ValueError):
    pass


class Name(NamedTuple):  # tuples: a registry holds hundreds of thousands
    text: str
    parts: tuple[tag.Part, ...]
    gender: str | None
    size: int  # parts besides particles (bin, al, de …)
    initials_only: bool


class Person(NamedTuple):
    names: tuple[Name, ...]
    birth_date: dates.PartialDate | None = None
    nationality: str | None = None
    gender: str | None = None
    documents: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        return self.names[0].text


def from_json(data) -> Person:
    """A person from a JSON object: {"name", "aliases"?, "birth_date"?, "nationality"?, "gender"?, "documents"?},
    read as every person file is (``shelter.exchange.person_lines``). Other keys are ignored."""
    try:
        return from_fields(person_lines.parse_person(data, strict=False))
    except person_lines.Invalid as e:
        raise InvalidPerson(str(e)) from None


def from_fields(fields: person_lines.PersonFields) -> Person:
    """The matcher's person from one read from a file. Of several nationalities none is compared: a
    dual national is not to be penalised for the one the other side does not name."""
    nationalities = fields.nationalities or []
    nationality = nationalities[0] if len(nationalities) == 1 else None
    return make(fields.name, fields.aliases, fields.birth_date, nationality, fields.gender, fields.documents)


def make(name, aliases=(), birth_date=None, nationality=None, gender=None, documents=()) -> Person:
    if len(aliases) > MAX_ALIASES:
        raise InvalidPerson(f"more than {MAX_ALIASES} aliases")
    names = [prepare_name(_text(name, "name"))]
    for number, alias in enumerate(aliases, start=1):
        try:
            names.append(prepare_name(_text(alias, "alias")))
        except InvalidPerson as e:
            raise InvalidPerson(f"alias {number}: {e}") from None
    return Person(
        names=tuple(names),
        birth_date=_birth_date(birth_date),
        nationality=_nationality(nationality),
        gender=_gender(gender),
        documents=frozenset(filter(None, (document_key(d) for d in documents))),
    )


def _text(value, what: str) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidPerson(f"{what} is empty")
    if not isinstance(value, str):
        raise InvalidPerson(f"{what} must be a string")
    return value


def check_size(text: str) -> None:
    """Refuse a name longer or of more parts than the matcher takes, and nothing else: for records,
    which may hold a name the matcher cannot score (a single letter) but not one of any size."""
    if len(text) > MAX_NAME_LENGTH:
        raise InvalidPerson(f"name is longer than {MAX_NAME_LENGTH} characters")
    if len(tag.parts(text)) > MAX_PARTS:
        raise InvalidPerson(f"name has more than {MAX_PARTS} parts")


@lru_cache(maxsize=1 << 17)
def prepare_name(text: str) -> Name:
    if len(text) > MAX_NAME_LENGTH:
        raise InvalidPerson(f"name is longer than {MAX_NAME_LENGTH} characters")
    first = _LETTER.search(text)
    if first is None:
        raise InvalidPerson("name has no letters (only digits or punctuation)")
    if _LETTER.search(text, first.end()) is None:
        raise InvalidPerson("name is a single letter")
    found = {"latin"} if text.isascii() else scripts(text)
    if len(found) > 1:
        raise InvalidPerson(f"name mixes scripts ({', '.join(sorted(found))})")
    parts = tag.parts(text)
    if not parts:
        raise InvalidPerson("name has nothing but titles (Mr, Dr …)")
    if len(parts) > MAX_PARTS:
        raise InvalidPerson(f"name has more than {MAX_PARTS} parts")
    return Name(text, parts, tag.gender(parts), sum(1 for p in parts if p.role != tag.PARTICLE),
                all(p.role in (tag.INITIAL, tag.PARTICLE) for p in parts))


def _birth_date(value) -> dates.PartialDate | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InvalidPerson("birth_date must be a string: YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        return dates.parse(value, min_year=MIN_BIRTH_YEAR)
    except dates.PartialDateError:
        raise InvalidPerson(
            f"birth_date is not a date: use YYYY, YYYY-MM or YYYY-MM-DD, years {MIN_BIRTH_YEAR}–{dates.MAX_YEAR}"
        ) from None


def _nationality(value) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value.strip()) != 2 or not countries.is_country(value):
        raise InvalidPerson("nationality: unknown country code (use ISO 3166-1 alpha-2, or su for the USSR)")
    return value.strip().lower()


def _gender(value) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or value.strip().lower() not in GENDERS:
        raise InvalidPerson("gender must be 'male' or 'female'")
    return value.strip().lower()


def document_key(value: str) -> str:
    """Document numbers compared without spaces, dashes or case: "AA 123-456" = "aa123456"."""
    return "".join(c for c in value.upper() if c.isalnum())
