"""Batch screening on Apache Spark: the registry broadcast, the queries split across the cluster, each
query blocked and scored by the same matcher as ``batch.screen_in_parallel``.

Why a broadcast and not a join of both sides partitioned by blocking key: the registry is the small
side (a million persons is some hundreds of megabytes; a nightly list of queries may be tens of
millions), and the keys are skewed — a key such as "Elena Aleksandrovna" is shared by thousands of
rows, so partitioning by key sends all of them, with every query holding it, to one task. More to the
point, a query's candidates are not "every row sharing a key": they are the 50 rows with the highest
weighted count of shared keys, each key weighted by how rare it is in the whole registry, ties broken
by registry order. Each executor holding the registry's postings (``index.Index``) ranks exactly as
the local engine does, so both engines give the same alerts by construction, not by approximation.

What crosses the wire: the registry's records as read once per executor (a broadcast), the query lines
to the executors, the alerts back to the driver. Blocking keys are computed in the executors'
Python workers, never on the driver: they are hashes of strings, and Python's string hashes depend
on PYTHONHASHSEED, which every worker of a job is given alike (``settings``).

pyspark is imported only by ``session``: Shelter runs without it, and this module stays importable.
"""

import contextlib
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

from shelter.exchange import person_lines

from . import batch
from . import person as persons
from .index import Index

PARTITIONS_PER_CORE = 4  # at least: small tasks, so that a slow one holds up less
# At most this much of a file per partition: the driver holds the alerts of one partition per core at a
# time, so the partitions' size, not the file's, bounds its memory (at 8 partitions, the 1,000,000-query
# benchmark's driver peaked at 1.3 GiB; about 10,000 queries' alerts take some 40 MiB).
PARTITION_BYTES = 1 << 20


class Unavailable(RuntimeError):
    """Spark cannot run here: pyspark or Java is missing."""


def settings(master: str) -> dict[str, str]:
    conf = {
        "spark.ui.enabled": "false",  # no web server on the driver: it would show the job to anyone who can reach it
        "spark.ui.showConsoleProgress": "false",
        "spark.executorEnv.PYTHONHASHSEED": os.environ.get("PYTHONHASHSEED", "0"),
    }
    if master.startswith("local"):
        # Everything stays on this machine: the driver listens on the loopback only, and the workers
        # import this very copy of Shelter.
        conf.update({"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1",
                     "spark.executorEnv.PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    return conf


def session(master: str = "local[*]", extra: dict[str, str] | None = None):
    """A Spark session for screening (``Unavailable`` with the reason if Spark cannot start)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise Unavailable("the Spark engine needs pyspark: pip install 'shelter[spark]' (and Java 17 or later)") from None
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # the JVM's own address: no other interface looked up
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers with this Python and its packages
    builder = SparkSession.builder.master(master).appName("shelter screen")
    for key, value in {**settings(master), **(extra or {})}.items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as e:  # pyspark raises its own error types when the JVM does not start
        if "JAVA" in str(e).upper():
            raise Unavailable(f"Spark could not start Java (the Spark engine needs Java 17 or later): {e}") from None
        raise
    spark.sparkContext.setLogLevel("ERROR")
    return spark


@contextlib.contextmanager
def running(master: str = "local[*]"):
    """A session for one command: stopped at the end, unless it was already running in this process
    (a notebook's, or a test module's shared one)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        SparkSession = None
    already = SparkSession is not None and SparkSession.getActiveSession() is not None
    spark = session(master)
    try:
        yield spark
    finally:
        if not already:
            spark.stop()


def screen(spark, queries: str, registry: str, write: Callable[[dict], None], report_queries: batch.Report,
           report_registry: batch.Report, query_format: str = "jsonl", registry_format: str = "jsonl") -> None:
    """Writes the alert lines of every query, in the order of the query file and best first per query,
    as the local engine does; bad lines are reported with their numbers, the registry's first."""
    sc = spark.sparkContext
    records = []
    for number, record, reason in _numbered(sc, registry).map(partial(_read_record, registry_format)).filter(_kept).collect():
        if reason is not None:
            report_registry(number, reason)
        else:
            records.append(record)
    # The records travel, not the matcher's persons: the matcher tells a part's role by identity
    # (``role is tag.GIVEN``), which strings that went through pickle do not keep.
    shared = sc.broadcast(records)
    del records
    results = _numbered(sc, queries).mapPartitions(partial(_screen_partition, (uuid.uuid4().hex, shared), query_format))
    # Partitions come back a few at a time, in order: the output keeps the order of the query file
    # and the driver never holds all the alerts at once.
    step = max(1, sc.defaultParallelism)
    for first in range(0, results.getNumPartitions(), step):
        pieces = range(first, min(first + step, results.getNumPartitions()))
        for number, rows, reason in sc.runJob(results, lambda items: items, pieces):
            if reason is not None:
                report_queries(number, reason)
            for row in rows:
                write(row)
    shared.unpersist()


def _numbered(sc, path: str):
    """(line number, bytes) of every line: decoded in Python, so that a line that is not UTF-8 is
    reported as a bad line instead of failing the job."""
    lines = sc.textFile(path, minPartitions=partitions(sc, path), use_unicode=False)
    return lines.zipWithIndex().map(lambda item: (item[1] + 1, item[0]))


def partitions(sc, path: str) -> int:
    """How many partitions to read ``path`` in: PARTITIONS_PER_CORE per core, more for a file larger
    than that many times PARTITION_BYTES. The size is asked of the file's own storage (local or the
    cluster's, through Hadoop); a path it cannot size (a glob) is read in the per-core count."""
    from py4j.protocol import Py4JJavaError  # py4j comes with pyspark

    least = sc.defaultParallelism * PARTITIONS_PER_CORE
    hadoop_path = sc._jvm.org.apache.hadoop.fs.Path(path)  # pyspark has no Python API for a file's size
    try:
        size = hadoop_path.getFileSystem(sc._jsc.hadoopConfiguration()).getContentSummary(hadoop_path).getLength()
    except Py4JJavaError:  # a glob, or a path that is not there (textFile says so itself)
        return least
    return max(least, -(-size // PARTITION_BYTES))


def _read(fmt: str, item: tuple[int, bytes]) -> tuple[int, tuple | None, str | None] | None:
    number, raw = item
    try:
        found = batch.read_person(number, raw, fmt)
    except (person_lines.Invalid, persons.InvalidPerson) as e:
        return number, None, str(e)
    return None if found is None else (number, found, None)


def _read_record(fmt: str, item: tuple[int, bytes]):
    """A registry line as its record (checked to make a person, as the local engine does)."""
    number, raw = item
    try:
        record = batch.read_record(number, raw, fmt)
        if record is None:
            return None
        persons.from_fields(record)
    except (person_lines.Invalid, persons.InvalidPerson) as e:
        return number, None, str(e)
    return number, record, None


def _kept(result) -> bool:
    return result is not None


_index: tuple[str, Index] | None = None  # (the job's registry token, the index built from it) in this Python worker


def _worker_index(registry) -> Index:
    """The registry's index, built once per Python worker (workers are reused across tasks), with this
    worker's string hashes."""
    global _index
    token, shared = registry
    if _index is None or _index[0] != token:
        _index = (token, batch.build_index((record.id, persons.from_fields(record)) for record in shared.value))
    return _index[1]


def _screen_partition(registry, fmt: str, items: Iterator[tuple[int, bytes]]):
    index = None
    for item in items:
        result = _read(fmt, item)
        if result is None:
            continue
        number, found, reason = result
        if reason is not None:
            yield number, [], reason
            continue
        index = index or _worker_index(registry)
        yield number, batch.alerts(index, *found), None
