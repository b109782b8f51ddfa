"""Screening: blocking and alert quality on the synthetic registry, and the end-to-end command's time and memory.

    .venv/bin/python benchmarks/screening.py [--dir benchmarks/out] [--json FILE] [--no-end-to-end]

Reads the files ``synthetic.py`` writes (registry, queries, truth) and measures:

(a) in this process, through the Python API: building the ``Index`` of the registry; for every query
    ``Index.candidates()`` (candidate recall of the true person for variant queries, candidates per
    query) and ``Index.screen()`` (alert recall at the threshold, whether the true person is the best
    alert, alerts per query that is not in the registry). Misses go to ``out/blocking_misses.jsonl`` and
    ``out/alert_misses.jsonl``;
(b) end to end: ``shelter screen QUERIES --against REGISTRY > /dev/null`` as a child process, its wall
    time, CPU time and peak memory (``RUSAGE_CHILDREN.ru_maxrss``, KiB on Linux). The child runs first,
    before this process has grown, and is the only child this process waits for.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402
from shelter.matching import batch, index, keys, score  # noqa: E402

TARGETS = {"candidate_recall": 0.99, "mean_candidates": 50, "wall_seconds": 60, "peak_memory_mib": 2048}


def _read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _people(path: Path, bad: list) -> list[tuple[object, object]]:
    with open(path, encoding="utf-8") as f:
        return list(batch.read_people(f, lambda number, reason: bad.append((path.name, number, reason))))


def _transform_kinds(transforms: list[str]) -> list[str]:
    kinds = []
    for t in transforms:
        if t.startswith("style:"):
            before, after = t[6:].split("->")
            kinds.append("script_changed" if synthetic.is_cyrillic(before) != synthetic.is_cyrillic(after) else "same_script")
        else:
            kinds.append(t.split(":")[0])
    return kinds


def blocking(directory: Path = OUT, out: Path | None = None) -> dict:
    out = out or directory
    paths = {k: directory / f for k, f in (("registry", synthetic.REGISTRY_FILE), ("queries", synthetic.QUERIES_FILE),
                                           ("truth", synthetic.TRUTH_FILE))}
    bad: list = []
    start_cpu, start = time.process_time(), time.perf_counter()
    registry = _people(paths["registry"], bad)
    idx = index.Index()
    for identifier, p in registry:
        idx.add(identifier, p)
    build = {"wall_seconds": round(time.perf_counter() - start, 2), "cpu_seconds": round(time.process_time() - start_cpu, 2)}
    ids = [identifier for identifier, _ in registry]
    rows = {identifier: row for row, identifier in enumerate(ids)}
    records = {r["id"]: r for r in _read(paths["registry"])}
    queries = _people(paths["queries"], bad)
    query_people = dict(queries)
    query_records = {r["id"]: r for r in _read(paths["queries"])}
    truth = {t["query"]: t for t in _read(paths["truth"])}

    start = time.perf_counter()
    candidates = {qid: idx.candidates(q) for qid, q in queries}
    candidate_seconds = time.perf_counter() - start
    start_cpu, start = time.process_time(), time.perf_counter()
    alerts = {qid: idx.screen(q) for qid, q in queries}
    query_phase = {"wall_seconds": round(time.perf_counter() - start, 2), "cpu_seconds": round(time.process_time() - start_cpu, 2),
                   "candidates_only_wall_seconds": round(candidate_seconds, 2)}

    variants = [qid for qid, _ in queries if truth[qid]["kind"] == "variant"]
    fictional = [qid for qid, _ in queries if truth[qid]["kind"] == "fictional"]
    found, alerted, top, by_kind = 0, 0, 0, defaultdict(lambda: [0, 0, 0])
    blocking_misses, alert_misses = [], []
    for qid in variants:
        t = truth[qid]
        row = rows.get(t["person"])
        in_candidates = row is not None and row in candidates[qid]
        hit = [a for a in alerts[qid] if a.candidate == t["person"]]
        found += in_candidates
        alerted += bool(hit)
        top += bool(alerts[qid]) and alerts[qid][0].candidate == t["person"]
        for kind in set(_transform_kinds(t["transforms"])) | {"all"}:
            by_kind[kind][0] += 1
            by_kind[kind][1] += in_candidates
            by_kind[kind][2] += bool(hit)
        entry = {"query": query_records[qid], "registry": records.get(t["person"]), "transforms": t["transforms"],
                 "namesakes": t["namesakes"]}
        if not in_candidates:
            # Did the true person share no blocking key with the query, or was it cut by the cap?
            shared = len(keys.person_keys(query_people[qid]) & keys.person_keys(idx.person(row))) if row is not None else 0
            entry["shared_keys"] = shared
            entry["cause"] = "no shared key" if shared == 0 else "cut by the candidate cap"
            blocking_misses.append(entry)
        elif not hit:
            result = score(query_people[qid], idx.person(row))
            alert_misses.append({**entry, "score": result.score, "explanation": result.explanation()})
    fictional_alerts = {kind: [0, 0, 0] for kind in ("random", "relative", "namesake", "no namesake in the registry")}
    for qid in fictional:
        kind = truth[qid]["transforms"][0]
        if truth[qid]["namesakes"] == 0:
            fictional_alerts["no namesake in the registry"][0] += 1
            fictional_alerts["no namesake in the registry"][1] += len(alerts[qid])
            fictional_alerts["no namesake in the registry"][2] += bool(alerts[qid])
        fictional_alerts[kind][0] += 1
        fictional_alerts[kind][1] += len(alerts[qid])
        fictional_alerts[kind][2] += bool(alerts[qid])
    out.mkdir(parents=True, exist_ok=True)
    for name, rows_ in (("blocking_misses.jsonl", blocking_misses), ("alert_misses.jsonl", alert_misses)):
        with open(out / name, "w", encoding="utf-8") as f:
            for r in rows_:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts = [len(c) for c in candidates.values()]
    n_fictional = max(1, len(fictional))
    return {
        "registry": len(registry), "queries": len(queries), "variants": len(variants), "fictional": len(fictional),
        "bad_lines": len(bad), "max_candidates": index.MAX_CANDIDATES,
        "index_build": build, "query_phase": query_phase,
        "candidate_recall": round(found / max(1, len(variants)), 4),
        "mean_candidates": round(sum(counts) / max(1, len(counts)), 1),
        "queries_at_candidate_cap": sum(1 for c in counts if c >= index.MAX_CANDIDATES),
        "alert_recall": round(alerted / max(1, len(variants)), 4),
        "true_person_first": round(top / max(1, len(variants)), 4),
        "alerts_per_fictional_query": round(sum(len(alerts[q]) for q in fictional) / n_fictional, 3),
        "fictional_queries_with_an_alert": round(sum(bool(alerts[q]) for q in fictional) / n_fictional, 4),
        "fictional_by_kind": {k: {"queries": v[0], "alerts_per_query": round(v[1] / max(1, v[0]), 3),
                                  "with_an_alert": round(v[2] / max(1, v[0]), 4)} for k, v in fictional_alerts.items()},
        "alerts_per_variant_query": round(sum(len(alerts[q]) for q in variants) / max(1, len(variants)), 3),
        "by_transform": {k: {"queries": v[0], "candidate_recall": round(v[1] / v[0], 4), "alert_recall": round(v[2] / v[0], 4)}
                         for k, v in sorted(by_kind.items())},
        "blocking_misses": len(blocking_misses), "alert_misses": len(alert_misses),
        "blocking_misses_by_cause": {cause: sum(1 for m in blocking_misses if m["cause"] == cause)
                                     for cause in ("no shared key", "cut by the candidate cap")},
        "misses_files": [str(out / "blocking_misses.jsonl"), str(out / "alert_misses.jsonl")],
    }


def shelter_command() -> Path:
    """The ``shelter`` script installed beside this Python (whatever environment runs the benchmark),
    else the one on the PATH."""
    beside = Path(sys.executable).with_name("shelter")
    if beside.exists():
        return beside
    found = shutil.which("shelter")
    if found is None:
        raise SystemExit("the shelter command is not installed (pip install -e . in this environment)")
    return Path(found)


def end_to_end(directory: Path = OUT) -> dict:
    """``shelter screen QUERIES --against REGISTRY > /dev/null`` in a child process."""
    executable = shelter_command()
    home = tempfile.mkdtemp(prefix="shelter-bench-")
    env = {**os.environ, "SHELTER_HOME": home}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the command's own settings, not a caller's (pytest's)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with tempfile.TemporaryFile() as stderr:
        completed = subprocess.run([str(executable), "screen", str(directory / synthetic.QUERIES_FILE),
                                    "--against", str(directory / synthetic.REGISTRY_FILE)],
                                   stdout=subprocess.DEVNULL, stderr=stderr, env=env, check=False)
        wall = time.perf_counter() - start
        stderr.seek(0)
        tail = stderr.read()[-2000:].decode("utf-8", "replace")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    shutil.rmtree(home, ignore_errors=True)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result = {"command": f"shelter screen {synthetic.QUERIES_FILE} --against {synthetic.REGISTRY_FILE} > /dev/null",
              "returncode": completed.returncode, "wall_seconds": round(wall, 1), "cpu_seconds": round(cpu, 1),
              "peak_memory_kib": after.ru_maxrss, "peak_memory_mib": round(after.ru_maxrss / 1024, 1)}
    if completed.returncode:
        result["stderr_tail"] = tail.strip().splitlines()[-5:]
    return result


def run(directory: Path = OUT, with_end_to_end: bool = True, out: Path | None = None) -> dict:
    results = {"files": str(directory)}
    stats = directory / "synthetic_stats.json"
    if stats.exists():
        results["synthetic"] = json.loads(stats.read_text("utf-8"))
    if with_end_to_end:
        results["end_to_end"] = end_to_end(directory)  # first: the only child, before this process grows
    results["blocking"] = blocking(directory, out or directory)
    return results


def _yes(ok: bool) -> str:
    return "yes" if ok else "no"


def rows(results: dict) -> list[list[str]]:
    b = results["blocking"]
    size = f"{b['registry']:,} × {b['queries']:,}"
    out = [
        [f"screening {size}: candidate recall (true person among candidates, {b['variants']:,} variant queries)",
         f"≥ {TARGETS['candidate_recall']}", f"{b['candidate_recall']:.4f}", "—", _yes(b["candidate_recall"] >= TARGETS["candidate_recall"])],
        ["screening: mean candidates per query", f"≤ {TARGETS['mean_candidates']}", f"{b['mean_candidates']:.1f}", "—",
         _yes(b["mean_candidates"] <= TARGETS["mean_candidates"])],
        ["screening: alert recall (true person alerted at the threshold)", "—", f"{b['alert_recall']:.4f}", "—", "—"],
        ["screening: true person is the best alert", "—", f"{b['true_person_first']:.4f}", "—", "—"],
        [f"screening: alerts per query not in the registry ({b['fictional']:,}; share with ≥ 1 alert)", "—",
         f"{b['alerts_per_fictional_query']:.2f} ({b['fictional_queries_with_an_alert']:.1%})", "—", "—"],
        ["screening: alerts per query not in the registry whose full name has no namesake there", "—",
         f"{b['fictional_by_kind']['no namesake in the registry']['alerts_per_query']:.2f} "
         f"({b['fictional_by_kind']['no namesake in the registry']['with_an_alert']:.1%} of "
         f"{b['fictional_by_kind']['no namesake in the registry']['queries']:,})", "—", "—"],
        ["screening, in-process: index build / query phase (wall s)", "—",
         f"{b['index_build']['wall_seconds']:.1f} / {b['query_phase']['wall_seconds']:.1f}", "—", "—"],
    ]
    e = results.get("end_to_end")
    if e:
        ok = e["returncode"] == 0
        out.append([f"`shelter screen` end to end, {size}: wall time (CPU time)", f"< {TARGETS['wall_seconds']} s",
                    f"{e['wall_seconds']:.1f} s ({e['cpu_seconds']:.1f} s CPU)" + ("" if ok else f", exit {e['returncode']}"),
                    "—", _yes(ok and e["wall_seconds"] < TARGETS["wall_seconds"])])
        out.append(["`shelter screen` end to end: peak memory of the child", "< 2 GB",
                    f"{e['peak_memory_mib']:,.0f} MiB", "—", _yes(e["peak_memory_mib"] < TARGETS["peak_memory_mib"])])
    return out


def transform_rows(results: dict) -> list[list[str]]:
    return [[kind, str(v["queries"]), f"{v['candidate_recall']:.4f}", f"{v['alert_recall']:.4f}"]
            for kind, v in results["blocking"]["by_transform"].items()]


def print_summary(results: dict) -> None:
    for row in rows(results):
        print(" | ".join(row))
    for row in transform_rows(results):
        print("  " + " | ".join(row))
    b = results["blocking"]
    print("non-registry queries by kind:", json.dumps(b["fictional_by_kind"]))
    print(f"misses: {b['blocking_misses']} blocking {json.dumps(b['blocking_misses_by_cause'])}, "
          f"{b['alert_misses']} alert -> {', '.join(b['misses_files'])}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Screening benchmark on the synthetic registry.")
    parser.add_argument("--dir", type=Path, default=OUT, help="where synthetic.py wrote its files")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--no-end-to-end", action="store_true", help="skip the `shelter screen` child process")
    args = parser.parse_args(argv)
    results = run(args.dir, not args.no_end_to_end)
    print_summary(results)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
