"""`shelter campaigns [--json] [--relink]`: the campaigns linked across cases, with their cases, dates and
kinds of finding. For the instance's operator (who sees every case); values stay sealed in the cases.
`--relink` finds every campaign again from the stored digests (after the linking rule changed)."""

import json
import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from shelter.audit.log import record

from ... import campaigns
from ...models import Campaign


class Command(BaseCommand):
    help = "List the campaigns of suspicious messages and files linked across cases."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print a JSON array")
        parser.add_argument("--relink", action="store_true", help="find every campaign again from the stored digests first")

    def handle(self, *args, **options):
        if options["relink"]:
            stream = getattr(self.stderr, "_out", sys.stderr)
            count = campaigns.relink_all(lambda items: tqdm(items, desc="Linking", unit="artefact", file=stream, leave=False))
            record("cli", "update", object_type="campaign", relinked=count)
            self.stderr.write(f"{count} campaigns found again")
        rows = []
        for campaign in Campaign.objects.prefetch_related("artefacts__case"):
            artefacts = sorted(campaign.artefacts.all(), key=lambda a: a.created_at)
            if not artefacts:
                continue
            rows.append({"campaign": str(campaign), "id": str(campaign.pk), "artefacts": len(artefacts),
                         "cases": sorted({a.case.reference for a in artefacts}),
                         "first_seen": artefacts[0].created_at.isoformat(), "last_seen": artefacts[-1].created_at.isoformat(),
                         "verdicts": sorted({a.verdict for a in artefacts}),
                         "kinds": sorted({k for a in artefacts for k in a.kinds.split(",") if k})})
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        if not rows:
            self.stdout.write("no campaign yet: one message alone is not a campaign")
        for row in rows:
            self.stdout.write(f"{row['campaign']}: {row['artefacts']} messages or files in {len(row['cases'])} cases "
                              f"({', '.join(row['cases'])}), {row['first_seen'][:10]} to {row['last_seen'][:10]}")
