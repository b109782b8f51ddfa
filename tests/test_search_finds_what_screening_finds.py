"""Search finds whatever the screening page finds: for labelled matches of the Central Asian benchmark
(benchmarks/central_asian/pairs.jsonl), one side recorded, the other typed into both pages."""

import json
from pathlib import Path

import pytest

from shelter.records.models import Person, PersonName

from .conftest import login

PAIRS = Path(__file__).resolve().parent.parent / "benchmarks" / "central_asian" / "pairs.jsonl"
PER_CATEGORY = 2  # the first two matching pairs of each category: every way spellings differ, quickly


def matching_pairs() -> list[dict]:
    taken, pairs = {}, []
    for line in PAIRS.read_text("utf-8").splitlines():
        pair = json.loads(line)
        if pair["match"] and taken.get(pair["category"], 0) < PER_CATEGORY:
            taken[pair["category"]] = taken.get(pair["category"], 0) + 1
            pairs.append(pair)
    return pairs


PAIRS_TAKEN = matching_pairs()


@pytest.fixture
def registry(case):
    """Every pair's first side recorded, one person each, in one case."""
    persons = {}
    for pair in PAIRS_TAKEN:
        person = Person.objects.create(case=case)
        PersonName.objects.create(person=person, value=pair["a"]["name"])
        persons[pair["id"]] = person
    return persons


def test_the_benchmark_sample_covers_every_kind_of_match():
    assert len({pair["category"] for pair in PAIRS_TAKEN}) >= 12


def test_search_finds_every_person_the_screening_page_matches(client, caseworker, registry):
    login(client, caseworker)
    screened_somewhere = 0
    for pair in PAIRS_TAKEN:
        typed = pair["b"]["name"]
        screened = {card["person"] for card in client.post("/screen/", {"name": typed}).context["alerts"]}
        searched = set(client.post("/search/", {"q": typed}).context["results"])
        assert screened <= searched, pair["id"]
        screened_somewhere += registry[pair["id"]] in screened
    assert screened_somewhere >= len(PAIRS_TAKEN) * 0.8  # the sample is one the screening mostly finds
