"""Interpol's public notices API (HAL JSON), read record by record.

A list response is ``{"total", "query", "_embedded": {"notices": [...]}, "_links"}``; a detail response
is one notice with ``entity_id`` ("2026/12345"), ``name``, ``forename``, ``date_of_birth`` ("1990/05/15",
"1990/05" or "1990"), ``sex_id`` (F, M, U), ``country_of_birth_id``, ``place_of_birth``,
``nationalities``, ``languages_spoken_ids`` and ``arrest_warrants`` (``issuing_country_id``,
``charge``, ``charge_translation``).

A bad record never spoils the others: it comes back as a ``RecordError`` with its position and a
reason that quotes no personal data. Country codes that are not ISO 3166-1 (Interpol uses some, such
as 914 and 922) are kept as written and listed, never guessed.
"""

from dataclasses import dataclass, field

from shelter import countries, dates

SEXES = {"M": "male", "F": "female"}
MAX_TEXT = 2000


class NoticeError(ValueError):
    pass


@dataclass(frozen=True)
class Warrant:
    issuing_country: str  # ISO alpha-2, or the code as Interpol wrote it when it is not ISO
    charge: str
    charge_translation: str = ""


@dataclass(frozen=True)
class Notice:
    entity_id: str
    name: str
    forename: str = ""
    aliases: tuple[str, ...] = ()
    birth_date: str = ""  # ISO partial date: "1990", "1990-05", "1990-05-15"
    gender: str | None = None
    country_of_birth: str = ""
    place_of_birth: str = ""
    nationalities: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    warrants: tuple[Warrant, ...] = ()
    non_iso_codes: tuple[str, ...] = ()  # country codes kept as written, for a person to check
    problems: tuple[str, ...] = ()  # what was read but not understood (an invalid date, say)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.forename, self.name) if part)


@dataclass(frozen=True)
class RecordError:
    position: int
    reason: str


@dataclass
class NoticePage:
    total: int | None
    notices: list[Notice] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    next_url: str | None = None


def parse_page(data) -> NoticePage:
    """A list response: its notices, one ``RecordError`` per record that could not be read."""
    if not isinstance(data, dict):
        raise NoticeError("not a notices list: a JSON object was expected")
    embedded = data.get("_embedded")
    records = embedded.get("notices") if isinstance(embedded, dict) else None
    if not isinstance(records, list):
        raise NoticeError("not a notices list: _embedded.notices is missing")
    total = data.get("total")
    page = NoticePage(total=total if isinstance(total, int) and total >= 0 else None, next_url=_next(data))
    for position, record in enumerate(records):
        try:
            page.notices.append(parse_notice(record))
        except NoticeError as e:
            page.errors.append(RecordError(position, str(e)))
    return page


def _next(data: dict) -> str | None:
    links = data.get("_links")
    link = links.get("next") if isinstance(links, dict) else None
    href = link.get("href") if isinstance(link, dict) else None
    return href if isinstance(href, str) and href else None


def parse_notice(record) -> Notice:
    """One notice (a detail response, or an item of a list)."""
    if not isinstance(record, dict):
        raise NoticeError("a notice must be a JSON object")
    entity_id = _text(record.get("entity_id"), "entity_id", required=True)
    name = _text(record.get("name"), "name")
    forename = _text(record.get("forename"), "forename")
    if not (name or forename):
        raise NoticeError(f"notice {entity_id} has no name")
    problems, non_iso = [], []
    birth_date = _birth_date(record.get("date_of_birth"), problems)
    nationalities = tuple(_country(code, non_iso, problems) for code in _list(record.get("nationalities")))
    return Notice(
        entity_id=entity_id,
        name=name,
        forename=forename,
        birth_date=birth_date,
        gender=SEXES.get(str(record.get("sex_id") or "").upper()),
        country_of_birth=_country(record.get("country_of_birth_id"), non_iso, problems),
        place_of_birth=_text(record.get("place_of_birth"), "place_of_birth"),
        nationalities=tuple(code for code in nationalities if code),
        languages=tuple(str(code).lower() for code in _list(record.get("languages_spoken_ids")) if code),
        warrants=tuple(_warrant(w, non_iso, problems) for w in _list(record.get("arrest_warrants"))
                       if isinstance(w, dict)),
        non_iso_codes=tuple(dict.fromkeys(non_iso)),
        problems=tuple(problems),
    )


def _text(value, what: str, required: bool = False) -> str:
    if value is None or value == "":
        if required:
            raise NoticeError(f"{what} is missing")
        return ""
    if not isinstance(value, (str, int)):
        raise NoticeError(f"{what} must be text")
    text = " ".join(str(value).replace("\x00", "").split())
    if len(text) > MAX_TEXT:
        raise NoticeError(f"{what} is longer than {MAX_TEXT} characters")
    return text


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _birth_date(value, problems: list) -> str:
    if not value:
        return ""
    try:
        return dates.parse(str(value).strip().replace("/", "-"), min_year=1900).iso()
    except dates.PartialDateError:
        problems.append("date_of_birth is not a date")
        return ""


def _country(code, non_iso: list, problems: list) -> str:
    if code in (None, ""):
        return ""
    text = str(code).strip().upper()
    if len(text) == 2 and countries.is_country(text):
        return text
    if text.isalnum() and len(text) <= 4:
        non_iso.append(text)
        return text
    problems.append("a country code is unreadable")
    return ""


def _warrant(record: dict, non_iso: list, problems: list) -> Warrant:
    return Warrant(
        issuing_country=_country(record.get("issuing_country_id"), non_iso, problems),
        charge=_text(record.get("charge"), "charge"),
        charge_translation=_text(record.get("charge_translation"), "charge_translation"),
    )


def as_person(notice: Notice):
    """The notice's subject as the matcher sees it (``shelter.matching.Person``)."""
    from shelter import matching

    nationality = next((code.lower() for code in notice.nationalities if code not in notice.non_iso_codes), None)
    # Screened by its first aliases when it has more than a person may (a list entry can have dozens):
    # refused whole, it would never be screened at all. The notice itself keeps them all.
    return matching.make(notice.full_name, notice.aliases[: matching.MAX_ALIASES], birth_date=notice.birth_date or None,
                       nationality=nationality, gender=notice.gender)
