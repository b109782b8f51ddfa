"""The blind index of actors' names, sealed like persons' names and indexed like them: keyed digests of
the name matcher's blocking keys (``records.name_index.blocking_keys``) in a domain of their own.
Two actors of different cases that share a digest are candidates for a "likely the same actor" link
(``shelter.actors.same_actor``); only then are their names read, server-side, to score them.

Every writer goes through here: a saved ActorName (``index_name``, from ``links``), an import
(``index_names``, once the file is in), crypto-erasure (``forget_case``), ``shelter screening reindex``
and ``shelter restore`` (``reindex``). The keys are the persons' keys: when an upgrade changes them,
the same ``reindex`` command rebuilds both indexes.
"""

from collections.abc import Callable, Iterable

from django.db import transaction

from shelter.records import name_index, sealing

from .models import ActorName, ActorNameKey

DOMAIN = "actor-name-blocking-key"


def digests(value: str) -> set[str]:
    return {sealing.blind(key, DOMAIN) for key in name_index.blocking_keys(value)}


def index_name(name: ActorName) -> None:
    """Replace the rows of one saved ActorName."""
    ActorNameKey.objects.filter(name=name).delete()
    index_names([name])


def index_names(names: Iterable[ActorName]) -> int:
    """Write the rows of saved names that have none yet; how many. Values are read in a scope of
    their own, whatever the caller may see: the index is built server-side, and only digests leave."""
    with sealing.scope(reveal=True):
        return _write(names)


def _write(names: Iterable[ActorName]) -> int:
    rows = [(name.pk, name.actor_id, name.case_id, digest) for name in names for digest in digests(name.value)]
    name_index.insert_rows(ActorNameKey, rows, fields=("name", "actor", "case", "digest"))
    return len(rows)


def forget_case(case) -> None:
    """Crypto-erasure: the digests of an erased case's actors' names must not outlive its key."""
    ActorNameKey.objects.filter(case=case).delete()


def reindex(progress: Callable[[int], object] = lambda n: None) -> tuple[int, int]:
    """Rebuild the index from every actor's name of every case not crypto-erased, in one transaction;
    (names, digests)."""
    names_done, rows = 0, 0
    with transaction.atomic(), sealing.scope(reveal=True):  # caches each case key once
        ActorNameKey.objects.all().delete()
        names = ActorName.objects.exclude(case__wrapped_key=None).only("pk", "actor_id", "case_id", "value")
        for batch in name_index.batches(names.order_by("pk")):
            rows += _write(batch)
            names_done += len(batch)
            progress(len(batch))
    return names_done, rows
