"""``shelter network links [--json] [--reveal]``: the links between cases that actors' identifiers make,
for the instance's operator (who sees every case). An identifier's value is never printed unless
``--reveal`` is given, and that read is audited."""

import json

from django.core.management.base import BaseCommand

from shelter.audit.log import record
from shelter.records import sealing

from ...models import Link


class Command(BaseCommand):
    help = "The network of actors across cases (subcommand: links)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        listing = actions.add_parser("links", help="the links between cases, for coordinators")
        listing.add_argument("--json", action="store_true", help="print a JSON array")
        listing.add_argument("--reveal", action="store_true", help="also print each identifier's value (audited)")

    def handle(self, *args, action, **options):
        rows = [self.row(link, options["reveal"]) for link in Link.objects.prefetch_related("sides__case", "sides__identifier__actor")]
        if options["reveal"] and rows:
            record("cli", "read_identity", object_type="link", what="identifier values", links=len(rows))
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("no link between cases")
        for row in rows:
            value = f" {row['value']}" if "value" in row else ""
            self.stdout.write(f"{row['id']} {row['kind']} {row.get('identifier_kind', '')}{value}: "
                              f"{', '.join(row['cases'])} ({row['status']})")

    @staticmethod
    def row(link: Link, reveal: bool) -> dict:
        sides = list(link.sides.all())
        row = {"id": str(link), "kind": link.kind}
        if link.identifier_kind:
            row["identifier_kind"] = link.identifier_kind
        row.update({"cases": sorted({side.case.reference for side in sides}),
                    "actors": sorted({_actor_id(side) for side in sides if side.identifier and side.identifier.actor}),
                    "status": link.status})
        if link.score is not None:
            row["score"] = link.score
        if reveal:
            with sealing.scope(reveal=True):
                values = [side.identifier.value for side in sides if side.identifier]
            row["value"] = next((v for v in values if isinstance(v, str)), "")
        return row


def _actor_id(side) -> str:
    """The importer's id where there is one (it names no one), else the actor's pseudonym."""
    actor = side.identifier.actor
    with sealing.scope(reveal=True):
        external = actor.external_id
    return external if isinstance(external, str) and external else actor.pseudonym
