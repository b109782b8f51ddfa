"""A polite crawler of Interpol's public Red Notices API.

The API never returns more than 160 results for one query, however it is paged, but it reports the true
``total``. So the crawler asks a query (page 1, 160 per page) and, when its total is over the cap,
replaces it with narrower queries that between them cover it, until every query fits. A crawl starts
from one query for all notices, or from one per nationality (and warrant country) the caller restricts
it to, with any name, forename or free text on each.

Splitting strategy (``SPLIT_ORDER``, deterministic): a query over the cap is narrowed along the first
dimension of the order that it does not already fix:

1. nationality — one query per country code (ISO 3166-1 in alphabetical order, ``ALL_COUNTRIES``);
2. sex — F, M, U;
3. age band — 0–120 halved into bands (0–60, 61–120, then 0–30, 31–60...; ``ageMin`` and ``ageMax``
   are both inclusive), down to single years;
4. warrant country — one query per country code, the last resort for a single year of one sex and one
   nationality that is still over the cap.

Sex and age come before the warrant country because they are cheap (3 queries, then a binary search
of about a dozen) where a country split costs some 250 queries, almost all of them empty: most
notices of a nationality are requested by the country of that nationality, so the warrant country
hardly narrows them anyway. ``splits=`` takes another order (the guide's: nationality, warrant
country, sex, age). A query that cannot be narrowed further keeps the 160 results it does list and is
reported ``Incomplete`` with how many it missed.

Nothing is lost silently. Sex and age are partitions, so the narrower totals must add up to the broader
one; notices without a date of birth are in no age band, for instance. The 160 summaries that an
over-the-cap query lists anyway are kept: those found by none of the narrower queries are fetched
too, and whatever is still missing is reported ``Incomplete`` (a lower bound for nationality and
warrant country, which overlap: a person may hold two nationalities).

List items are summaries; each notice's detail (``/notices/v1/red/2026-12345``, with the warrants) is
fetched once, however many queries list it. A bad record or a failed detail is a ``CrawlRecordError``
with its query and position and the crawl goes on; a detail that failed other than by a 404 keeps its
summary with a problem noted, so that a name can still be screened. Reasons name URL paths and query
dimensions but never a person: names and free text are written ``name=…``.

The HTTP client waits ``min_interval`` seconds between requests, retries connection errors, timeouts,
429 and 5xx with exponential backoff (or the server's ``Retry-After``), never other 4xx, and stops a
crawl after ``max_failures`` requests in a row that failed that way (the service is down: the result
so far is returned with the reason). No Django here: a command or a task builds on it.
"""

import http.client
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

import pycountry

from . import interpol

API_ROOT = "https://ws-public.interpol.int"
RED_NOTICES = "/notices/v1/red"
CAP = 160  # the most results one query returns, whatever the paging; also the most per page
MAX_PAGES = CAP  # a service paging one result at a time still ends
MAX_BYTES = 20_000_000  # a list of 160 summaries is about 100 kB
USER_AGENT = "Shelter/0.1 (notices crawler; one request a second)"

SEXES = ("F", "M", "U")
AGE_RANGE = (0, 120)
SPLIT_ORDER = ("nationality", "sex", "age", "warrant_country")
ALL_COUNTRIES = tuple(sorted(country.alpha_2 for country in pycountry.countries))

_ENTITY_ID = re.compile(r"([0-9]{4})/([0-9]{1,10})")
_CODE = re.compile(r"[A-Z0-9]{2,4}")  # ISO alpha-2, or Interpol's own numeric codes (914)


# --- HTTP ----------------------------------------------------------------------------------------


class FetchError(Exception):
    """A request that failed for good. The message names the URL path, never the query string (it
    may hold a name). ``transient`` when the service was unreachable or overloaded rather than
    refusing this request."""

    def __init__(self, path: str, reason: str, *, status: int | None = None, transient: bool = False):
        super().__init__(f"GET {path}: {reason}")
        self.path, self.reason, self.status, self.transient = path, reason, status, transient


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]
    body: bytes


# transport(url, headers, timeout) -> Response. It raises OSError or http.client.HTTPException when
# the connection fails or times out, and returns error statuses as Responses.
Transport = Callable[[str, Mapping[str, str], float], Response]


def urllib_transport() -> Transport:
    """The standard library's HTTP, honouring the usual proxy variables (a Tor proxy, say)."""
    opener = urllib.request.build_opener()

    def get(url: str, headers: Mapping[str, str], timeout: float) -> Response:
        request = urllib.request.Request(url, headers=dict(headers))
        try:
            with opener.open(request, timeout=timeout) as answer:
                return Response(answer.status, dict(answer.headers.items()), _read(answer))
        except urllib.error.HTTPError as error:
            with error:
                headers = dict(error.headers.items()) if error.headers else {}
                try:
                    body = _read(error)
                except (OSError, http.client.HTTPException):
                    body = b""  # the status says enough
                return Response(error.code, headers, body)

    return get


def _read(answer) -> bytes:
    body = answer.read(MAX_BYTES + 1)
    if len(body) > MAX_BYTES:
        raise _TooLarge
    return body


class _TooLarge(Exception):
    pass


class Client:
    """GETs JSON from the API, politely: one request every ``min_interval`` seconds at most, retries
    with exponential backoff (``backoff``, then twice as long each time) on connection errors,
    timeouts, 429 and 5xx, never on other 4xx. A ``Retry-After`` in seconds is obeyed, unless it asks
    for more than ``max_wait``: then the client gives up at once."""

    def __init__(self, base_url: str = API_ROOT, *, transport: Transport | None = None,
                 min_interval: float = 1.0, retries: int = 4, backoff: float = 2.0, timeout: float = 30.0,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
                 user_agent: str = USER_AGENT, max_wait: float = 600.0):
        if retries < 0 or min_interval < 0:
            raise ValueError("retries and min_interval cannot be negative")
        self.base_url = base_url.rstrip("/")
        self.transport = transport or urllib_transport()
        self.min_interval, self.retries, self.backoff, self.timeout = min_interval, retries, backoff, timeout
        self.sleep, self.clock, self.max_wait = sleep, clock, max_wait
        self.headers = {"User-Agent": user_agent, "Accept": "application/json"}
        self._last_request: float | None = None

    def url(self, path: str, params: Mapping[str, object] | None = None) -> str:
        query = urllib.parse.urlencode(sorted((key, str(value)) for key, value in (params or {}).items()))
        return self.base_url + path + (f"?{query}" if query else "")

    def get_json(self, path: str, params: Mapping[str, object] | None = None):
        return _json(path, self._get(path, self.url(path, params)).body)

    def _get(self, path: str, url: str) -> Response:
        attempts = self.retries + 1
        for attempt in range(attempts):
            self._wait_turn()
            try:
                response = self.transport(url, self.headers, self.timeout)
            except _TooLarge:
                raise FetchError(path, f"the response is larger than {MAX_BYTES} bytes") from None
            except (OSError, http.client.HTTPException) as error:
                failure, status, wait = _connection_failure(error), None, None
            else:
                if 200 <= response.status < 300:
                    return response
                if not _worth_retrying(response.status):
                    raise FetchError(path, f"HTTP {response.status}", status=response.status)
                failure, status, wait = f"HTTP {response.status}", response.status, _retry_after(response)
            if wait is not None and wait > self.max_wait:
                raise FetchError(path, f"{failure}, asked to wait {wait:g} s", status=status, transient=True)
            if attempt + 1 < attempts:
                self.sleep(wait if wait is not None else self.backoff * 2**attempt)
        raise FetchError(path, f"{failure} after {attempts} attempts", status=status, transient=True)

    def _wait_turn(self):
        if self._last_request is not None:
            wait = self._last_request + self.min_interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last_request = self.clock()


def _worth_retrying(status: int) -> bool:
    return status == 429 or status >= 500


def _connection_failure(error: Exception) -> str:
    reason = getattr(error, "reason", None)  # URLError wraps the socket's error
    if isinstance(error, TimeoutError) or isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(error, http.client.IncompleteRead):
        return "the connection closed before the end of the response"
    return f"connection failed ({type(reason or error).__name__})"


def _retry_after(response: Response) -> float | None:
    value = next((v for k, v in response.headers.items() if k.lower() == "retry-after"), None)
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None  # absent, or an HTTP date: the backoff will do
    return seconds if seconds >= 0 else None


def _json(path: str, body: bytes):
    if not body.strip():
        raise FetchError(path, "the response is empty")
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        # The body is not quoted: it may hold a name.
        raise FetchError(path, f"the response is not JSON (truncated at {len(body)} bytes?)") from None


# --- Queries and how they split -------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """One search of the list endpoint. ``None`` (or "") leaves a dimension open."""

    nationality: str | None = None
    warrant_country: str | None = None
    sex: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    name: str = ""
    forename: str = ""
    free_text: str = ""

    def params(self) -> dict[str, str]:
        """The API's parameters (without the page)."""
        values = {"nationality": self.nationality, "arrestWarrantCountryId": self.warrant_country,
                  "sexId": self.sex, "ageMin": self.age_min, "ageMax": self.age_max,
                  "name": self.name, "forename": self.forename, "freeText": self.free_text}
        return {key: str(value) for key, value in values.items() if value not in (None, "")}

    def describe(self) -> str:
        """The parameters, with the personal ones (name, forename, free text) elided."""
        personal = {"name", "forename", "freeText"}
        parts = [f"{key}=…" if key in personal else f"{key}={value}" for key, value in self.params().items()]
        return " ".join(parts) or "all notices"

    def band(self) -> tuple[int, int]:
        return (AGE_RANGE[0] if self.age_min is None else self.age_min,
                AGE_RANGE[1] if self.age_max is None else self.age_max)


def roots(*, nationalities: Iterable[str] | None = None, warrant_countries: Iterable[str] | None = None,
          sex: str | None = None, age_min: int | None = None, age_max: int | None = None,
          name: str = "", forename: str = "", free_text: str = "") -> list[Query]:
    """The queries a crawl starts from: one per nationality and warrant country asked for (a dimension
    left ``None`` is open to all, and split only if needed), with the other filters on each."""
    if sex is not None and sex.upper() not in SEXES:
        raise ValueError(f"sex must be one of {', '.join(SEXES)}")
    low, high = (AGE_RANGE[0] if age_min is None else age_min), (AGE_RANGE[1] if age_max is None else age_max)
    if not AGE_RANGE[0] <= low <= high <= AGE_RANGE[1]:
        raise ValueError(f"ages must lie within {AGE_RANGE[0]}–{AGE_RANGE[1]}, the minimum first")
    base = Query(sex=sex.upper() if sex else None, age_min=age_min, age_max=age_max,
                 name=name.strip(), forename=forename.strip(), free_text=free_text.strip())
    return [replace(base, nationality=nationality, warrant_country=country)
            for nationality in _codes(nationalities, "nationalities")
            for country in _codes(warrant_countries, "warrant_countries")]


def _codes(values: Iterable[str] | None, what: str) -> list[str | None]:
    if values is None:
        return [None]
    if isinstance(values, str):
        values = [values]
    codes = list(dict.fromkeys(str(value).strip().upper() for value in values))
    if not codes:
        raise ValueError(f"{what} is empty: give None to leave it open")
    bad = [code for code in codes if not _CODE.fullmatch(code)]
    if bad:
        raise ValueError(f"{what}: not country codes: {', '.join(bad)}")
    return codes


def narrower(query: Query, splits: Sequence[str] = SPLIT_ORDER,
             countries: Sequence[str] = ALL_COUNTRIES) -> list[Query]:
    """The queries that between them cover ``query``, along the first dimension of ``splits`` it
    leaves open; [] when it cannot be narrowed any further."""
    unknown = [dimension for dimension in splits if dimension not in SPLIT_ORDER]
    if unknown:
        raise ValueError(f"unknown splits {', '.join(unknown)}: use {', '.join(SPLIT_ORDER)}")
    for dimension in splits:
        if dimension == "nationality" and query.nationality is None:
            return [replace(query, nationality=code) for code in countries]
        if dimension == "warrant_country" and query.warrant_country is None:
            return [replace(query, warrant_country=code) for code in countries]
        if dimension == "sex" and query.sex is None:
            return [replace(query, sex=sex) for sex in SEXES]
        if dimension == "age":
            low, high = query.band()
            if low < high:
                middle = (low + high) // 2
                return [replace(query, age_min=low, age_max=middle), replace(query, age_min=middle + 1, age_max=high)]
    return []


def detail_path(entity_id: str) -> str:
    """``2026/12345`` is at ``/notices/v1/red/2026-12345``. Built from the identifier rather than taken
    from the response's links, so a response can never send the crawler elsewhere."""
    match = _ENTITY_ID.fullmatch(entity_id)
    if not match:
        raise interpol.NoticeError("entity_id is not of the form YYYY/NNNNN")
    return f"{RED_NOTICES}/{match[1]}-{match[2]}"


# --- The crawl -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CrawlRecordError(interpol.RecordError):
    """A record that could not be read or fetched: its position in the listing of ``query``."""

    query: Query | None = None
    entity_id: str = ""


@dataclass(frozen=True)
class QueryTotal:
    """A query asked, the total the service reported, and whether it was narrowed for being over the
    cap."""

    query: Query
    total: int | None
    narrowed: bool = False


@dataclass(frozen=True)
class Incomplete:
    """A query some of whose notices the crawl could not list: ``missed`` of them (None if unknown)."""

    query: Query
    total: int | None
    missed: int | None
    reason: str


@dataclass(frozen=True)
class Progress:
    queries: int  # list queries asked
    pending: int  # queries still to ask
    listed: int  # distinct notices listed so far
    fetched: int  # details asked for
    notices: int
    errors: int


@dataclass
class CrawlResult:
    notices: list[interpol.Notice] = field(default_factory=list)
    errors: list[CrawlRecordError] = field(default_factory=list)
    queries: list[QueryTotal] = field(default_factory=list)
    incomplete: list[Incomplete] = field(default_factory=list)
    aborted: str = ""  # why the crawl stopped early, if it did
    listed: set[str] = field(default_factory=set)  # every entity id a query listed, fetched or not

    def complete_for(self, roots: Sequence["Query"]) -> set[str]:
        """The nationalities whose every public notice this crawl listed: asked each on its own with no
        other filter, and neither stopped early, nor left notices unlisted, nor met a record it could
        not read. Only for those may a notice missing from ``listed`` be taken as withdrawn."""
        if self.aborted or self.incomplete or any(not error.entity_id for error in self.errors):
            return set()
        return {query.nationality for query in roots if query.nationality and query == Query(nationality=query.nationality)}


@dataclass(frozen=True)
class _Listed:
    """A notice's summary, and its position in the listing of the query that listed it."""

    notice: interpol.Notice
    position: int


@dataclass
class _Listing:
    total: int
    items: list[_Listed] = field(default_factory=list)
    records: int = 0  # bad records included
    more: bool = False  # the last page read links to a next one


@dataclass(frozen=True)
class _Sweep:
    """Comes off the stack once every narrower query of ``query`` is done: fetches what ``query``
    listed and none of them did, and reports what is still missing."""

    query: Query
    total: int
    children: list[Query]
    items: list[_Listed]


def crawl(client: Client, *, nationalities: Iterable[str] | None = None,
          warrant_countries: Iterable[str] | None = None, sex: str | None = None,
          age_min: int | None = None, age_max: int | None = None, name: str = "", forename: str = "",
          free_text: str = "", splits: Sequence[str] = SPLIT_ORDER, countries: Sequence[str] = ALL_COUNTRIES,
          progress: Callable[[Progress], None] | None = None, max_failures: int = 3) -> CrawlResult:
    """Every notice matching the filters, with its warrants. By default all public Red Notices: one
    query for all, narrowed by nationality over ``countries`` and so on (see the module's docstring).
    ``nationalities=("UZ", "TJ")`` crawls only those; ``name="…"`` starts from a name search."""
    start = roots(nationalities=nationalities, warrant_countries=warrant_countries, sex=sex, age_min=age_min,
                  age_max=age_max, name=name, forename=forename, free_text=free_text)
    crawler = Crawler(client, start, splits=splits, countries=countries, progress=progress,
                      max_failures=max_failures)
    for _ in crawler:
        pass
    return crawler.result


class Crawler:
    """A crawl in steps: iterate over it for the notices as they are fetched; ``result`` fills as it
    goes, and is complete when the iteration ends. Depth first, in the order of ``narrower``."""

    def __init__(self, client: Client, queries: Sequence[Query], *, splits: Sequence[str] = SPLIT_ORDER,
                 countries: Sequence[str] = ALL_COUNTRIES, progress: Callable[[Progress], None] | None = None,
                 max_failures: int = 3):
        narrower(Query(), splits, ())  # an unknown split fails now rather than hours into the crawl
        self.client, self.splits, self.countries = client, tuple(splits), tuple(countries)
        self.progress, self.max_failures = progress, max_failures
        self.result = CrawlResult()
        self._stack: list[Query | _Sweep] = list(reversed(list(dict.fromkeys(queries))))
        self._listed: set[str] = set()  # entity_ids listed, to be fetched
        self._seen: set[str] = set()  # entity_ids whose detail was asked for
        self._found: dict[Query, set[str]] = {}  # entity_ids a query listed itself (or its sweep recovered)
        self._children: dict[Query, list[Query]] = {}
        self._totals: dict[Query, int | None] = {}
        self._failures_in_a_row = 0

    def __iter__(self) -> Iterator[interpol.Notice]:
        while self._stack and not self.result.aborted:
            step = self._stack.pop()
            yield from self._sweep(step) if isinstance(step, _Sweep) else self._ask(step)
        self.result.listed = set(self._listed)
        if self.result.aborted:
            pending = sum(isinstance(step, Query) for step in self._stack)
            unfetched = len(self._listed - self._seen)
            self.result.aborted += f"; not asked: {pending} queries; listed but not fetched: {unfetched} notices"

    def _ask(self, query: Query) -> Iterator[interpol.Notice]:
        """A query: narrowed if it is over the cap and can be, listed in full otherwise."""
        try:
            listing = self._list_page(query, 1, None)
        except (FetchError, interpol.NoticeError) as error:
            self._totals[query] = None
            self.result.queries.append(QueryTotal(query, None))
            self.result.incomplete.append(Incomplete(query, None, None, str(error)))
            self._report()
            return
        total = self._totals[query] = listing.total
        children = narrower(query, self.splits, self.countries) if total > CAP else []
        self.result.queries.append(QueryTotal(query, total, narrowed=bool(children)))
        if children:
            # The sweep goes under the children, so that it runs once they are all done.
            self._children[query] = children
            self._stack.append(_Sweep(query, total, children, listing.items))
            self._stack.extend(reversed(children))
            self._report()
            return
        failure = self._list_other_pages(query, listing)
        missed = total - listing.records
        if failure or missed > 0:
            reason = failure or (f"over the cap of {CAP} and cannot be narrowed further" if total > CAP
                                 else "the service listed fewer notices than its total")
            self.result.incomplete.append(Incomplete(query, total, max(missed, 0), reason))
        self._found[query] = {item.notice.entity_id for item in listing.items}
        yield from self._fetch_all(query, listing.items)

    def _list_page(self, query: Query, number: int, listing: _Listing | None) -> _Listing:
        """Reads page ``number`` of the query into ``listing`` (a new one for the first page)."""
        data = self._request(RED_NOTICES, {**query.params(), "page": number, "resultPerPage": CAP})
        page = interpol.parse_page(data)
        if listing is None:
            if page.total is None:
                raise interpol.NoticeError(f"GET {RED_NOTICES}: the response has no total")
            listing = _Listing(page.total)
        records = data["_embedded"]["notices"]  # parse_page checked it is a list
        bad = {error.position for error in page.errors}
        for error in page.errors:
            self._error(query, listing.records + error.position, error.reason)
        positions = [listing.records + position for position in range(len(records)) if position not in bad]
        listing.items += [_Listed(notice, position) for notice, position in zip(page.notices, positions)]
        listing.records += len(records)
        listing.more = page.next_url is not None and bool(records)
        return listing

    def _list_other_pages(self, query: Query, listing: _Listing) -> str:
        """The pages after the first, should the service page by fewer than it was asked to. The next
        page is asked by number: the response's links are not followed. Returns why it stopped early."""
        number = 1
        while listing.more and listing.records < min(listing.total, CAP) and number < MAX_PAGES:
            number += 1
            try:
                self._list_page(query, number, listing)
            except (FetchError, interpol.NoticeError) as error:
                return f"page {number}: {error}"
        return ""

    def _sweep(self, sweep: _Sweep) -> Iterator[interpol.Notice]:
        found = self._found_under(sweep.query)
        recovered = [item for item in sweep.items if item.notice.entity_id not in found]
        self._found[sweep.query] = {item.notice.entity_id for item in recovered}
        yield from self._fetch_all(sweep.query, recovered)
        totals = [self._totals.get(child) for child in sweep.children]
        if None in totals:
            return  # a narrower query failed, and is reported already
        missed = sweep.total - sum(totals) - len(recovered)
        if missed > 0:
            self.result.incomplete.append(Incomplete(
                sweep.query, sweep.total, missed, "notices in none of its narrower queries (without a date of birth, say)"))

    def _found_under(self, query: Query) -> set[str]:
        found = set(self._found.get(query, ()))
        for child in self._children.get(query, ()):
            found |= self._found_under(child)
        return found

    def _fetch_all(self, query: Query, items: list[_Listed]) -> Iterator[interpol.Notice]:
        self._listed.update(item.notice.entity_id for item in items)
        self._report()
        for item in items:
            if self.result.aborted:
                return
            if item.notice.entity_id not in self._seen:
                self._seen.add(item.notice.entity_id)
                notice = self._detail(query, item)
                if notice is not None:
                    self.result.notices.append(notice)
                    yield notice
                self._report()

    def _detail(self, query: Query, item: _Listed) -> interpol.Notice | None:
        """The notice with its warrants; its summary if the detail cannot be read (so a name can still
        be screened); None if the service says it is gone."""
        entity_id = item.notice.entity_id
        try:
            return interpol.parse_notice(self._request(detail_path(entity_id)))
        except FetchError as error:
            self._error(query, item.position, str(error), entity_id)
            if error.status == 404:
                return None  # withdrawn since it was listed
        except interpol.NoticeError as error:
            self._error(query, item.position, f"detail of {entity_id}: {error}", entity_id)
        problem = "only the summary: the detail could not be read, the warrants are unknown"
        return replace(item.notice, problems=item.notice.problems + (problem,))

    def _request(self, path: str, params: Mapping[str, object] | None = None):
        try:
            data = self.client.get_json(path, params)
        except FetchError as error:
            self._count_failure(error)
            raise
        self._failures_in_a_row = 0
        return data

    def _count_failure(self, error: FetchError):
        if not error.transient:
            return  # the service answered: it is up
        self._failures_in_a_row += 1
        if self._failures_in_a_row >= self.max_failures:
            self.result.aborted = f"stopped after {self._failures_in_a_row} failed requests in a row ({error})"

    def _error(self, query: Query, position: int, reason: str, entity_id: str = ""):
        self.result.errors.append(CrawlRecordError(position, reason, query, entity_id))

    def _report(self):
        if self.progress:
            self.progress(Progress(
                queries=len(self.result.queries), pending=sum(isinstance(step, Query) for step in self._stack),
                listed=len(self._listed), fetched=len(self._seen), notices=len(self.result.notices),
                errors=len(self.result.errors)))
