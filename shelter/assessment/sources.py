"""Every document the reference data cites, with what Shelter draws from it: the list a lawyer checks
a statement against before filing (the sources page, ``docs/sources.md``).

Read from the data files themselves, so it cannot fall out of step with them: the country profiles'
and the return-risk method's structured sources, the treaties' sources, and the legal bases of the
signs-of-abuse rules, the time limits and the thesauri (cited as text). Plain Python, no Django.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from shelter import thesaurus

DATA = Path(__file__).parent / "data"


@dataclass
class Document:
    citation: str  # as Shelter cites it: title, publisher (year), reference — or the text as written
    used_for: list[str] = field(default_factory=list)  # which data, and where

    def use(self, where: str) -> None:
        if where not in self.used_for:
            self.used_for.append(where)


def cited(source) -> str:
    """A structured source as one line: "Title, Publisher (year), reference"."""
    if isinstance(source, str):
        return source
    text = ", ".join(part for part in (source.get("title", ""), source.get("publisher", "")) if part)
    if source.get("year"):
        text += f" ({source['year']})"
    reference = source.get("reference") or source.get("url") or ""
    return f"{text}, {reference}" if reference else text


def _load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def documents() -> list[Document]:
    found: dict[str, Document] = {}

    def add(source, where: str) -> None:
        text = cited(source)
        found.setdefault(text, Document(text)).use(where)

    countries = _load("countries.json")
    for state, profile in countries["countries"].items():
        for statement in profile.get("statements", []):
            for key in statement.get("sources", []):
                add(countries["sources"][key], f"countries.json: {state}, {statement['factor']}")
    method = _load("refoulement.json")
    for section in ("general_factors", "individual_factors"):
        for factor in method[section]:
            for key in factor.get("citations", []):
                add(method["citations"][key], f"refoulement.json: {factor['id']}")
    for number, principle in enumerate(method.get("principles", []), start=1):
        for key in principle.get("citations", []):
            add(method["citations"][key], f"refoulement.json: principle {number}")
    for treaty in _load("treaties.json")["treaties"]:
        for source in treaty.get("sources", []):
            add(source, f"treaties.json: {treaty['id']}")
        for withdrawal in treaty.get("withdrawn", []):
            if "source" in withdrawal:
                add(withdrawal["source"], f"treaties.json: {treaty['id']}, withdrawal of {withdrawal['state']}")
    rules = _load("indicators.json")
    for rule in rules["rules"]:
        for basis in rule["legal_basis"]:
            add(basis, f"indicators.json: {rule['id']}")
    for advice in rules.get("recommendations", []):
        for basis in advice.get("citations", []):
            add(basis, f"indicators.json: advice {advice['id']}")
    for limit in _load("time_limits.json")["limits"]:
        add(limit["source"], f"time_limits.json: {limit['kind']}")
    for name in ("tactics", "profiles", "accusations"):
        for term in thesaurus.terms(name):
            if term.get("source"):
                add(term["source"], f"{name} thesaurus: {term['code']}")
    return sorted(found.values(), key=lambda d: d.citation.casefold())


APPLICATION = re.compile(r"\bnos?\. \d{1,6}/\d{2}\b")  # ECtHR application numbers: NNNNN/YY
DAY = re.compile(r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b")
UN_SYMBOL = re.compile(r"\b(A|E|CAT|CCPR|CERD|CEDAW|CRC|HRI)/[A-Za-z0-9./-]+")


def format_problems(source: dict) -> list[str]:
    """What a structured source lacks for a lawyer to find it: a judgment of the European Court its
    application number and date; a UN treaty-body or Council document its symbol (an OHCHR
    publication without one, its publication date)."""
    title, publisher, reference = source.get("title", ""), source.get("publisher", ""), source.get("reference", "")
    problems = []
    if "European Court of Human Rights" in publisher and " v. " in title:
        if not APPLICATION.search(reference):
            problems.append("no application number (no. NNNNN/YY)")
        if not DAY.search(reference):
            problems.append("no judgment date (D Month YYYY)")
    elif publisher.startswith("UN ") and not UN_SYMBOL.search(reference):
        problems.append("no UN document symbol")
    elif publisher.startswith("Office of the UN") and not (UN_SYMBOL.search(reference) or DAY.search(reference)):
        problems.append("neither a UN document symbol nor a publication date")
    return problems


def structured_sources() -> list[tuple[str, dict]]:
    """Every structured source of the data files, named by where it is kept."""
    countries, method = _load("countries.json"), _load("refoulement.json")
    found = [(f"countries.json: {key}", s) for key, s in countries["sources"].items()]
    found += [(f"refoulement.json: {key}", s) for key, s in method["citations"].items()]
    for treaty in _load("treaties.json")["treaties"]:
        found += [(f"treaties.json: {treaty['id']}", s) for s in treaty.get("sources", [])]
    return found


def markdown() -> str:
    lines = [
        "# Sources of the reference data",
        "",
        "Every document Shelter's reference data cites, and what it draws from each, so that a lawyer can",
        "check a statement before filing. Generated from the data files by `python -m shelter.assessment.sources`;",
        "`tests/test_sources_page.py` fails when this file is out of step with them. The same list is on",
        "the Sources of reference page (`/references/`).",
        "",
    ]
    for document in documents():
        lines.append(f"- {document.citation}")
        lines.extend(f"  - {where}" for where in document.used_for)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
