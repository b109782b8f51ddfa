"""The sources of the reference data: one list, on a page in both languages and in docs/sources.md."""

from pathlib import Path

import pytest

from shelter.assessment import sources

from .conftest import login

DOCS = Path(__file__).resolve().parent.parent / "docs" / "sources.md"


def test_every_cited_document_is_listed_with_where_it_is_used_and_at_which_pinpoint():
    listed = {d.citation: d for d in sources.documents()}
    saadi = listed[next(c for c in listed if c.startswith("Saadi v. Italy [GC]"))]
    assert any(use.where == "refoulement.json: saadi" and "§§ 137-141" in use.pinpoint for use in saadi.uses)
    assert any("countries.json: TJ, irregular_transfers" in d.used_for for d in listed.values())
    statute = listed[next(c for c in listed if c.startswith("Statute of the Commission for the Control of INTERPOL's Files"))]
    assert {use.pinpoint for use in statute.uses} == {"Art. 40(1)", "Art. 40(2)"}
    assert all(d.uses for d in listed.values())


def test_the_page_counts_the_entries_by_how_they_were_verified(client, caseworker):
    counts = sources.verification_counts()
    assert sum(counts.values()) == len(sources.entries()) and counts["primary text"] > 0 and counts["not yet"] > 0
    login(client, caseworker)
    page = client.get("/references/").content.decode()
    assert (f"Of the {len(sources.entries())} entries: {counts['primary text']} checked against the primary text, "
            f"{counts['secondary source']} against a secondary source only, {counts['not yet']} not yet.") in page


def test_the_page_says_how_each_use_was_verified(client, caseworker):
    login(client, caseworker)
    page = client.get("/references/").content.decode()
    assert "checked against the primary text on" in page and "not verified" in page
    client.cookies["django_language"] = "ru"
    page = client.get("/references/").content.decode()
    assert "сверено с первоисточником" in page and "не проверено" in page


def test_docs_sources_md_is_in_step_with_the_data():
    assert DOCS.read_text(encoding="utf-8") == sources.markdown(), (
        "docs/sources.md is out of date: python -m shelter.assessment.sources > docs/sources.md")


@pytest.mark.parametrize("language, heading", [("en", "Sources of reference"), ("ru", "Источники справочных данных")])
def test_the_page_lists_them_in_both_languages(client, caseworker, language, heading):
    login(client, caseworker)
    client.cookies["django_language"] = language
    page = client.get("/references/").content.decode()
    assert f"<h1>{heading}</h1>" in page and "Ergashev" in page
    assert page.count("<cite") == len(sources.documents())


def test_auditors_and_visitors_do_not_reach_it(client, auditor):
    assert client.get("/references/").status_code == 302
    login(client, auditor)
    assert client.get("/references/").status_code == 403


def test_each_listed_document_has_an_anchor_that_citations_link_to(client, caseworker):
    from shelter.front.templatetags.shelter import reference_anchor

    login(client, caseworker)
    page = client.get("/references/").content.decode()
    saadi = next(d for d in sources.documents() if d.citation.startswith("Saadi v. Italy [GC]"))
    assert f'id="{reference_anchor(saadi.citation)}"' in page
