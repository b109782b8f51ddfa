"""What the bulk writers (``person_import``, ``incident_import``) share."""

from itertools import islice
from typing import Iterable, Iterator

from django.db import connection

BATCH = 500  # rows per statement, and ids per IN (...) list: well under SQLite's variable limit


def batches(items: Iterable, size: int) -> Iterator[list]:
    """``items`` in lists of ``size``, read as they are asked for (``items`` may be a stream)."""
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


def check_references_per_statement():
    """On PostgreSQL, check the foreign keys of the transaction's rows as each statement ends, not
    all at its commit (Django declares them deferred): a person adds some 70 index rows, each checked
    against its person and its case, and deferred to the commit those checks queued 15 million events
    in the server at 100,000 persons and held the commit for 50 s after the progress bar had ended
    (about 150 million events, some 2 GB of the server's memory, and minutes, at a million)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
