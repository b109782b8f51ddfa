"""Every structured source of the reference data can be found by a lawyer: judgments by application
number and date, UN documents by their symbol."""

import pytest

from shelter.assessment import sources


def test_every_source_gives_what_finds_it():
    problems = {where: sources.format_problems(source) for where, source in sources.structured_sources()}
    assert len(problems) > 50
    assert not {where: p for where, p in problems.items() if p}


@pytest.mark.parametrize("source, problem", [
    ({"title": "Ismoilov and Others v. Russia", "publisher": "European Court of Human Rights", "reference": "2008"},
     "no application number (no. NNNNN/YY)"),
    ({"title": "Ismoilov and Others v. Russia", "publisher": "European Court of Human Rights", "reference": "no. 2947/06"},
     "no judgment date (D Month YYYY)"),
    ({"title": "Concluding observations", "publisher": "UN Committee against Torture", "reference": "2018"},
     "no UN document symbol"),
])
def test_a_source_that_cannot_be_found_is_named(source, problem):
    assert problem in sources.format_problems(source)
