"""Accuracy: precision, recall and F1 of Shelter and of OpenSanctions' logic-v2 on labelled pairs.

    .venv/bin/python benchmarks/accuracy.py [--quick] [--json FILE]

Two labelled sets:

- name_bench (``nomenklatura_name_bench_cases.csv``, MIT, from OpenSanctions' nomenklatura): names only,
  all schemas and the Person subset; both matchers run live in this process, and logic-v2's frozen
  figures (``nomenklatura_logicv2_frozen.csv``) are shown for reference. The folder is
  ``../shared/benchmarks/names/`` from the repository, or ``$SHELTER_BENCH_DATA``.
- the Central Asian set (``benchmarks/central_asian/pairs.jsonl``, or ``$SHELTER_BENCH_CENTRAL_ASIAN``),
  skipped with a message when it is not there yet: names, aliases, birth date, nationality, gender and
  documents go to both matchers. Overall figures, per-category recall (positives) or false-positive rate
  (negatives), and Shelter's best recall at precision ≥ 0.97.

Each matcher is judged at its own documented threshold (Shelter ``shelter.matching.THRESHOLD``, logic-v2 0.7).
A name Shelter refuses (``InvalidPerson``) scores 0; how many is reported. Misclassified pairs go to
``benchmarks/out/misclassified_*.jsonl``, worst first.
"""

import argparse
import csv
import importlib.util
import json
import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(REPO))

from shelter.matching import THRESHOLD, InvalidPerson, from_json, score  # noqa: E402

NAME_BENCH_FILE = "nomenklatura_name_bench_cases.csv"
FROZEN_FILE = "nomenklatura_logicv2_frozen.csv"
FROZEN_FIGURES = {"all": {"precision": 0.762, "recall": 0.821, "f1": 0.790},
                  "Person": {"precision": 0.700, "recall": 0.789, "f1": 0.742}}
LOGIC_V2_THRESHOLD = 0.7
TARGET_PRECISION, TARGET_RECALL = 0.97, 0.98
SHELTER, LOGIC_V2 = "Shelter", "logic-v2"


def data_dir() -> Path:
    return Path(os.environ.get("SHELTER_BENCH_DATA") or REPO.parent / "shared" / "benchmarks" / "names")


def central_asian_file() -> Path:
    return Path(os.environ.get("SHELTER_BENCH_CENTRAL_ASIAN") or HERE / "central_asian" / "pairs.jsonl")


@dataclass
class Case:
    id: str
    a: dict  # a person as Shelter's JSON: {"name", "aliases"?, "birth_date"?, ...}
    b: dict
    match: bool
    category: str = ""
    schema: str = "Person"
    quality: str = ""
    group: str = ""
    note: str = ""


def load_name_bench(path: Path | None = None, limit: int | None = None) -> list[Case]:
    path = path or data_dir() / NAME_BENCH_FILE
    cases = []
    with open(path, newline="", encoding="utf-8") as f:
        for i, row in enumerate(csv.DictReader(f), start=1):
            cases.append(Case(f"nb{i:04d}", {"name": row["name1"]}, {"name": row["name2"]},
                              row["is_match"].strip().lower() == "true", row.get("category") or "",
                              row["schema"], row.get("quality") or "", row.get("case_group") or "",
                              row.get("notes") or ""))
    return cases[:limit] if limit else cases


def load_frozen(path: Path | None = None) -> list[dict]:
    path = path or data_dir() / FROZEN_FILE
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load_central_asian(path: Path | None = None) -> list[Case] | None:
    path = path or central_asian_file()
    if not path.exists():
        return None
    cases = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            cases.append(Case(str(row.get("id", number)), row["a"], row["b"], bool(row["match"]),
                              row.get("category") or "", "Person", note=row.get("note") or ""))
    return cases


# ---------------------------------------------------------------------------------------------------
# The two matchers, behind one interface: score(a, b, schema) -> (score, refused?)


class Shelter:
    name = SHELTER
    threshold = THRESHOLD

    def score(self, a: dict, b: dict, schema: str = "Person") -> tuple[float, bool]:
        try:
            return score(from_json(a), from_json(b)).score, False
        except InvalidPerson:
            return 0.0, True

    def prepare(self, data: dict, schema: str = "Person"):
        try:
            return from_json(data)
        except InvalidPerson:
            return None

    def compare(self, a, b) -> float:
        return score(a, b).score if a is not None and b is not None else 0.0

    def explain(self, a: dict, b: dict) -> list | str:
        try:
            return score(from_json(a), from_json(b)).explanation()
        except InvalidPerson as e:
            return f"refused: {e}"


def logic_v2_available() -> bool:
    return importlib.util.find_spec("nomenklatura") is not None


class LogicV2:
    """OpenSanctions' nomenklatura logic-v2 on FollowTheMoney entities built from the same fields."""
    name = LOGIC_V2
    threshold = LOGIC_V2_THRESHOLD
    NATIONALITY = {"su": "suhh"}  # FtM's code for the USSR

    def __init__(self):
        from followthemoney import model
        from nomenklatura.matching import get_algorithm

        self.model = model
        self.algorithm = get_algorithm("logic-v2")
        self.config = self.algorithm.default_config()
        self.counter = 0

    def entity(self, data: dict, schema: str = "Person"):
        entity = self.model.make_entity(schema)
        self.counter += 1
        entity.id = f"e{self.counter}"
        entity.add("name", data.get("name"))
        if schema == "Person":
            for alias in data.get("aliases") or ():
                entity.add("alias", alias)
            if data.get("birth_date"):
                entity.add("birthDate", data["birth_date"])
            if data.get("nationality"):
                nationality = str(data["nationality"]).lower()
                entity.add("nationality", self.NATIONALITY.get(nationality, nationality))
            if data.get("gender"):
                entity.add("gender", data["gender"])
            for document in data.get("documents") or ():
                entity.add("idNumber", document)
        return entity

    def score(self, a: dict, b: dict, schema: str = "Person") -> tuple[float, bool]:
        try:
            return float(self.algorithm.compare(self.entity(a, schema), self.entity(b, schema), self.config).score), False
        except Exception:  # noqa: BLE001 - a peer that fails on a pair scores 0 for it, counted
            return 0.0, True

    def prepare(self, data: dict, schema: str = "Person"):
        return self.entity(data, schema)

    def compare(self, a, b) -> float:
        try:
            return float(self.algorithm.compare(a, b, self.config).score)
        except Exception:  # noqa: BLE001 - as in score()
            return 0.0

    def warm_up(self) -> float:
        start = time.perf_counter()
        self.score({"name": "Rustam Karimov", "birth_date": "1965", "nationality": "tj", "gender": "male"},
                   {"name": "Рустам Каримов"})
        return time.perf_counter() - start


def matchers(with_logic_v2: bool = True) -> list:
    found = [Shelter()]
    if with_logic_v2 and logic_v2_available():
        found.append(LogicV2())
    return found


# ---------------------------------------------------------------------------------------------------
# Measures


def prf(labels: list[bool], predictions: list[bool]) -> dict:
    tp = sum(1 for y, p in zip(labels, predictions) if y and p)
    fp = sum(1 for y, p in zip(labels, predictions) if p and not y)
    fn = sum(1 for y, p in zip(labels, predictions) if y and not p)
    tn = len(labels) - tp - fp - fn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn, "tn": tn, "pairs": len(labels)}


def best_recall_at_precision(scores: list[float], labels: list[bool], min_precision: float = TARGET_PRECISION) -> dict:
    """The threshold with the highest recall among those whose precision is at least ``min_precision``
    (the operating point a screener would pick); ties go to the higher threshold."""
    positives = sum(labels)
    ranked = sorted(zip(scores, labels), key=lambda x: -x[0])
    best = {"threshold": None, "precision": None, "recall": 0.0}
    tp = fp = 0
    for i, (s, y) in enumerate(ranked):
        tp += y
        fp += not y
        if i + 1 < len(ranked) and ranked[i + 1][0] == s:
            continue  # a threshold takes every pair with the same score
        precision = tp / (tp + fp)
        recall = tp / positives if positives else 0.0
        if precision >= min_precision and recall > best["recall"]:
            best = {"threshold": round(s, 4), "precision": round(precision, 4), "recall": round(recall, 4)}
    return best


@dataclass
class Scored:
    cases: list[Case]
    scores: dict[str, list[float]] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)

    def predictions(self, matcher: str, subset=None) -> tuple[list[bool], list[bool]]:
        labels, predicted = [], []
        for case, s in zip(self.cases, self.scores[matcher]):
            if subset is None or subset(case):
                labels.append(case.match)
                predicted.append(s >= self.thresholds[matcher])
        return labels, predicted


def score_cases(cases: list[Case], found: list, attributes: bool) -> Scored:
    scored = Scored(cases)
    for m in found:
        values, refused = [], 0
        for case in cases:
            a, b = (case.a, case.b) if attributes else ({"name": case.a["name"]}, {"name": case.b["name"]})
            s, bad = m.score(a, b, case.schema)
            values.append(s)
            refused += bad
        scored.scores[m.name] = values
        scored.refused[m.name] = refused
        scored.thresholds[m.name] = m.threshold
    return scored


def misclassified(scored: Scored, path: Path, attributes: bool) -> int:
    """Pairs at least one matcher gets wrong, Shelter's worst first (furthest from its threshold)."""
    shelter = Shelter()
    rows = []
    for i, case in enumerate(scored.cases):
        wrong = [m for m in scored.scores if (scored.scores[m][i] >= scored.thresholds[m]) != case.match]
        if not wrong:
            continue
        a, b = (case.a, case.b) if attributes else ({"name": case.a["name"]}, {"name": case.b["name"]})
        row = {"id": case.id, "match": case.match, "category": case.category, "schema": case.schema,
               "group": case.group, "quality": case.quality, "note": case.note, "a": a, "b": b,
               "wrong": wrong}
        for m in scored.scores:
            row[m] = scored.scores[m][i]
        row["margin"] = round(abs(scored.scores[SHELTER][i] - scored.thresholds[SHELTER]), 4) if SHELTER in wrong else 0
        row["explanation"] = shelter.explain(a, b) if SHELTER in wrong else None
        rows.append(row)
    rows.sort(key=lambda r: (SHELTER not in r["wrong"], -r["margin"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(rows)


def name_bench(found: list, limit: int | None = None, out: Path = OUT) -> dict:
    cases = load_name_bench(limit=limit)
    scored = score_cases(cases, found, attributes=False)
    is_person = lambda c: c.schema == "Person"  # noqa: E731
    result = {"file": str(data_dir() / NAME_BENCH_FILE), "pairs": len(cases),
              "person_pairs": sum(1 for c in cases if is_person(c)), "refused": scored.refused,
              "all": {}, "Person": {}, "mean_score_by_quality": {}}
    for m in scored.scores:
        result["all"][m] = prf(*scored.predictions(m))
        result["Person"][m] = prf(*scored.predictions(m, is_person))
        means = defaultdict(list)
        for case, s in zip(cases, scored.scores[m]):
            means[f"{'match' if case.match else 'non-match'} {case.quality or '?'}"].append(s)
        result["mean_score_by_quality"][m] = {k: round(sum(v) / len(v), 3) for k, v in sorted(means.items())}
    result["frozen"] = frozen_reference(found if not limit else [])
    result["misclassified"] = misclassified(scored, out / "misclassified_name_bench.jsonl", attributes=False)
    result["misclassified_file"] = str(out / "misclassified_name_bench.jsonl")
    return result


def frozen_reference(found: list) -> dict:
    """logic-v2's frozen figures, recomputed from the frozen file; and, when logic-v2 is installed, the
    live logic-v2 on the frozen file's own pairs and labels (does the live peer reproduce them?)."""
    try:
        rows = load_frozen()
    except FileNotFoundError:
        return {"stated": FROZEN_FIGURES}
    result = {"stated": FROZEN_FIGURES, "pairs": len(rows)}
    for subset, keep in (("all", lambda r: True), ("Person", lambda r: r["schema"] == "Person")):
        chosen = [r for r in rows if keep(r)]
        result[subset] = prf([r["is_match"] == "true" for r in chosen], [r["predicted_match"] == "true" for r in chosen])
    live = next((m for m in found if m.name == LOGIC_V2), None)
    if live is not None:
        scores = [live.score({"name": r["name1"]}, {"name": r["name2"]}, r["schema"])[0] for r in rows]
        predicted = [s >= live.threshold for s in scores]
        result["live_on_frozen_pairs"] = prf([r["is_match"] == "true" for r in rows], predicted)
        result["live_agrees_with_frozen"] = round(
            sum(p == (r["predicted_match"] == "true") for p, r in zip(predicted, rows)) / len(rows), 4)
    return result


def central_asian(found: list, path: Path | None = None, out: Path = OUT) -> dict | None:
    cases = load_central_asian(path)
    if cases is None:
        return None
    scored = score_cases(cases, found, attributes=True)
    result = {"file": str(path or central_asian_file()), "pairs": len(cases),
              "positives": sum(c.match for c in cases), "refused": scored.refused,
              "overall": {}, "best_recall_at_precision": {}, "categories": []}
    for m in scored.scores:
        result["overall"][m] = prf(*scored.predictions(m))
        result["best_recall_at_precision"][m] = best_recall_at_precision(scored.scores[m], [c.match for c in cases])
    overall = result["overall"][SHELTER]
    result["target_met"] = overall["recall"] >= TARGET_RECALL and overall["precision"] >= TARGET_PRECISION
    groups = defaultdict(list)
    for i, case in enumerate(cases):
        groups[(case.category or "(none)", case.match)].append(i)
    for (category, positive), rows in sorted(groups.items()):
        entry = {"category": category, "kind": "positive" if positive else "negative", "pairs": len(rows),
                 "measure": "recall" if positive else "false-positive rate"}
        for m in scored.scores:
            hits = sum(scored.scores[m][i] >= scored.thresholds[m] for i in rows)
            entry[m] = round(hits / len(rows), 4)  # recall for positives, false-positive rate for negatives
        result["categories"].append(entry)
    result["misclassified"] = misclassified(scored, out / "misclassified_central_asian.jsonl", attributes=True)
    result["misclassified_file"] = str(out / "misclassified_central_asian.jsonl")
    return result


def run(quick: bool = False, with_logic_v2: bool = True, out: Path = OUT, name_bench_limit: int | None = None,
        central_asian_path: Path | None = None) -> dict:
    found = matchers(with_logic_v2)
    results = {"matchers": {m.name: m.threshold for m in found},
               "logic_v2": "live" if len(found) > 1 else "not installed"}
    for m in found:
        if isinstance(m, LogicV2):
            results["logic_v2_warm_up_seconds"] = round(m.warm_up(), 1)
    limit = name_bench_limit or (120 if quick else None)
    results["name_bench"] = name_bench(found, limit, out)
    results["central_asian"] = central_asian(found, central_asian_path, out)
    return results


# ---------------------------------------------------------------------------------------------------
# Reporting


def _f(x, digits=3) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def _prf(entry: dict | None) -> str:
    if not entry:
        return "—"
    return f"P {_f(entry['precision'])} R {_f(entry['recall'])} F1 {_f(entry['f1'])}"


def rows(results: dict) -> list[list[str]]:
    """Rows of the figures table: measure | target | Shelter | logic-v2 | met?"""
    out = []
    nb = results["name_bench"]
    for subset, label in (("all", f"name_bench, all {nb['pairs']} pairs (names only)"),
                          ("Person", f"name_bench, {nb['person_pairs']} Person pairs (names only)")):
        out.append([label, "— (development set)", _prf(nb[subset].get(SHELTER)), _prf(nb[subset].get(LOGIC_V2)), "—"])
    frozen = nb["frozen"]
    out.append([f"name_bench, logic-v2 frozen file ({frozen.get('pairs', 812)} pairs, older labels): all / Person",
                "reference", "", f"{_prf(frozen.get('all', frozen['stated']['all']))} / "
                f"{_prf(frozen.get('Person', frozen['stated']['Person']))}", "—"])
    if "live_on_frozen_pairs" in frozen:
        out.append(["logic-v2 live on the frozen file's pairs (sanity check of the peer)", "≈ frozen", "",
                    f"{_prf(frozen['live_on_frozen_pairs'])}; same decision on {frozen['live_agrees_with_frozen']:.1%}",
                    "—"])
    refused = nb["refused"].get(SHELTER, 0)
    out.append(["name_bench names Shelter refuses (scored 0)", "—", str(refused), str(nb["refused"].get(LOGIC_V2, "—")), "—"])
    ca = results.get("central_asian")
    if not ca:
        out.append(["Central Asian set", "R ≥ 0.98 at P ≥ 0.97", "not yet built", "", "—"])
        return out
    s, l = ca["overall"].get(SHELTER), ca["overall"].get(LOGIC_V2)
    out.append([f"Central Asian set, {ca['pairs']} pairs, at the default threshold",
                f"R ≥ {TARGET_RECALL} at P ≥ {TARGET_PRECISION}", _prf(s), _prf(l), "yes" if ca["target_met"] else "no"])
    best = ca["best_recall_at_precision"]

    def op(entry):
        if not entry or entry["threshold"] is None:
            return "none reaches P 0.97"
        return f"R {_f(entry['recall'])} (P {_f(entry['precision'])}, threshold {entry['threshold']})"
    out.append([f"Central Asian set, best recall at P ≥ {TARGET_PRECISION}", "—", op(best.get(SHELTER)),
                op(best.get(LOGIC_V2)), "—"])
    out.append(["Central Asian names Shelter refuses (scored 0)", "—", str(ca["refused"].get(SHELTER, 0)),
                str(ca["refused"].get(LOGIC_V2, "—")), "—"])
    return out


def category_rows(results: dict) -> list[list[str]]:
    ca = results.get("central_asian")
    if not ca:
        return []
    return [[c["category"], c["kind"], str(c["pairs"]), c["measure"], _f(c.get(SHELTER)), _f(c.get(LOGIC_V2))]
            for c in ca["categories"]]


def print_summary(results: dict) -> None:
    for row in rows(results):
        print(" | ".join(row))
    nb = results["name_bench"]
    print("mean scores by label and quality:", json.dumps(nb["mean_score_by_quality"], ensure_ascii=False))
    print(f"misclassified name_bench pairs: {nb['misclassified']} -> {nb['misclassified_file']}")
    ca = results.get("central_asian")
    if ca is None:
        print(f"Central Asian set: {central_asian_file()} is not there yet; skipped.")
    else:
        for row in category_rows(results):
            print("  " + " | ".join(row))
        print(f"misclassified Central Asian pairs: {ca['misclassified']} -> {ca['misclassified_file']}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Accuracy of Shelter and logic-v2 on labelled pairs.")
    parser.add_argument("--quick", action="store_true", help="a smoke run on the first 120 name_bench pairs")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--no-logic-v2", action="store_true", help="Shelter only")
    parser.add_argument("--out", type=Path, default=OUT, help="where the misclassified pairs go")
    args = parser.parse_args(argv)
    if not args.no_logic_v2 and not logic_v2_available():
        print("accuracy: nomenklatura is not installed (pip install -e '.[bench]'); Shelter only.", file=sys.stderr)
    results = run(args.quick, not args.no_logic_v2, args.out)
    print_summary(results)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
