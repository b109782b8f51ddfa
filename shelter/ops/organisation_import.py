"""Writing organisations read from a FollowTheMoney file (``shelter.exchange.ftm_organisations``), in
batches: ``shelter organisations import``.

An organisation is found again by its ``ftm_id``, or by one of the entity's ``referents`` (the ids
its sources had before OpenSanctions merged them into one), so re-importing updates instead of
duplicating. Organisations entered by hand (no ``ftm_id``) are never touched: joining them to a
listed entity by name is a matcher's decision, not an import's.

A line speaks for the datasets it names. When it names every dataset the stored organisation came
from (the same list imported again, or a collection holding it), its values replace the stored ones,
so a topic the list dropped is dropped. When it does not (another list's file, naming the same
entity), its values are added to the stored ones: importing the EU's list after the US's must not
erase the US listing. The kind is derived once, at creation (a coordinator may refine it); the notes
are never touched.

Nothing here commits: the caller runs it inside one transaction, and with ``write=False`` (a dry
run) it only reads.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from shelter.exchange.ftm_organisations import MAX_ALIASES, OrganisationLine
from shelter.records import topics
from shelter.records.models import Organisation

BATCH = 1000  # lines per round of look-ups and writes
CHUNK = 500  # ids per IN (...) list and rows per statement: well under SQLite's variable limit

# The listing fields: a change to one makes an organisation "updated". ``last_seen`` alone changes
# with every release of a list, so a refresh of it counts as unchanged.
LISTING_FIELDS = ("name", "aliases", "weak_aliases", "country", "countries", "topics", "datasets", "ftm_id",
                  "ftm_schema", "first_seen")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    restricted: int = 0
    aliases_capped: int = 0
    skipped: Counter = field(default_factory=Counter)  # by schema
    other_dataset: int = 0

    def as_dict(self) -> dict:
        return {
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "restricted": self.restricted, "aliases_capped": self.aliases_capped,
            "skipped": sum(self.skipped.values()), "skipped_schemata": dict(sorted(self.skipped.items())),
            "other_dataset": self.other_dataset,
        }


class Importer:
    """Feed it lines with ``add``; ``finish`` writes what is left. ``write=False`` only counts."""

    def __init__(self, write: bool = True):
        self.write = write
        self.result = ImportResult()
        self.pending: list[OrganisationLine] = []
        self.claimed: set = set()  # organisations a line of this file already updated
        self.ids: set[str] = set()  # ids of this file's organisations so far

    def add(self, line: OrganisationLine):
        self.pending.append(line)
        self.ids.add(line.id)
        if len(self.pending) >= BATCH:
            self.flush()

    def finish(self) -> ImportResult:
        self.flush()
        return self.result

    def flush(self):
        lines, self.pending = self.pending, []
        if not lines:
            return
        stored = self.stored({line.id for line in lines} | {r for line in lines for r in line.referents})
        new, updated, refreshed = [], [], []
        now = timezone.now()
        for line in lines:
            organisation = self.find(line, stored)
            self.result.aliases_capped += line.aliases_capped
            if organisation is None:
                new.append(created(line, now))
                self.result.created += 1
                self.result.restricted += topics.is_restricting(line.topics)
                continue
            self.claimed.add(organisation.pk)
            before = {f: getattr(organisation, f) for f in LISTING_FIELDS}
            seen_before = organisation.last_seen
            apply(organisation, line)
            self.result.restricted += organisation.restricted
            if any(getattr(organisation, f) != value for f, value in before.items()):
                organisation.updated_at = now
                updated.append(organisation)
                self.result.updated += 1
            else:
                self.result.unchanged += 1
                if organisation.last_seen != seen_before:
                    refreshed.append(organisation)
        if self.write:
            Organisation.objects.bulk_create(new, batch_size=CHUNK)
            Organisation.objects.bulk_update(updated, [*LISTING_FIELDS, "last_seen", "updated_at"], batch_size=CHUNK)
            Organisation.objects.bulk_update(refreshed, ["last_seen"], batch_size=CHUNK)

    def stored(self, ids: set[str]) -> dict[str, Organisation]:
        found, ids = {}, sorted(ids)
        for start in range(0, len(ids), CHUNK):
            for organisation in Organisation.objects.filter(ftm_id__in=ids[start : start + CHUNK]):
                found[organisation.ftm_id] = organisation
        return found

    def find(self, line: OrganisationLine, stored: dict) -> Organisation | None:
        organisation = stored.get(line.id)
        if organisation is not None:
            # Taken already by a line that named this id among its referents (seen in a dry run,
            # whose earlier batches are not written): this line is a new organisation.
            return None if organisation.pk in self.claimed else organisation
        for referent in line.referents:
            organisation = stored.get(referent)
            # Not one another line of the file is (or was) about, nor one a line already took.
            if organisation is not None and organisation.ftm_id not in self.ids and organisation.pk not in self.claimed:
                return organisation
        return None


def created(line: OrganisationLine, now) -> Organisation:
    return Organisation(
        name=line.name, kind=line.kind, aliases=line.aliases, weak_aliases=line.weak_aliases,
        country=line.countries[0] if line.countries else "", countries=line.countries[1:],
        topics=line.topics, datasets=line.datasets, ftm_id=line.id, ftm_schema=line.schema,
        first_seen=line.first_seen, last_seen=line.last_seen, created_at=now, updated_at=now,
    )


def apply(organisation: Organisation, line: OrganisationLine):
    """Bring a stored organisation in line with ``line``: replaced when the line names every dataset
    the organisation came from, added to otherwise."""
    replaces = set(organisation.datasets) <= set(line.datasets)
    previous_name = organisation.name
    organisation.name = line.name
    organisation.ftm_id = line.id
    organisation.ftm_schema = line.schema
    if replaces:
        aliases, weak, codes = line.aliases, line.weak_aliases, line.countries
        codes_of_topics, datasets = line.topics, line.datasets
        first_seen, last_seen = line.first_seen, line.last_seen
    else:
        aliases = merged([previous_name, *organisation.aliases], line.aliases, [line.name])
        weak = merged(organisation.weak_aliases, line.weak_aliases, [line.name, *aliases])
        codes = merged(organisation.all_countries, line.countries)
        codes_of_topics = merged(organisation.topics, line.topics)
        datasets = merged(organisation.datasets, line.datasets)
        first_seen = earliest(organisation.first_seen, line.first_seen)
        last_seen = latest(organisation.last_seen, line.last_seen)
    organisation.aliases = [a for a in aliases if a != line.name][:MAX_ALIASES]
    organisation.weak_aliases = weak[:MAX_ALIASES]
    organisation.country = codes[0] if codes else ""
    organisation.countries = list(codes[1:])
    organisation.topics, organisation.datasets = list(codes_of_topics), list(datasets)
    organisation.first_seen, organisation.last_seen = first_seen, last_seen


def merged(stored: list, incoming: list, leave_out=()) -> list:
    """The incoming values first (the newer file's order), then the stored ones it lacks."""
    return [v for v in dict.fromkeys([*incoming, *stored]) if v not in leave_out]


def earliest(a, b):
    return min(x for x in (a, b) if x) if (a or b) else None


def latest(a, b):
    return max(x for x in (a, b) if x) if (a or b) else None
