"""Sealing external references stored in clear before they became identity data (migration 0007).

A migration may run without the master key, so the values wait in ``external_id_legacy`` until
something that has the key seals them: right after ``migrate``, before ``shelter persons import``
(which finds persons again by them) and in ``shelter screening reindex``.
"""

import sys

from django.db import transaction

from shelter.crypto.keys import MasterKeyError

from . import sealing
from .models import Person, external_id_digest


def seal_legacy() -> int:
    """Seal and index every reference still in clear; returns how many. An erased case's are dropped."""
    waiting = Person.objects.exclude(external_id_legacy="").select_related("case")
    if not waiting.exists():
        return 0
    sealed = 0
    with transaction.atomic(), sealing.scope(reveal=True):
        for person in waiting.iterator(chunk_size=500):
            if not person.case.erased:
                person.external_id = person.external_id_legacy
                sealed += 1
            person.external_id_legacy = ""
            person.save(update_fields=["external_id", "external_id_legacy"])
    return sealed


def seal_after_migrate(sender, **kwargs):
    try:
        seal_legacy()
    except MasterKeyError as e:
        print(f"External references are still stored in clear ({e}): run `shelter screening reindex` "
              "where the master key is available.", file=sys.stderr)


def reindex() -> int:
    """Seal what waits in clear, then rebuild every reference's digest from its sealed value (after a
    restore, as the name index is rebuilt). Returns how many persons have a reference."""
    seal_legacy()
    persons = []
    with sealing.scope(reveal=True):
        for person in Person.objects.exclude(external_id=None).exclude(case__wrapped_key=None).iterator(chunk_size=500):
            person.external_id_index = external_id_digest(person.external_id)
            persons.append(person)
    Person.objects.bulk_update(persons, ["external_id_index"], batch_size=500)  # a plain column: no plaintext
    return len(persons)
