"""``shelter screen --engine spark``: on Spark (``local[2]``) the same alert lines as the local engine —
the same pairs, scores and explanations, in the same order — on a generated registry of thousands of
persons in several scripts, on FollowTheMoney input, and with the same reports of bad lines.

The local engine runs as a user runs it (a process); the Spark engine runs in this process, on one
session shared by the module's tests (starting Java is the slow part). Both see the same
PYTHONHASHSEED: blocking keys are string hashes, and the order in which a query's keys are summed,
hence the last bit of a candidate's weight and the order of exact ties, follows the seed.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .matchcli import write_lines

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
SEED = os.environ.get("PYTHONHASHSEED", "0")  # what Spark gives its workers when the driver has none


@pytest.fixture(scope="module")
def session():
    if shutil.which("java") is None:
        pytest.skip("the Spark engine needs Java 17 or later (scripts/test installs openjdk-17-jre-headless)")
    pytest.importorskip("pyspark", reason="the Spark engine needs pyspark (the spark extra; scripts/test installs it)")
    from shelter.matching import spark

    # Small: two cores, a small heap, nothing listening beyond the loopback, no web UI.
    active = spark.session("local[2]", extra={"spark.sql.shuffle.partitions": "4", "spark.driver.memory": "1g",
                                              "spark.default.parallelism": "2"})
    yield active
    active.stop()


@pytest.fixture(scope="module")
def synthetic_files(tmp_path_factory):
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import synthetic
    finally:
        sys.path.remove(str(BENCHMARKS))
    directory = tmp_path_factory.mktemp("synthetic")
    data = synthetic.generate(3000, 600, seed=11)
    registry = write_lines(directory / "registry.jsonl", data.registry)
    queries = write_lines(directory / "queries.jsonl", data.queries)
    # The same queries as an OpenSanctions-style entity file, between entities of other schemata.
    entities = []
    for query in data.queries:
        entities.append(ftm_person(query))
        entities.append({"id": f"sanction-{query['id']}", "schema": "Sanction",
                         "properties": {"entity": [query["id"]], "reason": ["fictional"]}})
    entities.insert(5, {"id": "co-1", "schema": "Company", "properties": {"name": ["Fictional Trading LLC"]}})
    ftm = write_lines(directory / "entities.ftm.json", entities)
    return registry, queries, ftm


def ftm_person(record: dict) -> dict:
    properties = {"name": [record["name"]], "alias": record.get("aliases", [])}
    if record.get("birth_date"):
        properties["birthDate"] = [record["birth_date"]]
    nationality = record.get("nationality")
    if nationality:
        properties["nationality"] = [code.lower() for code in ([nationality] if isinstance(nationality, str) else nationality)]
    if record.get("gender"):
        properties["gender"] = [record["gender"]]
    return {"id": record["id"], "schema": "Person", "properties": properties, "datasets": ["fictional"]}


def local_engine(queries: Path, registry: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SHELTER_DATABASE_URL"}
    env.update(SHELTER_HOME=str(queries.parent / "home"), DJANGO_SETTINGS_MODULE="shelter.settings", PYTHONHASHSEED=SEED)
    return subprocess.run([str(Path(sys.executable).parent / "shelter"), "screen", str(queries), "--against", str(registry),
                           *args], capture_output=True, text=True, env=env, timeout=300)


def spark_engine(capsys, queries: Path, registry: Path, **options) -> tuple[str, str, int]:
    capsys.readouterr()
    status = 0
    try:
        call_command("screen", str(queries), against=str(registry), engine="spark", master="local[2]", **options)
    except CommandError as e:
        status = e.returncode
    captured = capsys.readouterr()
    return captured.out, captured.err, status


def reports(stderr: str, *paths: Path) -> list[str]:
    """The ``FILE:LINE: reason`` reports, wherever the progress bar left them on a line."""
    return re.findall("(?:%s):\\d+: [^\r\n]*" % "|".join(re.escape(str(path)) for path in paths), stderr)


def test_spark_gives_the_same_alert_lines_as_the_local_engine(session, synthetic_files, capsys, monkeypatch):
    from shelter.matching import spark

    registry, queries, _ = synthetic_files
    # Partitions of 4 KiB: more than the 8 of two cores, come back two at a time, in order.
    monkeypatch.setattr(spark, "PARTITION_BYTES", 4096)
    assert spark.partitions(session.sparkContext, str(queries)) > 12
    local = local_engine(queries, registry)
    assert local.returncode == 0, local.stderr
    out, err, status = spark_engine(capsys, queries, registry)
    assert status == 0, err
    assert len(local.stdout.splitlines()) > 200  # a real test: many alerts, namesakes among them
    assert out == local.stdout  # same pairs, scores, explanations, and order per query


def test_spark_reads_followthemoney_entities_as_the_local_engine_does(session, synthetic_files, capsys):
    registry, queries, ftm = synthetic_files
    local = local_engine(ftm, registry)
    assert local.returncode == 0, local.stderr
    out, err, status = spark_engine(capsys, ftm, registry)
    assert status == 0, err
    assert out == local.stdout
    # The entities are the query file's persons: the same alerts as from the person lines.
    assert out == local_engine(queries, registry).stdout


def test_a_file_is_read_in_partitions_of_bounded_size(session, tmp_path, monkeypatch):
    """The driver holds one partition's alerts per core at a time: a larger file makes more
    partitions, not larger ones."""
    from shelter.matching import spark

    monkeypatch.setattr(spark, "PARTITION_BYTES", 1000)
    sc = session.sparkContext
    small = tmp_path / "small.jsonl"
    small.write_bytes(b"x" * 999)
    large = tmp_path / "large.jsonl"
    large.write_bytes(b"x" * 20_001)
    assert spark.partitions(sc, str(small)) == 8  # two cores, four partitions each
    assert spark.partitions(sc, str(large)) == 21
    assert spark.partitions(sc, str(tmp_path / "*.jsonl")) == 8  # a glob is not sized
    assert spark.partitions(sc, str(tmp_path / "missing.jsonl")) == 8


def test_bad_lines_are_reported_the_same_way_by_both_engines(session, tmp_path, capsys):
    registry = write_lines(tmp_path / "registry.jsonl", [
        {"id": "r1", "name": "Мухиддин Кабири", "birth_date": "1965-01-07", "nationality": "tj"},
        {"id": "r2", "name": "Karimov", "birth_date": "yesterday"},
        "not json",
        {"id": "r4", "name": "Ислам Каримов", "birth_date": "1938"},
    ])
    queries = write_lines(tmp_path / "queries.jsonl", [
        {"id": "q1", "name": "KABIRI Muhiddin", "birth_date": "1965"},
        "",
        {"id": "q3", "name": "12"},
        {"name": "No Id"},
        {"id": "q5", "name": "Islam Karimov", "nationality": "XX"},
        {"id": "q6", "name": "Islam Karimov", "birth_date": "1938-01-30"},
    ])
    local = local_engine(queries, registry)
    out, err, status = spark_engine(capsys, queries, registry)
    assert (status, out) == (local.returncode, local.stdout) == (1, local.stdout)
    assert reports(err, registry, queries) == reports(local.stderr, registry, queries) == [
        f"{registry}:2: birth_date is not a valid date: use YYYY, YYYY-MM or YYYY-MM-DD",
        f"{registry}:3: invalid JSON (Expecting value at column 1)",
        f"{queries}:3: name has no letters (only digits or punctuation)",
        f"{queries}:4: missing id",
        f"{queries}:5: nationality 1: unknown country code (use ISO 3166-1 alpha-2, or SU for the USSR)",
    ]
    assert [json.loads(line)["query"] for line in out.splitlines()] == ["q1", "q6"]


def test_without_pyspark_the_spark_engine_says_what_to_install(tmp_path):
    # A pyspark that cannot be imported, first on the path: as if it were not installed.
    fake = tmp_path / "no-pyspark" / "pyspark"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('simulated: pyspark is not installed')\n")
    registry = write_lines(tmp_path / "registry.jsonl", [{"id": "r1", "name": "Ислам Каримов"}])
    env = {k: v for k, v in os.environ.items() if k != "SHELTER_DATABASE_URL"}
    env.update(SHELTER_HOME=str(tmp_path / "home"), DJANGO_SETTINGS_MODULE="shelter.settings",
               PYTHONPATH=os.pathsep.join([str(fake.parent), *filter(None, [env.get("PYTHONPATH")])]))
    result = subprocess.run([str(Path(sys.executable).parent / "shelter"), "screen", str(registry), "--against",
                             str(registry), "--engine", "spark"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1
    assert "the Spark engine needs pyspark: pip install 'shelter[spark]'" in result.stderr
    assert "Traceback" not in result.stderr
