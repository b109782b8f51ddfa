"""``shelter screening reindex``: rebuild the name index (search tokens and screening blocking keys
of every name) with ``records.name_index.reindex``, the blind index of actors' names (built from the
same keys) with ``actors.name_index.reindex``, and the digests of external references (sealing any
still stored in clear) with ``records.external_ids.reindex``; and moves the names of officers and
informants still written on involvements into actors (``actors.legacy``).

Names are indexed as they are saved, so this is needed only after an upgrade that changed the
matcher's keys: until then the web pages, the API and ``shelter screen`` say the index must be rebuilt.
"""

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from shelter.actors import legacy
from shelter.actors import name_index as actor_name_index
from shelter.actors.models import ActorName
from shelter.audit.log import record
from shelter.records import external_ids, name_index
from shelter.records.models import PersonName
from shelter.security.lockdown import refuse_command


class Command(BaseCommand):
    help = "Maintain the name index (subcommand: reindex)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("reindex", help="rebuild the search tokens and blocking keys of every name")

    def handle(self, *args, action, **options):
        refuse_command(f"screening {action}")
        stream = getattr(self.stderr, "_out", sys.stderr)  # the raw stream: tqdm redraws with \r
        total = PersonName.objects.exclude(case__wrapped_key=None).count()
        with tqdm(total=total, desc="Indexing names", unit=" names", file=stream, leave=False) as bar:
            names, tokens, keys = name_index.reindex(bar.update)
        with tqdm(total=ActorName.objects.exclude(case__wrapped_key=None).count(), desc="Indexing actors' names",
                  unit=" names", file=stream, leave=False) as bar:
            actor_names, actor_keys = actor_name_index.reindex(bar.update)
        references = external_ids.reindex()
        moved = legacy.move_named_involvements()
        record(
            "cli", "update", object_type="screening_index", fields=["search_tokens", "blocking_keys"],
            names=names, tokens=tokens, keys=keys, actor_names=actor_names, actor_keys=actor_keys,
        )
        self.stdout.write(f"Name index rebuilt: {tokens} search tokens and {keys} blocking keys for {names} names; "
                          f"{actor_keys} blocking keys for {actor_names} actors' names; "
                          f"{references} external references indexed."
                          + (f" {moved} names written on incidents moved into actors." if moved else ""))
