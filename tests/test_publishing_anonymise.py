"""Statistical disclosure control for the open dataset (issue 16): ladders and k-anonymity search.

Pure Python: no database, no Django. Results are checked by counting here and with pycanon.
"""

import json
import random
from collections import Counter
from pathlib import Path

import pandas as pd
import pycountry
import pytest
from pycanon import anonymity

from shelter.publishing import NoSolution, anonymise
from shelter.publishing.hierarchies import WITHHELD, country_codes, hierarchies, tactic_codes, tactics_value

pytestmark = pytest.mark.filterwarnings("ignore")

QIS = ["year", "origin", "host", "tactics", "profile", "gender", "outcome"]
DATA = Path(__file__).resolve().parent.parent / "shelter" / "data"
PROFILES = [t["code"] for t in json.loads((DATA / "profiles.json").read_text())["terms"]]
OUTCOMES = ["unknown", "ongoing", "released", "protected", "detained", "returned", "imprisoned", "disappeared",
            "killed", "injured"]
TACTICS = sorted(tactic_codes())


def generate(n, seed=1):
    rnd = random.Random(seed)
    origins = ["UZ", "TJ", "TM", "KG", "KZ", "RU", "BY", "TR", "CN", "IR"]
    hosts = ["RU", "TR", "KZ", "KG", "DE", "PL", "US", "GB", "AE", "UA", "LT", "FR", "SE", "EG", "TH", "JP"]
    rows = []
    for i in range(n):
        rows.append({
            "id": i,
            "year": rnd.choice(range(2010, 2027)),
            "origin": rnd.choices(origins, weights=range(len(origins), 0, -1))[0],
            "host": rnd.choices(hosts, weights=range(len(hosts), 0, -1))[0],
            "tactics": tactics_value(rnd.sample(TACTICS, rnd.choice([0, 1, 1, 1, 2, 3]))),
            "profile": rnd.choice(PROFILES + [""]),
            "gender": rnd.choice(["male", "female", "male", ""]),
            "outcome": rnd.choice(OUTCOMES),
        })
    return rows


def own_min_group(rows, qis):
    return min(Counter(tuple(r[q] for q in qis) for r in rows).values())


@pytest.mark.parametrize("k", [2, 5, 10])
def test_every_combination_occurs_k_times_own_count_and_pycanon(k):
    rows = generate(3000)
    result = anonymise(rows, QIS, k)
    assert result.rows
    assert own_min_group(result.rows, QIS) >= k
    df = pd.DataFrame(result.rows)[QIS].astype(str)
    assert anonymity.k_anonymity(df, QIS) >= k
    assert result.suppressed <= 0.05 * len(rows)


def test_l_diversity_checked_with_pycanon():
    rows = generate(3000, seed=2)
    qis = [q for q in QIS if q != "outcome"]
    result = anonymise(rows, qis, 5, l_diversity=("outcome", 3))
    df = pd.DataFrame(result.rows)[qis + ["outcome"]].astype(str)
    assert anonymity.k_anonymity(df, qis) >= 5
    assert anonymity.l_diversity(df, qis, ["outcome"]) >= 3
    groups = {}
    for r in result.rows:
        groups.setdefault(tuple(r[q] for q in qis), set()).add(r["outcome"])
    assert min(len(v) for v in groups.values()) >= 3


def test_sensitive_column_cannot_be_a_quasi_identifier():
    with pytest.raises(ValueError):
        anonymise(generate(10), QIS, 2, l_diversity=("outcome", 2))


def test_least_generalising_node_is_chosen():
    # 2014 and 2015 fall in the same 3-year period (loss 1/3), cheaper than withholding gender (loss 1).
    rows = [{"year": y, "gender": g} for y in (2014, 2015) for g in ("male", "female")]
    result = anonymise(rows, ["year", "gender"], 2, max_suppression=0)
    assert result.levels == {"year": 1, "gender": 0}
    assert result.suppressed == 0
    assert Counter((r["year"], r["gender"]) for r in result.rows) == {("2014-2016", "male"): 2,
                                                                     ("2014-2016", "female"): 2}
    # 2014 and 2017 only meet when the year is withheld (loss 1), as costly as withholding gender;
    # the tie goes to the smaller level vector: gender withheld, years exact.
    rows = [{"year": y, "gender": g} for y in (2014, 2017) for g in ("male", "female")]
    result = anonymise(rows, ["year", "gender"], 2, max_suppression=0)
    assert result.levels == {"year": 0, "gender": 1}
    assert sorted(r["year"] for r in result.rows) == [2014, 2014, 2017, 2017]
    assert {r["gender"] for r in result.rows} == {WITHHELD}


def test_suppression_instead_of_generalisation_within_the_budget():
    rows = [{"year": 2020, "gender": "male"} for _ in range(19)] + [{"year": 2001, "gender": "female"}]
    result = anonymise(rows, ["year", "gender"], 5, max_suppression=0.05)
    assert result.levels == {"year": 0, "gender": 0}
    assert result.suppressed == 1 and len(result.rows) == 19
    result = anonymise(rows, ["year", "gender"], 5, max_suppression=0)
    assert result.suppressed == 0 and result.levels == {"year": 3, "gender": 1}


def test_no_solution_raises():
    with pytest.raises(NoSolution):
        anonymise([{"origin": "UZ"}, {"origin": "FR"}], ["origin"], 2, max_suppression=0)


@pytest.mark.parametrize("share", [0.0, 0.01, 0.05, 0.2])
def test_suppression_bounded(share):
    rows = generate(2000, seed=3)
    result = anonymise(rows, QIS, 5, max_suppression=share)
    assert result.suppressed <= share * len(rows)
    assert len(result.rows) + result.suppressed == len(rows)


def test_report_adds_up():
    rows = generate(2000, seed=4)
    result = anonymise(rows, QIS, 5)
    rep = result.report
    assert rep["rows_in"] == len(rows) == rep["rows_out"] + rep["rows_suppressed"]
    assert rep["rows_suppressed"] == result.suppressed
    assert rep["cells_total"] == len(rows) * len(QIS)
    assert rep["cells_suppressed"] == result.suppressed * len(QIS)
    assert rep["cells_generalised"] == sum(v["cells_generalised"] for v in rep["quasi_identifiers"].values())
    assert rep["cells_generalised"] + rep["cells_suppressed"] + rep["cells_unchanged"] == rep["cells_total"]
    assert rep["share_changed"] == pytest.approx(
        (rep["cells_generalised"] + rep["cells_suppressed"]) / rep["cells_total"])
    originals = {r["id"]: r for r in rows}
    for q, info in rep["quasi_identifiers"].items():
        assert info["level"] == result.levels[q]
        assert info["level_name"] == hierarchies()[q].levels[info["level"]].name
        changed = sum(1 for r in result.rows if str(r[q]) != str(originals[r["id"]][q]))
        assert changed == info["cells_generalised"]


def test_deterministic():
    rows = generate(2000, seed=5)
    a = anonymise(rows, QIS, 5)
    b = anonymise(list(rows), QIS, 5)
    assert a.rows == b.rows and a.levels == b.levels and a.report == b.report


def test_rows_not_quasi_identifiers_untouched_and_order_kept():
    rows = generate(500, seed=6)
    result = anonymise(rows, QIS, 3)
    ids = [r["id"] for r in result.rows]
    assert ids == sorted(ids)


# --- the ladders ---------------------------------------------------------------------------

def domains():
    return {
        "year": list(range(1990, 2036)),
        "host": country_codes(),
        "origin": country_codes(),
        "profile": PROFILES,
        "gender": ["male", "female", "other"],
        "tactics": [""] + TACTICS + [tactics_value(c) for c in
                                     [random.Random(i).sample(TACTICS, 3) for i in range(200)]],
        "outcome": OUTCOMES,
    }


def test_every_value_reaches_every_level_and_every_level_has_a_source():
    hs = hierarchies()
    assert set(hs) == set(QIS)
    for q, values in domains().items():
        h = hs[q]
        assert h.depth >= 2
        for level in h.levels:
            assert level.name and level.source
        for v in values:
            for lv in range(h.depth):
                assert h.generalise(v, lv) not in (None,), (q, v, lv)
                if lv and v != "":
                    assert h.generalise(v, lv) != "", (q, v, lv)
        if q != "origin":
            assert {h.generalise(v, h.depth - 1) for v in values} == {WITHHELD}


def test_levels_nest_where_they_are_a_ladder():
    # each value of level i maps to exactly one value of level i+1 (the 3- and 5-year periods are
    # both computed from the year and do not nest: Shelter's choice, recorded in the data file)
    hs = hierarchies()
    for q, values in domains().items():
        h = hs[q]
        for lv in range(h.depth - 1):
            if q == "year" and lv == 1:
                continue
            up = {}
            for v in values:
                low, high = h.generalise(v, lv), h.generalise(v, lv + 1)
                assert up.setdefault(low, high) == high, (q, lv, low)


def test_every_iso_country_has_an_m49_region():
    codes = set(country_codes())
    assert {c.alpha_2 for c in pycountry.countries} <= codes
    assert codes <= {c.alpha_2 for c in pycountry.countries}
    h = hierarchies()["host"]
    assert h.generalise("UZ", 1) == "Central Asia" and h.generalise("UZ", 2) == "Asia"
    assert h.generalise("DE", 1) == "Western Europe" and h.generalise("DE", 2) == "Europe"
    assert h.generalise("TR", 1) == "Western Asia"


def test_profile_and_outcome_maps_cover_the_codes():
    hs = hierarchies()
    assert {hs["profile"].generalise(p, 1) for p in PROFILES} <= {"political", "civic", "religious", "other"}
    assert hs["outcome"].generalise("detained", 1) == hs["outcome"].generalise("returned", 1)
    assert hs["tactics"].generalise("assault+threats", 1) == "physical"
    assert hs["tactics"].generalise("smear+threats", 1) == "non_physical"
    with pytest.raises(KeyError):
        hs["tactics"].generalise("teleportation", 1)
