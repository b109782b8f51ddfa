"""Batch jobs over JSON Lines: scoring pairs and screening queries against a registry file.

Bad lines never stop a batch: each is reported with its line number and reason, and the caller's exit
status says whether any line failed. Reasons never quote names.
"""

import multiprocessing
from collections.abc import Callable, Iterable, Iterator

from shelter.exchange import person_lines

from . import person as persons
from .index import Index
from .score import score

Report = Callable[[int, str], None]
FORMATS = ("jsonl", "ftm")  # person lines, or FollowTheMoney entities (shelter.exchange.ftm_persons)


def match_pairs(stream: Iterable[str], write: Callable[[dict], None], report: Report) -> int:
    """Scores every ``{"id", "a", "b"}`` line; writes ``{"id", "score", "match"}`` or ``{"id", "error"}``
    for each. Returns how many lines failed."""
    failed = 0

    def fail(number: int, pair_id, reason: str) -> None:
        nonlocal failed
        failed += 1
        write({"id": pair_id, "error": reason})
        report(number, reason)

    for number, data in person_lines.objects(stream):
        if isinstance(data, person_lines.LineError):
            fail(number, None, data.reason)
            continue
        pair_id = data.get("id")
        try:
            a, b = _side(data, "a"), _side(data, "b")
        except persons.InvalidPerson as e:
            fail(number, pair_id, str(e))
            continue
        result = score(a, b)
        write({"id": pair_id, "score": result.score, "match": result.match})
    return failed


def _side(data: dict, side: str) -> persons.Person:
    if side not in data:
        raise persons.InvalidPerson(f"'{side}' is missing")
    try:
        return persons.from_json(data[side])
    except persons.InvalidPerson as e:
        raise persons.InvalidPerson(f"{side}: {e}") from None


def read_people(stream: Iterable[str], report: Report, fmt: str = "jsonl") -> Iterator[tuple[object, persons.Person]]:
    """(id, person) for every valid line in format ``fmt``; bad lines reported."""
    for number, text in enumerate(stream, start=1):
        try:
            found = read_person(number, text, fmt)
        except (person_lines.Invalid, persons.InvalidPerson) as e:
            report(number, str(e))
            continue
        if found is not None:
            yield found


def read_person(number: int, text: str | bytes, fmt: str = "jsonl") -> tuple[object, persons.Person] | None:
    """One line of a file as (id, person); None for a blank line or an entity that is no person;
    ``person_lines.Invalid`` or ``InvalidPerson`` for a bad one. One line at a time, so that both
    engines read a file the same way, whole or in pieces."""
    record = read_record(number, text, fmt)
    return None if record is None else (record.id, persons.from_fields(record))


def read_record(number: int, text: str | bytes, fmt: str = "jsonl") -> person_lines.PersonLine | None:
    """One line as read, not yet the matcher's person (``read_person``)."""
    text = person_lines.decode(text, first=number == 1)
    if not text.strip():
        return None
    if fmt == "ftm":
        from shelter.exchange import ftm_persons  # followthemoney takes a second to import: only when needed

        return ftm_persons.parse_line(number, text)
    return person_lines.parse_line(number, text, strict=False)


def build_index(people: Iterable[tuple[object, persons.Person]]) -> Index:
    index = Index()
    for person_id, person in people:
        index.add(person_id, person)
    return index


def alerts(index: Index, query_id, query: persons.Person) -> list[dict]:
    """The alert lines of one query, best first: what both engines write."""
    return [
        {"query": query_id, "candidate": alert.candidate, "score": alert.result.score,
         "explanation": alert.result.explanation()}
        for alert in index.screen(query)
    ]


# --- in parallel ----------------------------------------------------------------------------------

CHUNK = 100
_shared_index: Index | None = None  # the parent's index, inherited by forked workers


def screen_in_parallel(index: Index, stream: Iterable[str], write: Callable[[dict], None], report: Report,
                       workers: int, done: Callable[[int], None] = lambda lines: None, fmt: str = "jsonl") -> None:
    """Screens the lines of a query file against ``index``, writing one ``{"query", "candidate", "score",
    "explanation"}`` line per alert, best first per query, with ``workers`` processes sharing the index
    (forked, so it is not copied up front). Output and reports keep the order of the file."""
    global _shared_index
    chunks = _chunks(((number, text, fmt) for number, text in enumerate(stream, start=1)), CHUNK)
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        results = (_screen_chunk(chunk, index) for chunk in chunks)
        _emit(results, write, report, done)
        return
    _shared_index = index
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            _emit(pool.imap(_screen_chunk, chunks), write, report, done)
    finally:
        _shared_index = None


def _chunks(numbered: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    chunk = []
    for item in numbered:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _screen_chunk(chunk: list[tuple[int, str, str]], index: Index | None = None):
    index = index or _shared_index
    rows, errors = [], []
    for number, text, fmt in chunk:
        try:
            found = read_person(number, text, fmt)
        except (person_lines.Invalid, persons.InvalidPerson) as e:
            errors.append((number, str(e)))
            continue
        if found is not None:
            rows.extend(alerts(index, *found))
    return rows, errors, len(chunk)


def _emit(results, write, report, done) -> None:
    for rows, errors, count in results:
        for number, reason in errors:
            report(number, reason)
        for row in rows:
            write(row)
        done(count)
