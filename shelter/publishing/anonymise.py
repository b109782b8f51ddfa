"""k-anonymity (and optional l-diversity) by full-domain generalisation and local suppression.

Pure Python plus numpy (a core dependency), no Django. The search walks the lattice of
generalisation levels (one level per quasi-identifier, the same level for every row: full-domain
generalisation) in order of information loss — the sum over the quasi-identifiers of
level / top level (Sweeney's precision metric), ties broken by the level vector — and keeps the
first node for which the rows in groups smaller than k (and, with l-diversity, in groups with
fewer than l distinct sensitive values) are at most ``max_suppression`` of all rows. Those rows
are suppressed (left out). Because every ancestor of a node that satisfies also satisfies and has
a higher loss, the first node found is the least-loss one and nothing above it is evaluated.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from .hierarchies import Hierarchy, hierarchies as default_hierarchies


class NoSolution(ValueError):
    """Even the most general node needs more suppression than allowed."""


@dataclass
class Result:
    rows: list[dict]
    levels: dict[str, int]
    suppressed: int
    report: dict = field(default_factory=dict)


def _factorise(values) -> tuple[np.ndarray, int]:
    index: dict = {}
    codes = np.fromiter((index.setdefault(v, len(index)) for v in values), dtype=np.int64, count=len(values))
    return codes, max(len(index), 1)


def _combine(columns: list[tuple[np.ndarray, int]]) -> np.ndarray:
    """One integer key per element from several (codes, cardinality) columns."""
    key = np.zeros(len(columns[0][0]) if columns else 0, dtype=np.int64)
    span = 1
    for codes, card in columns:
        if span * card >= 2**62:
            _, key = np.unique(key, return_inverse=True)
            key = key.reshape(-1).astype(np.int64)
            span = int(key.max()) + 1 if len(key) else 1
        key = key * card + codes
        span *= card
    return key, span


def anonymise(
    rows: list[dict],
    quasi_identifiers: list[str],
    k: int,
    *,
    max_suppression: float = 0.05,
    l_diversity: tuple[str, int] | None = None,
    hierarchies: dict[str, Hierarchy] | None = None,
) -> Result:
    if k < 1:
        raise ValueError("k must be at least 1")
    if not 0 <= max_suppression <= 1:
        raise ValueError("max_suppression is a share of the rows, 0 to 1")
    hs = hierarchies or default_hierarchies()
    qis = list(quasi_identifiers)
    missing = [q for q in qis if q not in hs]
    if missing:
        raise ValueError(f"no hierarchy for {missing}")
    sensitive, l_value = l_diversity if l_diversity else (None, 0)
    if sensitive is not None and sensitive in qis:
        raise ValueError(f"the sensitive column {sensitive!r} cannot also be a quasi-identifier")

    n = len(rows)
    budget = int(max_suppression * n + 1e-9)

    # Compress the rows to their distinct (quasi-identifiers, sensitive) tuples.
    cols = qis + ([sensitive] if sensitive else [])
    distinct: dict[tuple, int] = {}
    row_index = np.fromiter(
        (distinct.setdefault(tuple(r.get(c) for c in cols), len(distinct)) for r in rows), dtype=np.int64, count=n
    )
    tuples = list(distinct)
    counts = np.bincount(row_index, minlength=len(tuples)).astype(np.int64)

    # codes[j][level]: (code per distinct tuple, cardinality); general[j][level]: base value -> value
    codes: list[list[tuple[np.ndarray, int]]] = []
    general: list[list[dict]] = []
    for j, q in enumerate(qis):
        h = hs[q]
        base = [t[j] for t in tuples]
        values = sorted(set(base), key=lambda v: (v is None, str(v)))
        per_level_codes, per_level_maps = [], []
        for level in range(h.depth):
            mapping = {v: (v if level == 0 else h.generalise(v, level)) for v in values}
            per_level_maps.append(mapping)
            per_level_codes.append(_factorise([mapping[v] for v in base]))
        codes.append(per_level_codes)
        general.append(per_level_maps)
    sens_codes = _factorise([t[-1] for t in tuples]) if sensitive else None

    def bad_groups(node: tuple[int, ...]) -> tuple[np.ndarray, int]:
        """Per distinct tuple: is it in a group to suppress; and how many rows that is."""
        if not len(tuples):
            return np.zeros(0, dtype=bool), 0
        key, span = _combine([codes[j][lv] for j, lv in enumerate(node)])
        if span <= 4 * len(key) + 1_000_000:
            group = key  # few enough keys to count them directly, without sorting
        else:
            _, group = np.unique(key, return_inverse=True)
            group = group.reshape(-1)
        sizes = np.bincount(group, weights=counts)
        bad = sizes < k
        if sensitive:
            scodes, scard = sens_codes
            pairs = np.unique(group.astype(np.int64) * scard + scodes)
            distinct_sens = np.bincount(pairs // scard, minlength=len(sizes))
            bad |= distinct_sens < l_value
        bad_tuple = bad[group]
        return bad_tuple, int(counts[bad_tuple].sum())

    depths = [hs[q].depth for q in qis]

    def loss(node):
        return sum(lv / (d - 1) for lv, d in zip(node, depths) if d > 1)

    top = tuple(d - 1 for d in depths)
    evaluated = 1
    bad_top, supp_top = bad_groups(top)
    if supp_top > budget:
        raise NoSolution(
            f"even full generalisation {dict(zip(qis, top))} leaves {supp_top} of {n} rows in groups "
            f"that break k={k}" + (f" or l={l_value}" if sensitive else "") + f"; at most {budget} may be suppressed"
        )
    nodes = sorted(itertools.product(*(range(d) for d in depths)), key=lambda nd: (loss(nd), nd))
    chosen, bad_tuple, suppressed = top, bad_top, supp_top
    for node in nodes:
        if node == top:
            break
        evaluated += 1
        bad, supp = bad_groups(node)
        if supp <= budget:
            chosen, bad_tuple, suppressed = node, bad, supp
            break

    # Write the rows out: generalised quasi-identifiers, suppressed rows left out, order kept.
    row_bad = bad_tuple[row_index] if n else np.zeros(0, dtype=bool)
    maps = [general[j][lv] for j, lv in enumerate(chosen)]
    out = []
    for r, is_bad in zip(rows, row_bad.tolist()):
        if is_bad:
            continue
        new = dict(r)
        for q, lv, m in zip(qis, chosen, maps):
            if lv:
                new[q] = m[r.get(q)]
        out.append(new)

    kept = counts * ~bad_tuple if len(tuples) else counts
    per_qi = {}
    for j, (q, lv) in enumerate(zip(qis, chosen)):
        m = maps[j]
        changed = np.fromiter(
            (lv > 0 and m[t[j]] != ("" if t[j] is None else str(t[j])) for t in tuples), dtype=bool, count=len(tuples)
        )
        per_qi[q] = {
            "level": lv,
            "level_name": hs[q].levels[lv].name,
            "source": hs[q].levels[lv].source,
            "cells_generalised": int(kept[changed].sum()),
        }
    cells_total = n * len(qis)
    cells_generalised = sum(v["cells_generalised"] for v in per_qi.values())
    cells_suppressed = suppressed * len(qis)
    report = {
        "k": k,
        "l_diversity": {"sensitive": sensitive, "l": l_value} if sensitive else None,
        "max_suppression": max_suppression,
        "rows_in": n,
        "rows_out": len(out),
        "rows_suppressed": suppressed,
        "quasi_identifiers": per_qi,
        "cells_total": cells_total,
        "cells_generalised": cells_generalised,
        "cells_suppressed": cells_suppressed,
        "cells_unchanged": cells_total - cells_generalised - cells_suppressed,
        "share_changed": (cells_generalised + cells_suppressed) / cells_total if cells_total else 0.0,
        "nodes_evaluated": evaluated,
        "nodes_in_lattice": len(nodes),
    }
    return Result(rows=out, levels=dict(zip(qis, chosen)), suppressed=suppressed, report=report)
