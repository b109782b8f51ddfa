"""Reading and validating a JSON Lines file of actors (plain Python, no Django): `shelter actors import`.

One actor per line::

    {"id": "a-3", "name": "Рустам", "aliases": ["Rustam K."], "kind": "informant", "organisation": "SNB",
     "identifiers": [{"kind": "phone", "value": "+998 90 123-45-67"}, {"kind": "plate", "value": "01A123BC", "country": "UZ"}]}

Every identifier is read in its one written form (shelter.identifiers) so that a bad one refuses the line.
Reasons name the line, the field and the identifier's position, never a value: only the ``id`` is
repeated back."""

import json
from dataclasses import dataclass, field

from shelter import countries
from shelter.identifiers.normalise import KINDS, IdentifierError, normalise

from .line_report import LineError

FIELDS = ("id", "name", "aliases", "kind", "organisation", "identifiers", "incidents")
ACTOR_KINDS = ("intelligence_officer", "police", "informant", "provocateur", "consular", "hacker", "pressured_relative", "unknown")
MAX_ID_LENGTH = 100
MAX_NAME_LENGTH = 500


@dataclass
class IdentifierLine:
    kind: str
    value: str
    country: str = ""


@dataclass
class ActorLine:
    line: int
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    kind: str = "unknown"
    organisation: str = ""
    identifiers: list[IdentifierLine] = field(default_factory=list)
    incidents: list[str] = field(default_factory=list)


def read(lines) -> tuple[list[ActorLine], list[LineError]]:
    actors, errors, seen = [], [], set()
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            actor = _actor(number, text)
        except ValueError as e:
            errors.append(LineError(number, str(e)))
            continue
        if actor.id in seen:
            errors.append(LineError(number, f"id {actor.id!r} appears twice in the file"))
            continue
        seen.add(actor.id)
        actors.append(actor)
    return actors, errors


def _actor(number: int, text: str) -> ActorLine:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"not JSON ({e.msg} at column {e.colno})") from None
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}: the fields are {', '.join(FIELDS)}")
    external = data.get("id")
    if not isinstance(external, (str, int)) or isinstance(external, bool) or not str(external).strip() or len(str(external)) > MAX_ID_LENGTH:
        raise ValueError(f"'id' must be a string or number of at most {MAX_ID_LENGTH} characters")
    external = str(external).strip()
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_LENGTH:
        raise ValueError(f"id {external!r}: 'name' must be a non-empty string of at most {MAX_NAME_LENGTH} characters")
    aliases = _strings(data.get("aliases", []), "aliases", external)
    kind = data.get("kind", "unknown")
    if kind not in ACTOR_KINDS:
        raise ValueError(f"id {external!r}: 'kind' must be one of {', '.join(ACTOR_KINDS)}")
    organisation = data.get("organisation", "") or ""
    if not isinstance(organisation, str) or len(organisation) > 200:
        raise ValueError(f"id {external!r}: 'organisation' must be a name of at most 200 characters")
    identifiers = []
    given = data.get("identifiers", [])
    if not isinstance(given, list):
        raise ValueError(f"id {external!r}: 'identifiers' must be a list")
    for position, item in enumerate(given, start=1):
        identifiers.append(_identifier(item, position, external))
    return ActorLine(number, external, name.strip(), aliases, kind, organisation.strip(), identifiers,
                     _strings(data.get("incidents", []), "incidents", external))


def _strings(value, name: str, external: str) -> list[str]:
    value = [value] if isinstance(value, str) else value
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() and len(v) <= MAX_NAME_LENGTH for v in value):
        raise ValueError(f"id {external!r}: '{name}' must be a string or a list of non-empty strings")
    return [v.strip() for v in value]


def _identifier(item, position: int, external: str) -> IdentifierLine:
    where = f"id {external!r}: identifier {position}"
    if not isinstance(item, dict) or set(item) - {"kind", "value", "country"}:
        raise ValueError(f"{where} must be an object with kind, value and (optionally) country")
    kind, value, country = item.get("kind"), item.get("value"), item.get("country", "") or ""
    if kind not in KINDS:
        raise ValueError(f"{where}: 'kind' must be one of {', '.join(KINDS)}")
    if not isinstance(value, str):
        raise ValueError(f"{where}: 'value' must be a string")
    if country and not (isinstance(country, str) and countries.is_country(country.upper())):
        raise ValueError(f"{where}: 'country' must be an ISO 3166 code such as UZ")
    try:
        normalise(kind, value, country)
    except IdentifierError as e:
        raise ValueError(f"{where} ({kind}): {e}") from None
    return IdentifierLine(kind, value.strip(), country.upper())
