"""``shelter network links [--json] [--reveal]``: the links between cases that actors' identifiers make
(``"kind": "identifier"``) and those of actors likely the same (``"kind": "same_actor"``, with the
``"score"`` and its ``"reasons"``), for the instance's operator (who sees every case). An identifier's
value or an actor's names are never printed unless ``--reveal`` is given, and that read is audited.

``shelter network export --format graphml|gexf|ftm [--case REF …] [--pseudonymise] [--output FILE]``:
the network of actors, organisations, identifiers, incidents and targeted persons, under the same
two-person approval as every export of identity data (``--approval ID``), or pseudonymised."""

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shelter.audit.log import record
from shelter.network import export
from shelter.records import sealing
from shelter.records.models import Case, cases_by_reference
from shelter.security import approvals

from ...models import Link, LinkKind
from ...network import graph_of


class Command(BaseCommand):
    help = "The network of actors across cases (subcommand: links)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        listing = actions.add_parser("links", help="the links between cases, for coordinators")
        listing.add_argument("--json", action="store_true", help="print a JSON array")
        listing.add_argument("--reveal", action="store_true", help="also print each identifier's value (audited)")
        exporting = actions.add_parser("export", help="the network as GraphML, GEXF or FollowTheMoney entities")
        exporting.add_argument("--format", required=True, choices=export.FORMATS)
        exporting.add_argument("--case", dest="cases", action="extend", nargs="+", metavar="REFERENCE", help="only these cases")
        exporting.add_argument("--pseudonymise", action="store_true", help="pseudonyms, and identifiers by kind only")
        exporting.add_argument("--approval", metavar="ID", help="the two-person approval an export with identity data needs")
        exporting.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, action, **options):
        if action == "export":
            return self.export(options)
        rows = [self.row(link, options["reveal"])
                for link in Link.objects.prefetch_related("sides__case", "sides__identifier__actor", "sides__actor__names")]
        if options["reveal"] and rows:
            record("cli", "read_identity", object_type="link", what="identifier values and actors' names", links=len(rows))
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("no link between cases")
        for row in rows:
            self.stdout.write(self.line(row))

    def export(self, options):
        pseudonymise = options["pseudonymise"]
        if not pseudonymise and settings.SHELTER_EXPORT_APPROVAL and not options["approval"]:
            raise CommandError("an export with identity data needs a two-person approval: ask for one under "
                               "/security/exports/, have a second coordinator or administrator approve it, then "
                               "pass --approval ID (or export with --pseudonymise)")
        try:
            found = cases_by_reference(options["cases"])
        except LookupError as e:
            raise CommandError(str(e)) from e
        cases = Case.objects.filter(pk__in=[c.pk for c in found]) if options["cases"] else Case.objects.all()
        cases = cases.exclude(wrapped_key=None)  # erased
        if not pseudonymise and settings.SHELTER_EXPORT_APPROVAL:
            approvals.consume(options["approval"], options["cases"] or [])
        with sealing.scope(reveal=not pseudonymise):
            graph = graph_of(cases)
            data = export.serialise(graph, options["format"])
        record("cli", "export", object_type="network", format=options["format"], pseudonymised=pseudonymise,
               nodes=graph.number_of_nodes(), **({"approval": options["approval"]} if options["approval"] else {}))
        if not options["output"]:
            self.stdout.write(data.decode(), ending="")
            return
        try:
            fd = os.open(Path(options["output"]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # identity data: owner only
        except OSError as e:
            raise CommandError(f"cannot write {options['output']} ({e.strerror})") from e
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        self.stderr.write(f"Exported {graph.number_of_nodes()} nodes and {graph.number_of_edges()} edges to {options['output']}.")

    @staticmethod
    def line(row: dict) -> str:
        if row["kind"] == "same_actor":  # the actors too: two cases may hold several alike
            names = f" {' / '.join(row['names'])}" if "names" in row else ""
            what = f"{round(row['score'] * 100)}% ({', '.join(r['code'] for r in row['reasons'])}){names}"
            return f"{row['id']} {row['kind']} {what}: {', '.join(row['cases'])}; {', '.join(row['actors'])} ({row['status']})"
        value = f" {row['value']}" if "value" in row else ""
        return f"{row['id']} {row['kind']} {row.get('identifier_kind', '')}{value}: {', '.join(row['cases'])} ({row['status']})"

    @staticmethod
    def row(link: Link, reveal: bool) -> dict:
        sides = list(link.sides.all())
        actors = [side.actor or (side.identifier.actor if side.identifier else None) for side in sides]
        row = {"id": str(link), "kind": link.kind}
        if link.identifier_kind:
            row["identifier_kind"] = link.identifier_kind
        row.update({"cases": sorted({side.case.reference for side in sides}),
                    "actors": sorted({_actor_id(actor) for actor in actors if actor}),
                    "status": link.status})
        if link.score is not None:
            row["score"] = link.score
            row["reasons"] = link.reasons
        if reveal:
            with sealing.scope(reveal=True):
                values = [side.identifier.value for side in sides if side.identifier]
                names = [actor.primary_name() for side, actor in zip(sides, actors, strict=True) if side.actor_id]
            if link.kind == LinkKind.SAME_ACTOR:
                row["names"] = [n for n in names if isinstance(n, str)]
            else:
                row["value"] = next((v for v in values if isinstance(v, str)), "")
        return row


def _actor_id(actor) -> str:
    """The importer's id where there is one (it names no one), else the actor's pseudonym."""
    with sealing.scope(reveal=True):
        external = actor.external_id
    return external if isinstance(external, str) and external else actor.pseudonym
