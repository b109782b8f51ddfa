"""The one home of name indexing: the two blind indexes of every recorded name, built from the
matcher's keys (``shelter.matching``) and nothing else.

- **Search tokens** (``NameToken``): one row per form of each name part — the matcher's loose
  phonetic key, its surname stem, its given-name group, its readings in other orthographies, and its
  initial — so that one part typed in any script or scheme (Toshmatov, Tashmatov, Ташматов) finds
  every person with a part that sounds the same.
- **Blocking keys** (``BlockingKey``): the screening's keys of pairs of parts (``matching.keys``).

Both are HMAC digests under the instance's blind-index key, each in its own domain, never names:
64 bits of them, one row per person and digest (a form shared by several names of a person is
stored once). Every writer goes through here: ``PersonName.save`` (``index_name``: the person's rows
again), the bulk person import (``index_names``), crypto-erasure (``forget_case``),
``shelter screening reindex`` and ``shelter restore`` (``reindex``).

``VERSION`` says which keys the stored rows were built with. An upgrade that changes the keys raises
it; until ``reindex`` runs, ``stale()`` is true and the web pages, the API and the CLI say the index
must be rebuilt (a migration cannot rebuild it: that needs the master key, which migrate may not have).
"""

from collections.abc import Callable, Iterable, Iterator

from django.db import connection, transaction

from shelter.crypto.blind import blind_number
from shelter.matching import keys, tag
from shelter.matching.person import InvalidPerson, Person, prepare_name

from . import models, sealing

# Version 2: search tokens became the matcher's part forms, and ҝ ҹ җ got phonetic keys.
# Version 3: 64-bit digests, one row per person and digest.
VERSION = 3
SEARCH_DOMAIN = "person-name-part"
# Its own domain: a blocking-key digest never equals a search-token digest of the same text.
BLOCKING_DOMAIN = "person-name-blocking-key"
BATCH = 500  # names per batch of a rebuild, rows per INSERT of a bulk write
STALE_MESSAGE = "the name index must be rebuilt: run `shelter screening reindex`"


# --- what is indexed ------------------------------------------------------------------------------


def part_forms(part: tag.Part) -> set[str]:
    """The forms of one recorded part: its full forms, and its initial (so that "U. Karimov" finds
    Ulugbek Karimov). Particles (bin, ibn, oʻgʻli) say nothing about who someone is."""
    if part.role is tag.PARTICLE:
        return set()
    return {*keys.part_forms(part).full, "i:" + part.key[0]}


def query_forms(part: tag.Part) -> set[str]:
    """The forms a typed part is looked up under: its full forms, or its initial when it is one
    (a typed "Ulugbek" must not find every U.)."""
    if part.role is tag.PARTICLE:
        return set()
    if part.role is tag.INITIAL:
        return {"i:" + part.key[0]}
    return set(keys.part_forms(part).full)


def search_digests(value: str) -> set[int]:
    key = sealing.index_key()
    return {blind_number(key, form, SEARCH_DOMAIN) for part in tag.parts(value) for form in part_forms(part)}


def query_part_digests(part: tag.Part) -> set[int]:
    return {sealing.blind_int(form, SEARCH_DOMAIN) for form in query_forms(part)}


def blocking_keys(value: str) -> set[str]:
    """A name the matcher refuses (a single letter, mixed scripts) has no blocking keys: it could
    never be scored, so it can never be a screening candidate (its parts are still searchable).
    Another index of names (actors', ``shelter.actors.name_index``) digests them in its own domain."""
    try:
        name = prepare_name(value)
    except InvalidPerson:
        return set()
    return keys.blocking_keys(name)


def blocking_digests(value: str) -> set[int]:
    key = sealing.index_key()
    return {blind_number(key, form, BLOCKING_DOMAIN) for form in blocking_keys(value)}


def query_blocking_digests(query: Person) -> set[int]:
    return {sealing.blind_int(key, BLOCKING_DOMAIN) for key in keys.person_keys(query)}


# --- writing ------------------------------------------------------------------------------------


def index_name(name) -> None:
    """Index a saved PersonName: its person's rows again (``index_persons``)."""
    index_persons([name.person_id])


def index_persons(person_ids) -> None:
    """The rows of these persons again, from all their names (a digest belongs to the person,
    whichever of its names hold it). The names are read server-side, whatever the caller may see."""
    person_ids = list(dict.fromkeys(person_ids))
    for start in range(0, len(person_ids), BATCH):
        chunk = person_ids[start : start + BATCH]
        for model in (models.NameToken, models.BlockingKey):
            model.objects.filter(person_id__in=chunk).delete()
        with sealing.scope(reveal=True):
            index_names(models.PersonName.objects.filter(person_id__in=chunk).only("person_id", "case_id", "value"))


def index_names(names: Iterable) -> tuple[int, int]:
    """Write both indexes' rows for all the names of persons that have no rows yet (new persons, or a
    rebuild); (search tokens, blocking keys)."""
    tokens: dict[tuple, None] = {}  # (person, case, digest), each once
    blocking: dict[tuple, None] = {}
    for name in names:
        row = (name.person_id, name.case_id)
        tokens.update(dict.fromkeys((*row, digest) for digest in search_digests(name.value)))
        blocking.update(dict.fromkeys((*row, digest) for digest in blocking_digests(name.value)))
    insert_rows(models.NameToken, list(tokens))
    insert_rows(models.BlockingKey, list(blocking))
    return len(tokens), len(blocking)


def insert_rows(model, rows: list[tuple], fields: tuple[str, ...] = ("person", "case", "digest")) -> None:
    """Write rows of ``fields`` (ids, then a digest) in bulk: several digests per name make these the
    largest tables, and a model instance per row would triple the time of an import. COPY on
    PostgreSQL, one executemany elsewhere. The rows hold HMAC digests, not identity data, so nothing
    needs sealing (``shelter.actors.name_index`` writes its index of actors' names here too)."""
    if not rows:
        return
    meta = model._meta
    columns = [meta.get_field(f) for f in fields]
    quote = connection.ops.quote_name
    table, names = quote(meta.db_table), ", ".join(quote(c.column) for c in columns)
    # Ids repeat over every digest of a name: converted once per name, not once per row. A digest is
    # an int or a str, stored as it is.
    ids = columns[:-1]
    prefixes: dict[tuple, tuple] = {}
    prepared = []
    for *key, value in rows:
        key = tuple(key)
        prefix = prefixes.get(key)
        if prefix is None:
            prefix = prefixes[key] = tuple(f.get_db_prep_save(v, connection) for f, v in zip(ids, key, strict=True))
        prepared.append((*prefix, value))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in prepared:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        for start in range(0, len(prepared), BATCH * 4):
            cursor.executemany(sql, prepared[start : start + BATCH * 4])


def forget_case(case) -> None:
    """Crypto-erasure: the digests of an erased case's names must not outlive its key."""
    for model in (models.NameToken, models.BlockingKey):
        model.objects.filter(case=case).delete()


def reindex(progress: Callable[[int], object] = lambda n: None) -> tuple[int, int, int]:
    """Rebuild both indexes from every name of every case not crypto-erased, in one transaction (a
    search or a screening never sees half an index), and mark them current. ``progress`` gets the
    number of names done, a batch at a time. Returns (names, search tokens, blocking keys)."""
    counts = [0, 0, 0]
    with transaction.atomic(), sealing.scope(reveal=True):  # caches each case key once
        for model in (models.NameToken, models.BlockingKey):
            model.objects.all().delete()
        names = models.PersonName.objects.exclude(case__wrapped_key=None).only("person_id", "case_id", "value")
        for batch in batches(names.order_by("person_id", "pk"), owner="person_id"):
            _write_batch(batch, counts, progress)
        models.NameIndexVersion.objects.update_or_create(pk=1, defaults={"version": VERSION})
    return counts[0], counts[1], counts[2]


def batches(names, owner: str | None = None) -> Iterator[list]:
    """A queryset of names, about BATCH at a time, as a rebuild writes them (this index, and actors').
    With ``owner`` (the queryset ordered by it), an owner's names are never split over two batches."""
    batch = []
    for name in names.iterator(chunk_size=BATCH):
        if len(batch) >= BATCH and (owner is None or getattr(name, owner) != getattr(batch[-1], owner)):
            yield batch
            batch = []
        batch.append(name)
    if batch:
        yield batch


def _write_batch(batch: list, counts: list, progress) -> None:
    tokens, blocking = index_names(batch)
    counts[0] += len(batch)
    counts[1] += tokens
    counts[2] += blocking
    progress(len(batch))


# --- is it current? -----------------------------------------------------------------------------


def stale() -> bool:
    """The stored rows were built with other keys than today's, and there are names they miss. No
    marker at all means a database emptied since (``flush``): every name in it was indexed by this
    release."""
    stored = models.NameIndexVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return stored not in (None, VERSION) and models.PersonName.objects.exclude(case__wrapped_key=None).exists()
