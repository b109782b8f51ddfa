"""A fictional, seeded screening registry and query set for Shelter's benchmarks.

    .venv/bin/python benchmarks/synthetic.py [--registry 100000] [--queries 10000] [--seed 4] [--out DIR]

writes three JSON Lines files into DIR (default ``benchmarks/out/``):

- ``synthetic_registry.jsonl`` — ``{"id", "name", "aliases"?, "birth_date"?, "nationality"?, "gender"?}``
- ``synthetic_queries.jsonl`` — the same fields, nothing else (the screener must not see the truth);
- ``synthetic_truth.jsonl`` — ``{"query", "kind": "variant"|"fictional", "person": registry id or null,
  "transforms": [...], "namesakes": int}``.

Every person is fictional: name parts come from ``synthetic_names.json`` (given names and surnames of
the region) and are combined at random. Frequencies follow a Zipf-like law by rank, and a share of the
registry are relatives of earlier persons (same surname, a father's given name as patronymic), so that
the registry is crowded the way real ones are: many persons share a surname, a given name, or both.

Names are written in Cyrillic (the people's own, or russified), in the people's own Latin (Uzbek,
Tajik, Turkmen, Azerbaijani) or in one of five romanisations of Russian (``iuliia``: BGN/PCGN,
ICAO Doc 9303, MVD 310, Wikipedia, scientific). ``iuliia`` leaves the Central Asian letters
ҳ ў қ ғ ҷ ӣ ӯ ә і ң ө ү ұ һ untouched, so names are folded to Russian Cyrillic first, as a Russian
clerk would write them.

Half of the queries are variants of a registry person (another script or scheme, surname first,
patronymic added or dropped, one typing slip, Uzbek oʻ/gʻ apostrophes, de-russified Tajik surnames,
russified vowels, birth date at year precision); the other half are fictional persons who are not in
the registry, but who may share a surname or a full name with registry persons.

The output depends only on the arguments: no set or dict is iterated in hash order.
"""

import argparse
import bisect
import itertools
import json
import random
import sys
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAMES_FILE = HERE / "synthetic_names.json"
OUT = HERE / "out"
REGISTRY_FILE, QUERIES_FILE, TRUTH_FILE = "synthetic_registry.jsonl", "synthetic_queries.jsonl", "synthetic_truth.jsonl"

SCHEMES = ("BGN_PCGN", "ICAO_DOC_9303", "MVD_310", "WIKIPEDIA", "SCIENTIFIC")
APOSTROPHES = ("ʻ", "'", "`", "’", "‘")  # the five forms Uzbek oʻ / gʻ come in
GIVEN_ZIPF, SURNAME_ZIPF = 0.6, 0.5  # exponents of the rank-frequency law (1.0 = classic Zipf)
RELATIVE_SHARE = 0.15
# Surnames formed on the group's male given names, by suffix ("" = the given name + -ов/-ев).
DERIVED_SURNAMES = {"uzbek": ("", "жонов"), "tajik": ("", "ҷонов"), "kazakh": ("", "баев"),
                    "kyrgyz": ("", "беков", "баев"), "chechen_dagestani": ("",)}

# Central Asian letters iuliia does not know, as a Russian clerk writes them.
FOLD = {"ҳ": "х", "ў": "у", "қ": "к", "ғ": "г", "ҷ": "дж", "ӣ": "и", "ӯ": "у", "ә": "а", "і": "и",
        "ң": "н", "ө": "о", "ү": "у", "ұ": "у", "һ": "х"}
FOLD.update({k.upper(): v.capitalize() for k, v in list(FOLD.items())})
_FOLD_TABLE = str.maketrans(FOLD)
_VOWELS = set("аеёиоуыэюяӣӯўәіөүұ")

# Uzbek official Latin (1995/2019) and a common Tajik Latin, letter by letter from lower-case Cyrillic.
_UZ = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "j", "з": "z", "и": "i",
       "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
       "у": "u", "ф": "f", "х": "x", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "ʼ", "ы": "i", "ь": "",
       "э": "e", "ю": "yu", "я": "ya", "ў": "oʻ", "қ": "q", "ғ": "gʻ", "ҳ": "h"}
_TJ = {"а": "a", "б": "b", "в": "v", "г": "g", "ғ": "gh", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
       "и": "i", "ӣ": "i", "й": "y", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
       "р": "r", "с": "s", "т": "t", "у": "u", "ӯ": "u", "ф": "f", "х": "kh", "ҳ": "h", "ч": "ch", "ҷ": "j",
       "ш": "sh", "щ": "sh", "ъ": "'", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya"}
_RUSSIAN_IRREGULAR = {"Илья": ("Ильич", "Ильинична"), "Лев": ("Львович", "Львовна"),
                      "Павел": ("Павлович", "Павловна"), "Пётр": ("Петрович", "Петровна"),
                      "Никита": ("Никитич", "Никитична")}
_CYR_LETTERS = "абвгдежзийклмнопрстуфхцчшыэюя"
_LAT_LETTERS = "abcdefghijklmnoprstuvyz"


# ---------------------------------------------------------------------------------------------------
# Name parts and their spellings


@dataclass(frozen=True)
class Word:
    """One name part: its Cyrillic spelling and, for Turkmen and Azerbaijani, the native Latin one."""
    cyr: str
    lat: str | None = None


def _word(entry) -> Word:
    return Word(entry) if isinstance(entry, str) else Word(entry[0], entry[1])


def fold(text: str) -> str:
    """Central Asian Cyrillic letters to Russian ones (Ҳошимов -> Хошимов, Ҷамшед -> Джамшед)."""
    return text.translate(_FOLD_TABLE)


def _capitalise(text: str) -> str:
    return "-".join(w[:1].upper() + w[1:] for w in text.split("-"))


def _letters(word: str, table: dict, apostrophe: str = "ʻ") -> str:
    out, previous = [], None
    for c in word.lower():
        if c == "е" and (previous is None or previous in _VOWELS or previous in "ъь-"):
            latin = "ye"
        else:
            latin = table.get(c, c)
        if apostrophe != "ʻ":  # one apostrophe for oʻ, gʻ and the hard sign
            latin = latin.replace("ʻ", apostrophe).replace("ʼ", apostrophe)
        out.append(latin)
        previous = c
    return _capitalise("".join(out))


def uzbek_latin(word: str, apostrophe: str = "ʻ") -> str:
    return _letters(word, _UZ, apostrophe)


def tajik_latin(word: str) -> str:
    return _letters(word, _TJ)


_SCHEME_CACHE: dict = {}


def romanise(word: str, scheme: str) -> str:
    """A Russian romanisation of (folded) Cyrillic ``word`` with iuliia; memoised (names repeat)."""
    found = _SCHEME_CACHE.get((scheme, word))
    if found is None:
        import iuliia

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = getattr(iuliia, scheme).translate(fold(word))
        # iuliia's BGN/PCGN and scientific schemes leave ё as it is: both write ë.
        found = found.replace("ё", "ë").replace("Ё", "Ë")
        if any("\u0400" <= c <= "\u04ff" for c in found):
            raise ValueError(f"{scheme} left Cyrillic letters in {found!r}")
        _SCHEME_CACHE[(scheme, word)] = found
    return found


def feminine(word: Word) -> Word:
    def cyr(s):
        for masc, fem in (("ский", "ская"), ("цкий", "цкая"), ("ый", "ая"), ("ой", "ая")):
            if s.endswith(masc):
                return s[: -len(masc)] + fem
        return s + "а" if s.endswith(("ов", "ев", "ёв", "ин", "ын")) else s

    def lat(s):
        return s + "a" if s and s.endswith(("ov", "ev", "ow", "ew")) else s
    return Word(cyr(word.cyr), lat(word.lat) if word.lat else None)


def patronymic(father: Word, gender: str) -> Word:
    """Russian-style patronymic from the father's given name (Ислом -> Исломович / Исломовна)."""
    name = father.cyr
    if name in _RUSSIAN_IRREGULAR:
        male, female = _RUSSIAN_IRREGULAR[name]
        return Word(male if gender == "male" else female)
    if name[-1] in "йь":
        stem, suffix = name[:-1], "ев"
    elif name[-1].lower() in _VOWELS or name[-1] in "жшчщц":
        stem, suffix = name, "ев"
    else:
        stem, suffix = name, "ов"
    return Word(stem + suffix + ("ич" if gender == "male" else "на"))


def surname_from_given(name: str) -> str:
    """Surnames formed on a given name (Карим -> Каримов, Мирзо -> Мирзоев)."""
    if name[-1] in "йь":
        return name[:-1] + "ев"
    if name[-1].lower() in _VOWELS:
        return name + "ев"
    return name + "ов"


def derussified_base(surname: str) -> str | None:
    """Раҳмонов -> Раҳмон, Одинаев -> Одина; None when the surname has no Russian ending."""
    for ending in ("ов", "ев"):
        if surname.endswith(ending) and len(surname) > len(ending) + 2:
            return surname[: -len(ending)]
    return None


class Table:
    """Name parts of one group with Zipf-like weights by rank."""

    def __init__(self, words: list[Word], exponent: float):
        self.words = words
        self.cumulative = list(itertools.accumulate(1.0 / (rank + 1) ** exponent for rank in range(len(words))))

    def draw(self, rng: random.Random) -> Word:
        return self.words[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


@dataclass(frozen=True)
class Group:
    name: str
    nationality: str
    share: float
    latin: str | None  # "uz", "tj", "pairs" (native Latin given in the data) or None
    patronymic_share: float
    derussified: bool
    male: Table
    female: Table
    surnames: Table

    @property
    def special_letters(self) -> bool:
        return self.name in ("uzbek", "tajik", "kazakh", "kyrgyz")


def load_groups(path: Path = NAMES_FILE) -> list[Group]:
    data = json.loads(path.read_text("utf-8"))["groups"]
    groups = []
    for name in data:  # JSON object order: the file's order
        g = data[name]
        male = [_word(e) for e in g["male"]]
        surnames = [_word(e) for e in g["surnames"]]
        # Turkic, Tajik and North Caucasian surnames are often formed on a given name (Карим -> Каримов,
        # Алижон -> Алижонов, Серік -> Серікбаев): add those, ranked after the listed ones (rarer).
        seen = {w.cyr for w in surnames}
        for suffix in DERIVED_SURNAMES.get(name, ()):
            for w in male:
                if suffix and w.cyr.endswith(suffix.removesuffix("ов").removesuffix("ев")):
                    continue  # no Алишербекбеков
                s = surname_from_given(w.cyr + suffix.removesuffix("ов").removesuffix("ев"))
                if s not in seen:
                    seen.add(s)
                    surnames.append(Word(s))
        groups.append(Group(name, g["nationality"], g["share"], g.get("latin"), g["patronymic"],
                            bool(g.get("derussified")), Table(male, GIVEN_ZIPF),
                            Table([_word(e) for e in g["female"]], GIVEN_ZIPF), Table(surnames, SURNAME_ZIPF)))
    return groups


# ---------------------------------------------------------------------------------------------------
# Persons


@dataclass(frozen=True)
class Canon:
    """A fictional person as they really are, before any clerk writes their name down."""
    group: Group = field(repr=False)
    gender: str
    given: Word
    surname: Word  # masculine, as listed
    surname_form: str  # "ov" (Russian ending), or for Tajiks "zoda", "base", "i"
    father: Word | None
    birth: tuple[int, int, int]

    def surname_word(self, form: str | None = None) -> Word:
        form = form or self.surname_form
        base = derussified_base(self.surname.cyr)
        if form == "ov" or base is None:
            return feminine(self.surname) if self.gender == "female" else self.surname
        return Word({"zoda": base + "зода", "base": base, "i": base + "ӣ"}[form])

    def key(self) -> tuple[str, str]:
        """Who counts as a namesake: same given name and surname once folded to Russian Cyrillic."""
        return fold(self.given.cyr).lower(), fold(self.surname_word("ov").cyr).lower()


def styles(group: Group) -> list[str]:
    """How a name of this group can be written: "cyr" (own Cyrillic), "cyr_ru" (russified Cyrillic),
    "lat" (own Latin), or a Russian romanisation scheme."""
    found = ["cyr"]
    if group.special_letters:
        found.append("cyr_ru")
    if group.latin:
        found.append("lat")
    return found + list(SCHEMES)


def is_cyrillic(style: str) -> bool:
    return style.startswith("cyr")


def _pick_group(groups: list[Group], rng: random.Random) -> Group:
    return rng.choices(groups, weights=[g.share for g in groups])[0]


def _surname_form(group: Group, rng: random.Random) -> str:
    if not group.derussified:
        return "ov"
    return rng.choices(("ov", "zoda", "base", "i"), weights=(60, 25, 10, 5))[0]


def _birth(rng: random.Random, year: int | None = None) -> tuple[int, int, int]:
    year = year if year is not None else rng.randint(1945, 2004)
    return (max(1930, min(2006, year)), rng.randint(1, 12), rng.randint(1, 28))


def new_canon(groups: list[Group], rng: random.Random, group: Group | None = None) -> Canon:
    group = group or _pick_group(groups, rng)
    gender = rng.choice(("male", "female"))
    given = (group.male if gender == "male" else group.female).draw(rng)
    father = group.male.draw(rng) if rng.random() < group.patronymic_share else None
    return Canon(group, gender, given, group.surnames.draw(rng), _surname_form(group, rng), father, _birth(rng))


def relative_of(head: Canon, rng: random.Random) -> Canon:
    """A child or sibling of ``head``: same surname; a child's patronymic is the head's given name, and a
    son is sometimes named after his father (the hard case: only the birth date tells them apart)."""
    group = head.group
    gender = rng.choice(("male", "female"))
    if head.gender == "male" and rng.random() < 0.6:  # child
        if gender == "male" and rng.random() < 0.15:
            given = head.given
        else:
            given = (group.male if gender == "male" else group.female).draw(rng)
        return Canon(group, gender, given, head.surname, head.surname_form, head.given,
                     _birth(rng, head.birth[0] + rng.randint(20, 35)))
    given = (group.male if gender == "male" else group.female).draw(rng)  # sibling
    return Canon(group, gender, given, head.surname, head.surname_form, head.father,
                 _birth(rng, head.birth[0] + rng.randint(-10, 10)))


# ---------------------------------------------------------------------------------------------------
# Writing a name down


@dataclass(frozen=True)
class Spelling:
    style: str
    surname_first: bool
    with_patronymic: bool
    surname_form: str
    apostrophe: str = "ʻ"
    turkic_patronymic: bool = False  # "Ali oʻgʻli" instead of "Aliyevich"
    russified_vowel: bool = False  # Uzbek/Tajik о written а (Ҳошимов -> Хашимов)
    upper: bool = False


def _russify_vowel(word: str) -> str:
    """The first о after a consonant as а: how Russian clerks often wrote Uzbek and Tajik names."""
    for i in range(1, len(word)):
        if word[i] == "о" and word[i - 1].lower() not in _VOWELS:
            return word[:i] + "а" + word[i + 1:]
    return word


def _spell(word: Word, group: Group, style: str, spelling: Spelling) -> str:
    text = word.cyr
    if spelling.russified_vowel and style != "cyr" and style != "lat":
        text = _russify_vowel(text)
    if style == "cyr":
        return text
    if style == "cyr_ru":
        return fold(text)
    if style == "lat":
        if group.latin == "uz":
            return uzbek_latin(text, spelling.apostrophe)
        if group.latin == "tj":
            return tajik_latin(text)
        if word.lat:
            return word.lat
        return romanise(text, "ICAO_DOC_9303")  # a derived word with no native Latin given
    return romanise(text, style)


def _turkic_patronymic(canon: Canon, style: str, spelling: Spelling) -> list[str] | None:
    """``father oʻgʻli`` / ``qizi`` (Uzbek), ``oğlu`` / ``qızı`` (Azerbaijani), ``ogly`` / ``gyzy`` (Turkmen)."""
    group, father = canon.group, canon.father
    son = canon.gender == "male"
    if style == "lat" and group.latin == "uz":
        a = spelling.apostrophe
        return [uzbek_latin(father.cyr, a), f"o{a}g{a}li" if son else "qizi"]
    if style == "lat" and group.name == "azerbaijani":
        return [father.lat or father.cyr, "oğlu" if son else "qızı"]
    if style == "lat" and group.name == "turkmen":
        return [father.lat or father.cyr, "ogly" if son else "gyzy"]
    return None


def write_name(canon: Canon, spelling: Spelling) -> str:
    group, style = canon.group, spelling.style
    given = _spell(canon.given, group, style, replace(spelling, russified_vowel=False))
    surname = _spell(canon.surname_word(spelling.surname_form), group, style, spelling)
    middle: list[str] = []
    if spelling.with_patronymic and canon.father is not None:
        turkic = _turkic_patronymic(canon, style, spelling) if spelling.turkic_patronymic else None
        if turkic:
            middle = turkic
        else:
            middle = [_spell(patronymic(canon.father, canon.gender), group, style, replace(spelling, russified_vowel=False))]
    if spelling.surname_first:
        parts = [surname, given] + middle
    else:
        parts = [given] + middle + [surname]
    name = " ".join(parts)
    return name.upper() if spelling.upper else name


def _iso(birth: tuple[int, int, int], precision: str) -> str:
    y, m, d = birth
    return f"{y:04d}" if precision == "year" else f"{y:04d}-{m:02d}-{d:02d}"


def registry_record(identifier: str, canon: Canon, rng: random.Random) -> tuple[dict, Spelling]:
    group = canon.group
    options = styles(group)
    cyrillic = rng.random() < 0.45
    style = rng.choice([s for s in options if is_cyrillic(s) == cyrillic])
    spelling = Spelling(style, rng.random() < 0.5, rng.random() < 0.6, canon.surname_form,
                        turkic_patronymic=rng.random() < 0.3, upper=not is_cyrillic(style) and rng.random() < 0.1)
    record = {"id": identifier, "name": write_name(canon, spelling)}
    if rng.random() < 0.3:  # an alias in the other script
        other = rng.choice([s for s in options if is_cyrillic(s) != cyrillic])
        record["aliases"] = [write_name(canon, replace(spelling, style=other, upper=False))]
    if rng.random() < 0.7:
        record["birth_date"] = _iso(canon.birth, "day" if rng.random() < 0.85 else "year")
    if rng.random() < 0.7:
        record["nationality"] = canon.group.nationality
    if rng.random() < 0.5:
        record["gender"] = canon.gender
    return record, spelling


def _slip(text: str, rng: random.Random) -> tuple[str, str]:
    """One typing slip: a letter substituted, dropped, doubled or two letters swapped."""
    letters = _CYR_LETTERS if any("\u0400" <= c <= "\u04ff" for c in text) else _LAT_LETTERS
    if text.isupper():
        letters = letters.upper()
    position = 0 if rng.random() < 0.1 else rng.randrange(1, len(text))
    kind = rng.choice(("substitute", "drop", "insert", "swap"))
    if kind == "swap" and position == len(text) - 1:
        position -= 1
    if kind == "substitute":
        new = rng.choice([c for c in letters if c.lower() != text[position].lower()])
        if position == 0:
            new = new.upper()
        text = text[:position] + new + text[position + 1:]
    elif kind == "drop":
        text = text[:position] + text[position + 1:]
        if position == 0:
            text = text[:1].upper() + text[1:]
    elif kind == "insert":
        text = text[:position] + rng.choice(letters) + text[position:]
        if position == 0:
            text = text[0].upper() + text[1].lower() + text[2:]
    else:
        text = text[:position] + text[position + 1] + text[position] + text[position + 2:]
        if position == 0:
            text = text[0].upper() + text[1].lower() + text[2:]
    return text, f"{kind}@{position}"


def variant_record(identifier: str, canon: Canon, registry: Spelling, rng: random.Random) -> tuple[dict, list[str]]:
    """A query that is ``canon`` again, written down by someone else."""
    group = canon.group
    transforms = []
    options = [s for s in styles(group) if s != registry.style]
    if rng.random() < 0.6:  # the other script
        other = [s for s in options if is_cyrillic(s) != is_cyrillic(registry.style)]
        options = other or options
    style = rng.choice(options)
    transforms.append(f"style:{registry.style}->{style}")
    surname_first = rng.random() < 0.5
    if surname_first != registry.surname_first:
        transforms.append("order_swapped")
    with_patronymic = canon.father is not None and rng.random() < 0.5
    if canon.father is not None and with_patronymic != registry.with_patronymic:
        transforms.append("patronymic_added" if with_patronymic else "patronymic_dropped")
    surname_form = canon.surname_form
    if group.derussified and rng.random() < 0.4:
        surname_form = rng.choice([f for f in ("ov", "zoda", "base", "i") if f != canon.surname_form])
        transforms.append(f"derussified:{canon.surname_form}->{surname_form}")
    spelling = Spelling(style, surname_first, with_patronymic, surname_form,
                        apostrophe=rng.choice(APOSTROPHES), turkic_patronymic=rng.random() < 0.3,
                        upper=not is_cyrillic(style) and rng.random() < 0.1)
    if group.latin == "uz" and style == "lat" and spelling.apostrophe != "ʻ":
        transforms.append("uzbek_apostrophe")
    if group.name in ("uzbek", "tajik") and style not in ("cyr", "lat") and rng.random() < 0.3:
        spelling = replace(spelling, russified_vowel=True)
        transforms.append("russified_vowel")
    name = write_name(canon, spelling)
    if rng.random() < 0.3:
        words = name.split(" ")
        candidates = [i for i, w in enumerate(words) if len(w) >= 4 and w.lower() not in
                      ("oʻgʻli", "o'g'li", "o`g`li", "o’g’li", "o‘g‘li", "oğlu", "qızı", "qizi", "ogly", "gyzy")]
        if candidates:
            i = rng.choice(candidates)
            words[i], how = _slip(words[i], rng)
            name = " ".join(words)
            transforms.append(f"slip:{how}")
    record = {"id": identifier, "name": name}
    r = rng.random()
    if r < 0.5:
        record["birth_date"] = _iso(canon.birth, "day")
    elif r < 0.75:
        record["birth_date"] = _iso(canon.birth, "year")
        transforms.append("birth_year_only")
    if rng.random() < 0.6:
        nationality = canon.group.nationality
        if canon.birth[0] < 1991 and rng.random() < 0.08:
            nationality = "su"
            transforms.append("nationality_su")
        record["nationality"] = nationality
    if rng.random() < 0.4:
        record["gender"] = canon.gender
    return record, transforms


# ---------------------------------------------------------------------------------------------------
# The files


@dataclass
class Synthetic:
    registry: list[dict]
    queries: list[dict]
    truth: list[dict]
    stats: dict = field(default_factory=dict)


def generate(registry_size: int = 100_000, query_count: int = 10_000, seed: int = 4,
             names_file: Path = NAMES_FILE) -> Synthetic:
    groups = load_groups(names_file)
    rng = random.Random(seed)
    canons: list[Canon] = []
    registry: list[dict] = []
    spellings: list[Spelling] = []
    by_key: dict[tuple[str, str], int] = {}
    for i in range(registry_size):
        if canons and rng.random() < RELATIVE_SHARE:
            canon = relative_of(canons[rng.randrange(len(canons))], rng)
        else:
            canon = new_canon(groups, rng)
        record, spelling = registry_record(f"R{i + 1:06d}", canon, rng)
        canons.append(canon)
        registry.append(record)
        spellings.append(spelling)
        by_key[canon.key()] = by_key.get(canon.key(), 0) + 1

    queries, truth = [], []
    qrng = random.Random(seed * 1_000_003 + 1)
    for j in range(query_count):
        identifier = f"Q{j + 1:06d}"
        if qrng.random() < 0.5:
            row = qrng.randrange(registry_size)
            record, transforms = variant_record(identifier, canons[row], spellings[row], qrng)
            truth.append({"query": identifier, "kind": "variant", "person": registry[row]["id"],
                          "transforms": transforms, "namesakes": by_key[canons[row].key()] - 1})
        else:
            r = qrng.random()
            if r < 0.3:  # a relative of a registry person (shares the surname)
                canon = relative_of(canons[qrng.randrange(registry_size)], qrng)
                how = "relative"
            elif r < 0.4:  # a namesake born another year
                other = canons[qrng.randrange(registry_size)]
                canon = replace(other, birth=_birth(qrng, other.birth[0] + qrng.choice((-1, 1)) * qrng.randint(3, 30)),
                                father=other.group.male.draw(qrng) if other.father else None)
                how = "namesake"
            else:
                canon = new_canon(groups, qrng)
                how = "random"
            spelling = Spelling(qrng.choice(styles(canon.group)), qrng.random() < 0.5, qrng.random() < 0.5,
                                canon.surname_form, apostrophe=qrng.choice(APOSTROPHES))
            record = {"id": identifier, "name": write_name(canon, spelling)}
            if qrng.random() < 0.75:
                record["birth_date"] = _iso(canon.birth, "day" if qrng.random() < 0.7 else "year")
            if qrng.random() < 0.6:
                record["nationality"] = canon.group.nationality
            if qrng.random() < 0.4:
                record["gender"] = canon.gender
            truth.append({"query": identifier, "kind": "fictional", "person": None, "transforms": [how],
                          "namesakes": by_key.get(canon.key(), 0)})
        queries.append(record)
    surnames: dict[str, int] = {}
    for canon in canons:
        surnames[canon.key()[1]] = surnames.get(canon.key()[1], 0) + 1
    stats = {
        "registry": registry_size,
        "queries": query_count,
        "seed": seed,
        "largest_namesake_group": max(by_key.values(), default=0),
        "share_with_a_namesake": round(sum(n for n in by_key.values() if n > 1) / max(1, registry_size), 4),
        "most_common_surname_share": round(max(surnames.values(), default=0) / max(1, registry_size), 4),
        "distinct_full_names": len(by_key),
    }
    return Synthetic(registry, queries, truth, stats)


def sample_pairs(count: int, seed: int = 99) -> list[tuple[dict, dict, bool]]:
    """(a, b, same person?) pairs of fictional persons, half of them a person and a variant: warm-up
    material for the speed benchmark, disjoint from the labelled sets."""
    groups = load_groups()
    rng = random.Random(seed)
    pairs = []
    for i in range(count):
        canon = new_canon(groups, rng)
        a, spelling = registry_record(f"a{i}", canon, rng)
        if i % 2 == 0:
            b, _ = variant_record(f"b{i}", canon, spelling, rng)
            pairs.append((a, b, True))
        else:
            b, _ = registry_record(f"b{i}", new_canon(groups, rng), rng)
            pairs.append((a, b, False))
    return pairs


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def write(data: Synthetic, out: Path = OUT) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = {"registry": out / REGISTRY_FILE, "queries": out / QUERIES_FILE, "truth": out / TRUTH_FILE}
    write_jsonl(paths["registry"], data.registry)
    write_jsonl(paths["queries"], data.queries)
    write_jsonl(paths["truth"], data.truth)
    (out / "synthetic_stats.json").write_text(json.dumps(data.stats, indent=1) + "\n", "utf-8")
    return paths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--registry", type=int, default=100_000, help="registry persons (default 100,000)")
    parser.add_argument("--queries", type=int, default=10_000, help="queries (default 10,000)")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    data = generate(args.registry, args.queries, args.seed)
    paths = write(data, args.out)
    variants = sum(1 for t in data.truth if t["kind"] == "variant")
    print(f"synthetic: {len(data.registry):,} registry persons, {len(data.queries):,} queries "
          f"({variants:,} variants of registry persons) -> {paths['registry'].parent}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
