"""Every document the reference data cites, where Shelter uses it, at which pinpoint, and when and how
each statement was verified: the list a lawyer checks a statement against before filing (the sources
page, ``docs/sources.md``), and the trail the tests hold every entry to.

A citation in the data files is one of: a key of the document registry (``documents.json``), a document
written out in full, or ``{"source": <either>, "pinpoint": "para. 9"}``. Entries that state a fact or a
rule carry ``verified``: ``{"on": "YYYY-MM-DD", "how": "primary text" | "secondary source", "copy": …}``.
Read from the data files themselves, so it cannot fall out of step with them. Plain Python, no Django.
"""

import datetime
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from shelter import thesaurus
from shelter.exports import classify as export_classify
from shelter.exports import controls as export_controls

DATA = Path(__file__).parent / "data"
HOW = ("primary text", "secondary source")


@dataclass
class Use:
    where: str
    pinpoint: str
    verified: dict


@dataclass
class Document:
    key: str
    source: dict
    citation: str  # title, publisher (year), reference
    uses: list[Use] = field(default_factory=list)
    wordings: list[str] = field(default_factory=list)  # how entries word their citation of it

    @property
    def primary(self) -> bool:
        return bool(self.source.get("primary"))

    @property
    def used_for(self) -> list[str]:
        return list(dict.fromkeys(use.where for use in self.uses))


@dataclass
class Entry:
    where: str
    cites: list[tuple[str, dict, str]]  # (document key, document, pinpoint)
    verified: dict | None
    wordings: tuple[str, ...] = ()


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


@cache
def registry() -> dict[str, dict]:
    """The registry of cited documents, by key."""
    return _load("documents.json")["documents"]


def resolve(citation, documents: dict | None = None) -> tuple[str, dict, str]:
    """(key, document, pinpoint) of a citation in any of the data files' three forms."""
    documents = registry() if documents is None else documents
    pinpoint = ""
    if isinstance(citation, dict) and "source" in citation:
        citation, pinpoint = citation["source"], citation.get("pinpoint", "")
    if isinstance(citation, str):
        if citation not in documents:
            raise KeyError(f"source {citation!r} is not in the document registry (documents.json)")
        return citation, documents[citation], pinpoint
    document = {k: v for k, v in citation.items() if k != "pinpoint"}
    return "inline:" + cited(document), document, pinpoint or citation.get("pinpoint", "")


def as_cited(citation, documents: dict | None = None) -> dict:
    """A citation as an assessment or a dossier shows it: the document, with its pinpoint."""
    _, document, pinpoint = resolve(citation, documents)
    return {**document, "pinpoint": pinpoint} if pinpoint else dict(document)


def entries() -> list[Entry]:
    """Every entry of the reference data that states a fact or a rule, with what it cites."""
    found = []

    def add(where: str, citations, verified, wordings=()):
        found.append(Entry(where, [resolve(c) for c in citations], verified, tuple(wordings)))

    countries = _load("countries.json")
    for state, profile in countries["countries"].items():
        for statement in profile.get("statements", []):
            add(f"countries.json: {state}, {statement['factor']}", statement["sources"], statement.get("verified"))
    method = _load("refoulement.json")
    for key, citation in method["citations"].items():
        add(f"refoulement.json: {key}", [citation], citation.get("verified"))
    for treaty in _load("treaties.json")["treaties"]:
        add(f"treaties.json: {treaty['id']}", treaty["sources"], treaty.get("verified"))
        for withdrawal in treaty.get("withdrawn", []):
            add(f"treaties.json: {treaty['id']}, withdrawal of {withdrawal['state']}", withdrawal["sources"],
                withdrawal.get("verified"))
    travel = _load("travel.json")
    add("travel.json: method", travel["cites"], travel.get("verified"))
    rules = _load("indicators.json")
    for rule in rules["rules"]:
        add(f"indicators.json: {rule['id']}", rule["cites"], rule.get("verified"), rule["legal_basis"])
    for advice in rules.get("recommendations", []):
        if not advice.get("citations"):
            continue  # advice of Shelter's own ("keep recording incidents") states no fact or rule
        add(f"indicators.json: advice {advice['id']}", advice["cites"], advice.get("verified"), advice.get("citations", ()))
    for limit in _load("time_limits.json")["limits"]:
        add(f"time_limits.json: {limit['kind']}", limit["cites"], limit.get("verified"), [limit["source"]])
    for charge in _load("charges.json")["entries"]:
        add(f"charges.json: {charge['id']}", charge["cites"], charge.get("verified"), [charge["source"]])
    for name in ("tactics", "profiles", "accusations"):
        for term in thesaurus.terms(name):
            if term["source"] == "Shelter":
                continue  # a residual category of Shelter's own ("other", "none") states nothing to verify
            add(f"{name} thesaurus: {term['code']}", term["cites"], term.get("verified"), [term["source"]])
    annex = export_controls.annex()
    add("controls.json: Annex I version", annex["cites"], annex["verified"])
    for control in export_controls.entries():
        add(f"controls.json: {control.code}", control.cites, control.verified)
        for counterpart in control.counterparts.values():
            add(f"controls.json: {control.code}, {counterpart.regime} counterpart {counterpart.code}", counterpart.cites,
                counterpart.verified)
    for statement in export_controls.legal_statements():
        add(f"legal.json: {statement.id}", statement.cites, statement.verified)
    for step in export_controls.due_diligence():
        add(f"legal.json: due diligence, {step.id}", step.cites, step.verified)
    for capability in export_controls.capabilities():
        add(f"capabilities.json: {capability.code}", capability.cites, capability.verified)
    for rule in export_classify.rules():
        add(f"classification.json: {rule.id}", rule.cites, rule.verified)
    return found


def documents() -> list[Document]:
    """Every cited document, once, with its uses: registry documents and the return-risk method's
    case law (whose citations carry their own pinpoints)."""
    found: dict[str, Document] = {}
    for entry in entries():
        for key, source, pinpoint in entry.cites:
            document = found.setdefault(key, Document(key, source, cited(source)))
            document.uses.append(Use(entry.where, pinpoint, entry.verified or {}))
            document.wordings.extend(w for w in entry.wordings if w not in document.wordings)
    return sorted(found.values(), key=lambda d: d.citation.casefold())


@cache
def _anchors() -> dict[str, str]:
    """Each wording and each document's citation line, to the key of the document it cites."""
    anchors = {}
    for document in documents():
        anchors.setdefault(document.citation, document.key)
        anchors.setdefault(document.source.get("title", ""), document.key)
        for wording in document.wordings:
            anchors.setdefault(wording, document.key)
    return anchors


def document_key(citation) -> str | None:
    """The key of the document a citation refers to: a wording of the rules, a structured source, or
    (for citations saved before their pinpoints were split off) its title."""
    if isinstance(citation, dict):
        line = cited({k: v for k, v in citation.items() if k not in ("pinpoint", "verified")})
        return _anchors().get(line) or _anchors().get(citation.get("title", ""))
    return _anchors().get(citation)


APPLICATION = re.compile(r"\bnos?\. \d{1,6}/\d{2}\b")  # ECtHR application numbers: NNNNN/YY
DAY = re.compile(r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b")
UN_SYMBOL = re.compile(r"\b(A|E|CAT|CCPR|CERD|CEDAW|CRC|HRI)/[A-Za-z0-9./-]+")
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# A pinpoint names a place in the document: an article, paragraph, section, rule, page, table or chapter.
PINPOINT = re.compile(r"(\bArts?\.|§|\bparas?\.|\bparagraph\b|\bsection\b|\bRule\b|\bpp?\. \d|\btable\b|\bchapter\b|\bpart\b|\bcategory\b|\btheme\b)",
                      re.IGNORECASE)


def format_problems(source: dict) -> list[str]:
    """What a structured source lacks for a lawyer to find it: a judgment of the European Court its
    application number and date; a UN treaty-body or Council document its symbol (an OHCHR
    publication without one, its publication date); any document, its year or an ISO date."""
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
    if "date" in source and not ISO_DATE.match(str(source["date"])):
        problems.append("date not in ISO form (YYYY-MM-DD)")
    if not (source.get("year") or source.get("date")):
        problems.append("no year or date")
    return problems


def trail_problems(entry: Entry, today: datetime.date | None = None) -> list[str]:
    """What an entry lacks: a primary source cited at a pinpoint, and a record of its verification."""
    today = today or datetime.date.today()
    problems = []
    if not entry.cites:
        problems.append("cites nothing")
    elif not any(source.get("primary") and PINPOINT.search(pinpoint) for _, source, pinpoint in entry.cites):
        problems.append("no primary source cited at a pinpoint (article, paragraph, section, page)")
    verified = entry.verified or {}
    if verified.get("how") not in HOW:
        problems.append(f"verified.how is not one of {HOW}")
    try:
        if datetime.date.fromisoformat(verified.get("on", "")) > today:
            problems.append("verified.on is in the future")
    except (TypeError, ValueError):
        problems.append("verified.on is not an ISO date (YYYY-MM-DD)")
    return problems


def verification_counts() -> dict[str, int]:
    """How many entries were verified against the primary text, against a secondary source only, or not
    yet (those still lacking their pinpoint or their record)."""
    counts = {"primary text": 0, "secondary source": 0, "not yet": 0}
    for entry in entries():
        counts["not yet" if trail_problems(entry) else entry.verified["how"]] += 1
    return counts


def structured_sources() -> list[tuple[str, dict]]:
    """Every cited document, named by its key."""
    return [(document.key, document.source) for document in documents()]


def _verified(use: Use) -> str:
    if not use.verified.get("on"):
        return "not yet verified"
    return f"verified against the {use.verified['how']}, {use.verified['on']}"


def markdown() -> str:
    lines = [
        "# Sources of the reference data",
        "",
        "Every document Shelter's reference data cites, where it is used, at which pinpoint, and when and how",
        "the statement was verified (against the primary text, or only a secondary source), so that a lawyer",
        "can check a statement before filing. Generated from the data files by",
        "`python -m shelter.assessment.sources`; `tests/test_sources_page.py` fails when this file is out of",
        "step with them. The same list is on the Sources of reference page (`/references/`).",
        "",
    ]
    for document in documents():
        kind = "primary" if document.primary else "secondary"
        lines.append(f"- {document.citation} ({kind})")
        lines.extend(f"  - {use.where}" + (f": {use.pinpoint}" if use.pinpoint else "") + f" — {_verified(use)}"
                     for use in document.uses)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
