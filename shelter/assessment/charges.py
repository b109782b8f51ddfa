"""Sorting a charge, as a warrant, notice or request states it, into the accusation categories of
``shelter/data/accusations.json`` — with flags such as ``violent_act`` (the text names a violent act:
extremism charges without one are a political sign).

Charges come in Russian, English, Uzbek or Tajik, in Cyrillic or Latin ("ст. 159 ч. 4 УК РФ
мошенничество", "Article 307 part 2 of the Criminal Code of the Republic of Tajikistan"). Two kinds of
entry in ``data/charges.json`` decide, each with its source: keyword patterns, and criminal-code articles
of a given state. An article number means nothing without its state (Art. 159 is fraud in Russia and an
attempt on the constitutional order in Uzbekistan), so the state is read from the text itself when it
names its code, else taken from the caller (the warrant's or request's state).
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from shelter import thesaurus
from shelter.assessment import facts

DATA = Path(__file__).parent / "data" / "charges.json"

VIOLENT_ACT = "violent_act"
OTHER, NONE = "other", "none"


class ChargeTableError(ValueError):
    """The charges data file is malformed; the message names the entry and the problem."""


@dataclass(frozen=True)
class Entry:
    id: str
    category: str
    source: str
    flags: tuple[str, ...] = ()
    pattern: re.Pattern | None = None
    articles: frozenset[str] = frozenset()  # canonical numbers ("244.1" for "244-1")
    states: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Table:
    version: str
    entries: tuple[Entry, ...]
    state_markers: tuple[tuple[str, re.Pattern], ...]


@dataclass(frozen=True)
class Classification:
    text: str
    state: str  # the state whose criminal code the articles were read in ("" when not known)
    articles: tuple[str, ...]  # articles the text cites, canonical
    categories: tuple[str, ...]  # in the thesaurus' order; ("other",) when nothing matched
    flags: tuple[str, ...]
    matched: tuple[str, ...]  # ids of the entries that matched

    @property
    def violent_act(self) -> bool:
        return VIOLENT_ACT in self.flags

    def has_any(self, categories) -> bool:
        return any(category in self.categories for category in categories)


# -- reading the text -------------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({c: "'" for c in "ʻʼ‘’`´′ʹ"} | {c: "-" for c in "‐‑‒–—−"} | {"ё": "е"})
_SUPERSCRIPTS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹", "123456789")

_NUMBER = r"\d{1,3}(?:[.\-^]\d{1,2}|[¹²³⁴⁵⁶⁷⁸⁹])?"
# "Art.", "Article(s)", "ст.", "статья/статьи…", Tajik "моддаи", "§" — then a number.
_ARTICLE_WORD = r"(?:\bart(?:icle)?s?\b\.?|\bст\b\.?|\bстат(?:ья|ьи|ье|ью|ьей|ьям|ьями|ьях)\b|\bмодда(?:и|ҳои)\b|\bmoddai\b|§)"
_LEADING = re.compile(_ARTICLE_WORD + r"\s*(?:№\s*)?(" + _NUMBER + r")")
_TRAILING = re.compile(r"(" + _NUMBER + r")\s*-?\s*(?:modda|модда)(?!и\b)")  # Uzbek "159-moddasi" (number first)
# Between two numbers of one list: a part or paragraph ("part 2", "ч. 4", "п. «б»") and a separator.
_PART = r"(?:\s*\(?\s*(?:ч|часть|части|part|parts|para|paragraph|p|п|пункт\w*|қисм\w*|qism\w*)\.?\s*(?:\d+|«?\"?[a-zа-я]\"?»?)\s*\)?)"
_NEXT = re.compile(_PART + r"*\s*(?:,|;|\band\b|\bи\b|\bva\b|\bва\b|&)\s*(?:" + _ARTICLE_WORD + r"\s*)?(" + _NUMBER + r")")


def normalise(text: str) -> str:
    return " ".join((text or "").lower().translate(_APOSTROPHES).split())


def canonical_article(number: str) -> str:
    """"244-1", "244^1", "244¹" and "244.1" are one article."""
    value = number.strip()
    if value[-1:] in "¹²³⁴⁵⁶⁷⁸⁹":
        value = value[:-1] + "." + value[-1].translate(_SUPERSCRIPTS)
    return re.sub(r"[\-^]", ".", value)


def cited_articles(text: str) -> tuple[str, ...]:
    """The article numbers a charge text cites, canonical and in order, each once."""
    value = normalise(text)
    found: list[str] = []
    for match in _LEADING.finditer(value):
        found.append(match.group(1))
        position = match.end()
        while following := _NEXT.match(value, position):
            found.append(following.group(1))
            position = following.end()
    found += [match.group(1) for match in _TRAILING.finditer(value)]
    return tuple(dict.fromkeys(canonical_article(number) for number in found))


def named_state(text: str, table: "Table | None" = None) -> str:
    """The state whose code the text names ("УК РФ", "CC of Uzbekistan"), the first one named."""
    value = normalise(text)
    named = []
    for state, pattern in (table or default_table()).state_markers:
        if match := pattern.search(value):
            named.append((match.start(), state))
    return min(named)[1] if named else ""


# -- classifying ------------------------------------------------------------------------------------

def classify(text: str, state: str = "", *, table: Table | None = None) -> Classification:
    """Categories and flags of one charge text; ``state`` is used when the text names no code."""
    table = table or default_table()
    value = normalise(text)
    state = named_state(value, table) or (state or "").upper()
    articles = cited_articles(value)
    listed = _as_listed(articles, state, table)
    matched = [entry for entry in table.entries if _matches(entry, value, listed, state)]
    return Classification(
        text=text or "",
        state=state,
        articles=articles,
        categories=_categories(matched, bool(value)),
        flags=tuple(dict.fromkeys(flag for entry in matched for flag in entry.flags)),
        matched=tuple(entry.id for entry in matched),
    )


def classify_charge(charge: facts.Charge, requesting_state: str = "", *, table: Table | None = None) -> Classification:
    """A warrant's charge and Interpol's translation of it, read together."""
    text = " / ".join(part for part in (charge.text, charge.translation) if part and part.strip())
    return classify(text, charge.issuing_state or requesting_state, table=table)


def _matches(entry: Entry, text: str, articles: tuple[str, ...], state: str) -> bool:
    if entry.pattern is not None:
        return bool(entry.pattern.search(text))
    return state in entry.states and any(article in entry.articles for article in articles)


def _as_listed(articles: tuple[str, ...], state: str, table: Table) -> tuple[str, ...]:
    """A subdivision the table does not list for the state ("159.4" in Russia) counts as its article
    ("159"); one it lists ("205.2") stays itself, never its article ("205", another crime)."""
    listed = {a for entry in table.entries if state in entry.states for a in entry.articles}
    return tuple(a if a in listed else a.split(".")[0] for a in articles)


def _categories(matched: list[Entry], has_text: bool) -> tuple[str, ...]:
    found = {entry.category for entry in matched} - {OTHER}
    if not found:
        return (OTHER,) if has_text else (NONE,)
    return tuple(code for code in thesaurus.codes("accusations") if code in found)


# -- the data file ----------------------------------------------------------------------------------

@cache
def default_table() -> Table:
    return load_table()


def load_table(path: Path | str | None = None) -> Table:
    data = json.loads(Path(path or DATA).read_text(encoding="utf-8"))
    return parse_table(data)


def parse_table(data: dict) -> Table:
    if not data.get("version"):
        raise ChargeTableError("charges table: no version")
    markers = data.get("state_markers", {}).get("states", {})
    entries, seen = [], set()
    for raw in data.get("entries", []):
        entry = _parse_entry(raw)
        if entry.id in seen:
            raise ChargeTableError(f"charges table: entry {entry.id!r} appears twice")
        seen.add(entry.id)
        entries.append(entry)
    return Table(
        version=data["version"],
        entries=tuple(entries),
        state_markers=tuple((state, _compile(f"state marker {state}", pattern)) for state, pattern in markers.items()),
    )


def _parse_entry(raw: dict) -> Entry:
    name = raw.get("id") or "(no id)"
    categories = set(thesaurus.codes("accusations")) - {NONE}
    if raw.get("category") not in categories:
        raise ChargeTableError(f"charges table: entry {name!r} has category {raw.get('category')!r}, not one of {sorted(categories)}")
    if not (raw.get("source") or "").strip():
        raise ChargeTableError(f"charges table: entry {name!r} gives no source")
    if bool(raw.get("pattern")) == bool(raw.get("articles")):
        raise ChargeTableError(f"charges table: entry {name!r} needs either a pattern or articles (not both)")
    if raw.get("articles") and not raw.get("states"):
        raise ChargeTableError(f"charges table: entry {name!r} lists articles without the states whose code they belong to")
    flags = tuple(raw.get("flags", ())) + ((VIOLENT_ACT,) if raw.get("violent") else ())
    return Entry(
        id=name,
        category=raw["category"],
        source=raw["source"],
        flags=flags,
        pattern=_compile(f"entry {name}", raw["pattern"]) if raw.get("pattern") else None,
        articles=frozenset(canonical_article(a) for a in raw.get("articles", ())),
        states=frozenset(s.upper() for s in raw.get("states", ())),
    )


def _compile(name: str, pattern: str) -> re.Pattern:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as e:
        raise ChargeTableError(f"charges table: {name}: the pattern does not compile ({e})") from e
