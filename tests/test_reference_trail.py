"""Every entry of the reference data can be checked by a lawyer: it cites a primary source at a
pinpoint, says when and how it was verified, and each document gives what finds it (judgments their
application number and date, UN documents their symbol, every date in ISO form)."""

import datetime
from pathlib import Path

import pytest

from shelter import thesaurus
from shelter.assessment import sources

TODAY = datetime.date(2026, 12, 5)
# Entries still to be read against their primary source: the list may only shrink. An entry leaves it
# when it gains its pinpoint and verification (the second test below says so).
TO_VERIFY = Path(__file__).parent / "data" / "reference_to_verify.txt"


def _still_to_verify() -> set[str]:
    lines = TO_VERIFY.read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def test_every_entry_cites_a_primary_source_at_a_pinpoint_and_was_verified():
    problems = {entry.where: sources.trail_problems(entry) for entry in sources.entries()}
    assert len(problems) > 240
    listed = _still_to_verify()
    assert not {where: p for where, p in problems.items() if p and where not in listed}


def test_the_list_of_entries_still_to_verify_names_only_entries_that_still_need_it():
    problems = {entry.where: sources.trail_problems(entry) for entry in sources.entries()}
    listed = _still_to_verify()
    assert listed <= set(problems), f"not entries: {sorted(listed - set(problems))[:3]}"
    done = sorted(where for where in listed if not problems[where])
    assert not done, f"verified now, remove from {TO_VERIFY.name}: {done[:5]}"


def test_every_data_file_is_held_to_it():
    files = {entry.where.split(":")[0] for entry in sources.entries()}
    assert files >= {"countries.json", "refoulement.json", "treaties.json", "indicators.json", "time_limits.json",
                     "charges.json", "travel.json", "tactics thesaurus", "profiles thesaurus", "accusations thesaurus"}


def test_every_term_of_the_thesauri_is_an_entry():
    where = {entry.where for entry in sources.entries()}
    for name in ("tactics", "profiles", "accusations"):
        own = {term["code"] for term in thesaurus.terms(name) if term["source"] == "Shelter"}
        assert all(f"{name} thesaurus: {term['code']}" in where for term in thesaurus.terms(name) if term["code"] not in own)
        assert own <= {"other", "none"}  # only residual categories are Shelter's own


def test_every_document_gives_what_finds_it():
    problems = {key: sources.format_problems(source) for key, source in sources.structured_sources()}
    assert len(problems) > 80
    assert not {key: p for key, p in problems.items() if p}


def test_every_document_of_the_registry_is_cited():
    cited = {document.key for document in sources.documents()}
    assert not set(sources.registry()) - cited


def _entry(pinpoint="para. 9", primary=True, verified=None):
    source = {"title": "Concluding observations", "publisher": "UN Committee against Torture",
              "reference": "CAT/C/TJK/CO/3", "year": 2018, "primary": primary}
    verified = {"on": "2026-12-05", "how": "primary text"} if verified is None else verified
    return sources.Entry("test", [("cat_tjk_co3", source, pinpoint)], verified)


@pytest.mark.parametrize("entry, problem", [
    (_entry(pinpoint=""), "no primary source cited at a pinpoint"),
    (_entry(pinpoint="see generally"), "no primary source cited at a pinpoint"),
    (_entry(primary=False), "no primary source cited at a pinpoint"),
    (_entry(verified={}), "verified.how is not one of"),
    (_entry(verified={"on": "5 December 2026", "how": "primary text"}), "verified.on is not an ISO date"),
    (_entry(verified={"on": "2027-01-01", "how": "primary text"}), "verified.on is in the future"),
    (_entry(verified={"on": "2026-12-05", "how": "memory"}), "verified.how is not one of"),
    (sources.Entry("test", [], {"on": "2026-12-05", "how": "primary text"}), "cites nothing"),
])
def test_an_entry_that_cannot_be_checked_is_named(entry, problem):
    assert any(p.startswith(problem) for p in sources.trail_problems(entry, TODAY))


def test_a_checkable_entry_passes():
    assert sources.trail_problems(_entry(), TODAY) == []


@pytest.mark.parametrize("source, problem", [
    ({"title": "Ismoilov and Others v. Russia", "publisher": "European Court of Human Rights", "year": 2008,
      "reference": "2008"}, "no application number (no. NNNNN/YY)"),
    ({"title": "Ismoilov and Others v. Russia", "publisher": "European Court of Human Rights", "year": 2008,
      "reference": "no. 2947/06"}, "no judgment date (D Month YYYY)"),
    ({"title": "Concluding observations", "publisher": "UN Committee against Torture", "year": 2018,
      "reference": "2018"}, "no UN document symbol"),
    ({"title": "Report", "publisher": "Freedom House", "date": "February 2023"}, "date not in ISO form (YYYY-MM-DD)"),
    ({"title": "Report", "publisher": "Freedom House"}, "no year or date"),
])
def test_a_document_that_cannot_be_found_is_named(source, problem):
    assert problem in sources.format_problems(source)


def test_a_citation_resolves_in_each_of_its_three_forms():
    assert sources.resolve("echr_saadi")[0] == "echr_saadi"
    key, document, pinpoint = sources.resolve({"source": "echr_saadi", "pinpoint": "§ 138"})
    assert (key, pinpoint) == ("echr_saadi", "§ 138") and document["reference"].startswith("no. 37201/06")
    key, document, pinpoint = sources.resolve({"title": "A report", "publisher": "An NGO", "year": 2020, "pinpoint": "p. 4"})
    assert key.startswith("inline:") and pinpoint == "p. 4" and "pinpoint" not in document
    assert sources.as_cited({"source": "echr_saadi", "pinpoint": "§ 138"})["pinpoint"] == "§ 138"


def test_an_unknown_document_is_refused_by_name():
    with pytest.raises(KeyError, match="echr_nonexistent"):
        sources.resolve("echr_nonexistent")


def test_a_citation_saved_before_its_pinpoint_was_split_off_still_finds_its_document():
    # Assessments stored earlier carry the pinpoint inside the reference; the title still finds it.
    old = {"title": "Saadi v. Italy [GC]", "publisher": "European Court of Human Rights", "year": 2008,
           "reference": "no. 37201/06, 28 February 2008, §§ 125-127 (the prohibition is absolute)"}
    assert sources.document_key(old) == "echr_saadi"
