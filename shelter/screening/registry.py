"""Screening a person against the registry: the persons recorded in Shelter, as one user may see them.

The query's blocking keys are digested the way the index stores them (``name_index.query_blocking_digests``); the
persons sharing the most digests with it, in the cases the user can see, are the candidates. Each is
loaded and decrypted in the caller's sealing scope, so the read is noted and audited like any other
read of identity data (the request middleware, or the command's own audit event), then scored.

Only roles that read identity data may screen: a match ties a name to a record, which is exactly
what researchers (pseudonymised records) and auditors (the audit log only) must not learn.
"""

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count

from shelter import countries, dates
from shelter.matching import person as matching
from shelter.matching.index import MAX_CANDIDATES
from shelter.matching.score import THRESHOLD, Result, score
from shelter.records import access, name_index, sealing
from shelter.records.models import BlockingKey, NameKind, Person

# Digests per IN (...) list: under SQLite's historical limit of 999 query parameters. A query of
# real names needs one list; only a flood of aliases or parts needs several.
QUERY_CHUNK = 900
# The matcher reads a candidate's first name as its main one: the primary name, then the others.
NAME_ORDER = {kind: rank for rank, kind in enumerate(NameKind.values)}


class ScreeningRefused(PermissionDenied):
    """The user's role may not screen: screening needs access to identity data."""


@dataclass(frozen=True, slots=True)
class RegistryAlert:
    person: Person
    result: Result


def may_screen(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.reads_identity)


def screen(user, query: matching.Person, limit: int = MAX_CANDIDATES) -> list[RegistryAlert]:
    """Alerts for the persons ``user`` may see that score at or above the threshold against
    ``query``, best first; at most ``limit`` candidates are scored."""
    if not may_screen(user):
        raise ScreeningRefused("screening needs access to identity data")
    return screen_among(screenable_cases(user), query, limit)


def screen_among(cases, query: matching.Person, limit: int = MAX_CANDIDATES) -> list[RegistryAlert]:
    """Alerts among the persons of ``cases`` (a queryset of readable cases). For the system's own
    screening of imported notices, whose alerts are stored on each person's case and shown only to
    the users who see that case; ``screen`` is what a user asks."""
    ranked = candidate_ids(cases, name_index.query_blocking_digests(query), limit)
    alerts = []
    for person in load_candidates(cases, ranked, with_documents=bool(query.documents)):
        result = best_result(query, person)
        if result is not None and result.score >= THRESHOLD:
            alerts.append(RegistryAlert(person, result))
    alerts.sort(key=lambda alert: -alert.result.score)  # stable: equal scores keep the candidate rank
    return alerts


def screenable_cases(user):
    """The cases whose persons ``user`` may screen against: visible, and not crypto-erased."""
    return access.visible_cases(user).exclude(wrapped_key=None)


# --- candidates ---------------------------------------------------------------------------------


def candidate_ids(cases, digests: set[str], limit: int) -> list:
    """Ids of the persons of ``cases`` sharing the most distinct digests with the query, most first."""
    if not digests or limit <= 0:
        return []
    rows = BlockingKey.objects.filter(case__in=cases.values("pk"))
    ordered = sorted(digests)
    chunks = [ordered[start : start + QUERY_CHUNK] for start in range(0, len(ordered), QUERY_CHUNK)]
    if len(chunks) == 1:
        return [person_id for person_id, _ in shared_counts(rows, chunks[0])[:limit]]
    # The chunks partition the digests, so a person's counts add up exactly; only the sum is cut.
    totals = Counter()
    for chunk in chunks:
        totals.update(dict(shared_counts(rows, chunk)))
    ranked = sorted(totals.items(), key=lambda item: (-item[1], str(item[0])))
    return [person_id for person_id, _ in ranked[:limit]]


def shared_counts(rows, digests: list[str]):
    """(person id, distinct digests shared) for ``digests``, most first. Distinct: two names of a
    person with the same key count once."""
    return (
        rows.filter(digest__in=digests)
        .values("person_id")
        .annotate(shared=Count("digest", distinct=True))
        .order_by("-shared", "person_id")
        .values_list("person_id", "shared")
    )


def load_candidates(cases, ids: list, with_documents: bool) -> list[Person]:
    """The persons of ``ids`` in that order, with their case and names (and documents when the query
    has some to compare: a document number is decrypted only if it can count). Access is checked
    again here, on the persons themselves, not only on their index rows."""
    persons = Person.objects.filter(pk__in=ids, case__in=cases.values("pk")).select_related("case")
    persons = persons.prefetch_related("names", *(["documents"] if with_documents else []))
    found = {person.pk: person for person in persons}
    return [found[person_id] for person_id in ids if person_id in found]


# --- a recorded person as the matcher sees it ---------------------------------------------------


def best_result(query: matching.Person, person: Person) -> Result | None:
    """The score of the candidate's best reading: a person with two nationalities is compared as
    a national of each, so that a dual national is not penalised for the one the query names."""
    readings = as_matching_persons(person, with_documents=bool(query.documents))
    if not readings:
        return None
    return max((score(query, reading) for reading in readings), key=lambda result: result.score)


def as_matching_persons(person: Person, with_documents: bool = False) -> list[matching.Person]:
    names = recorded_names(person)
    if not names:
        return []
    birth_date = recorded_birth_date(person)
    gender = person.gender if person.gender in matching.GENDERS else None
    documents = document_numbers(person) if with_documents else frozenset()
    nationalities = [code.lower() for code in person.nationalities if countries.is_country(code)] or [None]
    return [
        matching.Person(names=names, birth_date=birth_date, nationality=code, gender=gender, documents=documents)
        for code in dict.fromkeys(nationalities)
    ]


def recorded_names(person: Person) -> tuple[matching.Name, ...]:
    """The person's names the matcher accepts, primary first, at most as many as a person may have
    (a record from before that bound must not make each screening slower). A name it refuses (a single
    letter) is left out rather than failing the whole candidate."""
    names = []
    for name in sorted(person.names.all(), key=lambda n: NAME_ORDER.get(n.kind, len(NAME_ORDER))):
        if len(names) == matching.MAX_NAMES:
            break
        value = name.value
        if not value or isinstance(value, sealing.Hidden):
            continue
        try:
            names.append(matching.prepare_name(value))
        except matching.InvalidPerson:
            continue
    return tuple(names)


def recorded_birth_date(person: Person) -> dates.PartialDate | None:
    value = person.birth_date
    if not value or isinstance(value, sealing.Hidden):
        return None
    try:
        return dates.parse(value)
    except dates.PartialDateError:
        return None  # a date recorded before validation: no evidence either way


def document_numbers(person: Person) -> frozenset[str]:
    """Document numbers as the matcher compares them: without spaces, dashes or case."""
    numbers = set()
    for document in person.documents.all():
        value = document.number
        if value and not isinstance(value, sealing.Hidden):
            numbers.add(matching.document_key(value))
    return frozenset(filter(None, numbers))
