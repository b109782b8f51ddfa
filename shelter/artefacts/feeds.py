"""The indicator feeds an artefact is checked against: those shipped with Shelter and those imported
into the instance (`shelter iocs import`). Imports are all-or-nothing; importing a name again replaces it."""

from pathlib import Path

from django.db import transaction

from shelter.digital import iocs

from .models import FeedIndicator, IndicatorFeed


def all_feeds() -> iocs.Feeds:
    feeds = iocs.Feeds(dict(iocs.built_in().by_value))
    for row in FeedIndicator.objects.select_related("feed").iterator():
        feeds.add(iocs.Indicator(row.type, row.value, row.campaign or row.feed.campaign, row.feed.name))
    return feeds


def read(data: bytes, filename: str, name: str) -> list[iocs.Indicator]:
    """The indicators of a STIX 2.1 bundle (*.stix2, *.json) or a plain list, or FeedError with the reason."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise iocs.FeedError(f"not UTF-8 text (byte {e.start})") from e
    if Path(filename).suffix.lower() in (".stix2", ".json") or text.lstrip().startswith("{"):
        return iocs.read_stix(text, name)
    return iocs.read_any_list(text, "", name)


class ShippedName(iocs.FeedError):
    """An import under the name of a feed shipped with Shelter, which it would shadow."""


def import_feed(data: bytes, filename: str, name: str, campaign: str = "", source: str = "") -> IndicatorFeed:
    if name in {feed["name"] for feed in iocs.built_in_summaries()}:
        raise ShippedName(f"{name} is the name of a feed shipped with Shelter")
    indicators = read(data, filename, name)  # fails before anything is written
    with transaction.atomic():
        feed, _ = IndicatorFeed.objects.update_or_create(name=name, defaults={"campaign": campaign or name, "source": source})
        feed.indicators.all().delete()
        FeedIndicator.objects.bulk_create(
            [FeedIndicator(feed=feed, type=i.type, value=i.value.lower(), campaign=i.campaign) for i in indicators], batch_size=2000)
    return feed


def imported_summaries() -> list[dict]:
    rows = []
    for feed in IndicatorFeed.objects.prefetch_related("indicators"):
        by_type: dict = {}
        for indicator in feed.indicators.all():
            by_type[indicator.type] = by_type.get(indicator.type, 0) + 1
        rows.append({"name": feed.name, "campaign": feed.campaign, "source": feed.source,
                     "imported_at": feed.imported_at, "by_type": by_type})
    return rows
