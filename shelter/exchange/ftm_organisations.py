"""Reading FollowTheMoney entity lines as organisations (plain Python, no Django): the reader of
``shelter organisations import``.

One entity per line, the way OpenSanctions publishes ``entities.ftm.json``::

    {"id": "NK-…", "schema": "Company", "caption": "…",
     "properties": {"name": ["…"], "alias": ["…"], "jurisdiction": ["ru"], "topics": ["sanction"]},
     "datasets": ["us_trade_csl"], "referents": ["…"], "first_seen": "2024-02-01T10:00:00",
     "last_seen": "2026-11-30T08:12:44"}

Organisations are the entities of schema ``Organization`` and its descendants (``Company``,
``PublicBody``) and of ``LegalEntity`` itself (not of its other descendant, ``Person``), as
followthemoney's model defines them. Other schemata (``Person``, ``Vessel``, ``Sanction``,
``Address``…) are skipped, not refused; an unknown schema is refused. Every line's envelope is
checked (a JSON object, a string ``id``, a known ``schema``, ``properties`` mapping to lists of
strings); an organisation's values too. Reasons name the line, the field and the value's position,
and an organisation's id, never a name.

How an entity becomes an organisation:

- **name**: the ``caption`` when it is one of the ``name`` values (what OpenSanctions shows for the
  entity), else the first ``name`` written in Latin letters, else the first ``name``: the UI and the
  lawyers' documents are in English and Russian, and a Latin name reads in both. Every other name is
  kept as an alias, so the choice loses nothing.
- **aliases**: the other ``name`` values, then ``alias``, ``abbreviation`` and ``previousName``, each
  once, at most ``MAX_ALIASES`` (the API's limit; the rest are counted as capped). ``weakAlias`` values
  go to ``weak_aliases``: FtM defines them as too broad to match on ("should not be used for matching
  in screening systems"), so they are shown but not matched.
- **countries**: ``mainCountry``, then ``jurisdiction``, then ``country``, as ISO 3166-1 alpha-2
  codes (``iso_country``).
- **kind**: from the schema and the topics (``kind_of``).
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from datetime import datetime, timezone

from followthemoney import model
from followthemoney.types import registry

from shelter import countries

from .json_line import json_object
from .line_report import LineError

MAX_ID_LENGTH = 200  # Organisation.ftm_id (followthemoney's own limit on an entity id)
MAX_NAME_LENGTH = 200  # Organisation.name, and each alias as the API takes it
MAX_ALIASES = 100  # the API's limit on an organisation's aliases
MAX_TOPICS = 100
MAX_DATASETS = 200
MAX_LINE_BYTES = 16 * 1024 * 1024

NAME_PROPERTIES = ("name", "alias", "abbreviation", "previousName", "weakAlias")
COUNTRY_PROPERTIES = ("mainCountry", "jurisdiction", "country")
TOPIC = re.compile(r"[a-z][a-z0-9_.-]{0,63}", re.ASCII)
DATASET = re.compile(r"[A-Za-z0-9_.-]{1,100}", re.ASCII)

# FtM codes of states that no longer exist, written with four letters (ISO 3166-3), and of parts of
# a state that FtM lists apart; a subdivision code ("ua-cri", "ge-ab") counts as its state's.
HISTORIC = {"suhh": "SU", "yucs": "YU", "csxx": "CS"}
PART_OF = {"x-so": "GE", "ac": "SH", "ta": "SH", "dg": "IO", "cq": "GG", "ic": "ES", "cp": "FR"}
# FtM codes with no state of ISO 3166-1 to stand for (eu, un, zz "Global", ip "Cyberspace", dd East
# Germany, zr Zaire, cshh Czechoslovakia) are dropped: ``iso_country`` returns None.


class Invalid(ValueError):
    """Why one line is refused (never containing a name)."""


@dataclass
class OrganisationLine:
    line: int
    id: str
    schema: str
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    weak_aliases: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)
    referents: list[str] = field(default_factory=list)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    aliases_capped: bool = False


@dataclass
class Skipped:
    """A valid line that is not an organisation (``schema``), or not of the dataset asked for."""

    line: int
    schema: str
    other_dataset: bool = False


def accepts(schema) -> bool:
    """Organization and its descendants (Company, PublicBody…), and LegalEntity itself."""
    return schema.is_a("Organization") or schema.name == "LegalEntity"


def read(lines: Iterable[bytes | str], dataset: str | None = None) -> Iterator[OrganisationLine | Skipped | LineError]:
    """Every non-blank line as an organisation, a skipped entity or the reason it is refused; line
    numbers count blank lines too. An organisation's id may appear once. With ``dataset``, only the
    entities of that dataset are read (the others are skipped), and a line naming no datasets is
    taken to be of it."""
    first_line: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        try:
            text = decode(raw, number)
            if not text.strip():
                continue
            item = parse(number, text, dataset)
        except Invalid as e:
            yield LineError(number, str(e))
            continue
        if isinstance(item, OrganisationLine):
            first = first_line.get(item.id)
            if first is not None:
                yield LineError(number, f"duplicate id {show_id(item.id)} (first on line {first})")
                continue
            first_line[item.id] = number
        yield item


def bounded_lines(handle, limit: int = MAX_LINE_BYTES) -> Iterator[bytes]:
    """The lines of a binary file, each read within ``limit`` bytes: a longer one comes back as its
    first ``limit + 1`` bytes (refused by ``decode``) and the rest of it is skipped, never held."""
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := handle.readline(limit)) and not rest.endswith(b"\n"):
                pass
        yield line


def decode(raw: bytes | str, number: int) -> str:
    if isinstance(raw, bytes):
        if len(raw) > MAX_LINE_BYTES:
            raise Invalid(f"longer than {MAX_LINE_BYTES // (1024 * 1024)} MB")
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Invalid("not valid UTF-8 text") from None
    return raw.removeprefix("\ufeff") if number == 1 else raw


def parse(number: int, text: str, dataset: str | None = None) -> OrganisationLine | Skipped:
    data = json_object(text.rstrip("\r\n"), Invalid)  # stripped: a column past the end, not "line 2 column 1"
    entity_id = parse_id(data.get("id"))
    schema = parse_schema(data.get("schema"))
    properties = parse_properties(data.get("properties"), schema)
    if not accepts(schema):
        return Skipped(number, schema.name)
    where = f"id {show_id(entity_id)}"
    try:
        datasets = parse_datasets(data.get("datasets"))
        if dataset is not None:
            if datasets and dataset not in datasets:
                return Skipped(number, schema.name, other_dataset=True)
            datasets = datasets or [dataset]
        return organisation(number, entity_id, schema, properties, data, datasets)
    except Invalid as e:
        raise Invalid(f"{where}: {e}") from None


def organisation(number: int, entity_id: str, schema, properties: dict, data: dict, datasets: list[str]) -> OrganisationLine:
    values = {prop: parse_names(properties.get(prop, []), prop) for prop in NAME_PROPERTIES}
    if not values["name"]:
        raise Invalid("no name (FollowTheMoney requires one)")
    caption = data.get("caption")
    name = caption if isinstance(caption, str) and caption in values["name"] else first_latin(values["name"])
    aliases = unique([*values["name"], *values["alias"], *values["abbreviation"], *values["previousName"]], name)
    weak = unique(values["weakAlias"], name, *aliases)
    topics = parse_topics(properties.get("topics", []))
    return OrganisationLine(
        line=number,
        id=entity_id,
        schema=schema.name,
        name=name,
        kind=kind_of(schema, topics),
        aliases=aliases[:MAX_ALIASES],
        weak_aliases=weak[:MAX_ALIASES],
        aliases_capped=len(aliases) > MAX_ALIASES or len(weak) > MAX_ALIASES,
        countries=parse_countries(properties),
        topics=topics,
        datasets=datasets,
        referents=parse_referents(data.get("referents")),
        first_seen=parse_time(data.get("first_seen"), "first_seen"),
        last_seen=parse_time(data.get("last_seen"), "last_seen"),
    )


# --- the envelope ----------------------------------------------------------------------------------


def show_id(entity_id: str) -> str:
    return repr(entity_id if len(entity_id) <= 40 else entity_id[:40] + "…")


def parse_id(value) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise Invalid("missing id")
    if not isinstance(value, str):
        raise Invalid("id must be a string")
    if "\x00" in value:
        raise Invalid("id contains a NUL character")
    if len(value) > MAX_ID_LENGTH:
        raise Invalid(f"id is longer than {MAX_ID_LENGTH} characters")
    return value.strip()


def parse_schema(value):
    if value is None:
        raise Invalid("missing schema")
    schema = model.get(value) if isinstance(value, str) else None
    if schema is None:
        raise Invalid("schema is not a FollowTheMoney schema")
    return schema


def parse_properties(value, schema) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Invalid("properties must be a JSON object")
    for position, (key, values) in enumerate(value.items(), start=1):
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            # A key of the schema is named; any other by its position (a misplaced key may be a name).
            what = f"property {key!r}" if schema.get(key) is not None else f"property at position {position}"
            raise Invalid(f"{what} must be a list of strings")
    return value


def parse_datasets(value) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid("datasets must be a list of strings")
    if len(value) > MAX_DATASETS:
        raise Invalid(f"more than {MAX_DATASETS} datasets")
    for index, name in enumerate(value, start=1):
        if not DATASET.fullmatch(name):
            raise Invalid(f"dataset {index} is not a dataset name (letters, digits, _ . -; at most 100)")
    return list(dict.fromkeys(value))


def parse_referents(value) -> list[str]:
    """Ids this entity had before sources were merged into it: an organisation imported under one
    of them is updated, not duplicated."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid("referents must be a list of strings")
    return [v for v in value if v and len(v) <= MAX_ID_LENGTH and "\x00" not in v]


def parse_time(value, what: str) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise Invalid(f"{what} must be a date and time (ISO 8601)")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{what} is not a date and time (ISO 8601)") from None
    # OpenSanctions writes UTC without saying so.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


# --- an organisation's values ----------------------------------------------------------------------


def parse_names(values: list[str], prop: str) -> list[str]:
    names = []
    for index, value in enumerate(values, start=1):
        if "\x00" in value:
            raise Invalid(f"{prop} {index} contains a NUL character")
        text = " ".join(value.split())
        if len(text) > MAX_NAME_LENGTH:
            raise Invalid(f"{prop} {index} is longer than {MAX_NAME_LENGTH} characters")
        if text and text not in names:
            names.append(text)
    return names


def unique(values: list[str], *already: str) -> list[str]:
    taken = set(already)
    kept = []
    for value in values:
        if value not in taken:
            taken.add(value)
            kept.append(value)
    return kept


def is_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(unicodedata.name(c, "").startswith("LATIN") for c in letters)


def first_latin(names: list[str]) -> str:
    return next((n for n in names if is_latin(n)), names[0])


def parse_topics(values: list[str]) -> list[str]:
    """Topic codes as FtM writes them. A well-formed code FtM does not know (yet) is kept: a newer
    list may use a topic the installed followthemoney lacks, and dropping it could drop a listing."""
    if len(values) > MAX_TOPICS:
        raise Invalid(f"more than {MAX_TOPICS} topics")
    for index, code in enumerate(values, start=1):
        if not TOPIC.fullmatch(code):
            raise Invalid(f"topic {index} is not a topic code")
    return list(dict.fromkeys(values))


def parse_countries(properties: dict) -> list[str]:
    codes = []
    for prop in COUNTRY_PROPERTIES:
        for index, value in enumerate(properties.get(prop, []), start=1):
            try:
                code = iso_country(value)
            except Invalid:
                raise Invalid(f"{prop} {index} is not a FollowTheMoney country code") from None
            if code and code not in codes:
                codes.append(code)
    return codes


def iso_country(value: str) -> str | None:
    """A FollowTheMoney country code ("ru", "suhh", "ua-cri") as Shelter's ISO 3166-1 alpha-2 code
    ("RU", "SU", "UA"); None for an FtM code no state stands for; ``Invalid`` for what is no FtM code."""
    code = value.strip().lower()
    if code not in ftm_country_codes():
        raise Invalid("not a FollowTheMoney country code")
    code = HISTORIC.get(code) or PART_OF.get(code) or code.split("-")[0].upper()
    return code if countries.is_country(code) else None


@cache
def ftm_country_codes() -> frozenset[str]:
    return frozenset(registry.country.names)


def kind_of(schema, topics: list[str]) -> str:
    """An OrganisationKind code from the schema and FtM's ``gov.*`` topics."""
    found = set(topics)
    governmental = any(t == "gov" or t.startswith("gov.") for t in found) or "mil" in found
    if "gov.security" in found:
        return "security_service"
    if "gov.igo" in found:
        return "international"
    if "gov.judicial" in found:
        return "court"
    if schema.is_a("PublicBody"):
        return "state_body"
    if schema.is_a("Company") or "gov.soe" in found:
        return "company"
    if governmental:
        return "state_body"
    return "other"
