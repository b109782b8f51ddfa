import io
import json

from shelter.matching import batch


def run_pairs(text):
    out, reports = [], []
    failed = batch.match_pairs(io.StringIO(text), out.append, lambda n, r: reports.append((n, r)))
    return failed, out, reports


def test_it_writes_one_line_per_input_line():
    lines = [
        {"id": 1, "a": {"name": "Ўткир Ҳошимов"}, "b": {"name": "Oʻtkir Hoshimov"}},
        {"id": "two", "a": {"name": "Ulugbek Karimov"}, "b": {"name": "Каримова"}},
    ]
    failed, out, _ = run_pairs("\n".join(json.dumps(line) for line in lines))
    assert failed == 0
    assert [(row["id"], row["match"]) for row in out] == [(1, True), ("two", False)]
    assert all(0 <= row["score"] <= 1 for row in out)


def test_bad_lines_are_reported_and_do_not_stop_the_batch():
    text = "\n".join([
        "not json",
        json.dumps({"id": 2, "a": {"name": "1234"}, "b": {"name": "Karimov"}}),
        json.dumps({"id": 3, "a": {"name": "Islam Karimov"}}),
        json.dumps({"id": 4, "a": {"name": "Islam Karimov"}, "b": {"name": "Ислам Каримов"}}),
    ])
    failed, out, reports = run_pairs(text)
    assert failed == 3
    assert [row.get("error", "") != "" for row in out] == [True, True, True, False]
    assert [number for number, _ in reports] == [1, 2, 3]
    assert "a: name has no letters" in reports[1][1]
    assert "'b' is missing" in reports[2][1]
    assert reports[0][1].startswith("invalid JSON")


def test_screening_a_file_registry():
    registry = io.StringIO("\n".join(json.dumps(line) for line in [
        {"id": "r1", "name": "Ислам Каримов", "birth_date": "1938"},
        {"id": "r2", "name": "7"},
    ]))
    reports = []
    index = batch.build_index(batch.read_people(registry, lambda n, r: reports.append(n)))
    out = []
    batch.screen_in_parallel(index, [json.dumps({"id": "q", "name": "Islam Karimov"})], out.append,
                             lambda n, r: reports.append(n), workers=1)
    assert reports == [2]
    assert [(row["query"], row["candidate"]) for row in out] == [("q", "r1")]
    assert out[0]["explanation"][0]["feature"] == "name"


def test_screening_in_parallel_keeps_the_order_of_the_file():
    registry = [{"id": f"r{i}", "name": name} for i, name in enumerate(
        ["Ислам Каримов", "Ўткир Ҳошимов", "Мухиддин Кабири", "Gulnara Karimova"])]
    index = batch.build_index(batch.read_people([json.dumps(r) for r in registry], lambda n, r: None))
    queries = [json.dumps({"id": f"q{i}", "name": name}) for i, name in enumerate(
        ["Islam Karimov", "Oʻtkir Hoshimov", "KABIRI Muhiddin", "7", "Gulnara Karimova"] * 60)]
    results = {}
    for workers in (1, 2):
        out, reports, done = [], [], []
        batch.screen_in_parallel(index, queries, out.append, lambda n, r: reports.append(n), workers, done.append)
        results[workers] = (out, reports, sum(done))
    assert results[1] == results[2]
    out, reports, done = results[2]
    assert [row["candidate"] for row in out[:4]] == ["r0", "r1", "r2", "r3"]
    assert reports[:2] == [4, 9] and done == 300
