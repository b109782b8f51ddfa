"""Writing validated incident records (``shelter.exchange.rows``) into a case, in bulk: a batch of
incidents per statement and their tactics in one more, under one sealing scope (the case key is
unwrapped once, not once per sealed field).

``bulk_create`` calls the sealed fields' ``pre_save``, which encrypts; the signals it skips are
``tallies``' (raised once at the end) and the actors' links, which a new incident, with no one
involved yet, does not have.
"""

from typing import Callable, Iterable

from shelter.exchange.rows import IncidentRecord
from shelter.ops import bulk
from shelter.records import sealing, tallies
from shelter.records.models import Incident, Term

Tagging = Incident.tactics.through


def import_incidents(case, records: Iterable[IncidentRecord], progress: Callable[[int], object] = lambda n: None) -> int:
    """Create an incident in ``case`` for each of ``records``, which may be a stream of any length;
    returns how many. Run it inside a transaction."""
    bulk.check_references_per_statement()
    tactic_ids = dict(Term.objects.filter(thesaurus="tactics").values_list("code", "pk"))
    created = 0
    with sealing.scope(reveal=True):
        for chunk in bulk.batches(records, bulk.BATCH):
            incidents = [incident(case, record) for record in chunk]
            Incident.objects.bulk_create(incidents)
            Tagging.objects.bulk_create(
                Tagging(incident_id=i.pk, term_id=tactic_ids[code]) for i, r in zip(incidents, chunk) for code in r.tactics
            )
            created += len(chunk)
            progress(len(chunk))
    tallies.bump()
    return created


def incident(case, record: IncidentRecord) -> Incident:
    return Incident(
        case=case,
        title=record.title,
        date=record.date,
        origin_state=record.origin_state,
        host_state=record.host_state,
        place=record.place,
        narrative=record.narrative,
        outcome=record.outcome,
        host_complicity=record.host_complicity,
        people_targeted=record.people_targeted,
        accusation=record.accusation,
    )
