from .matchcli import output, shelter, write_lines

REGISTRY = [
    {"id": "r1", "name": "Мухиддин Кабири", "birth_date": "1965-01-07", "nationality": "tj"},
    {"id": "r2", "name": "Ўткир Ҳошимов", "aliases": ["Utkir Khashimov"]},
    {"id": "r3", "name": "Gulnara Karimova", "gender": "female"},
    {"id": "r4", "name": "Ислам Каримов", "birth_date": "1938"},
]
QUERIES = [
    {"id": "q1", "name": "KABIRI Muhiddin", "birth_date": "1965"},
    {"id": "q2", "name": "Oʻtkir Hoshimov"},
    {"id": "q3", "name": "Islam Karimov", "birth_date": "1938-01-30"},
    {"id": "q4", "name": "Jane Smith"},
]


def screen(tmp_path, queries=QUERIES, registry=REGISTRY):
    q = write_lines(tmp_path / "queries.jsonl", queries)
    r = write_lines(tmp_path / "registry.jsonl", registry)
    return shelter(tmp_path, "screen", str(q), "--against", str(r))


def test_it_writes_an_alert_with_its_explanation_for_each_match(tmp_path):
    result = screen(tmp_path)
    assert result.returncode == 0, result.stderr
    alerts = output(result)
    assert [(a["query"], a["candidate"]) for a in alerts] == [("q1", "r1"), ("q2", "r2"), ("q3", "r4")]
    for alert in alerts:
        assert set(alert) == {"query", "candidate", "score", "explanation"}
        assert alert["explanation"][0]["feature"] == "name"


def test_relatives_sharing_a_surname_raise_no_alert(tmp_path):
    alerts = output(screen(tmp_path, queries=[{"id": "q", "name": "Islam Karimov", "birth_date": "1938"}]))
    assert [a["candidate"] for a in alerts] == ["r4"]


def test_it_shows_progress_on_standard_error(tmp_path):
    assert "Screening" in screen(tmp_path).stderr


def test_bad_lines_in_either_file_are_skipped_with_their_reason(tmp_path):
    result = screen(tmp_path, queries=[*QUERIES, {"id": "q5", "name": "12"}, {"name": "No Id"}],
                    registry=[*REGISTRY, {"id": "r5", "name": "Karimov", "birth_date": "yesterday"}])
    assert result.returncode == 1
    assert "registry.jsonl:5: birth_date" in result.stderr
    assert "queries.jsonl:5: name has no letters" in result.stderr
    assert "queries.jsonl:6: missing id" in result.stderr
    assert len(output(result)) == 3
