"""Persons from FollowTheMoney entity files (one entity a line, as OpenSanctions' ``entities.ftm.json``),
read as the person lines of ``person_lines`` are, for ``shelter screen``.

A Person entity (or one of its descendants) becomes ``{"id", "name", "aliases", "birth_date",
"nationality", "gender"}``: its first ``name`` is the name, its other names and its ``alias`` values the
aliases (the first five, the most the matcher takes), the first ``birthDate`` that is a date, the
nationalities that are countries, ``male`` or ``female``. Entities of other schemata are skipped, not
reported: a list holds sanctions, addresses and companies beside its persons. Each line is read on its
own, so a batch can be split anywhere (the Spark engine reads its files in pieces).
"""


from followthemoney import model

from shelter import countries, dates

from .json_line import json_object
from .person_lines import Invalid, PersonLine, parse_person_line

ALIASES_KEPT = 5  # shelter.matching.person.MAX_ALIASES (exchange may not import the matcher)
HISTORIC = {"suhh": "SU", "yucs": "YU", "csxx": "CS"}  # FollowTheMoney's four-letter historic states


def parse_line(number: int, text: str) -> PersonLine | None:
    """One line as a person, None for an entity of another schema, or ``Invalid``."""
    data = json_object(text, Invalid)
    schema = model.get(data.get("schema")) if isinstance(data.get("schema"), str) else None
    if schema is None:
        raise Invalid("not a FollowTheMoney entity (unknown or missing schema)")
    if not schema.is_a("Person"):
        return None
    properties = data.get("properties")
    if not isinstance(properties, dict):
        raise Invalid("properties must be an object")
    names = _strings(properties, "name")
    if not names:
        raise Invalid("missing name")
    aliases = list(dict.fromkeys(n for n in [*names[1:], *_strings(properties, "alias")] if n != names[0]))
    person = {"id": data.get("id"), "name": names[0], "aliases": aliases[:ALIASES_KEPT]}
    birth = next((d for d in (_date(v) for v in _strings(properties, "birthDate")) if d), None)
    if birth:
        person["birth_date"] = birth
    codes = [HISTORIC.get(code.strip().lower(), code.strip().upper()) for code in _strings(properties, "nationality")]
    person["nationality"] = list(dict.fromkeys(code for code in codes if countries.is_country(code)))
    gender = next((g for g in _strings(properties, "gender") if g in ("male", "female")), None)
    if gender:
        person["gender"] = gender
    return parse_person_line(number, person, strict=False)


def _strings(properties: dict, prop: str) -> list[str]:
    values = properties.get(prop) or []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise Invalid(f"{prop} must be a list of strings")
    return [" ".join(v.split()) for v in values if v.strip()]


def _date(value: str) -> str | None:
    try:
        return dates.parse(value[:10]).iso()
    except dates.PartialDateError:
        return None
