"""FollowTheMoney entities built from plain dicts, Shelter's interchange format with the
investigative ecosystem (Aleph, OpenSanctions, yente).

How Shelter maps onto the FtM 4 schemata:
- a person is a ``Person``; an agency a ``PublicBody`` (an ``Organization`` for companies, NGOs, media);
- an incident is an ``Event``: its victims are ``involved``, the agencies and named officers that acted
  are its ``organizer``; tactic, accusation, outcome and complicity codes go into ``keywords``;
- who was targeted, and how, is an ``UnknownLink`` from the person to the event (``role``: victim,
  proxy_victim, witness); a relative targeted as a proxy is also a ``Family`` link to the person;
- a legal process (Red Notice, extradition request, asylum claim, court case …) is a ``CourtCase``
  with a ``CourtCaseParty`` for the person. Deliberately not a ``Sanction``: the people Shelter
  documents are the targets of these processes, and must not surface as sanctioned or wanted.

Ids are stable: derived from Shelter's UUIDs (or, in pseudonymised exports, from the pseudonym)
under the ``shelter`` key prefix, so a re-export updates rather than duplicates entities downstream.
"""

from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.util import make_entity_id

KEY_PREFIX = "shelter"
STATE_BODIES = {"security_service", "police", "prosecutor", "court", "state_body", "international"}
NAME_PROPERTIES = {"primary": "name", "alias": "alias", "transliteration": "alias", "former": "previousName"}
FTM_GENDERS = {"male", "female", "other"}


class FtmError(ValueError):
    """A value would be silently dropped by the FtM schema: fail instead of exporting less."""


def entity_id(kind: str, key: str) -> str:
    return make_entity_id(kind, str(key), key_prefix=KEY_PREFIX)


def new_entity(schema: str, kind: str, key: str) -> EntityProxy:
    entity = model.make_entity(schema, key_prefix=KEY_PREFIX)
    entity.id = entity_id(kind, key)
    return entity


def add(entity: EntityProxy, prop: str, values):
    """Add values, refusing any the schema would drop (an unparseable date, an unknown country)."""
    if isinstance(values, (str, int)) or values is None:
        values = [values]
    for value in values:
        if value is None or value == "":
            continue
        before = len(entity.get(prop))
        entity.add(prop, value)
        if len(entity.get(prop)) == before and not _already_present(entity, prop, value):
            raise FtmError(f"{entity.schema.name}.{prop} does not accept a value of entity {entity.id}")


def _already_present(entity: EntityProxy, prop: str, value) -> bool:
    cleaned = entity.schema.get(prop).type.clean(value)
    return cleaned is not None and cleaned in entity.get(prop)


def person(data: dict) -> EntityProxy:
    """``data``: key, names [(value, kind)], birth_date, birth_place, nationalities, gender, fallback_name."""
    entity = new_entity("Person", "person", data["key"])
    for value, kind in data.get("names", []):
        add(entity, NAME_PROPERTIES.get(kind, "alias"), value)
    if not entity.get("name"):
        # FtM requires a name: the first alias, else the pseudonym.
        aliases = entity.get("alias") or entity.get("previousName")
        add(entity, "name", aliases[0] if aliases else data["fallback_name"])
    add(entity, "birthDate", data.get("birth_date"))
    add(entity, "birthPlace", data.get("birth_place"))
    add(entity, "nationality", list(data.get("nationalities", [])))
    if data.get("gender") in FTM_GENDERS:
        add(entity, "gender", data["gender"])
    return entity


def organisation(data: dict) -> EntityProxy:
    """``data``: key, name, kind, country, aliases."""
    schema = "PublicBody" if data.get("kind") in STATE_BODIES else "Organization"
    entity = new_entity(schema, "organisation", data["key"])
    add(entity, "name", data["name"])
    add(entity, "alias", list(data.get("aliases", [])))
    add(entity, "country", data.get("country"))
    add(entity, "classification", data.get("kind"))
    return entity


def officer(data: dict) -> EntityProxy:
    """A named officer or informant of an involvement. ``data``: key, name."""
    entity = new_entity("Person", "involvement", data["key"])
    add(entity, "name", data["name"])
    return entity


def event(data: dict, involved: list[str], organizers: list[str]) -> EntityProxy:
    """``data``: key, name, date, origin_state, host_state, place, narrative, tactics, accusation,
    outcome, host_complicity; ``involved``/``organizers``: entity ids."""
    entity = new_entity("Event", "incident", data["key"])
    add(entity, "name", data["name"])
    add(entity, "date", data["date"])
    add(entity, "country", [data.get("origin_state"), data.get("host_state")])
    add(entity, "location", data.get("place"))
    add(entity, "description", data.get("narrative"))
    add(entity, "keywords", [f"tactic:{code}" for code in data.get("tactics", [])])
    for facet in ("accusation", "outcome", "host_complicity"):
        if data.get(facet):
            add(entity, "keywords", f"{facet}:{data[facet]}")
    add(entity, "involved", involved)
    add(entity, "organizer", organizers)
    return entity


def act_link(key: str, person_id: str, event_id: str, role: str) -> EntityProxy:
    entity = new_entity("UnknownLink", "act", key)
    add(entity, "subject", person_id)
    add(entity, "object", event_id)
    add(entity, "role", role)
    return entity


def relative_link(key: str, person_id: str, relative_id: str) -> EntityProxy:
    """A relative targeted to put pressure on ``person_id`` (coercion by proxy)."""
    entity = new_entity("Family", "proxy", key)
    add(entity, "person", person_id)
    add(entity, "relative", relative_id)
    add(entity, "relationship", "relative targeted as proxy")
    return entity


def legal_process(data: dict, person_id: str) -> list[EntityProxy]:
    """``data``: key, name (kind label), kind, status, requesting_state, deciding_state, court,
    reference, opened_on, decided_on, outcome."""
    case = new_entity("CourtCase", "legal-process", data["key"])
    add(case, "name", data["name"])
    add(case, "type", data.get("kind"))
    add(case, "status", data.get("status"))
    add(case, "country", [data.get("requesting_state"), data.get("deciding_state")])
    add(case, "court", data.get("court"))
    add(case, "caseNumber", data.get("reference"))
    add(case, "fileDate", data.get("opened_on"))
    add(case, "closeDate", data.get("decided_on"))
    add(case, "description", data.get("outcome"))
    party = new_entity("CourtCaseParty", "legal-process-party", data["key"])
    add(party, "case", case.id)
    add(party, "party", person_id)
    add(party, "role", "subject")
    return [case, party]
