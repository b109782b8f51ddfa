"""Smoke tests of benchmarks/: tiny inputs through the benchmark functions; well-formed output, a
deterministic generator. No timing assertions. logic-v2 parts skip when nomenklatura is not installed."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import accuracy  # noqa: E402
import screening  # noqa: E402
import speed  # noqa: E402
import synthetic  # noqa: E402

from shelter.matching import index, person  # noqa: E402

REGISTRY, QUERIES = 200, 50


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    directory = tmp_path_factory.mktemp("synthetic")
    data = synthetic.generate(REGISTRY, QUERIES, seed=7)
    synthetic.write(data, directory)
    return data, directory


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def test_generator_is_deterministic(small):
    data, _ = small
    again = synthetic.generate(REGISTRY, QUERIES, seed=7)
    assert (again.registry, again.queries, again.truth) == (data.registry, data.queries, data.truth)
    other = synthetic.generate(REGISTRY, QUERIES, seed=8)
    assert other.registry != data.registry


def test_generator_does_not_depend_on_hash_seed(tmp_path):
    outputs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / hash_seed
        subprocess.run([sys.executable, str(BENCHMARKS / "synthetic.py"), "--registry", "120", "--queries", "30",
                        "--seed", "3", "--out", str(out)], check=True, capture_output=True,
                       env={**os.environ, "PYTHONHASHSEED": hash_seed})
        outputs.append([(out / name).read_bytes() for name in
                        (synthetic.REGISTRY_FILE, synthetic.QUERIES_FILE, synthetic.TRUTH_FILE)])
    assert outputs[0] == outputs[1]


def test_generated_files_are_well_formed(small):
    data, directory = small
    registry = _lines(directory / synthetic.REGISTRY_FILE)
    queries = _lines(directory / synthetic.QUERIES_FILE)
    truth = _lines(directory / synthetic.TRUTH_FILE)
    assert (len(registry), len(queries), len(truth)) == (REGISTRY, QUERIES, QUERIES)
    ids = {r["id"] for r in registry}
    assert len(ids) == REGISTRY
    allowed = {"id", "name", "aliases", "birth_date", "nationality", "gender"}
    for record in registry + queries:
        assert set(record) <= allowed  # the truth stays in its own file
        person.from_json(record)  # every generated person is valid input
    assert [t["query"] for t in truth] == [q["id"] for q in queries]
    for t in truth:
        assert t["kind"] in ("variant", "fictional")
        assert (t["person"] in ids) if t["kind"] == "variant" else t["person"] is None
        assert isinstance(t["namesakes"], int) and isinstance(t["transforms"], list)
    assert 0.3 < sum(t["kind"] == "variant" for t in truth) / QUERIES < 0.7
    stats = json.loads((directory / "synthetic_stats.json").read_text("utf-8"))
    assert stats["registry"] == REGISTRY


def test_romanisations_leave_no_cyrillic():
    for scheme in synthetic.SCHEMES:
        for word in ("Фёдор", "Ҳошимов", "Ҷамшед", "Құнанбаев", "Өмүрбеков", "Неъматулло"):
            text = synthetic.romanise(word, scheme)
            assert not any("\u0400" <= c <= "\u04ff" for c in text), (scheme, text)
    assert synthetic.uzbek_latin("Ўткир") == "Oʻtkir"
    assert synthetic.uzbek_latin("Ғулом", "'") == "G'ulom"
    assert synthetic.tajik_latin("Ҷамшед") == "Jamshed"
    assert synthetic.patronymic(synthetic.Word("Сергей"), "female").cyr == "Сергеевна"
    assert synthetic.feminine(synthetic.Word("Каримов", "Karimov")) == synthetic.Word("Каримова", "Karimova")


def test_screening_blocking_on_a_small_registry(small):
    _, directory = small
    results = screening.run(directory, with_end_to_end=False)
    b = results["blocking"]
    assert (b["registry"], b["queries"]) == (REGISTRY, QUERIES)
    assert b["variants"] + b["fictional"] == QUERIES
    for measure in ("candidate_recall", "alert_recall", "true_person_first", "fictional_queries_with_an_alert"):
        assert 0.0 <= b[measure] <= 1.0
    assert 0 <= b["mean_candidates"] <= index.MAX_CANDIDATES
    assert b["blocking_misses"] == sum(b["blocking_misses_by_cause"].values())
    assert (directory / "blocking_misses.jsonl").exists() and (directory / "alert_misses.jsonl").exists()
    assert all(len(row) == 5 for row in screening.rows(results))
    assert b["by_transform"]["all"]["queries"] == b["variants"]


def test_screening_end_to_end_runs_the_command(small):
    _, directory = small
    result = screening.end_to_end(directory)
    assert result["returncode"] == 0, result
    assert result["peak_memory_kib"] > 0 and result["wall_seconds"] >= 0


def test_measures():
    assert accuracy.prf([True, True, False, False], [True, False, True, False]) == {
        "precision": 0.5, "recall": 0.5, "f1": 0.5, "tp": 1, "fp": 1, "fn": 1, "tn": 1, "pairs": 4}
    best = accuracy.best_recall_at_precision([0.9, 0.8, 0.7, 0.6], [True, True, False, True], min_precision=0.97)
    assert best == {"threshold": 0.8, "precision": 1.0, "recall": 0.6667}


def _name_bench_present():
    if not (accuracy.data_dir() / accuracy.NAME_BENCH_FILE).exists():
        pytest.skip("name_bench data not found (set SHELTER_BENCH_DATA)")


def test_accuracy_on_twenty_name_bench_pairs(tmp_path):
    _name_bench_present()
    result = accuracy.name_bench([accuracy.Shelter()], limit=20, out=tmp_path)
    assert result["pairs"] == 20
    entry = result["all"][accuracy.SHELTER]
    assert entry["tp"] + entry["fp"] + entry["fn"] + entry["tn"] == 20
    assert all(0.0 <= entry[k] <= 1.0 for k in ("precision", "recall", "f1"))
    assert result["frozen"]["all"]["f1"] == pytest.approx(0.790, abs=0.001)
    for row in _lines(tmp_path / "misclassified_name_bench.jsonl"):
        assert accuracy.SHELTER in row and row["wrong"]


CENTRAL_ASIAN = [
    {"id": "p1", "a": {"name": "Рустам Каримов", "birth_date": "1965", "gender": "male"},
     "b": {"name": "Rustam Karimov", "birth_date": "1965-03-02"}, "match": True, "category": "cyrillic_vs_latin"},
    {"id": "p2", "a": {"name": "Oʻtkir Hoshimov", "nationality": "uz"}, "b": {"name": "Уткир Хашимов"},
     "match": True, "category": "uzbek_latin_vs_russian_style"},
    {"id": "n1", "a": {"name": "Рустам Каримов", "birth_date": "1965"}, "b": {"name": "Рустам Каримов",
     "birth_date": "1991"}, "match": False, "category": "conflicting_birth_date"},
    {"id": "n2", "a": {"name": "1234"}, "b": {"name": "Rustam Karimov"}, "match": False, "category": "invalid"},
]


def _central_asian_file(tmp_path) -> Path:
    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in CENTRAL_ASIAN), "utf-8")
    return path


def test_accuracy_on_a_tiny_central_asian_file(tmp_path):
    result = accuracy.central_asian([accuracy.Shelter()], _central_asian_file(tmp_path), out=tmp_path)
    assert result["pairs"] == 4 and result["positives"] == 2
    assert result["refused"][accuracy.SHELTER] == 1  # "1234" has no letters: scored 0
    assert {c["category"] for c in result["categories"]} == {p["category"] for p in CENTRAL_ASIAN}
    for c in result["categories"]:
        assert c["measure"] == ("recall" if c["kind"] == "positive" else "false-positive rate")
        assert 0.0 <= c[accuracy.SHELTER] <= 1.0
    assert isinstance(result["target_met"], bool)
    assert (tmp_path / "misclassified_central_asian.jsonl").exists()
    assert all(len(row) == 5 for row in accuracy.rows({"name_bench": _fake_name_bench(), "central_asian": result}))


def test_a_missing_central_asian_set_is_skipped(tmp_path):
    assert accuracy.central_asian([accuracy.Shelter()], tmp_path / "absent.jsonl", out=tmp_path) is None
    assert any("not yet built" in " ".join(row) for row in
               accuracy.rows({"name_bench": _fake_name_bench(), "central_asian": None}))


def _fake_name_bench() -> dict:
    entry = accuracy.prf([True, False], [True, False])
    return {"pairs": 2, "person_pairs": 2, "all": {accuracy.SHELTER: entry}, "Person": {accuracy.SHELTER: entry},
            "refused": {accuracy.SHELTER: 0}, "frozen": {"stated": accuracy.FROZEN_FIGURES}}


def test_speed_protocol_shelter_only():
    pairs = [({"name": a["name"]}, {"name": b["name"]}, "Person") for a, b, _ in synthetic.sample_pairs(10)]
    result = speed.measure([accuracy.Shelter()], pairs, passes=2)
    assert result["pairs"] == 10
    assert result[accuracy.SHELTER]["first_sight"] > 0 and result[accuracy.SHELTER]["repeated"] > 0


def test_logic_v2_live(tmp_path):
    pytest.importorskip("nomenklatura")
    _name_bench_present()
    peer = accuracy.LogicV2()
    value, failed = peer.score({"name": "Rustam Karimov", "nationality": "su", "birth_date": "1965"},
                               {"name": "Рустам Каримов"})
    assert 0.0 <= value <= 1.0 and not failed
    result = accuracy.central_asian([accuracy.Shelter(), peer], _central_asian_file(tmp_path), out=tmp_path)
    assert set(result["overall"]) == {accuracy.SHELTER, accuracy.LOGIC_V2}
    assert accuracy.LOGIC_V2 in result["best_recall_at_precision"]
