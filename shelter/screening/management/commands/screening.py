"""``shelter screening reindex``: rebuild the screening index (the blocking-key digests of every name).

Names are indexed as they are saved, so this is needed only after an upgrade that brought
screening to an instance with names already recorded, or after a change of the matcher's blocking
keys. Every name of every case not crypto-erased is decrypted, its keys digested and written; the
old rows go in the same transaction, so screening never sees a half-built index.
"""

import sys

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from shelter.audit.log import record
from shelter.ops.person_import import BATCH, insert_index_rows
from shelter.records import sealing
from shelter.records.models import PersonName
from shelter.screening import index
from shelter.screening.models import BlockingKey
from shelter.security.lockdown import refuse_command


class Command(BaseCommand):
    help = "Maintain the screening index (subcommand: reindex)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("reindex", help="rebuild the blocking keys of every name")

    def handle(self, *args, action, **options):
        refuse_command(f"screening {action}")
        names, keys = self.reindex()
        self.stdout.write(f"Screening index rebuilt: {keys} blocking keys for {names} names.")

    def reindex(self) -> tuple[int, int]:
        with transaction.atomic(), sealing.scope(reveal=True):  # caches each case key once
            BlockingKey.objects.all().delete()
            names = PersonName.objects.exclude(case__wrapped_key=None).only("pk", "person_id", "case_id", "value")
            with self.progress(names.count()) as bar:
                counts = rebuild(names.order_by("pk").iterator(chunk_size=BATCH), bar.update)
            record(
                "cli", "update", object_type="screening_index", fields=["blocking_keys"], names=counts[0], keys=counts[1]
            )
        return counts

    def progress(self, total: int):
        stream = getattr(self.stderr, "_out", sys.stderr)  # the raw stream: tqdm redraws with \r
        return tqdm(total=total, desc="Indexing names", unit=" names", file=stream, leave=False)


def rebuild(names, progress) -> tuple[int, int]:
    """Write the blocking keys of ``names``, a batch at a time; (names, keys) written."""
    counted, written, batch = 0, 0, []
    for name in names:
        batch.extend((name.pk, name.person_id, name.case_id, digest) for digest in index.name_digests(name.value))
        counted += 1
        if counted % BATCH == 0:
            written += flush(batch)
            progress(BATCH)
    written += flush(batch)
    progress(counted % BATCH)
    return counted, written


def flush(rows: list) -> int:
    insert_index_rows(BlockingKey, rows)
    count = len(rows)
    rows.clear()
    return count
