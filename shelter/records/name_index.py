"""The one home of name indexing: the two blind indexes of every recorded name, built from the
matcher's keys (``shelter.matching``) and nothing else.

- **Search tokens** (``NameToken``): one row per form of each name part — the matcher's loose
  phonetic key, its surname stem, its given-name group, its readings in other orthographies, and its
  initial — so that one part typed in any script or scheme (Toshmatov, Tashmatov, Ташматов) finds
  every person with a part that sounds the same.
- **Blocking keys** (``BlockingKey``): the screening's keys of pairs of parts (``matching.keys``).

Both are HMAC digests under the instance's blind-index key, each in its own domain, never names.
Every writer goes through here: ``PersonName.save`` (``index_name``), the bulk person import
(``index_names``), crypto-erasure (``forget_case``), ``shelter screening reindex`` and
``shelter restore`` (``reindex``).

``VERSION`` says which keys the stored rows were built with. An upgrade that changes the keys raises
it; until ``reindex`` runs, ``stale()`` is true and the web pages, the API and the CLI say the index
must be rebuilt (a migration cannot rebuild it: that needs the master key, which migrate may not have).
"""

from collections.abc import Callable, Iterable, Iterator

from django.db import connection, transaction

from shelter.matching import keys, tag
from shelter.matching.person import InvalidPerson, Person, prepare_name

from . import models, sealing

# Version 2: search tokens became the matcher's part forms, and ҝ ҹ җ got phonetic keys.
VERSION = 2
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


def search_digests(value: str) -> set[str]:
    return {sealing.blind(form, SEARCH_DOMAIN) for part in tag.parts(value) for form in part_forms(part)}


def query_part_digests(part: tag.Part) -> set[str]:
    return {sealing.blind(form, SEARCH_DOMAIN) for form in query_forms(part)}


def blocking_digests(value: str, domain: str = BLOCKING_DOMAIN) -> set[str]:
    """A name the matcher refuses (a single letter, mixed scripts) has no blocking keys: it could
    never be scored, so it can never be a screening candidate (its parts are still searchable).
    Another index of names (actors', ``shelter.actors.name_index``) gives its own ``domain``."""
    try:
        name = prepare_name(value)
    except InvalidPerson:
        return set()
    return {sealing.blind(key, domain) for key in keys.blocking_keys(name)}


def query_blocking_digests(query: Person) -> set[str]:
    return {sealing.blind(key, BLOCKING_DOMAIN) for key in keys.person_keys(query)}


# --- writing ------------------------------------------------------------------------------------


def index_name(name) -> None:
    """Replace the rows of one saved PersonName."""
    for model in (models.NameToken, models.BlockingKey):
        model.objects.filter(name=name).delete()
    index_names([name])


def index_names(names: Iterable) -> tuple[int, int]:
    """Write both indexes' rows for saved names that have none yet; (search tokens, blocking keys)."""
    tokens, blocking = [], []
    for name in names:
        row = (name.pk, name.person_id, name.case_id)
        tokens.extend((*row, digest) for digest in search_digests(name.value))
        blocking.extend((*row, digest) for digest in blocking_digests(name.value))
    insert_rows(models.NameToken, tokens)
    insert_rows(models.BlockingKey, blocking)
    return len(tokens), len(blocking)


def insert_rows(model, rows: list[tuple], owner: str = "person") -> None:
    """INSERT (name, owner, case, digest) rows with one executemany: several digests per name make
    these the largest tables, and a model instance per row would triple the time of an import. The
    rows hold HMAC digests, not identity data, so nothing needs sealing. ``owner`` is the field of
    the name's owner (a person here; an actor for ``shelter.actors.name_index``)."""
    meta = model._meta
    columns = [meta.get_field(f) for f in ("name", owner, "case", "digest")]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c.column) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    # Every digest of a name repeats its (name, owner, case) ids: convert those once per name, not
    # once per row (it was 40% of a person import's time).
    owners, digest = columns[:3], columns[3]
    prefixes: dict[tuple, list] = {}
    prepared = []
    for *ids, value in rows:
        key = tuple(ids)
        prefix = prefixes.get(key)
        if prefix is None:
            prefix = prefixes[key] = [f.get_db_prep_save(v, connection) for f, v in zip(owners, ids, strict=True)]
        prepared.append([*prefix, digest.get_db_prep_save(value, connection)])
    with connection.cursor() as cursor:
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
        names = models.PersonName.objects.exclude(case__wrapped_key=None).only("pk", "person_id", "case_id", "value")
        for batch in batches(names.order_by("pk")):
            _write_batch(batch, counts, progress)
        models.NameIndexVersion.objects.update_or_create(pk=1, defaults={"version": VERSION})
    return counts[0], counts[1], counts[2]


def batches(names) -> Iterator[list]:
    """A queryset of names, BATCH at a time, as a rebuild writes them (this index, and actors')."""
    batch = []
    for name in names.iterator(chunk_size=BATCH):
        batch.append(name)
        if len(batch) == BATCH:
            yield batch
            batch = []
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
