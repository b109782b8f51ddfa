"""Crawling Interpol's Red Notices API around its 160-result cap, against recorded responses played
back by a local HTTP server (tests/data/interpol/recorded/make_responses.py says what they hold; every
person in them is fictional). Nothing here reaches the internet, and nothing really waits: the client
sleeps on a fake clock."""

import itertools
import socket
import subprocess
import sys
import urllib.parse
from collections import Counter
from pathlib import Path

import pytest

from shelter.notices.sources import fetch
from shelter.notices.sources.fetch import Client, FetchError, Query, crawl, narrower

from .interpol_server import recorded_interpol

# Notices with a part to play in the recording.
UNDATED_FIRST, UNDATED_LAST = "2026/55624", "2008/96609"  # Uzbek men without a date of birth
NON_ISO, PARTIAL = "2013/51489", "2022/10291"
UNAVAILABLE_ONCE, TRUNCATED, WITHDRAWN = "2014/17978", "2021/45916", "2019/70735"
KARIMOV = ["2013/14286", "2019/10046", "2023/48945"]
UZ, TJ, RU = Query(nationality="UZ"), Query(nationality="TJ"), Query(nationality="RU")
UZ_MEN = Query(nationality="UZ", sex="M")


def detail(entity_id):
    return fetch.detail_path(entity_id)


def red(**params):
    return "/notices/v1/red?" + urllib.parse.urlencode(sorted((k, str(v)) for k, v in params.items()))


class FakeTime:
    """A clock that only moves when the client sleeps, and remembers each sleep."""

    def __init__(self):
        self.now, self.sleeps = 1000.0, []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def make_client(url, fake_time, **options):
    return Client(url, **{"min_interval": 0, "sleep": fake_time.sleep, "clock": fake_time.clock, **options})


@pytest.fixture
def server():
    with recorded_interpol() as server:
        yield server


@pytest.fixture
def fake_time():
    return FakeTime()


@pytest.fixture
def client(server, fake_time):
    return make_client(server.url, fake_time)


class Crawled:
    def __init__(self, result, hits, sleeps):
        self.result, self.hits, self.sleeps = result, hits, sleeps
        self.by_id = {notice.entity_id: notice for notice in result.notices}
        self.totals = {asked.query: asked.total for asked in result.queries}


@pytest.fixture(scope="module")
def uzbeks_tajiks_russians():
    """The crawl most tests look at: three nationalities, split as the planner likes."""
    fake_time = FakeTime()
    with recorded_interpol() as server:
        result = crawl(make_client(server.url, fake_time), nationalities=("RU", "TJ", "UZ"))
        return Crawled(result, Counter(server.hits), fake_time.sleeps)


# --- Splitting -------------------------------------------------------------------------------------


def test_it_splits_queries_over_the_cap_by_sex(uzbeks_tajiks_russians):
    totals = uzbeks_tajiks_russians.totals
    assert totals[UZ] == 300
    assert [totals[Query(nationality="UZ", sex=sex)] for sex in "FMU"] == [12, 280, 8]
    narrowed = [asked.query for asked in uzbeks_tajiks_russians.result.queries if asked.narrowed]
    assert UZ in narrowed and TJ not in narrowed


def test_a_split_still_over_the_cap_is_split_again_by_age_band(uzbeks_tajiks_russians):
    bands = {(query.age_min, query.age_max): total for query, total in uzbeks_tajiks_russians.totals.items()
             if query.age_min is not None}
    assert bands == {(0, 60): 250, (0, 30): 90, (31, 60): 160, (61, 120): 28}


def test_queries_are_asked_depth_first_in_a_fixed_order(uzbeks_tajiks_russians):
    assert [asked.query.describe() for asked in uzbeks_tajiks_russians.result.queries] == [
        "nationality=RU", "nationality=TJ", "nationality=UZ",
        "nationality=UZ sexId=F", "nationality=UZ sexId=M",
        "nationality=UZ sexId=M ageMin=0 ageMax=60",
        "nationality=UZ sexId=M ageMin=0 ageMax=30", "nationality=UZ sexId=M ageMin=31 ageMax=60",
        "nationality=UZ sexId=M ageMin=61 ageMax=120",
        "nationality=UZ sexId=U"]


def test_the_split_order_is_nationality_sex_age_then_warrant_country():
    assert [q.nationality for q in narrower(Query(), countries=("RU", "TJ"))] == ["RU", "TJ"]
    assert [q.sex for q in narrower(Query(nationality="UZ"))] == ["F", "M", "U"]
    assert [(q.age_min, q.age_max) for q in narrower(UZ_MEN)] == [(0, 60), (61, 120)]
    assert [(q.age_min, q.age_max) for q in narrower(Query(nationality="UZ", sex="M", age_min=31, age_max=32))] == [(31, 31), (32, 32)]
    single_year = Query(nationality="UZ", sex="M", age_min=40, age_max=40)
    assert [q.warrant_country for q in narrower(single_year, countries=("TJ", "UZ"))] == ["TJ", "UZ"]
    assert narrower(Query(nationality="UZ", warrant_country="UZ", sex="M", age_min=40, age_max=40)) == []


def test_another_split_order_can_be_asked_for():
    order = ("nationality", "warrant_country", "sex", "age")
    assert [q.warrant_country for q in narrower(Query(nationality="UZ"), order, countries=("RU", "UZ"))] == ["RU", "UZ"]
    with pytest.raises(ValueError, match="unknown splits colour"):
        narrower(Query(), ("colour",))


def test_the_default_split_covers_every_iso_country():
    assert len(fetch.ALL_COUNTRIES) >= 249 and {"UZ", "TJ", "RU", "KZ", "TR"} <= set(fetch.ALL_COUNTRIES)
    assert list(fetch.ALL_COUNTRIES) == sorted(fetch.ALL_COUNTRIES)


def test_an_open_crawl_splits_by_nationality_first(server, client):
    result = crawl(client, countries=("RU", "TJ", "UZ"))
    assert result.queries[0] == fetch.QueryTotal(Query(), 360, narrowed=True)
    assert [asked.query for asked in result.queries[1:4]] == [RU, TJ, UZ]
    assert len(result.notices) == 357 and not result.aborted


def test_a_leaf_still_over_the_cap_is_reported_incomplete(server, client):
    result = crawl(client, nationalities=("UZ",), splits=("sex",))
    assert result.incomplete == [fetch.Incomplete(UZ_MEN, 280, 120, "over the cap of 160 and cannot be narrowed further")]
    assert len(result.notices) == 12 + 160 + 8  # the 160 it does list are kept
    assert server.hits[red(nationality="UZ", sexId="M", page=2, resultPerPage=160)] == 0


def test_notices_in_no_age_band_are_recovered_from_the_broader_listing_or_reported(uzbeks_tajiks_russians):
    # Two Uzbek men have no date of birth: the listing of all Uzbek men shows the first, not the other.
    assert UNDATED_FIRST in uzbeks_tajiks_russians.by_id
    assert UNDATED_LAST not in uzbeks_tajiks_russians.by_id
    assert uzbeks_tajiks_russians.result.incomplete == [
        fetch.Incomplete(UZ_MEN, 280, 1, "notices in none of its narrower queries (without a date of birth, say)")]


def test_the_crawl_can_be_restricted_to_a_name(server, client):
    result = crawl(client, name="KARIMOV")
    assert [asked.query for asked in result.queries] == [Query(name="KARIMOV")]
    assert sorted(notice.entity_id for notice in result.notices) == KARIMOV
    assert {notice.name for notice in result.notices} == {"KARIMOV"}


def test_restrictions_are_checked_before_anything_is_asked():
    with pytest.raises(ValueError, match="not country codes"):
        fetch.roots(nationalities=["UZ", "Uzbekistan"])
    with pytest.raises(ValueError, match="sex"):
        fetch.roots(sex="X")
    with pytest.raises(ValueError, match="ages"):
        fetch.roots(age_min=50, age_max=40)
    assert fetch.roots(nationalities=["uz", "TJ", "UZ"], warrant_countries=["ru"]) == [
        Query(nationality="UZ", warrant_country="RU"), Query(nationality="TJ", warrant_country="RU")]


# --- Fetching each notice once ---------------------------------------------------------------------


def test_every_notice_is_fetched_once(uzbeks_tajiks_russians):
    details = {key: n for key, n in uzbeks_tajiks_russians.hits.items() if "?" not in key}
    assert len(details) == 300 - 1 + 21 + 38  # all but the undated man no query lists; the Uzbeks listed
    # under TJ or RU too are fetched once
    assert {key: n for key, n in details.items() if n != 1} == {detail(UNAVAILABLE_ONCE): 2}
    ids = [notice.entity_id for notice in uzbeks_tajiks_russians.result.notices]
    assert len(ids) == len(set(ids)) == 357


def test_no_list_query_is_asked_twice_but_the_one_retried(uzbeks_tajiks_russians):
    lists = {key: n for key, n in uzbeks_tajiks_russians.hits.items() if "?" in key}
    assert {key: n for key, n in lists.items() if n != 1} == {red(nationality="RU", page=2, resultPerPage=160): 2}
    assert len(lists) == 11  # 10 queries, one of them on two pages


def test_the_detail_carries_the_warrants(uzbeks_tajiks_russians):
    notice = uzbeks_tajiks_russians.by_id[UNAVAILABLE_ONCE]
    assert notice.warrants and notice.warrants[0].issuing_country == "TJ" and notice.problems == ()


def test_a_non_iso_warrant_country_is_kept_as_written(uzbeks_tajiks_russians):
    notice = uzbeks_tajiks_russians.by_id[NON_ISO]
    assert [w.issuing_country for w in notice.warrants] == ["TJ", "914"]
    assert notice.non_iso_codes == ("914",)


def test_an_empty_charge_and_a_partial_birth_date_are_kept(uzbeks_tajiks_russians):
    notice = uzbeks_tajiks_russians.by_id[PARTIAL]
    assert notice.birth_date == "1979-08"
    assert notice.warrants[0].charge == "" and notice.gender == "female"


def test_it_pages_when_the_service_pages_by_fewer_than_asked(uzbeks_tajiks_russians):
    russians = [n for n in uzbeks_tajiks_russians.result.notices if "RU" in n.nationalities]
    assert len(russians) == 40
    assert uzbeks_tajiks_russians.totals[RU] == 40


# --- A bad record never stops the crawl -------------------------------------------------------------


def errors_by_id(crawled):
    return {error.entity_id: error for error in crawled.result.errors}


def test_a_truncated_detail_is_reported_and_the_crawl_goes_on(uzbeks_tajiks_russians):
    error = errors_by_id(uzbeks_tajiks_russians)[TRUNCATED]
    assert error.query == TJ
    assert error.reason.startswith(f"GET {detail(TRUNCATED)}: the response is not JSON (truncated")
    assert uzbeks_tajiks_russians.hits[detail(TRUNCATED)] == 1  # a broken answer is not asked again
    # The summary stays, flagged, so the name can still be screened; the Uzbeks after it were fetched.
    summary = uzbeks_tajiks_russians.by_id[TRUNCATED]
    assert summary.warrants == () and "the warrants are unknown" in summary.problems[-1]
    assert uzbeks_tajiks_russians.totals[UZ] == 300 and len(uzbeks_tajiks_russians.result.notices) == 357


def test_a_withdrawn_notice_is_reported_once_and_left_out(uzbeks_tajiks_russians):
    error = errors_by_id(uzbeks_tajiks_russians)[WITHDRAWN]
    assert error.reason == f"GET {detail(WITHDRAWN)}: HTTP 404"
    assert uzbeks_tajiks_russians.hits[detail(WITHDRAWN)] == 1  # a 404 is not retried
    assert WITHDRAWN not in uzbeks_tajiks_russians.by_id


def test_a_bad_list_record_is_reported_with_its_query_and_position(uzbeks_tajiks_russians):
    error = errors_by_id(uzbeks_tajiks_russians)[""]
    assert (error.query, error.position, error.reason) == (TJ, 24, "entity_id is missing")
    assert len(uzbeks_tajiks_russians.result.errors) == 3


def test_reasons_never_name_a_person(uzbeks_tajiks_russians, server, client):
    result = crawl(client, name="TURSUNOVA", forename="DILNOZA")  # not recorded: the service says 404
    assert result.incomplete == [fetch.Incomplete(Query(name="TURSUNOVA", forename="DILNOZA"), None, None,
                                                  "GET /notices/v1/red: HTTP 404")]
    assert result.incomplete[0].query.describe() == "name=… forename=…"
    names = {part for notice in uzbeks_tajiks_russians.result.notices for part in (notice.name, notice.forename)}
    names |= {"DAVLATOV", "UMED"}  # the record without entity_id
    reasons = [error.reason for error in uzbeks_tajiks_russians.result.errors]
    reasons += [incomplete.reason for incomplete in uzbeks_tajiks_russians.result.incomplete]
    assert not [reason for reason in reasons if any(name in reason for name in names)]


# --- A polite client --------------------------------------------------------------------------------


def test_it_waits_between_requests(server, fake_time):
    stamps = []
    transport = fetch.urllib_transport()

    def stamped(url, headers, timeout):
        stamps.append(fake_time.clock())
        return transport(url, headers, timeout)

    client = make_client(server.url, fake_time, min_interval=1.5, transport=stamped)
    for entity_id in KARIMOV:
        client.get_json(detail(entity_id))
    assert len(stamps) == 3
    assert all(later - earlier >= 1.5 for earlier, later in itertools.pairwise(stamps))
    assert fake_time.sleeps == [1.5, 1.5]


def test_it_retries_after_a_503(uzbeks_tajiks_russians):
    assert uzbeks_tajiks_russians.hits[detail(UNAVAILABLE_ONCE)] == 2
    assert UNAVAILABLE_ONCE in uzbeks_tajiks_russians.by_id
    assert UNAVAILABLE_ONCE not in errors_by_id(uzbeks_tajiks_russians)


def test_it_waits_as_long_as_retry_after_says(uzbeks_tajiks_russians):
    # RU's page 2 answers 429 "Retry-After: 5" first; the 503 above says "Retry-After: 3".
    assert uzbeks_tajiks_russians.sleeps == [5, 3]


def test_it_gives_up_after_the_retries_with_a_reason(server, client, fake_time):
    with pytest.raises(FetchError) as raised:
        client.get_json("/notices/v1/red/2000-10001")
    assert str(raised.value) == "GET /notices/v1/red/2000-10001: HTTP 503 after 5 attempts"
    assert raised.value.status == 503 and raised.value.transient
    assert server.hits["/notices/v1/red/2000-10001"] == 5
    assert fake_time.sleeps == [2, 4, 8, 16]  # exponential backoff


def test_it_gives_up_at_once_when_asked_to_wait_too_long(server, client, fake_time):
    with pytest.raises(FetchError, match="HTTP 429, asked to wait 3600 s"):
        client.get_json("/notices/v1/red/2000-10002")
    assert server.hits["/notices/v1/red/2000-10002"] == 1 and fake_time.sleeps == []


def test_it_retries_when_the_connection_is_refused(fake_time):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    client = make_client(f"http://127.0.0.1:{port}", fake_time, retries=2)
    with pytest.raises(FetchError, match=r"^GET /notices/v1/red: connection failed \(\w+\) after 3 attempts$"):
        client.get_json("/notices/v1/red", {"name": "SAIDOV"})
    assert fake_time.sleeps == [2, 4]


def test_it_retries_after_a_timeout(server, fake_time):
    client = make_client(server.url, fake_time, retries=1, timeout=0.2)
    with pytest.raises(FetchError, match="timed out after 2 attempts"):
        client.get_json("/notices/v1/red/2000-10003")
    assert server.hits["/notices/v1/red/2000-10003"] == 2


def test_a_response_that_is_not_json_is_refused_with_a_reason(server, client):
    with pytest.raises(FetchError, match="the response is not JSON") as raised:
        client.get_json(detail(TRUNCATED))
    assert not raised.value.transient and server.hits[detail(TRUNCATED)] == 1


def test_a_detail_path_is_built_from_the_identifier_only():
    assert fetch.detail_path("2026/12345") == "/notices/v1/red/2026-12345"
    for entity_id in ("2026-12345", "../../admin", "2026/12345?x=1", "2026/12345\n", ""):
        with pytest.raises(fetch.interpol.NoticeError):
            fetch.detail_path(entity_id)


# --- The crawl as a whole ---------------------------------------------------------------------------


def test_the_crawl_stops_when_the_service_is_down(fake_time):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    client = make_client(f"http://127.0.0.1:{port}", fake_time, retries=1)
    result = crawl(client, nationalities=("UZ", "TJ", "RU", "KZ"), max_failures=3)
    assert result.aborted.startswith("stopped after 3 failed requests in a row (GET /notices/v1/red: connection")
    assert result.aborted.endswith("not asked: 1 queries; listed but not fetched: 0 notices")
    assert [incomplete.query for incomplete in result.incomplete] == [UZ, TJ, RU]


def test_progress_is_reported_as_it_goes(server, client):
    seen = []
    result = crawl(client, nationalities=("TJ", "RU"), progress=seen.append)
    assert seen[-1] == fetch.Progress(queries=2, pending=0, listed=24 + 40, fetched=24 + 40,
                                      notices=len(result.notices), errors=3)
    assert all(p.fetched <= p.listed for p in seen)
    assert [p.fetched for p in seen] == sorted(p.fetched for p in seen)


def test_a_crawler_yields_the_notices_as_they_are_fetched(server, client):
    crawler = fetch.Crawler(client, [TJ])
    first = next(iter(crawler))
    assert crawler.result.notices == [first]
    assert server.hits[detail(first.entity_id)] == 1


def test_the_crawler_needs_no_django():
    code = "import sys, shelter.notices.sources.fetch; sys.exit('django' in sys.modules)"
    subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parent.parent, check=True)
