"""Red Notices as OpenSanctions publishes them: FollowTheMoney JSON lines of Person entities, with
Sanction entities pointing at them (``entity``) for the warrants.

Each line is read through ``followthemoney``'s model, so an unknown schema is refused. Bad lines and
persons without a name come back as ``RecordError``s with their line number; other schemas are skipped.
"""

import json
from collections import defaultdict
from collections.abc import Iterable

from followthemoney import model
from followthemoney.exc import InvalidData

from shelter import countries, dates

from .interpol import Notice, RecordError, Warrant

# FollowTheMoney writes historic states with four letters (suhh: the USSR).
HISTORIC = {"suhh": "SU", "yucs": "YU", "csxx": "CS"}


def read(lines: Iterable[str]) -> tuple[list[Notice], list[RecordError]]:
    persons, warrants, errors = {}, defaultdict(list), []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            entity = model.get_proxy(json.loads(text))
        except ValueError as e:
            errors.append(RecordError(number, f"not JSON ({e.msg})" if hasattr(e, "msg") else "not JSON"))
            continue
        except (InvalidData, TypeError, AttributeError):
            errors.append(RecordError(number, "not a FollowTheMoney entity"))
            continue
        if entity.schema.is_a("Person"):
            persons[entity.id] = (number, entity)
        elif entity.schema.is_a("Sanction"):
            for subject in entity.get("entity"):
                warrants[subject].append(_warrant(entity))
    notices = []
    for entity_id, (number, entity) in persons.items():
        names = entity.get("name")
        if not names:
            errors.append(RecordError(number, f"person {entity_id} has no name"))
            continue
        notices.append(_notice(entity, names, tuple(warrants.get(entity_id, ()))))
    return notices, errors


def _notice(entity, names: list[str], warrants: tuple[Warrant, ...]) -> Notice:
    problems, codes = [], [_country(code) for code in entity.get("nationality")]
    return Notice(
        entity_id=entity.id,
        name=names[0],
        aliases=tuple(dict.fromkeys([*names[1:], *entity.get("alias")])),
        birth_date=_birth_date(entity.get("birthDate"), problems),
        gender={"male": "male", "female": "female"}.get(entity.first("gender") or ""),
        nationalities=tuple(code for code in codes if code),
        warrants=warrants,
        non_iso_codes=tuple(code for code in codes if code and not countries.is_country(code)),
        problems=tuple(problems),
    )


def _country(code: str) -> str:
    code = (code or "").strip().lower()
    return HISTORIC.get(code, code.upper())


def _birth_date(values: list[str], problems: list) -> str:
    for value in values:
        try:
            return dates.parse(value[:10], min_year=1900).iso()
        except dates.PartialDateError:
            continue
    if values:
        problems.append("birthDate is not a date")
    return ""


def _warrant(sanction) -> Warrant:
    country = next((_country(code) for code in sanction.get("country")), "")
    return Warrant(issuing_country=country, charge="; ".join(sanction.get("reason")))
