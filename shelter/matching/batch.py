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


def read_people(stream: Iterable[str], report: Report) -> Iterator[tuple[object, persons.Person]]:
    """(id, person) for every valid ``{"id", PERSON fields}`` line; bad lines reported."""
    for record in person_lines.read(stream, strict=False):
        if isinstance(record, person_lines.LineError):
            report(record.line, record.reason)
            continue
        try:
            person = persons.from_fields(record)
        except persons.InvalidPerson as e:
            report(record.line, str(e))
            continue
        yield record.id, person


def build_index(people: Iterable[tuple[object, persons.Person]]) -> Index:
    index = Index()
    for person_id, person in people:
        index.add(person_id, person)
    return index


def _alerts(index: Index, query_id, query: persons.Person) -> list[dict]:
    return [
        {"query": query_id, "candidate": alert.candidate, "score": alert.result.score,
         "explanation": alert.result.explanation()}
        for alert in index.screen(query)
    ]


# --- in parallel ----------------------------------------------------------------------------------

CHUNK = 100
_shared_index: Index | None = None  # the parent's index, inherited by forked workers


def screen_in_parallel(index: Index, stream: Iterable[str], write: Callable[[dict], None], report: Report,
                       workers: int, done: Callable[[int], None] = lambda lines: None) -> None:
    """Screens the lines of a query file against ``index``, writing one ``{"query", "candidate", "score",
    "explanation"}`` line per alert, best first per query, with ``workers`` processes sharing the index
    (forked, so it is not copied up front). Output and reports keep the order of the file."""
    global _shared_index
    chunks = _chunks(enumerate(stream, start=1), CHUNK)
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


def _chunks(numbered: Iterable[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    chunk = []
    for item in numbered:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _screen_chunk(chunk: list[tuple[int, str]], index: Index | None = None):
    index = index or _shared_index
    rows, errors = [], []
    for number, text in chunk:
        if not text.strip():
            continue
        try:
            query = person_lines.parse_line(number, text, strict=False)
            rows.extend(_alerts(index, query.id, persons.from_fields(query)))
        except (person_lines.Invalid, persons.InvalidPerson) as e:
            errors.append((number, str(e)))
    return rows, errors, len(chunk)


def _emit(results, write, report, done) -> None:
    for rows, errors, count in results:
        for number, reason in errors:
            report(number, reason)
        for row in rows:
            write(row)
        done(count)
