"""The export-control reference data of ``data/``, loaded and checked once: the Annex I entries
(``controls.json``), the legal statements and due-diligence steps (``legal.json``) and the capabilities
(``capabilities.json``).

``entry`` finds an entry by its code as people write it: "5A001.f", "5a001f", "5A001.F", "ECCN 5A001.f",
the Wassenaar "5.A.1.f", or a sub-item such as "5A001.f.1" (which falls under 5A001.f). A code Shelter
does not hold raises ``UnknownControlCode`` with a reason in English and Russian.
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from shelter import thesaurus

DATA = Path(__file__).parent / "data"
LANGUAGES = ("en", "ru")
HOW = ("primary text", "secondary source")
WORDING = ("quoted", "paraphrased")
BASIS = ("documented", "inferred")
LIST = "EU Annex I"
MAX_CODE_LENGTH = 64

# A control code: category digit, product group A-E, a number of up to three digits, and any sub-items,
# with or without dots ("5A001.f.1", "5a001f1", "5.A.1.f", "ECCN 4A005").
CODE = re.compile(r"^\s*(?:eccn\s*)?(\d)\s*\.?\s*([a-e])\s*\.?\s*(\d{1,3})((?:[\s.]*[a-z0-9]+)*)[\s.]*$", re.IGNORECASE)


class ScreeningError(ValueError):
    """A request the export screening cannot answer; ``reason`` says why, in English and Russian."""

    def __init__(self, reason: dict[str, str]):
        self.reason = dict(reason)
        super().__init__(reason["en"])


class UnknownControlCode(ScreeningError):
    """A control code that is malformed, or not one of the entries Shelter screens for."""

    def __init__(self, code: str, reason: dict[str, str]):
        self.code = code
        super().__init__(reason)


class ControlsDataError(ValueError):
    """A data file is malformed; the message names the file, the entry and the problem."""


@dataclass(frozen=True)
class Counterpart:
    regime: str  # "wassenaar" or "ear"
    code: str  # "5.A.1.f", "ECCN 4A005"
    cites: tuple
    verified: dict


@dataclass(frozen=True)
class Entry:
    code: str  # "5A001.f"
    list: str  # "EU Annex I"
    category: dict  # {"en": ..., "ru": ...}
    title: dict
    text: dict
    wording: str  # "quoted" or "paraphrased"
    notes: tuple  # each {"en": ..., "ru": ...}
    unverified: tuple[str, ...]  # parts of the text no source Shelter read backs
    counterparts: dict  # regime -> Counterpart, only those confirmed
    counterparts_unconfirmed: dict  # regime -> why it is left out
    capabilities: tuple[str, ...]
    cyber_surveillance_listed: bool  # named by the Guidelines as a listed cyber-surveillance item
    cites: tuple
    verified: dict

    @property
    def key(self) -> str:
        return canonical(self.code)


@dataclass(frozen=True)
class Statement:
    id: str
    title: dict
    text: dict
    cites: tuple
    verified: dict


@dataclass(frozen=True)
class Step:
    id: str
    title: dict
    asks: dict
    cites: tuple
    verified: dict


@dataclass(frozen=True)
class TacticLink:
    tactic: str  # a code of the tactics thesaurus
    why: dict
    basis: str  # "documented" or "inferred"
    cites: tuple


@dataclass(frozen=True)
class Capability:
    code: str
    title: dict
    entries: tuple[str, ...]
    tactics: tuple[TacticLink, ...]
    cites: tuple
    verified: dict


def canonical(code: str) -> str:
    """A control code as a lookup key: "5A001.f.1", "5a001f1" and "5.A.1.f.1" all give "5A001F1".
    UnknownControlCode when it is not shaped like a control code at all."""
    text = code if isinstance(code, str) else ""
    match = CODE.match(text) if len(text) <= MAX_CODE_LENGTH else None
    if not match:
        raise UnknownControlCode(str(code)[:MAX_CODE_LENGTH], {
            "en": f"'{str(code)[:MAX_CODE_LENGTH]}' is not a control code of Annex I (written like 5A001.f or 4A005).",
            "ru": f"«{str(code)[:MAX_CODE_LENGTH]}» — не код контроля Приложения I (пишется как 5A001.f или 4A005)."})
    category, group, number, rest = match.groups()
    return f"{category}{group.upper()}{int(number):03d}" + re.sub(r"[^0-9A-Za-z]", "", rest).upper()


def _load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _fail(name: str, where: str, problem: str):
    raise ControlsDataError(f"{name}: {where}: {problem}")


def _bilingual(name: str, where: str, value, field: str):
    if not isinstance(value, dict) or any(not str(value.get(language, "")).strip() for language in LANGUAGES):
        _fail(name, where, f"{field} needs non-empty English and Russian text")
    return dict(value)


def _trail(name: str, where: str, item: dict) -> tuple[tuple, dict]:
    cites, verified = item.get("cites"), item.get("verified")
    if not isinstance(cites, list) or not cites:
        _fail(name, where, "cites nothing")
    if not isinstance(verified, dict) or verified.get("how") not in HOW or not verified.get("on"):
        _fail(name, where, f"verified needs 'on' and 'how' (one of {HOW})")
    return tuple(cites), dict(verified)


@cache
def _capabilities() -> dict[str, Capability]:
    name = "capabilities.json"
    tactics = set(thesaurus.codes("tactics"))
    found = {}
    for item in _load(name)["capabilities"]:
        code = item.get("code", "")
        if not code or code in found:
            _fail(name, code or "?", "missing or repeated code")
        links = []
        for link in item.get("tactics", []):
            if link.get("tactic") not in tactics:
                _fail(name, code, f"tactic {link.get('tactic')!r} is not in the tactics thesaurus")
            if link.get("basis") not in BASIS or not link.get("cites"):
                _fail(name, code, f"the link to {link['tactic']} needs a basis ({BASIS}) and cites")
            links.append(TacticLink(link["tactic"], _bilingual(name, code, link.get("why"), "why"), link["basis"],
                                    tuple(link["cites"])))
        if not links:
            _fail(name, code, "serves no tactic")
        found[code] = Capability(code, _bilingual(name, code, item.get("title"), "title"), tuple(item.get("entries", [])),
                                 tuple(links), *_trail(name, code, item))
    return found


@cache
def _controls() -> tuple[dict, dict[str, Entry]]:
    name = "controls.json"
    data = _load(name)
    capabilities = _capabilities()
    entries: dict[str, Entry] = {}
    for item in data["entries"]:
        code = item.get("code", "")
        where = code or "?"
        if not isinstance(code, str) or not CODE.match(code):
            _fail(name, where, "missing or malformed code")
        key = canonical(code)
        if key in entries:
            _fail(name, where, "repeated code")
        if item.get("list") != LIST:
            _fail(name, where, f"list is not {LIST!r}")
        if item.get("wording") not in WORDING:
            _fail(name, where, f"wording is not one of {WORDING}")
        unknown = [c for c in item.get("capabilities", []) if c not in capabilities]
        if unknown or not item.get("capabilities"):
            _fail(name, where, f"capabilities missing or not in capabilities.json: {unknown}")
        counterparts = {}
        for regime, counterpart in item.get("counterparts", {}).items():
            if not counterpart.get("code"):
                _fail(name, where, f"the {regime} counterpart has no code")
            counterparts[regime] = Counterpart(regime, counterpart["code"],
                                               *_trail(name, f"{where}, {regime} counterpart", counterpart))
        entries[key] = Entry(
            code=code, list=LIST,
            category=_bilingual(name, where, item.get("category"), "category"),
            title=_bilingual(name, where, item.get("title"), "title"),
            text=_bilingual(name, where, item.get("text"), "text"),
            wording=item["wording"],
            notes=tuple(_bilingual(name, where, note, "a note") for note in item.get("notes", [])),
            unverified=tuple(item.get("unverified", [])),
            counterparts=counterparts,
            counterparts_unconfirmed=dict(item.get("counterparts_unconfirmed", {})),
            capabilities=tuple(item["capabilities"]),
            cyber_surveillance_listed=bool(item.get("cyber_surveillance_listed")),
            **dict(zip(("cites", "verified"), _trail(name, where, item), strict=True)),
        )
    for capability in capabilities.values():
        missing = [code for code in capability.entries if canonical(code) not in entries]
        if missing:
            _fail("capabilities.json", capability.code, f"entries not in controls.json: {missing}")
    annex = data["annex_i"]
    _trail(name, "annex_i", annex)
    return {"version": data["version"], **annex}, entries


@cache
def _legal() -> tuple[dict[str, Statement], tuple[Step, ...]]:
    name = "legal.json"
    data = _load(name)
    statements: dict[str, Statement] = {}
    for item in data["statements"]:
        sid = item.get("id", "")
        if not sid or sid in statements:
            _fail(name, sid or "?", "missing or repeated id")
        statements[sid] = Statement(sid, _bilingual(name, sid, item.get("title"), "title"),
                                    _bilingual(name, sid, item.get("text"), "text"), *_trail(name, sid, item))
    steps, ids = [], set()
    for item in data["due_diligence"]:
        sid = item.get("id", "")
        if not sid or sid in ids:
            _fail(name, f"due diligence {sid or '?'}", "missing or repeated id")
        ids.add(sid)
        steps.append(Step(sid, _bilingual(name, sid, item.get("title"), "title"), _bilingual(name, sid, item.get("asks"), "asks"),
                          *_trail(name, f"due diligence {sid}", item)))
    return statements, tuple(steps)


def version() -> str:
    return _controls()[0]["version"]


def annex() -> dict:
    """Which version of Annex I the entries follow: {"version", "follows", "in_force", "cites", "verified"}."""
    return dict(_controls()[0])


def entries() -> tuple[Entry, ...]:
    """Every entry, in the order of controls.json."""
    return tuple(_controls()[1].values())


def find(code: str) -> Entry | None:
    """The entry a code falls under, or None (also for a malformed code)."""
    try:
        return entry(code)
    except UnknownControlCode:
        return None


def entry(code: str) -> Entry:
    """The entry a code falls under: itself, or the entry of which it is a sub-item ("5A001.f.1" ->
    5A001.f). UnknownControlCode, with a reason, for a malformed code or one Shelter does not hold."""
    key = canonical(code)
    held = _controls()[1]
    under = [held[k] for k in held if key.startswith(k)]
    if under:
        return max(under, key=lambda e: len(e.key))
    narrower = [e.code for e in held.values() if e.key.startswith(key)]
    shown = str(code).strip()
    if narrower:
        listed = ", ".join(narrower)
        raise UnknownControlCode(shown, {
            "en": f"{shown} is wider than the entries Shelter screens for; name the sub-item: {listed}.",
            "ru": f"Код {shown} шире пунктов, которые проверяет Shelter; укажите подпункт: {listed}."})
    raise UnknownControlCode(shown, {
        "en": f"{shown} is not one of the Annex I entries for surveillance technology that Shelter screens for "
              f"({', '.join(e.code for e in held.values())}); Shelter does not hold the rest of Annex I.",
        "ru": f"Код {shown} не входит в пункты Приложения I о технологиях наблюдения, которые проверяет Shelter "
              f"({', '.join(e.code for e in held.values())}); остальную часть Приложения I Shelter не содержит."})


def legal_statements() -> tuple[Statement, ...]:
    return tuple(_legal()[0].values())


def legal(statement_id: str) -> Statement:
    """A legal statement by id ("art_5_1"); KeyError if there is none."""
    try:
        return _legal()[0][statement_id]
    except KeyError:
        raise KeyError(f"no legal statement {statement_id!r} in legal.json") from None


def due_diligence() -> tuple[Step, ...]:
    """The due-diligence steps in the order a screening memo follows them."""
    return _legal()[1]


def capabilities() -> tuple[Capability, ...]:
    return tuple(_capabilities().values())


def capability(code: str) -> Capability:
    """A capability by code ("imsi_catcher"); KeyError if there is none."""
    try:
        return _capabilities()[code]
    except KeyError:
        raise KeyError(f"no capability {code!r} in capabilities.json") from None
