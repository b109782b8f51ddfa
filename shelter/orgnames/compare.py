"""Comparing two organisation names: ``compare(a, b) -> Result`` with a score in [0, 1], ``match`` at the one
``THRESHOLD``, and an explanation in one English sentence.

How (in the spirit of OpenSanctions' logic-v2, which weighs organisation-class symbols below a name's
own words; the rules and weights here are Shelter's):

1. Words are paired best first: the same concept in any language (Davlat = государственной = state),
   the same phonetic key (Технологии = Tekhnologii), the same stem (Ташкентский ~ Toshkent), or a
   spelling within ``MIN_SIMILARITY`` (a typing slip). Numbers must be equal.
2. The score is the weighted share of both names' words that were paired (a weighted Dice
   coefficient): a name's own words weigh 1, field words (security, interior, technology) 0.8, form
   words (state, service, committee, university) 0.5 (data/org_terms.json).
3. A word only one name has costs ``ONE_SIDED`` × its weight (Tashkent State *Technical* University is
   another body), and words on both sides that pair with nothing cost ``BOTH_SIDES`` × their weight
   (Tashkent vs Samarkand).
4. Countries (named in the name or given): different countries cost ``OTHER_COUNTRY``; the same
   country is said, and it decides for an acronym.
5. An acronym alone (SNB, ГКНБ, ҰҚК) matching the initials of the other name, or the same acronym in
   another script, scores ``ACRONYM``, and reaches the threshold only with the same country
   (``ACRONYM_SAME_COUNTRY``): ГКНБ is both Kyrgyzstan's and Tajikistan's service.
6. Legal forms are ignored (and said to be).
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from shelter.matching.phonetic import loose

from . import acronyms
from .name import OrgName, Word, _stem

THRESHOLD = 0.75
MIN_SIMILARITY = 0.795  # below this (0.8, one slip in five letters, and rounding) two words are two words
MIN_FUZZY_LENGTH = 4  # shorter words must be the same word
STEM_SIMILARITY = 0.95
ONE_SIDED = 0.2
BOTH_SIDES = 0.15
OTHER_COUNTRY = 0.4
ACRONYM = 0.6
ACRONYM_SAME_COUNTRY = 0.2
COMPACT = 0.95  # the same letters spaced differently (Kazakh Telecom = Kazakhtelecom)
MIN_COMPACT = 6

_DIGIT = re.compile(r"\d")
SAME, TRANSLATION, SPELLING, SIMILAR = "same", "translation", "spelling", "similar"
SAME_COUNTRY, DIFFERENT_COUNTRIES, UNKNOWN_COUNTRY = "same", "different", "unknown"


@dataclass(frozen=True, slots=True)
class Pair:
    a: Word
    b: Word
    similarity: float
    reason: str  # same (the same key), translation (the same concept), spelling (stem), similar (a slip)


@dataclass(frozen=True, slots=True)
class Result:
    score: float
    a: OrgName
    b: OrgName
    pairs: tuple[Pair, ...] = ()
    only_in_a: tuple[Word, ...] = ()
    only_in_b: tuple[Word, ...] = ()
    country: str = UNKNOWN_COUNTRY  # same, different, unknown
    acronym: str = ""  # the acronym the result rests on, as written
    compact: bool = False  # the same letters spaced differently
    note: str = ""  # the explanation, when it is not built from the words (acronyms, empty names)

    @property
    def match(self) -> bool:
        return self.score >= THRESHOLD

    @property
    def explanation(self) -> str:
        """Why, in one English sentence (built when asked: screening compares many more than it shows)."""
        if self.note:
            return self.note
        return _explain(self.a, self.b, self.pairs, self.only_in_a, self.only_in_b, self.country, self.compact)


def compare(a: OrgName, b: OrgName) -> Result:
    if not a.words or not b.words:
        return Result(0.0, a, b, note="Nothing to compare: a name without words")
    country = _country(a, b)
    if a.acronym or b.acronym:
        result = _acronym(a, b, country)
        if result is not None:
            return result
    pairs, only_a, only_b = _align(a.words, b.words)
    matched = sum(p.similarity * (p.a.weight + p.b.weight) for p in pairs)
    total = sum(w.weight for w in a.words) + sum(w.weight for w in b.words)
    score = matched / total if total else 0.0
    compact = a.compact == b.compact and len(a.compact) >= MIN_COMPACT and score < COMPACT
    if compact:
        score, pairs, only_a, only_b = COMPACT, (), (), ()
    else:
        # A dedication only one name has (имени Ломоносова) is usage, not another body.
        extra_a = [w for w in only_a if not w.dedication]
        extra_b = [w for w in only_b if not w.dedication]
        if extra_a and extra_b:
            score -= BOTH_SIDES * min(max(w.weight for w in extra_a), max(w.weight for w in extra_b))
        elif extra_a or extra_b:
            score -= ONE_SIDED * max(w.weight for w in extra_a or extra_b)
    if country == DIFFERENT_COUNTRIES:
        score -= OTHER_COUNTRY
    score = round(min(1.0, max(0.0, score)), 4)
    return Result(score, a, b, tuple(pairs), tuple(only_a), tuple(only_b), country, compact=compact)


def _country(a: OrgName, b: OrgName) -> str:
    if not a.country or not b.country:
        return UNKNOWN_COUNTRY
    return SAME_COUNTRY if a.country == b.country else DIFFERENT_COUNTRIES


# --- words ------------------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 18)
def similarity(key_a: str, concept_a: str, key_b: str, concept_b: str) -> tuple[float, str]:
    """How alike two words are, from their phonetic keys and concepts, and why."""
    if concept_a and concept_b:
        if concept_a == concept_b:
            return 1.0, SAME if key_a == key_b else TRANSLATION
        return 0.0, ""
    if key_a == key_b:
        return 1.0, SAME
    if _DIGIT.search(key_a) or _DIGIT.search(key_b):
        return 0.0, ""
    stem_a, stem_b = _stem(key_a), _stem(key_b)
    if stem_a == stem_b or loose(stem_a) == loose(stem_b):
        return STEM_SIMILARITY, SPELLING
    if min(len(key_a), len(key_b)) < MIN_FUZZY_LENGTH:
        return 0.0, ""
    ratio = max(Levenshtein.normalized_similarity(key_a, key_b, score_cutoff=MIN_SIMILARITY),
                Levenshtein.normalized_similarity(loose(key_a), loose(key_b), score_cutoff=MIN_SIMILARITY))
    return (round(ratio, 4), SIMILAR) if ratio >= MIN_SIMILARITY else (0.0, "")




def _align(words_a, words_b) -> tuple[list[Pair], list[Word], list[Word]]:
    """Pairs of words, the most alike first, each word in one pair at most; and the words left over."""
    candidates = []
    for i, wa in enumerate(words_a):
        for j, wb in enumerate(words_b):
            value, reason = similarity(wa.key, wa.concept, wb.key, wb.concept)
            if (wa.alts or wb.alts) and value < 1.0:  # Swjasi read as German spells связи; Xəzər typed Xezer
                for ka in (wa.key, *wa.alts):
                    for kb in (wb.key, *wb.alts):
                        value, reason = max((value, reason), similarity(ka, wa.concept, kb, wb.concept))
            if value > 0:
                candidates.append((-value, i, j, reason))
    candidates.sort()
    used_a, used_b, paired = set(), set(), []
    for negative, i, j, reason in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        paired.append((i, Pair(words_a[i], words_b[j], -negative, reason)))
    paired.sort(key=lambda item: item[0])
    only_a = [w for i, w in enumerate(words_a) if i not in used_a]
    only_b = [w for j, w in enumerate(words_b) if j not in used_b]
    return [pair for _, pair in paired], only_a, only_b


# --- acronyms ---------------------------------------------------------------------------------------


def _acronym(a: OrgName, b: OrgName, country: str) -> Result | None:
    """An acronym on one side (or both): does it stand for the other name? None when neither is an
    acronym of the other, so that the words are compared instead (UZUM = Uzum)."""
    if a.acronym and b.acronym:
        if a.acronym != b.acronym:
            return None
        short, other = a, b
        found = f"the same acronym ({a.acronym_text} = {b.acronym_text})" if a.acronym_text != b.acronym_text \
            else f"the same acronym ({a.acronym_text})"
    else:
        short, other = (a, b) if a.acronym else (b, a)
        if short.acronym not in other.initials:
            return None
        found = f"acronym {short.acronym_text} of '{other.original}'"
    score = ACRONYM
    if country == SAME_COUNTRY:
        score += ACRONYM_SAME_COUNTRY
        text = f"{found} and the same country ({a.country})"
    elif country == DIFFERENT_COUNTRIES:
        score -= OTHER_COUNTRY
        text = f"{found}, but different countries ({a.country}, {b.country})"
    else:
        text = f"{found}, but an acronym alone is weak evidence without the country"
    shared = acronyms.countries_sharing(short.acronym)
    if len(shared) > 1:
        text += f" ({short.acronym_text} is used by the bodies of {' and '.join(shared)})" if len(shared) == 2 \
            else f" ({short.acronym_text} is used by the bodies of {', '.join(shared[:-1])} and {shared[-1]})"
    text += _legal(a, b)
    return Result(round(max(0.0, score), 4), a, b, country=country, acronym=short.acronym_text,
                  note=text[0].upper() + text[1:])


# --- explanation -------------------------------------------------------------------------------------


def _explain(a, b, pairs, only_a, only_b, country, compact) -> str:
    clauses = []
    if compact:
        clauses.append(f"the same letters spaced differently ('{a.original}', '{b.original}')")
    same = [p.a.latin for p in pairs if p.reason == SAME and p.a.text.casefold() == p.b.text.casefold()]
    written = [f"{p.a.text} ~ {p.b.text}" for p in pairs
               if p.reason == SAME and p.a.text.casefold() != p.b.text.casefold()]
    translated = [p.a.concept for p in pairs if p.reason == TRANSLATION]
    variants = [f"{p.a.text} ~ {p.b.text}" for p in pairs if p.reason in (SPELLING, SIMILAR)]
    if same:
        clauses.append(f"same words ({', '.join(same)})")
    if written:
        clauses.append(f"same words in another script or spelling ({', '.join(written)})")
    if translated:
        clauses.append(f"same words after translation ({', '.join(translated)})")
    if variants:
        clauses.append(f"spelling variants ({', '.join(variants)})")
    if only_a and only_b:
        clauses.append(f"different words: {_quoted(only_a)} vs {_quoted(only_b)}")
    elif only_a or only_b:
        clauses.append(f"{_quoted(only_a or only_b)} only in one name")
    if not clauses:
        clauses.append("no words in common")
    text = ", ".join(clauses)
    if country == SAME_COUNTRY:
        text += f" and the same country ({a.country})"
    elif country == DIFFERENT_COUNTRIES:
        text += f"; but different countries ({a.country}, {b.country})"
    text += _legal(a, b)
    return text[0].upper() + text[1:]


def _quoted(words) -> str:
    return ", ".join(f"'{w.text}'" for w in words)


def _legal(a: OrgName, b: OrgName) -> str:
    forms = list(dict.fromkeys(a.legal_forms + b.legal_forms))
    return f"; legal form ignored ({', '.join(forms)})" if forms else ""
