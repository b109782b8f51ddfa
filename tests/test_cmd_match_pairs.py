from shelter.matching.score import THRESHOLD

from .matchcli import output, shelter, write_lines

PAIRS = [
    {"id": 1, "a": {"name": "Мухиддин Кабири", "birth_date": "1965-01-07", "nationality": "TJ"},
     "b": {"name": "Mukhiddin Kabirī", "birth_date": "1965", "nationality": "su", "gender": "male"}},
    {"id": "kz", "a": {"name": "Нұрсұлтан Назарбаев"}, "b": {"name": "Nursultan Nazarbayev", "extra": "ignored"}},
    {"id": 3, "a": {"name": "Ulugbek Karimov"}, "b": {"name": "Каримова"}},
]


def test_it_writes_one_scored_line_per_input_line(tmp_path):
    result = shelter(tmp_path, "match", "pairs", str(write_lines(tmp_path / "pairs.jsonl", PAIRS)))
    assert result.returncode == 0, result.stderr
    rows = output(result)
    assert [row["id"] for row in rows] == [1, "kz", 3]
    assert [row["match"] for row in rows] == [True, True, False]
    assert all(set(row) == {"id", "score", "match"} for row in rows)
    assert all(row["match"] == (row["score"] >= THRESHOLD) for row in rows)


def test_it_reads_standard_input(tmp_path):
    text = write_lines(tmp_path / "p.jsonl", PAIRS[:1]).read_text()
    result = shelter(tmp_path, "match", "pairs", "-", stdin=text)
    assert result.returncode == 0
    assert output(result)[0]["match"] is True


def test_bad_lines_are_reported_per_line_and_the_exit_status_says_so(tmp_path):
    path = write_lines(tmp_path / "bad.jsonl", [
        PAIRS[0],
        {"id": 2, "a": {"name": ""}, "b": {"name": "Karimov"}},
        {"id": 3, "a": {"name": "Q"}, "b": {"name": "Karimov"}},
        {"id": 4, "a": {"name": "Kаrimov Islam"}, "b": {"name": "Karimov"}},
        {"id": 5, "a": {"name": "%%% 123"}, "b": {"name": "Karimov"}},
        {"id": 6, "a": {"name": "Karimov", "birth_date": "1990-02-30"}, "b": {"name": "Karimov"}},
        {"id": 7, "a": {"name": "Karimov", "nationality": "zz"}, "b": {"name": "Karimov"}},
        "{broken",
        PAIRS[1],
    ])
    result = shelter(tmp_path, "match", "pairs", str(path))
    assert result.returncode == 1
    rows = output(result)
    assert len(rows) == 9
    assert [("error" in row) for row in rows] == [False, True, True, True, True, True, True, True, False]
    for number, reason in [(2, "missing name"), (3, "single letter"), (4, "mixes scripts"), (5, "no letters"),
                           (6, "birth_date"), (7, "unknown country code"), (8, "invalid JSON")]:
        assert f"bad.jsonl:{number}: " in result.stderr and reason in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_file_is_exit_status_two(tmp_path):
    result = shelter(tmp_path, "match", "pairs", "nowhere.jsonl")
    assert result.returncode == 2
    assert "cannot read nowhere.jsonl" in result.stderr
