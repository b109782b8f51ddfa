"""shelter.publishing.dataset and .package: facts to k-anonymous rows and a valid Data Package.

Pure Python: no database, no Django."""

import json
import random
from collections import Counter

import pytest
from frictionless import validate

from shelter import thesaurus
from shelter.publishing.dataset import QUASI_IDENTIFIERS, Facts, column_names, publish
from shelter.publishing.package import Provenance, write

pytestmark = pytest.mark.filterwarnings("ignore")

PROVENANCE = Provenance(publisher="Test NGO", created="2026-12-05T10:00:00+00:00")
OUTCOMES = ["unknown", "ongoing", "released", "protected", "detained", "returned", "imprisoned", "disappeared",
            "killed", "injured"]


def facts(n, seed=1, named_share=0.0):
    rnd = random.Random(seed)
    tactics = thesaurus.codes("tactics")
    return [
        Facts(
            year=rnd.randrange(2014, 2027),
            origin=rnd.choice(["UZ", "TJ", "RU", "BY", "AZ"]),
            host=rnd.choice(["TR", "RU", "DE", "PL", "US", "LT", "KZ"]),
            tactics=tuple(rnd.sample(tactics, rnd.choice([1, 1, 2]))),
            profile=rnd.choice(thesaurus.codes("profiles") + [""]),
            gender=rnd.choice(["male", "female", ""]),
            outcome=rnd.choice(OUTCOMES),
            complicity=rnd.choice(["unknown", "none", "passive", "active"]),
            named=rnd.random() < named_share,
        )
        for _ in range(n)
    ]


@pytest.mark.parametrize("k", [3, 5, 10])
def test_rows_are_k_anonymous_over_the_quasi_identifiers(k):
    pub = publish(facts(2000), k)
    assert min(Counter(tuple(r[q] for q in QUASI_IDENTIFIERS) for r in pub.rows).values()) >= k
    assert all(list(r) == column_names() for r in pub.rows)


def test_named_incidents_are_kept_apart_and_whole():
    data = facts(500, named_share=0.1)
    pub = publish(data, 5)
    named = [f for f in data if f.named]
    assert len(pub.named_rows) == len(named) > 0
    assert len(pub.rows) + pub.report["rows_suppressed"] == len(data) - len(named)
    assert sorted(r["year"] for r in pub.named_rows) == sorted(str(f.year) for f in named)


def test_freedom_house_columns_follow_the_tactics():
    one = [Facts(2020, "UZ", "TR", ("abduction", "threats"), "journalist", "male", "returned", "active", named=True),
           Facts(2021, "UZ", "TR", ("threats",), "journalist", "male", "returned", "active", named=True)]
    rows = publish(one, 2).named_rows
    assert (rows[0]["physical"], rows[0]["fh_tactics"]) == (True, "rendition")
    assert (rows[1]["physical"], rows[1]["fh_tactics"]) == (False, "")


def test_generalised_tactics_withhold_the_freedom_house_codes():
    pub = publish(facts(300, seed=3), 10)
    for row in pub.rows:
        if row["tactics"] == "physical":
            assert row["physical"] is True and row["fh_tactics"] == "*"
        elif row["tactics"] == "non_physical":
            assert row["physical"] is False and row["fh_tactics"] == ""
        elif row["tactics"] == "*":
            assert row["physical"] is None and row["fh_tactics"] == "*"


def test_rows_come_sorted_by_their_values_not_in_the_order_of_the_records():
    data = facts(1000, seed=4)
    a, b = publish(data, 5), publish(list(reversed(data)), 5)
    assert a.rows == b.rows


def test_l_diversity_takes_the_outcome_out_of_the_quasi_identifiers():
    pub = publish(facts(2000, seed=5), 5, l_diversity=3)
    assert "outcome" not in pub.quasi_identifiers
    groups = {}
    for r in pub.rows:
        groups.setdefault(tuple(r[q] for q in pub.quasi_identifiers), set()).add(r["outcome"])
    assert min(len(v) for v in groups.values()) >= 3


@pytest.mark.parametrize("k, seed", [(2, 6), (5, 7), (50, 8)])
def test_the_written_package_is_valid_at_every_level_of_generalisation(tmp_path, k, seed):
    pub = publish(facts(800, seed=seed, named_share=0.05), k, max_suppression=0.3)
    write(pub, PROVENANCE, tmp_path)
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_the_descriptor_names_publisher_licence_and_sources(tmp_path):
    write(publish(facts(200), 5), Provenance("Test NGO", "2026-12-05", licence="CC0-1.0"), tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert descriptor["licenses"][0]["name"] == "CC0-1.0"
    assert descriptor["contributors"] == [{"title": "Test NGO", "role": "publisher"}]
    assert any("M49" in s["title"] for s in descriptor["sources"])
    assert any("Freedom House" in s["title"] for s in descriptor["sources"])


def test_every_level_of_generalisation_is_named_in_russian_for_the_codebook():
    from shelter.publishing.dataset import columns_data
    from shelter.publishing.hierarchies import hierarchies

    names = {level.name for h in hierarchies().values() for level in h.levels}
    assert names <= set(columns_data()["level_names"])


def test_the_russian_codebook_speaks_russian(tmp_path):
    write(publish(facts(500), 5), PROVENANCE, tmp_path)
    book = (tmp_path / "codebook.ru.md").read_text()
    assert "Выбранное обобщение" in book and "Тип: string" in book
    assert "Type:" not in book


def test_the_codebook_has_the_same_wording_in_both_languages():
    from shelter.publishing.dataset import columns_data

    words = columns_data()["codebook"]
    assert words["en"].keys() == words["ru"].keys()
