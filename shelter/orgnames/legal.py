"""Legal forms (LLC, ООО, ОАО, AO, JSC, GmbH, Ltd, MChJ, ТОО …): found so that they can be ignored.

Two sources: rigour's organisation types (``rigour.names.extract_org_types``: ISO 20275, the OCCRP list,
Wikipedia's types of business entity), and our additions for the region in data/legal_forms.json
(Uzbek AJ and DUK, Kazakh АҚ and ЖШС, Kyrgyz ОсОО, Tajik ҶДММ, Azerbaijani MMC …), each with its source.

Public API: ``find(words) -> list[(start, end, form)]`` over the casefolded words of a name.
"""

from functools import cache, lru_cache

from rigour.names import extract_org_types

from shelter.matching.phonetic import key

from .lexicon import Lexicon, load


@cache
def lexicon() -> Lexicon:
    found = Lexicon("legal forms")
    for entry in load("legal_forms.json")["forms"]:
        for form in entry["forms"]:
            found.add(form, entry["generic"])
    return found


def find(words: list[str]) -> list[tuple[int, int, str]]:
    """Spans of legal forms among casefolded words, as (start, end, generic form), not overlapping."""
    spans: dict[int, tuple[int, int, str]] = {}
    for start, end, generic, _ in lexicon().find([key(w) for w in words]):
        spans[start] = (start, end, generic)
    for matched, target in _rigour(" ".join(words)):
        pieces = matched.split()
        n = len(pieces)
        for start in range(len(words) - n + 1):
            if words[start:start + n] == pieces:
                spans.setdefault(start, (start, start + n, target))
    result, taken = [], set()
    for start in sorted(spans, key=lambda s: (-(spans[s][1] - s), s)):
        span = spans[start]
        if taken.isdisjoint(range(span[0], span[1])):
            result.append(span)
            taken.update(range(span[0], span[1]))
    return sorted(result)


@lru_cache(maxsize=1 << 16)
def _rigour(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(extract_org_types(text, generic=True))
