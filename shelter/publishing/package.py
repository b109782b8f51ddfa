"""Writing a ``Publication`` as a Frictionless Data Package: CSV and JSON, ``datapackage.json`` and a
codebook in English and Russian.

Pure Python, no Django. The descriptor names the quasi-identifier columns of each k-anonymous
resource (``quasiIdentifiers``) and records ``k``, so that anyone can check the claim.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from shelter import thesaurus

from .dataset import Publication, column_names, columns_data
from .hierarchies import WITHHELD, country_codes, data as hierarchy_data

LANGUAGES = ("en", "ru")
DEFAULT_LICENCE = "CC-BY-4.0"


@dataclass(frozen=True)
class Provenance:
    publisher: str
    created: str  # ISO 8601, the date of extraction
    licence: str = DEFAULT_LICENCE
    period: tuple[int | None, int | None] = (None, None)


def _enum(name: str) -> list[str] | None:
    h = hierarchy_data()
    if name in ("origin", "host"):
        areas = {v[key] for v in h["countries"]["codes"].values() for key in ("subregion", "region")}
        return country_codes() + sorted(areas) + [WITHHELD]
    if name == "profile":
        classes = h["profile"]["levels"][1]["map"]
        return thesaurus.codes("profiles") + sorted(set(classes.values())) + [WITHHELD]
    if name == "outcome":
        return list(columns_data()["labels"]["outcome"]) + [WITHHELD]
    if name in ("gender", "complicity"):
        return list(columns_data()["labels"][name]) + ([WITHHELD] if name == "gender" else [])
    return None


CODES_PATTERN = r"^([a-z_]+(\+[a-z_]+)*|\*)$"


def schema() -> dict:
    fields = []
    for column in columns_data()["columns"]:
        field = {
            "name": column["name"],
            "type": column["type"],
            "title": column["title"]["en"],
            "description": column["description"]["en"],
        }
        constraints = {}
        if column.get("pattern"):
            constraints["pattern"] = column["pattern"]
        elif column["name"] in ("tactics", "fh_tactics"):
            constraints["pattern"] = CODES_PATTERN
        elif enum := _enum(column["name"]):
            constraints["enum"] = enum
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    return {"fields": fields, "missingValues": [""]}


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=column_names(), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else str(v).lower() if isinstance(v, bool) else v) for k, v in row.items()})
    return out.getvalue()


def _json(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"


def _resources(pub: Publication) -> list[dict]:
    control = {
        "k": pub.k,
        "quasiIdentifiers": pub.quasi_identifiers,
        "lDiversity": {"sensitive": "outcome", "l": pub.l_diversity} if pub.l_diversity else None,
        "disclosureControl": {
            "method": "full-domain generalisation and local suppression (least information loss)",
            "levels": {q: v["level_name"] for q, v in pub.report["quasi_identifiers"].items()},
            "rowsSuppressed": pub.report["rows_suppressed"],
            "shareOfCellsChanged": round(pub.report["share_changed"], 4),
        },
    }
    resources = []
    for name, rows, extra, words in (
        ("incidents", pub.rows, control, "k-anonymous"),
        ("incidents-named", pub.named_rows, {"k": 1, "quasiIdentifiers": []},
         "at full detail: every person targeted consented to be named and a public source reports the incident"),
    ):
        if name == "incidents-named" and not rows:
            continue
        for fmt, mediatype in (("csv", "text/csv"), ("json", "application/json")):
            resources.append({
                "name": name if fmt == "csv" else f"{name}-json",
                "path": f"{name}.{fmt}",
                "type": "table",  # the JSON too: an array of rows checked against the schema
                "format": fmt,
                "mediatype": mediatype,
                "encoding": "utf-8",
                "description": f"Incidents, {words}; {len(rows)} rows.",
                "schema": schema(),
                **{k: v for k, v in extra.items() if v is not None},
            })
    return resources


def descriptor(pub: Publication, provenance: Provenance) -> dict:
    data = columns_data()
    licence = data["licences"].get(provenance.licence, {"title": provenance.licence})
    start, end = provenance.period
    return {
        "name": "shelter-incidents",
        "title": data["title"]["en"],
        "description": data["caveat"]["en"] + " " + data["withheld"]["en"],
        "version": data["version"],
        "created": provenance.created,
        "temporalCoverage": {"from": start, "to": end},
        "licenses": [{"name": provenance.licence, **licence}],
        "contributors": [{"title": provenance.publisher, "role": "publisher"}],
        "sources": [{"title": f"Case records of {provenance.publisher}, documented by its caseworkers"}] + data["sources"],
        "resources": _resources(pub),
    }


def _value_labels(name: str, language: str) -> list[tuple[str, str]]:
    labels = columns_data()["labels"]
    if name == "tactics":
        return thesaurus.choices("tactics", language) + [(c, v[language]) for c, v in labels["tactics"].items()]
    if name == "profile":
        return thesaurus.choices("profiles", language) + [(c, v[language]) for c, v in labels["profile"].items()]
    if name in ("origin", "host"):
        return [(c, v[language]) for c, v in labels["area"].items()]
    if name in labels:
        return [(c, v[language]) for c, v in labels[name].items()]
    return []


def codebook(pub: Publication, provenance: Provenance, language: str) -> str:
    data = columns_data()
    w = data["codebook"][language]
    lines = [f"# {w['title']}: {data['title'][language]}", "", data["caveat"][language], "", data["withheld"][language], ""]
    lines += [f"- {w['created']}: {provenance.created}", f"- {w['licence']}: {provenance.licence}",
              f"- {w['rows']}: {len(pub.rows)}", ""]
    lines += [w["k"].format(qis=", ".join(pub.quasi_identifiers), k=pub.k)]
    if pub.l_diversity:
        lines += ["", w["l"].format(l=pub.l_diversity)]
    lines += ["", f"## {w['levels']}", ""]
    level_names = data["level_names"] if language == "ru" else {}
    for q, v in pub.report["quasi_identifiers"].items():
        lines.append(f"- `{q}`: {level_names.get(v['level_name'], v['level_name'])} ({v['source']})")
    lines += [f"- {w['suppressed']}: {pub.report['rows_suppressed']}",
              f"- {w['changed']}: {pub.report['share_changed']:.1%}", ""]
    if pub.named_rows:
        lines += [w["named"].format(n=len(pub.named_rows)), ""]
    lines += [f"## {w['columns']}", ""]
    for column in data["columns"]:
        qi = f" ({w['qi']})" if column["name"] in pub.quasi_identifiers else ""
        lines += [f"### `{column['name']}` — {column['title'][language]}{qi}", "",
                  column["description"][language], "", f"{w['type']}: {column['type']}. {w['source']}: {column['source']}.", ""]
        if column["name"] in ("origin", "host"):
            lines += [w["countries"], ""]
        labels = _value_labels(column["name"], language)
        if labels:
            lines += [f"| {w['values']} | |", "|---|---|"] + [f"| `{code}` | {label} |" for code, label in labels] + [""]
    return "\n".join(lines)


def write(pub: Publication, provenance: Provenance, directory: Path) -> list[Path]:
    """Write every file into ``directory`` (which must exist); returns the paths written."""
    files = {"datapackage.json": json.dumps(descriptor(pub, provenance), ensure_ascii=False, indent=2) + "\n"}
    for name, rows in (("incidents", pub.rows), ("incidents-named", pub.named_rows)):
        if name == "incidents" or rows:
            files[f"{name}.csv"] = _csv(rows)
            files[f"{name}.json"] = _json(rows)
    files["codebook.md"] = codebook(pub, provenance, "en")
    files["codebook.ru.md"] = codebook(pub, provenance, "ru")
    paths = []
    for name, text in files.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        path.chmod(0o644)  # made to be published
        paths.append(path)
    return paths
