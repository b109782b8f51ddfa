"""A fictional data set at scale (issue 17): ``shelter demo --scale N`` adds N persons with names in every
script and scheme the demo uses, their cases, incidents with victims and tactics, and sources, on top of
the demo — through the bulk paths (``bulk_create``; names and their index rows as a person import
writes them; sealed fields encrypted per batch under keys cached for the whole run).

Cases hold PERSONS_PER_CASE persons each and are marked with their own external source, so that the
demo's checks ("is the demo loaded?") still hold and a second run adds nothing. The demo caseworker is
given every tenth case and the researcher every twentieth: access lists are exercised at scale too.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Callable

from django.contrib.auth import get_user_model
from django.db import transaction

from shelter import thesaurus
from shelter.crypto import aead, keys
from shelter.matching import scripts
from shelter.records import name_index, sealing, tallies
from shelter.records.models import (Act, Case, CaseAccess, Incident, Outcome, Person, PersonName, PublicationConsent,
                                    Source, Term)

from . import demo_names
from .demo_data import SCALE_MARKER

PERSONS_PER_CASE = 5
BATCH = 2000  # persons per transaction: each batch is committed, so a long run can be watched and resumed
SEED = 17
ORIGINS = demo_names.ORIGINS
HOSTS = ("RU", "TR", "KZ", "DE", "PL", "US", "GB", "UA", "LT", "FR", "SE", "AE", "KG", "EG", "TH", "NL", "CZ", "AT",
         "GE", "AM")


@dataclass
class Counts:
    cases: int = 0
    persons: int = 0
    names: int = 0
    incidents: int = 0
    sources: int = 0

    def as_dict(self) -> dict:
        return dict(vars(self))


def present() -> int:
    """How many persons earlier runs added."""
    return Person.objects.filter(case__external_source=SCALE_MARKER).count()


def load(persons: int, incidents: int, progress: Callable[[int], object] = lambda n: None) -> Counts:
    """Add ``persons`` persons and ``incidents`` incidents (beyond what earlier runs added)."""
    counts = Counts()
    rng = random.Random(SEED + present())
    User = get_user_model()
    readers = {role: User.objects.filter(username=role).first() for role in ("caseworker", "researcher")}
    terms = {(t.thesaurus, t.code): t.pk for t in Term.objects.all()}
    tactics, profiles = thesaurus.codes("tactics"), thesaurus.codes("profiles")
    first = Case.objects.filter(external_source=SCALE_MARKER).count()
    incidents_per_person = incidents / persons if persons else 0
    made_incidents = 0
    with sealing.scope(reveal=True):
        for start in range(0, persons, BATCH):
            size = min(BATCH, persons - start)
            with transaction.atomic():
                cases = _cases(first + start // PERSONS_PER_CASE, -(-size // PERSONS_PER_CASE), readers)
                people = _persons(rng, cases, size, terms, profiles, counts)
                due = round((start + size) * incidents_per_person) - made_incidents
                made_incidents += _incidents(rng, people, due, terms, tactics, counts)
            counts.cases += len(cases)
            progress(size)
    tallies.bump()  # written in bulk, around the signals
    return counts


def _cases(number: int, count: int, readers: dict) -> list[Case]:
    cases = [Case(reference=f"S-{number + i:07d}", title=f"[FICTIONAL] Scale case {number + i}",
                  external_source=SCALE_MARKER) for i in range(count)]
    master = sealing.master_key()
    for case in cases:  # what Case.save does, without its query per reference
        case.wrapped_key = keys.wrap(master, aead.new_key(), sealing.case_label(case.pk))
    cases = Case.objects.bulk_create(cases)
    grants = []
    for case, n in zip(cases, range(number, number + count)):
        if readers["caseworker"] and n % 10 == 0:
            grants.append(CaseAccess(case=case, user=readers["caseworker"]))
        if readers["researcher"] and n % 20 == 0:
            grants.append(CaseAccess(case=case, user=readers["researcher"]))
    CaseAccess.objects.bulk_create(grants)
    return cases


def _persons(rng, cases, size, terms, profiles, counts) -> list[tuple[Person, str]]:
    people, names, links = [], [], []
    for i in range(size):
        case = cases[i // PERSONS_PER_CASE]
        origin = rng.choice(ORIGINS)
        gender = rng.choice(("male", "male", "female"))
        name = demo_names.random_name(rng, origin, gender)
        person = Person(case=case, nationalities=[origin], gender=gender,
                        birth_date=f"{rng.randint(1950, 2004)}-{rng.randint(1, 12):02d}",
                        publication_consent=rng.choice((PublicationConsent.NONE, PublicationConsent.ANONYMISED)))
        people.append((person, origin))
        for spelling in name.spellings():
            names.append(PersonName(person=person, case_id=case.pk, value=spelling.value, kind=spelling.kind,
                                    language=spelling.language, script=scripts.iso_15924(spelling.value)))
        links.append(Person.profiles.through(person_id=person.pk, term_id=terms[("profiles", rng.choice(profiles))]))
    Person.objects.bulk_create([p for p, _ in people])
    PersonName.objects.bulk_create(names)
    name_index.index_names(names)
    Person.profiles.through.objects.bulk_create(links)
    counts.persons += len(people)
    counts.names += len(names)
    return people


def _incidents(rng, people, count, terms, tactics, counts) -> int:
    if count <= 0:
        return 0
    victims = rng.sample(people, min(count, len(people))) if count <= len(people) else [rng.choice(people) for _ in range(count)]
    incidents = [
        Incident(case_id=person.case_id, date=f"{rng.randint(2014, 2026)}-{rng.randint(1, 12):02d}", origin_state=origin,
                 host_state=rng.choice(HOSTS), outcome=rng.choice(Outcome.values),
                 title="[FICTIONAL] Scale incident", narrative="[FICTIONAL] Generated for a load test.")
        for person, origin in victims
    ]
    Incident.objects.bulk_create(incidents)
    Act.objects.bulk_create([Act(incident=i, case_id=i.case_id, person=p, role="victim")
                             for i, (p, _) in zip(incidents, victims)])
    Incident.tactics.through.objects.bulk_create([
        Incident.tactics.through(incident_id=i.pk, term_id=terms[("tactics", code)])
        for i in incidents for code in rng.sample(tactics, rng.choice((1, 1, 2, 3)))])
    sources = [Source(case_id=i.case_id, kind="publication", title="[FICTIONAL] Scale source", reliability="C")
               for i in incidents[::4]]
    Source.objects.bulk_create(sources)
    Incident.sources.through.objects.bulk_create([
        Incident.sources.through(incident_id=i.pk, source_id=s.pk) for i, s in zip(incidents[::4], sources)])
    counts.incidents += len(incidents)
    counts.sources += len(sources)
    return len(incidents)
