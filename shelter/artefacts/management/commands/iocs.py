"""`shelter iocs import FILE [--name N] [--campaign C] [--source URL]` and `shelter iocs list`: the
indicator feeds every suspicious message or file is checked against."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shelter.audit.log import record
from shelter.digital import iocs

from ...feeds import ShippedName, import_feed
from ...models import IndicatorFeed


class Command(BaseCommand):
    help = "Import indicator feeds (STIX 2.1 as MVT reads it, or plain lists) and list them."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        importing = sub.add_parser("import", help="import or replace a feed")
        importing.add_argument("file", metavar="FILE")
        importing.add_argument("--name", help="the feed's name (default: the file's name)")
        importing.add_argument("--campaign", default="", help="the campaign its indicators belong to")
        importing.add_argument("--source", default="", help="where the feed was published (a URL)")
        sub.add_parser("list", help="the feeds, shipped and imported")

    def handle(self, *args, **options):
        if options["action"] == "list":
            self.stdout.write(f"{'feed':40} {'indicators':>10}  source")
            for name, count in sorted(_built_in_counts().items()):
                self.stdout.write(f"{name:40} {count:>10}  shipped with Shelter")
            for feed in IndicatorFeed.objects.all():
                self.stdout.write(f"{feed.name:40} {feed.indicators.count():>10}  {feed.source or 'imported'}")
            return
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"not a readable file: {path}")
        try:
            feed = import_feed(path.read_bytes(), path.name, options["name"] or path.stem, options["campaign"], options["source"])
        except ShippedName as e:
            raise CommandError(f"{e}: choose another with --name") from e
        except iocs.FeedError as e:
            raise CommandError(f"{path.name}: {e}; nothing was imported") from e
        record("cli", "import", feed, object_type="indicatorfeed", indicators=feed.indicators.count())
        self.stdout.write(f"{feed.name}: {feed.indicators.count()} indicators imported")


def _built_in_counts() -> dict:
    return {feed["name"]: sum(feed["by_type"].values()) for feed in iocs.built_in_summaries()}
