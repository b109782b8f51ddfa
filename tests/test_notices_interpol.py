"""Reading Interpol's public notices API, record by record (fictional recorded responses)."""

import json
from pathlib import Path

import pytest

from shelter.notices.sources.interpol import NoticeError, parse_notice, parse_page

DATA = Path(__file__).parent / "data" / "interpol"


def load(name):
    return json.loads((DATA / name).read_text("utf-8"))


def test_it_reads_a_detail_response():
    notice = parse_notice(load("red_detail.json"))
    assert notice.entity_id == "2026/11111"
    assert notice.full_name == "MUHIDDIN KABIROV"
    assert notice.birth_date == "1965-01-07"
    assert notice.gender == "male"
    assert notice.nationalities == ("TJ",) and notice.country_of_birth == "TJ"
    assert notice.languages == ("tgk", "rus")
    assert notice.warrants[0].charge_translation == "Organisation of an extremist community"


def test_non_iso_country_codes_are_kept_as_written_and_listed():
    notice = parse_notice(load("red_detail.json"))
    assert notice.warrants[1].issuing_country == "914"
    assert notice.non_iso_codes == ("914",)


def test_an_empty_charge_is_read_as_empty():
    assert parse_notice(load("red_detail.json")).warrants[1].charge == ""


def test_a_list_keeps_its_good_records_and_reports_the_bad_ones():
    page = parse_page(load("red_list.json"))
    assert [n.entity_id for n in page.notices] == ["2026/11111", "2025/22222"]
    assert [(e.position, e.reason) for e in page.errors] == [
        (2, "entity_id is missing"), (3, "notice 2024/33333 has no name"), (4, "a notice must be a JSON object")]
    assert page.total == 4
    assert page.next_url.endswith("page=2")


def test_partial_dates_keep_their_precision():
    page = parse_page(load("red_list.json"))
    assert page.notices[1].birth_date == "1985-03"
    assert page.notices[1].non_iso_codes == ("922",)


@pytest.mark.parametrize("date_of_birth, expected", [("1990", "1990"), ("1990/05", "1990-05"), ("1990/05/15", "1990-05-15")])
def test_every_date_form_of_the_api_is_read(date_of_birth, expected):
    assert parse_notice({"entity_id": "1/1", "name": "X", "date_of_birth": date_of_birth}).birth_date == expected


def test_an_invalid_date_is_a_problem_of_the_record_not_a_failure():
    notice = parse_notice({"entity_id": "1/1", "name": "X", "date_of_birth": "1990/13/45"})
    assert notice.birth_date == "" and notice.problems == ("date_of_birth is not a date",)


@pytest.mark.parametrize("data", [None, [], "text", {"total": 3}, {"_embedded": {"notices": "x"}}])
def test_a_malformed_or_truncated_response_is_refused_with_a_reason(data):
    with pytest.raises(NoticeError, match="not a notices list"):
        parse_page(data)


def test_reasons_quote_no_names():
    page = parse_page(load("red_list.json"))
    assert all("NO IDENTIFIER" not in e.reason for e in page.errors)


def test_the_subject_of_a_notice_matches_a_registered_person_written_in_another_script():
    from shelter.matching.index import Index
    from shelter.matching.person import make
    from shelter.notices.sources.interpol import as_person

    registry = Index()
    registry.add("registered", make("Мухиддин Кабири", birth_date="1965", nationality="tj"))
    registry.add("namesake", make("Мухиддин Кабиров", birth_date="1990"))
    alerts = registry.screen(as_person(parse_notice(load("red_detail.json"))))
    assert [a.candidate for a in alerts] == ["registered"]
    reasons = {p["reason"] for p in alerts[0].result.explanation()[0]["parts"]}
    assert reasons == {"transliteration", "derussified"}


@pytest.mark.attack("denial-of-service")
def test_a_notice_of_more_aliases_than_a_person_may_have_is_screened_by_its_first_ones():
    # A list entry with dozens of aliases must neither slow every screening down nor escape it.
    from shelter.matching import MAX_ALIASES, MAX_NAMES
    from shelter.notices.sources.interpol import Notice, as_person

    aliases = tuple(f"Karimov {letter}li" for letter in "ABCDEFGHIJ"[: MAX_ALIASES + 3])
    person = as_person(Notice(entity_id="2026/1", name="Karimov", forename="Ulugbek", aliases=aliases))
    assert [name.text for name in person.names] == ["Ulugbek Karimov", *aliases[:MAX_ALIASES]]
    assert len(person.names) == MAX_NAMES
