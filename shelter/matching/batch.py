"""Batch jobs over JSON Lines: scoring pairs and screening queries against a registry file.

Bad lines never stop a batch: each is reported with its line number and reason, and the caller's exit
status says whether any line failed. Reasons never quote names.
"""

import json
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from . import person as persons
from .index import Index
from .score import score

Report = Callable[[int, str], None]


@dataclass(frozen=True, slots=True)
class Line:
    number: int
    data: dict


def lines(stream: Iterable[str], report: Report) -> Iterator[Line]:
    """JSON objects of a JSON Lines stream; blank lines skipped, bad ones reported."""
    for number, text in enumerate(stream, start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
        except ValueError as e:
            report(number, f"not JSON ({e.msg})")
            continue
        if not isinstance(data, dict):
            report(number, "not a JSON object")
            continue
        yield Line(number, data)


def identifier(data: dict):
    value = data.get("id")
    if value is None or isinstance(value, (dict, list)) or value == "":
        raise persons.InvalidPerson("id is missing (a string or a number)")
    return value


def match_pairs(stream: Iterable[str], write: Callable[[dict], None], report: Report) -> int:
    """Scores every ``{"id", "a", "b"}`` line; writes ``{"id", "score", "match"}`` or ``{"id", "error"}``
    for each. Returns how many lines failed."""
    failed = 0

    def fail(number: int, pair_id, reason: str) -> None:
        nonlocal failed
        failed += 1
        write({"id": pair_id, "error": reason})
        report(number, reason)

    for line in lines(stream, lambda number, reason: fail(number, None, reason)):
        pair_id = line.data.get("id")
        try:
            a, b = _side(line.data, "a"), _side(line.data, "b")
        except persons.InvalidPerson as e:
            fail(line.number, pair_id, str(e))
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
    for line in lines(stream, report):
        try:
            yield identifier(line.data), persons.from_json(line.data)
        except persons.InvalidPerson as e:
            report(line.number, str(e))


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
        reports = []
        for line in lines([text], lambda _, reason: reports.append(reason)):
            try:
                query_id, query = identifier(line.data), persons.from_json(line.data)
            except persons.InvalidPerson as e:
                reports.append(str(e))
                continue
            rows.extend(_alerts(index, query_id, query))
        errors.extend((number, reason) for reason in reports)
    return rows, errors, len(chunk)


def _emit(results, write, report, done) -> None:
    for rows, errors, count in results:
        for number, reason in errors:
            report(number, reason)
        for row in rows:
            write(row)
        done(count)
