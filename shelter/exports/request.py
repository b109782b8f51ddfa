"""An export request as the screening reads it: the item, the parties, the destination — validated,
with a reason naming the field for whatever is wrong (``InvalidRequest``). Plain Python, no Django.

REQUEST is ``{"id", "exporter"?, "item": {"description", "control_code"?, "parameters"?},
"parties": [{"role", "name", "country"}], "destination": "CC", "end_use"?}``.
"""

from dataclasses import asdict, dataclass, field

from shelter import countries

ROLES = ("end_user", "consignee", "intermediary", "owner")
MAX_ID = 100
MAX_NAME = 300
MAX_DESCRIPTION = 4000
MAX_END_USE = 4000
MAX_PARTIES = 50
MAX_PARAMETERS = 30


class InvalidRequest(ValueError):
    """What is wrong with a request, naming the field (``parties[2].country: …``)."""


@dataclass(frozen=True)
class Party:
    role: str
    name: str
    country: str = ""


@dataclass(frozen=True)
class Item:
    description: str
    control_code: str = ""
    parameters: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Request:
    id: str
    item: Item
    parties: tuple[Party, ...]
    destination: str
    exporter: str = ""
    end_use: str = ""

    def as_json(self) -> dict:
        data = asdict(self)
        data["parties"] = [asdict(p) for p in self.parties]
        return data


def _text(value, where: str, limit: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidRequest(f"{where}: must be text")
    value = value.strip()
    if "\x00" in value:
        raise InvalidRequest(f"{where}: contains a NUL character")
    if required and not value:
        raise InvalidRequest(f"{where}: is required")
    if len(value) > limit:
        raise InvalidRequest(f"{where}: longer than {limit} characters")
    return value


def _country(value, where: str, required: bool = False) -> str:
    value = _text(value, where, 2 + 8, required)
    if not value:
        return ""
    try:
        return countries.normalise(value)
    except ValueError as e:
        raise InvalidRequest(f"{where}: {e}") from None


def _parameters(value) -> dict:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise InvalidRequest("item.parameters: must be an object of names and values")
    if len(value) > MAX_PARAMETERS:
        raise InvalidRequest(f"item.parameters: more than {MAX_PARAMETERS} parameters")
    cleaned = {}
    for key, item in value.items():
        name = _text(key, "item.parameters", 100, required=True)
        if isinstance(item, str):
            item = _text(item, f"item.parameters.{name}", 500)
        elif not (item is None or isinstance(item, (bool, int, float))):
            raise InvalidRequest(f"item.parameters.{name}: must be text, a number, true or false")
        cleaned[name] = item
    return cleaned


def from_json(data) -> Request:
    if not isinstance(data, dict):
        raise InvalidRequest("the request must be a JSON object")
    item = data.get("item")
    if not isinstance(item, dict):
        raise InvalidRequest("item: is required, an object with a description")
    parties = data.get("parties", [])
    if not isinstance(parties, list):
        raise InvalidRequest("parties: must be a list")
    if len(parties) > MAX_PARTIES:
        raise InvalidRequest(f"parties: more than {MAX_PARTIES}")
    read = []
    for number, party in enumerate(parties):
        where = f"parties[{number}]"
        if not isinstance(party, dict):
            raise InvalidRequest(f"{where}: must be an object with role, name and country")
        role = _text(party.get("role"), f"{where}.role", 20, required=True)
        if role not in ROLES:
            raise InvalidRequest(f"{where}.role: must be one of {', '.join(ROLES)}")
        read.append(Party(role, _text(party.get("name"), f"{where}.name", MAX_NAME, required=True),
                          _country(party.get("country"), f"{where}.country")))
    return Request(
        id=_text(data.get("id"), "id", MAX_ID, required=True),
        exporter=_text(data.get("exporter"), "exporter", MAX_NAME),
        item=Item(_text(item.get("description"), "item.description", MAX_DESCRIPTION, required=True),
                  _text(item.get("control_code"), "item.control_code", 40),
                  _parameters(item.get("parameters"))),
        parties=tuple(read),
        destination=_country(data.get("destination"), "destination", required=True),
        end_use=_text(data.get("end_use"), "end_use", MAX_END_USE),
    )
