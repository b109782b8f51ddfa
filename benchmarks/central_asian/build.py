#!/usr/bin/env python3
"""Build the Central Asian variant set (benchmarks/central_asian/pairs.jsonl).

Reads the hand-curated ``people.json`` (public figures, their real spellings and
real relatives) and writes labelled name pairs.  Deterministic: a fixed seed,
sorted iteration, standard library + iuliia + rapidfuzz only.

    .venv/bin/python benchmarks/central_asian/build.py

Positives are the same real person written in two real-world ways (hand-curated
spellings, or Russian-scheme romanisations produced with iuliia).  Negatives are
real relatives, real different people, or hard look-alike names built from real
name material (the note of every constructed pair says what was invented).
"""
from __future__ import annotations

import json
import random
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

import iuliia
from rapidfuzz import fuzz

HERE = Path(__file__).resolve().parent
PEOPLE = HERE / "people.json"
OUT = HERE / "pairs.jsonl"
SEED = 20240917

# --------------------------------------------------------------------------
# Scripts, transliteration
# --------------------------------------------------------------------------

CYR = re.compile(r"[\u0400-\u04FF]")
GEO = re.compile(r"[\u10A0-\u10FF]")
ARM = re.compile(r"[\u0530-\u058F]")


def script_of(s: str) -> str:
    if CYR.search(s):
        return "cyr"
    if GEO.search(s):
        return "geo"
    if ARM.search(s):
        return "arm"
    return "lat"


# iuliia's Russian schemes leave Central Asian / Belarusian letters untouched:
# fold them to the Russian letter a Russian-speaking clerk would write.
CA_FOLD = str.maketrans({
    "ҳ": "х", "Ҳ": "Х", "ў": "у", "Ў": "У", "қ": "к", "Қ": "К", "ғ": "г", "Ғ": "Г",
    "ҷ": "дж", "Ҷ": "Дж", "ӣ": "и", "Ӣ": "И", "ӯ": "у", "Ӯ": "У", "ә": "а", "Ә": "А",
    "і": "и", "І": "И", "ң": "н", "Ң": "Н", "ө": "о", "Ө": "О", "ү": "у", "Ү": "У",
    "ұ": "у", "Ұ": "У", "һ": "х", "Һ": "Х",
})

SCHEMES = {
    "BGN_PCGN": iuliia.BGN_PCGN,
    "ICAO_DOC_9303": iuliia.ICAO_DOC_9303,
    "GOST_52535": iuliia.GOST_52535,
    "MVD_310": iuliia.MVD_310,
    "MVD_782": iuliia.MVD_782,
    "SCIENTIFIC": iuliia.SCIENTIFIC,
    "WIKIPEDIA": iuliia.WIKIPEDIA,
}
SCHEME_NAMES = sorted(SCHEMES)
# schemes a passport office / police database would plausibly use for a
# constructed (invented) name; SCIENTIFIC is kept for real-person positives only
COMMON_SCHEMES = ["BGN_PCGN", "ICAO_DOC_9303", "MVD_310", "MVD_782", "WIKIPEDIA"]


def translit(text: str, scheme: str) -> str | None:
    folded = text.translate(CA_FOLD)
    out = SCHEMES[scheme].translate(folded)
    # iuliia's BGN_PCGN / SCIENTIFIC leave ё after и untouched (Мирзиёев):
    # such outputs are not real-world forms, so the scheme is skipped
    if CYR.search(out) or not out.strip():
        return None
    # BGN/PCGN's optional separator dot (Zh·eenbekov) is not used in documents
    return out.replace("·", "")


def strip_marks(s: str) -> str:
    s = s.replace("ı", "i").replace("İ", "I").replace("ə", "a").replace("Ə", "A")
    s = s.replace("ł", "l").replace("Ł", "L").replace("ß", "ss")
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


# --------------------------------------------------------------------------
# Skeleton keys (used only to keep constructed negatives honest)
# --------------------------------------------------------------------------

def _latinish(s: str) -> str:
    if CYR.search(s):
        s = translit(s, "WIKIPEDIA") or s
    s = strip_marks(s.lower())
    s = re.sub(r"[ʻʼ'’‘`]", "", s)
    for a, b in (("dzh", "j"), ("dsch", "j"), ("tsch", "ch"), ("sch", "sh"), ("zh", "j"),
                 ("dj", "j"), ("kh", "h"), ("x", "h"), ("q", "k"), ("w", "v"), ("sz", "sh"),
                 ("cz", "ch"), ("ts", "c"), ("y", "i"), ("ou", "u")):
        s = s.replace(a, b)
    return re.sub(r"[^a-z]", "", s)


def ckey(s: str) -> str:
    """Consonant skeleton: equal keys = spelling variants of one name."""
    s = re.sub(r"(.)\1+", r"\1", _latinish(s))
    return s[:1] + re.sub(r"[aeiou]", "", s[1:])


def loose(s: str) -> str:
    s = _latinish(s)
    s = re.sub(r"[eiou]", "a", s)
    s = s.translate(str.maketrans("dgbzv", "tkpsf"))
    return re.sub(r"(.)\1+", r"\1", s)


def same_given(a: str, b: str) -> bool:
    """Strict: the same given name (Ruslan/Руслан, Leyla/Leila, Timur/Teymur)."""
    x, y = _latinish(a), _latinish(b)
    return x == y or (ckey(a) == ckey(b) and fuzz.ratio(x, y) >= 85)


def variant_like(a: str, b: str, threshold: int = 75) -> bool:
    """True if two name parts could plausibly be spellings of one name."""
    if ckey(a) == ckey(b):
        return True
    return fuzz.ratio(loose(a), loose(b)) >= threshold


# --------------------------------------------------------------------------
# Name structure
# --------------------------------------------------------------------------

TURKIC_PATR = {"оглы", "кызы", "уулу", "улы", "кизи", "oğlu", "qızı", "ogly", "oglu", "kyzy",
               "uulu", "qizi", "oʻgʻli"}
PATR_END = ("вич", "вна", "чна", "vich", "vna", "vič", "ұлы", "уулу", "oviç")


class Name:
    __slots__ = ("given", "patr", "surname")

    def __init__(self, given: str, patr: str, surname: str):
        self.given, self.patr, self.surname = given, patr, surname

    def full(self) -> str:
        return " ".join(p for p in (self.given, self.patr, self.surname) if p)

    def short(self) -> str:
        return " ".join(p for p in (self.given, self.surname) if p)

    def surname_first(self, upper: bool = False, comma: bool = False, patr: bool = True) -> str:
        sur = self.surname.upper() if upper else self.surname
        rest = " ".join(p for p in (self.given, self.patr if patr else "") if p)
        return f"{sur}, {rest}" if comma else f"{sur} {rest}"

    def translit(self, scheme: str) -> "Name | None":
        parts = [translit(p, scheme) if p else "" for p in (self.given, self.patr, self.surname)]
        if any(p is None for p in parts):
            return None
        return Name(*parts)


def parse(s: str) -> Name:
    t = s.split()
    for i, tok in enumerate(t):
        if tok.lower() in TURKIC_PATR and 2 <= i <= len(t) - 2:
            return Name(" ".join(t[: i - 1]), " ".join(t[i - 1: i + 1]), " ".join(t[i + 1:]))
    if len(t) == 3 and t[1].lower().endswith(PATR_END):
        return Name(t[0], t[1], t[2])
    return Name(" ".join(t[:-1]), "", t[-1])


def fem_surname(s: str) -> str | None:
    for m, f in (("ский", "ская"), ("цкий", "цкая"), ("ный", "ная")):
        if s.endswith(m):
            return s[: -len(m)] + f
    if re.search(r"(ов|ев|ёв|ин|ын)$", s):
        return s + "а"
    return None


def masc_surname(s: str) -> str:
    s = s.split("-")[0] if re.search(r"(ова|ева|ина)-", s) else s
    for f, m in (("ская", "ский"), ("цкая", "цкий"), ("ная", "ный")):
        if s.endswith(f):
            return s[: -len(f)] + m
    if re.search(r"(ова|ева|ёва|ина|ына)$", s):
        return s[:-1]
    return s


def same_surname(a: str, b: str) -> bool:
    """Exact identity of two Russian masculine surnames (ъ/ь, ё/е folded)."""
    def norm(x):
        return masc_surname(x).lower().replace("ъ", "ь").replace("ё", "е")
    return norm(a) == norm(b)


def gendered_surname(s: str, gender: str) -> str | None:
    m = masc_surname(s)
    if gender == "male":
        return m
    f = fem_surname(m)
    if f:
        return f
    # surnames with no gendered form (Rahmon, Lukashenko, Sargsyan, Skripal ...)
    return m if not re.search(r"(ов|ев|ёв|ин|ын|ский|цкий|ный)$", m) else None


def patronymic(father: str, gender: str) -> str | None:
    if father.endswith(("я", "ья")):
        return None
    if father.endswith(("й", "ь")):
        stem, male, female = father[:-1], "евич", "евна"
    elif father[-1] in "аоиуеы":
        stem, male, female = father, "евич", "евна"
    else:
        stem, male, female = father, "ович", "овна"
    return stem + (male if gender == "male" else female)


# --------------------------------------------------------------------------
# Given-name pools for constructed negatives (Russian Cyrillic forms)
# --------------------------------------------------------------------------

POOLS = {
    "uz": {"male": "Алишер Бахтиёр Улугбек Джахонгир Отабек Шухрат Фарход Санжар Тимур Азиз Нодир Акмал Бобур Даврон Жасур Ильхом",
           "female": "Дилноза Нодира Малика Шахноза Феруза Гульчехра Камола Умида Зарина Севара Ирода Мухаббат Дильфуза"},
    "tj": {"male": "Фаридун Бахтовар Фирдавс Далер Сухроб Манучехр Джамшед Хуршед Парвиз Шохрух Бехруз Навруз Исмоил",
           "female": "Манижа Нигина Парвина Зарина Ситора Фируза Мехрангез Тахмина Шабнам Гулнора Нилуфар"},
    "kz": {"male": "Ерлан Нурлан Асхат Бауыржан Данияр Ерболат Серик Марат Арман Кайрат Ержан Талгат Бекзат",
           "female": "Айгерим Гульнар Сауле Динара Жанар Асель Назгуль Айгуль Жулдыз Мадина Ботагоз Камила"},
    "kg": {"male": "Бакыт Азамат Нурбек Улан Эрлан Мирлан Таалайбек Жыргалбек Бектур Эмиль Темир Нурлан",
           "female": "Айжан Асель Чолпон Гульзат Айгуль Жылдыз Нургуль Бурул Айзада Гулмира"},
    "tm": {"male": "Мерген Довлет Аман Бегенч Мекан Ширали Гельды Ораз Мурад Ыхлас Батыр Чары",
           "female": "Джерен Айна Гульшат Майса Огулджан Энеджан Лейли Шекер Байрамгуль"},
    "az": {"male": "Эльчин Рашад Тофиг Фуад Вугар Анар Эмин Орхан Рауф Эльнур Тогрул Намиг",
           "female": "Айнур Гюнель Севиндж Нигяр Айсель Лала Нармин Ульвия Гюльнар Самира"},
    "ru": {"male": "Сергей Андрей Николай Дмитрий Павел Алексей Игорь Олег Евгений Максим Виктор Юрий Константин",
           "female": "Ольга Татьяна Ирина Елена Наталья Екатерина Анастасия Марина Светлана Оксана Галина"},
    "nc": {"male": "Магомед Ислам Руслан Адам Ибрагим Муса Шамиль Хасан Умар Ахмед Заур Тимур Арсен",
           "female": "Хеда Зарема Марьям Аминат Зулихан Луиза Мадина Патимат Седа Малика"},
    "ge": {"male": "Георгий Давид Леван Нодар Гиви Тенгиз Зураб Ираклий Вахтанг",
           "female": "Нино Тамара Кетеван Мака Натия Манана Тинатин"},
    "am": {"male": "Арам Давит Армен Ашот Гагик Карен Ваграм Тигран Арсен",
           "female": "Анна Лусине Ануш Гаяне Астхик Мариам Нарине"},
}
POOLS = {k: {g: v.split() for g, v in d.items()} for k, d in POOLS.items()}
DEFAULT_POOL = {"uz": "uz", "tj": "tj", "kz": "kz", "kg": "kg", "tm": "tm", "az": "az",
                "ru": "ru", "by": "ru", "ge": "ge", "am": "am"}

# Genuinely distinct surnames that look alike (hand-checked: different root
# names, not spelling variants of one name).  Keyed by Russian masculine form.
SIMILAR = {
    "Каримов": ["Касимов"], "Рахмонов": ["Рахимов"], "Рахмон": ["Рахим"],
    "Назарбаев": ["Назарбеков"], "Токаев": ["Токарев"], "Акаев": ["Атаев"],
    "Бакиев": ["Бакиров"], "Атамбаев": ["Атабаев"], "Жапаров": ["Жабаров"],
    "Ниязов": ["Назаров"], "Бердымухамедов": ["Бердымурадов"], "Алиев": ["Алибеков"],
    "Мамедьяров": ["Мамедов"], "Мамедъяров": ["Мамедов"], "Кадыров": ["Кабиров"],
    "Дудаев": ["Дадаев"], "Басаев": ["Бараев"], "Путин": ["Путинцев"],
    "Лукашенко": ["Лукашевич"], "Колесников": ["Колесниченко"], "Медведев": ["Медведчук"],
    "Горбачёв": ["Горбатов"], "Лавров": ["Лаврентьев"], "Немцов": ["Немченко"],
    "Исраилов": ["Исмаилов"], "Исмаилов": ["Исраилов"], "Умаров": ["Усманов"],
    "Усманов": ["Умаров"], "Азимов": ["Алимов"], "Саидов": ["Садыков"], "Иноятов": ["Иногамов"],
    "Кулиев": ["Кулибаев"], "Шевченко": ["Шевчук"], "Пашинян": ["Пашаян"],
    "Статкевич": ["Станкевич"], "Хашимов": ["Хакимов"], "Ильин": ["Ильюшин"],
    "Головкин": ["Голованов"], "Масимов": ["Максимов"], "Бабанов": ["Баранов"],
    "Набиев": ["Набиуллин"], "Назаров": ["Назиров"], "Байрамов": ["Бахрамов"],
    "Литвиненко": ["Литвинов"], "Скрипаль": ["Скрипник"], "Яшин": ["Яшкин"],
    "Ходорковский": ["Ходаковский"], "Чагаев": ["Чапаев"], "Юсупов": ["Юнусов"],
}
# generic pairs for names built from pools (brief: Yusupov/Yunusov, Rakhimov/Rakhmonov ...)
GENERIC_SIMILAR = [("Юсупов", "Юнусов"), ("Рахимов", "Рахмонов"), ("Алиев", "Алибеков"),
                   ("Назаров", "Назиров"), ("Салимов", "Салихов"), ("Рашидов", "Расулов"),
                   ("Хасанов", "Хусанов"), ("Умаров", "Усманов"), ("Азимов", "Алимов"),
                   ("Исмаилов", "Исраилов"), ("Шарипов", "Шукуров"), ("Мирзаев", "Мирсаидов")]


# --------------------------------------------------------------------------
# Entities (people and their relatives)
# --------------------------------------------------------------------------

class Ent:
    def __init__(self, key, rec, main: bool, parent=None, relation=""):
        self.key = key
        self.main = main
        self.relation = relation
        self.parent = parent
        self.gender = rec["gender"]
        self.nationality = rec.get("nationality") or (parent.nationality if parent else None)
        self.birth_date = rec.get("birth_date")
        self.pool = rec.get("name_pool") or (parent.pool if parent and not rec.get("nationality") else None) \
            or DEFAULT_POOL[self.nationality]
        self.no_order = rec.get("no_order", False)
        self.homonym_of = rec.get("homonym_of")
        self.native = rec.get("native", [])
        self.native_full = rec.get("native_full", [])
        self.russian = rec["russian"]
        self.russian_alt = rec.get("russian_alt", [])
        self.spellings = [(s["name"], s["tag"]) for s in rec.get("spellings", [])]
        self.ru = parse(self.russian)
        self.given_key = ckey(self.ru.given.split()[0])
        self.surname_root = masc_surname(self.ru.surname)
        self.family = None

    # --- forms ---
    def by_tag(self, *tags):
        return [n for n, t in self.spellings if t in tags]

    @property
    def cyr(self):  # current Cyrillic forms without patronymic
        out = [n for n in self.native if script_of(n) == "cyr"]
        out.append(self.ru.short())
        return uniq(out)

    @property
    def cyr_full(self):
        out = [n for n in self.native_full if script_of(n) == "cyr"]
        if self.ru.patr:
            out.append(self.ru.full())
        return uniq(out)

    @property
    def lat_native(self):
        return [n for n in self.native if script_of(n) == "lat"]

    @property
    def other_native(self):
        return [n for n in self.native if script_of(n) in ("geo", "arm")]

    @property
    def latin_std(self):  # current standard Latin spellings
        return uniq(self.lat_native + self.by_tag("en", "ru_style"))

    @property
    def press(self):
        return [(n, t) for n, t in self.spellings if t in ("de", "fr", "pl", "tr")]

    def label(self):
        return self.latin_std[0] if self.latin_std else self.ru.short()

    def year(self):
        return int(self.birth_date[:4]) if self.birth_date else None


def uniq(seq):
    seen, out = set(), []
    for x in seq:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def load():
    data = json.loads(PEOPLE.read_text(encoding="utf-8"))
    by_id = {}
    ents = []
    refs = []
    for rec in data:
        e = Ent(rec["id"], rec, True)
        by_id[rec["id"]] = e
        ents.append(e)
    for rec in data:
        parent = by_id[rec["id"]]
        for i, r in enumerate(rec.get("relatives", [])):
            if "ref" in r:
                refs.append((parent.key, r["ref"], r["relation"]))
                continue
            e = Ent(f"{rec['id']}#r{i}", r, False, parent=parent, relation=r["relation"])
            ents.append(e)
    # families: union-find over inline relatives and refs
    fam = {e.key: e.key for e in ents}

    def find(x):
        while fam[x] != x:
            fam[x] = fam[fam[x]]
            x = fam[x]
        return x

    def union(a, b):
        fam[find(a)] = find(b)

    for e in ents:
        if e.parent:
            union(e.key, e.parent.key)
    relation_of = {}
    for a, b, rel in refs:
        union(a, b)
        relation_of[(a, b)] = rel
    for e in ents:
        e.family = find(e.key)
    return ents, by_id, relation_of


# --------------------------------------------------------------------------
# Pair helpers
# --------------------------------------------------------------------------

def P(name, date=None, nat=None, gender=None):
    d = {"name": name}
    if date:
        d["birth_date"] = date
    if nat:
        d["nationality"] = nat
    if gender:
        d["gender"] = gender
    return d


def soviet_ok(e: Ent) -> bool:
    y = e.year()
    return y is not None and 1922 <= y <= 1990


class Meta:
    """Consistent optional attributes for the two sides of a positive pair."""

    def __init__(self, rng, e: Ent, p_date=0.3, p_nat=0.35, p_gender=0.3):
        self.date = e.birth_date if e.birth_date and rng.random() < p_date else None
        self.nat_a = self.nat_b = None
        if rng.random() < p_nat:
            self.nat_a = self.nat_b = e.nationality
            if soviet_ok(e) and rng.random() < 0.3:
                if rng.random() < 0.5:
                    self.nat_a = "su"
                else:
                    self.nat_b = "su"
        self.gender = e.gender if rng.random() < p_gender else None

    def sides(self, a, b):
        return (P(a, self.date, self.nat_a, self.gender), P(b, self.date, self.nat_b, self.gender))


def pos(cands, cat, e, a, b, note, rng, meta=None, **kw):
    if not a or not b or a.strip().lower() == b.strip().lower():
        return
    m = meta or Meta(rng, e, **kw)
    sa, sb = m.sides(a, b)
    if rng.random() < 0.5:
        sa, sb = sb, sa
    cands[cat].append({"a": sa, "b": sb, "match": True, "category": cat, "note": note, "_ent": e.key})


def neg(cands, cat, key, sa, sb, note, rng):
    if not sa["name"].strip() or not sb["name"].strip():
        return
    if sa["name"].strip().lower() == sb["name"].strip().lower():
        return False
    if rng.random() < 0.5:
        sa, sb = sb, sa
    cands[cat].append({"a": sa, "b": sb, "match": False, "category": cat, "note": note, "_ent": key})
    return True


def pick(rng, seq):
    seq = list(seq)
    return rng.choice(seq) if seq else None


def scheme_form(e: Ent, rng, full=False, schemes=None):
    name = e.ru
    sch = pick(rng, schemes or COMMON_SCHEMES)
    t = name.translit(sch)
    if t is None:
        return None, sch
    return (t.full() if full else t.short()), sch


def render(e: Ent, rng, script=None, allow_press=True, allow_order=True, allow_full=True):
    """A realistic written form of a real entity, for negatives."""
    if script is None:
        r = rng.random()
        if e.other_native and r < 0.15:
            script = "other"
        else:
            script = "cyr" if r < 0.45 else "lat"
    if script == "other" and e.other_native:
        return pick(rng, e.other_native)
    if script == "cyr":
        s = pick(rng, e.cyr + (e.cyr_full if allow_full and rng.random() < 0.2 else []))
        if allow_order and not e.no_order and rng.random() < 0.12:
            n = parse(s)
            s = n.surname_first()
        return s
    options = list(e.latin_std)
    if allow_press and rng.random() < 0.2:
        options += [n for n, _ in e.press]
    if rng.random() < 0.3 or not options:
        f, _ = scheme_form(e, rng)
        if f:
            options.append(f)
    s = pick(rng, options) or e.ru.short()
    if allow_order and not e.no_order and rng.random() < 0.12:
        s = parse(s).surname_first(upper=True, comma=rng.random() < 0.5)
    return s


def render_constructed(cyr_name: Name, rng, script=None):
    """Render an invented name (given as Russian Cyrillic parts)."""
    if script is None:
        script = "cyr" if rng.random() < 0.45 else "lat"
    n = cyr_name
    if script == "lat":
        t = n.translit(pick(rng, COMMON_SCHEMES))
        if t is None:
            return n.full()
        n = t
    if rng.random() < 0.1:
        return n.surname_first(upper=script == "lat")
    return n.full()


# --------------------------------------------------------------------------
# Perturbations
# --------------------------------------------------------------------------

def _kbd(rows):
    nb = defaultdict(set)
    for r, row in enumerate(rows):
        for i, c in enumerate(row):
            if i > 0:
                nb[c].add(row[i - 1])
            if i + 1 < len(row):
                nb[c].add(row[i + 1])
            for rr in (r - 1, r + 1):
                if 0 <= rr < len(rows) and i < len(rows[rr]):
                    nb[c].add(rows[rr][i])
    return {c: sorted(v) for c, v in nb.items()}


KBD_LAT = _kbd(["qwertyuiop", "asdfghjkl", "zxcvbnm"])
KBD_CYR = _kbd(["йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю"])


def typo_word(w: str, rng) -> tuple[str, str] | None:
    kbd = KBD_CYR if CYR.search(w) else KBD_LAT
    idx = [i for i in range(1, len(w)) if w[i].lower() in kbd and w[i - 1] != "-"]
    if len(w) < 5 or not idx:
        return None
    i = rng.choice(idx)
    op = rng.choice(["sub", "swap", "del", "dup"])
    if op == "sub":
        r = rng.choice(kbd[w[i].lower()])
        out = w[:i] + (r.upper() if w[i].isupper() else r) + w[i + 1:]
        desc = f"adjacent-key substitution at position {i + 1}"
    elif op == "swap" and i + 1 < len(w) and w[i] != w[i + 1] and w[i + 1].isalpha():
        out = w[:i] + w[i + 1] + w[i] + w[i + 2:]
        desc = f"transposed letters {i + 1}-{i + 2}"
    elif op == "del" and (i + 1 >= len(w) or w[i] != w[i - 1]):
        out = w[:i] + w[i + 1:]
        desc = f"dropped letter {i + 1}"
    else:
        out = w[:i] + w[i] + w[i:]
        desc = f"doubled letter {i + 1}"
    if out.lower() == w.lower():
        return None
    return out, desc


APOS_FORMS = [("'", "ASCII apostrophe"), ("`", "backtick"), ("’", "right single quote"),
              ("‘", "left single quote"), ("ʼ", "modifier letter apostrophe"), ("", "apostrophe dropped")]


def ascii_fold(s: str) -> str:
    return strip_marks(s)


# --------------------------------------------------------------------------
# Positive generators
# --------------------------------------------------------------------------

def gen_positives(ents, rng):
    c = defaultdict(list)
    for e in ents:
        nm = e.label()
        # cyrillic_vs_latin
        lat = e.latin_std
        for cy in e.cyr:
            for la in lat:
                pos(c, "cyrillic_vs_latin", e, cy, la,
                    f"{nm}: Cyrillic ({'native' if cy in e.native else 'Russian'}) vs Latin spelling", rng)
        # native_script_vs_latin (Georgian / Armenian)
        for o in e.other_native:
            for la in lat + [n for n, _ in e.press]:
                pos(c, "native_script_vs_latin", e, o, la, f"{nm}: {script_of(o)} script vs Latin", rng)
        # scheme_vs_scheme
        sources = [(e.ru.short(), "Russian form")]
        if e.ru.patr:
            sources.append((e.ru.full(), "Russian form with patronymic"))
        for n in e.native:
            if script_of(n) == "cyr" and n.translate(CA_FOLD) != e.ru.short():
                sources.append((n, "native Cyrillic, national letters folded to Russian"))
        for alt in e.russian_alt:
            sources.append((parse(alt).short(), "alternative Russian form"))
        for src, what in sources:
            outs = {}
            for sch in SCHEME_NAMES:
                t = translit(src, sch)
                if t:
                    outs.setdefault(t, sch)
            for (t1, s1), (t2, s2) in combinations(sorted(outs.items()), 2):
                # scholarly ISO-style output (háčeks) is rarer in screening data
                if "SCIENTIFIC" in (s1, s2) and rng.random() < 0.75:
                    continue
                pos(c, "scheme_vs_scheme", e, t1, t2, f"{nm}: {what} romanised with {s1} vs {s2}", rng)
        # native Latin vs Russian-style
        # Russian-style forms: tagged ru_style, Russian-scheme output, and
        # English spellings without Uzbek/Turkic-only letters (q, x, ʻ, ə ...)
        en_rusty = [n for n in e.by_tag("en") if not re.search(r"[qxʻ'’əışçğüöýňžä]", n.lower())]
        ru_style = uniq(e.by_tag("ru_style") + en_rusty + [t for t in
                        (translit(e.ru.short(), s) for s in COMMON_SCHEMES) if t])
        for nl in e.lat_native:
            for rs in ru_style:
                if ckey(nl) == ckey(rs) and strip_marks(nl).lower() == strip_marks(rs).lower():
                    continue  # only a diacritic difference: handled elsewhere
                if e.nationality == "uz":
                    pos(c, "uzbek_latin_vs_russian_style", e, nl, rs,
                        f"{nm}: official Uzbek Latin vs Russian-style romanisation", rng)
                else:
                    pos(c, "native_latin_vs_russian_style", e, nl, rs,
                        f"{nm}: native Latin orthography vs Russian-style romanisation", rng)
        # spelling_vs_spelling (two standard Latin spellings)
        std = e.by_tag("en", "ru_style")
        for s1, s2 in combinations(std, 2):
            pos(c, "spelling_vs_spelling", e, s1, s2, f"{nm}: two published English-language spellings", rng)
        # press spelling
        for p, tag in e.press:
            partners = lat + e.cyr + e.other_native
            for q in partners:
                lang = {"de": "German", "fr": "French", "pl": "Polish", "tr": "Turkish"}[tag]
                pos(c, "press_spelling", e, p, q, f"{nm}: {lang} press spelling vs {'native/Russian form' if script_of(q) != 'lat' else 'standard spelling'}", rng)
        # derussified surname
        old, new = [], []
        if e.by_tag("russified"):
            old = e.by_tag("russified") + [parse(a).short() for a in e.russian_alt] + \
                [parse(a).full() for a in e.russian_alt if parse(a).patr]
            new = e.native + e.by_tag("en") + [e.ru.short()]
        elif e.by_tag("derussified"):
            rk = ckey(masc_surname(e.ru.surname))
            new = e.by_tag("derussified") + [parse(a).short() for a in e.russian_alt] + \
                [n for n in e.native if ckey(parse(n).surname) != rk]
            old = e.by_tag("en") + [e.ru.short()] + [n for n in e.native if ckey(parse(n).surname) == rk]
        for o in old:
            for n in new:
                if ckey(parse(o).surname) != ckey(parse(n).surname):
                    pos(c, "derussified_surname", e, o, n,
                        f"{nm}: Soviet/Russian-style surname vs national (de-russified) form", rng)
        # given-name variants really used for this person
        for gv in e.by_tag("given_variant"):
            for q in e.by_tag("en") + e.cyr + [parse(a).short() for a in e.russian_alt]:
                if ckey(parse(gv).given) != ckey(parse(q).given) or parse(gv).given.lower() != parse(q).given.lower():
                    pos(c, "given_name_variant", e, gv, q, f"{nm}: given-name variant used in published sources", rng)
        # with patronymic
        fulls = list(e.cyr_full) + [n for n in e.native_full if script_of(n) == "lat"]
        if e.ru.patr:
            for sch in ("BGN_PCGN", "ICAO_DOC_9303", "MVD_782", "WIKIPEDIA"):
                t = e.ru.translit(sch)
                if t:
                    fulls.append(t.full())
        for f in uniq(fulls):
            for s in lat + e.cyr:
                pos(c, "with_patronymic", e, f, s, f"{nm}: full form with patronymic vs given name + surname", rng)
        # order
        if not e.no_order:
            cands = []
            for s in lat:
                n = parse(s)
                cands.append((n.surname_first(upper=True), "Interpol-style SURNAME Given"))
                cands.append((n.surname_first(upper=True, comma=True), "SURNAME, Given"))
            cands.append((e.ru.surname_first(), "Russian document order (surname first)"))
            t = e.ru.translit(pick(rng, ["ICAO_DOC_9303", "MVD_782", "BGN_PCGN"]))
            if t:
                cands.append((t.surname_first(upper=True), "surname-first romanised Russian form"))
            for o, what in cands:
                for s in lat + e.cyr:
                    pos(c, "order", e, o, s, f"{nm}: {what} vs given-name-first", rng)
        # apostrophe forms (Uzbek oʻ gʻ, Turkmen/Azerbaijani none)
        for n in e.native + e.native_full:
            if "ʻ" in n or "ʼ" in n:
                for rep, what in APOS_FORMS:
                    v = n.replace("ʻ", rep).replace("ʼ", rep)
                    pos(c, "apostrophe_forms", e, n, v, f"{nm}: Uzbek ʻ written as {what}", rng)
                for s in e.by_tag("en"):
                    if "'" in s:
                        pos(c, "apostrophe_forms", e, n, s, f"{nm}: Uzbek ʻ vs ASCII apostrophe spelling", rng)
        # case and punctuation
        forms = uniq(lat + [n for n, _ in e.press])
        for s in forms:
            others = [o for o in forms if o != s] + e.cyr
            if others:
                o = rng.choice(others)
                pos(c, "case_and_punctuation", e, s.upper(), o, f"{nm}: ALL CAPS vs mixed case", rng)
            if "-" in s:
                pos(c, "case_and_punctuation", e, s, s.replace("-", " "), f"{nm}: hyphen vs space", rng)
                pos(c, "case_and_punctuation", e, s.upper().replace("-", " "), s,
                    f"{nm}: machine-readable-zone style (caps, hyphen as space)", rng)
            folded = ascii_fold(s)
            if folded != s:
                pos(c, "case_and_punctuation", e, s, folded.upper() if rng.random() < 0.5 else folded,
                    f"{nm}: diacritics stripped", rng)
        for s in e.cyr:
            if "-" in s:
                pos(c, "case_and_punctuation", e, s, s.replace("-", " "), f"{nm}: hyphen vs space (Cyrillic)", rng)
            pos(c, "case_and_punctuation", e, s.upper(), rng.choice(lat) if lat else s.lower(),
                f"{nm}: Cyrillic ALL CAPS vs Latin", rng)
        # typo
        for s in uniq(lat + e.cyr):
            n = parse(s)
            parts = [("surname", n.surname)] * 3 + [("given name", n.given)]
            what, word = rng.choice(parts)
            tw = typo_word(word.split()[-1], rng)
            if not tw:
                continue
            bad, desc = tw
            words = word.split()
            words[-1] = bad
            new = " ".join(words)
            typed = Name(new, n.patr, n.surname) if what == "given name" else Name(n.given, n.patr, new)
            same_script = [f for f in uniq(lat + e.cyr) if script_of(f) == script_of(s)]
            other = s if rng.random() < 0.6 else rng.choice(same_script)
            pos(c, "typo", e, typed.full(), other, f"{nm}: one keying error in the {what} ({desc})", rng)
        # date precision
        if e.birth_date and len(e.birth_date) == 10:
            forms = uniq(lat + e.cyr)
            for s1 in forms:
                s2 = rng.choice(forms)
                if s1 == s2 and len(forms) > 1:
                    s2 = rng.choice([f for f in forms if f != s1])
                m = Meta(rng, e, p_date=0.0)
                m.date = None
                short = e.birth_date[:4] if rng.random() < 0.75 else e.birth_date[:7]
                if s1.lower() == s2.lower():
                    continue
                sa = P(s1, e.birth_date, m.nat_a, m.gender)
                sb = P(s2, short, m.nat_b, m.gender)
                if rng.random() < 0.5:
                    sa, sb = sb, sa
                c["date_precision"].append({"a": sa, "b": sb, "match": True, "category": "date_precision",
                                            "note": f"{nm}: full birth date vs {'year' if len(short) == 4 else 'year-month'} only",
                                            "_ent": e.key})
    return c


# --------------------------------------------------------------------------
# Negative generators
# --------------------------------------------------------------------------

def neg_meta(rng, ea: Ent, eb: Ent | None, p_date=0.35, p_nat=0.3, p_gender=0.35, gb=None):
    """Attributes for the two sides of a negative; only true facts for real people."""
    da = db = None
    if ea.birth_date and rng.random() < p_date:
        da = ea.birth_date
        if eb is not None and eb.birth_date:
            db = eb.birth_date
    na = nb = None
    if rng.random() < p_nat:
        na = ea.nationality
        nb = eb.nationality if eb is not None else ea.nationality
        if na and soviet_ok(ea) and rng.random() < 0.2:
            na = "su"
    ga = gbv = None
    if rng.random() < p_gender:
        ga = ea.gender
        gbv = eb.gender if eb is not None else gb
    return (da, na, ga), (db, nb, gbv)


def describe_rel(a: Ent, b: Ent, relation_of) -> str:
    if b.parent is a:
        return f"{b.relation} of {a.label()}"
    if a.parent is b:
        return f"{a.relation} of {b.label()}"
    if (a.key, b.key) in relation_of:
        return f"{relation_of[(a.key, b.key)]} of {a.label()}"
    if (b.key, a.key) in relation_of:
        return f"{relation_of[(b.key, a.key)]} of {b.label()}"
    if b.parent is not None and (a.key, b.parent.key) in relation_of:
        return f"{b.relation} of {b.parent.label()}, who is {relation_of[(a.key, b.parent.key)]} of {a.label()}"
    if a.parent is not None and (b.key, a.parent.key) in relation_of:
        return f"{a.relation} of {a.parent.label()}, who is {relation_of[(b.key, a.parent.key)]} of {b.label()}"
    if a.parent is not None and a.parent is b.parent:
        if a.relation == b.relation:
            return f"both {a.relation}s of {a.parent.label()}"
        return f"{a.relation} and {b.relation} of {a.parent.label()}"
    return "members of the same family"


def gen_negatives(ents, by_id, relation_of, rng):
    c = defaultdict(list)
    mains = [e for e in ents if e.main]
    families = defaultdict(list)
    for e in ents:
        families[e.family].append(e)

    def homonyms(a, b):
        return a.homonym_of == b.key or b.homonym_of == a.key

    def family_given(e):
        return [m.ru.given.split()[0] for m in families[e.family]]

    def fresh_given(e, g):
        """An invented given name must not be the name of a real family member."""
        return not any(same_given(g, f) or variant_like(g, f) for f in family_given(e))

    # --- relatives (real) ---
    for fam in sorted(families):
        members = families[fam]
        for a, b in combinations(members, 2):
            rel = describe_rel(a, b, relation_of)
            if same_given(a.ru.given.split()[0], b.ru.given.split()[0]):
                if a.birth_date and b.birth_date and a.year() != b.year():
                    made = 0
                    for _ in range(30):
                        sa = P(render(a, rng), a.birth_date, a.nationality if rng.random() < 0.3 else None)
                        sb = P(render(b, rng), b.birth_date, b.nationality if rng.random() < 0.3 else None)
                        made += bool(neg(c, "father_son_same_name", a.key, sa, sb,
                                         f"real: {a.label()} ({a.birth_date}) and {b.label()} ({b.birth_date}) — same name, {rel}", rng))
                        if made >= 3:
                            break
                continue
            for _ in range(2):
                (da, na, ga), (db, nb, gbv) = neg_meta(rng, a, b, p_date=0.5)
                sa = P(render(a, rng), da, na, ga)
                sb = P(render(b, rng), db, nb, gbv)
                neg(c, "relative_same_surname", a.key, sa, sb,
                    f"real relatives: {a.label()} vs {b.label()} ({rel})", rng)

    # --- father/son with the same name (invented dates) ---
    constructible = [e for e in mains if not e.no_order]
    for e in constructible:
        if e.gender != "male" or not e.birth_date:
            continue
        y = e.year()
        son = y + rng.randint(25, 36) <= 2012
        delta = rng.randint(25, 36) * (1 if son else -1)
        by = y + delta
        if len(e.birth_date) == 10:
            bdate = f"{by:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        else:
            bdate = f"{by:04d}"
        who = "son" if son else "father"
        for _ in range(30):
            other_name = render(e, rng, allow_full=False)
            if son and rng.random() < 0.4:
                p = patronymic(e.ru.given.split()[-1], "male")
                if p:
                    other_name = Name(e.ru.given, p, e.ru.surname).full()
            sa = P(render(e, rng), e.birth_date, e.nationality if rng.random() < 0.3 else None)
            sb = P(other_name, bdate, e.nationality if rng.random() < 0.3 else None)
            if neg(c, "father_son_same_name", e.key, sa, sb,
                   f"constructed: {e.label()} ({e.birth_date}) vs a hypothetical {who} of the same name; "
                   f"the date {bdate} is invented", rng):
                break

    # --- same given name, other surname ---
    allents = [e for e in ents]
    for a, b in combinations(allents, 2):
        if a.family == b.family or homonyms(a, b) or a.gender != b.gender:
            continue
        if not same_given(a.ru.given.split()[0], b.ru.given.split()[0]):
            continue
        if variant_like(a.surname_root, b.surname_root, 70):
            continue
        (da, na, ga), (db, nb, gbv) = neg_meta(rng, a, b)
        neg(c, "same_given_other_surname", a.key, P(render(a, rng), da, na, ga), P(render(b, rng), db, nb, gbv),
            f"real different people sharing a given name: {a.label()} vs {b.label()}", rng)
    for e in constructible:
        others = [o for o in constructible if o.pool == e.pool and o.family != e.family and not homonyms(e, o)]
        rng.shuffle(others)
        made = 0
        for o in others:
            sur = gendered_surname(o.ru.surname, e.gender)
            if not sur or variant_like(masc_surname(sur), e.surname_root, 70):
                continue
            built = Name(e.ru.given, "", sur)
            (da, na, ga), (db, nb, gbv) = neg_meta(rng, e, None, gb=e.gender)
            neg(c, "same_given_other_surname", e.key, P(render(e, rng), da, na, ga),
                P(render_constructed(built, rng), None, nb, gbv),
                f"constructed: {e.label()} vs same given name with the surname of another {o.nationality.upper()} public figure ({o.label()})", rng)
            made += 1
            if made >= 1:
                break

    # --- same surname, other given name ---
    def capped(pairs, per_root=6):
        by_root = defaultdict(list)
        for a, b in pairs:
            by_root[masc_surname(a.surname_root).replace("ъ", "ь")].append((a, b))
        out = []
        for root in sorted(by_root):
            group = by_root[root]
            rng.shuffle(group)
            out += group[:per_root]
        return out

    real_pairs = [(a, b) for a, b in combinations(allents, 2)
                  if a.family != b.family and not homonyms(a, b) and a.gender == b.gender
                  and same_surname(a.surname_root, b.surname_root)
                  and not variant_like(a.ru.given.split()[0], b.ru.given.split()[0])]
    for a, b in capped(real_pairs):
        (da, na, ga), (db, nb, gbv) = neg_meta(rng, a, b)
        neg(c, "same_surname_other_given", a.key, P(render(a, rng), da, na, ga), P(render(b, rng), db, nb, gbv),
            f"real unrelated people with the same surname: {a.label()} vs {b.label()}", rng)
    for e in constructible:
        pool = [g for g in POOLS[e.pool][e.gender] if fresh_given(e, g)]
        g = rng.choice(pool)
        built = Name(g, "", e.ru.surname)
        (da, na, ga), (db, nb, gbv) = neg_meta(rng, e, None, gb=e.gender)
        neg(c, "same_surname_other_given", e.key, P(render(e, rng), da, na, ga),
            P(render_constructed(built, rng), None, nb, gbv),
            f"constructed: {e.label()} vs invented person {g} {e.ru.surname} (same surname, other given name)", rng)

    # --- gender ending ---
    real_pairs = [(a, b) for a, b in combinations(allents, 2)
                  if a.family != b.family and a.gender != b.gender
                  and same_surname(a.surname_root, b.surname_root)
                  and fem_surname(masc_surname(a.surname_root)) is not None]
    for a, b in capped(real_pairs):
        (da, na, ga), (db, nb, gbv) = neg_meta(rng, a, b)
        neg(c, "gender_ending", a.key, P(render(a, rng), da, na, ga), P(render(b, rng), db, nb, gbv),
            f"real unrelated people, surname in masculine vs feminine form: {a.label()} vs {b.label()}", rng)
    for e in constructible:
        other_gender = "female" if e.gender == "male" else "male"
        sur = gendered_surname(e.ru.surname, other_gender)
        if not sur or sur == e.ru.surname or not re.search(r"(ов|ев|ёв|ин|ын|ий|ая)(а)?$", sur):
            continue
        initial = e.ru.given[0]
        pool = [g for g in POOLS[e.pool][other_gender] if fresh_given(e, g)]
        same_init = [g for g in pool if g[0] == initial]
        for variant in ("full", "initial"):
            if variant == "initial" and rng.random() < 0.6:
                continue
            g = rng.choice(same_init or pool)
            built = Name(g, "", sur)
            if variant == "initial":
                shown = render_constructed(Name(g[0] + ".", "", sur), rng, script="cyr") if rng.random() < 0.5 else \
                    (lambda t: f"{t.given[:1]}. {t.surname}" if t else None)(built.translit(pick(rng, COMMON_SCHEMES)))
                if not shown:
                    continue
                what = f"initial {g[0]}. only"
            else:
                shown = render_constructed(built, rng)
                what = f"invented given name {g}"
            (da, na, ga), (db, nb, gbv) = neg_meta(rng, e, None, gb=other_gender)
            neg(c, "gender_ending", e.key, P(render(e, rng), da, na, ga), P(shown, None, nb, gbv),
                f"constructed: {e.label()} vs {sur} ({other_gender}, {what})", rng)

    # --- conflicting patronymic ---
    for e in constructible:
        fathers = [g for g in POOLS[e.pool]["male"]]
        rng.shuffle(fathers)
        invented = []
        for f in fathers:
            if e.pool == "az" and rng.random() < 0.4:
                p = f + (" оглы" if e.gender == "male" else " кызы")
            else:
                p = patronymic(f, e.gender)
            if not p:
                continue
            if e.ru.patr and variant_like(p.split()[0], e.ru.patr.split()[0], 70):
                continue
            invented.append((p, f))
            if len(invented) == 2:
                break
        if len(invented) < 2:
            continue
        if e.ru.patr:
            n1, note1 = e.ru, f"real patronymic {e.ru.patr}"
        else:
            n1, note1 = Name(e.ru.given, invented[1][0], e.ru.surname), f"invented patronymic {invented[1][0]}"
        n2 = Name(e.ru.given, invented[0][0], e.ru.surname)
        style = rng.random()
        if style < 0.35:
            s1, s2 = n1.full(), n2.full()
        elif style < 0.55:
            s1, s2 = n1.surname_first(), n2.full()
        else:
            t1 = n1.translit(pick(rng, COMMON_SCHEMES))
            t2 = n2.translit(pick(rng, COMMON_SCHEMES))
            if not t1 or not t2:
                continue
            s1 = t1.surname_first(upper=True) if rng.random() < 0.3 else t1.full()
            s2 = t2.full() if rng.random() < 0.7 else n2.full()
        (da, na, ga), (db, nb, gbv) = neg_meta(rng, e, None, p_date=0.0, gb=e.gender)
        neg(c, "conflicting_patronymic", e.key, P(s1, None, na, ga), P(s2, None, nb, gbv),
            f"{e.label()}: {note1} vs invented patronymic {invented[0][0]} (different fathers)", rng)

    # --- conflicting birth date ---
    done = set()
    for e in mains:
        if e.homonym_of and e.homonym_of in by_id and (e.homonym_of, e.key) not in done:
            o = by_id[e.homonym_of]
            done.add((e.key, o.key))
            for _ in range(12):
                sa = P(render(e, rng), e.birth_date, e.nationality if rng.random() < 0.4 else None)
                sb = P(render(o, rng), o.birth_date, o.nationality if rng.random() < 0.4 else None)
                neg(c, "conflicting_birth_date", e.key, sa, sb,
                    f"real homonyms: {e.label()} ({e.birth_date}) vs {o.label()} ({o.birth_date}) — one Russian spelling, two people", rng)
    for e in constructible:
        if not e.birth_date:
            continue
        shift = rng.choice([-1, 1]) * rng.randint(4, 22)
        y = e.year() + shift
        if y > 2010:
            y = e.year() - abs(shift)
        if len(e.birth_date) == 10:
            while True:
                d = f"{y:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                if d[5:] != e.birth_date[5:]:
                    break
        else:
            d = f"{y:04d}"
        nat = e.nationality if rng.random() < 0.3 else None
        for _ in range(30):
            sa = P(render(e, rng), e.birth_date, nat)
            sb = P(render(e, rng), d, nat)
            if neg(c, "conflicting_birth_date", e.key, sa, sb,
                   f"constructed: {e.label()} ({e.birth_date}) vs another person of the same name born {d} (date invented)", rng):
                break

    # --- similar surname ---
    for e in ents:
        if e.no_order:
            continue
        root = e.surname_root
        for sim in SIMILAR.get(root, []):
            sur = gendered_surname(sim, e.gender) or sim
            built = Name(e.ru.given, "", sur)
            (da, na, ga), (db, nb, gbv) = neg_meta(rng, e, None, gb=e.gender)
            neg(c, "similar_surname", e.key, P(render(e, rng, allow_order=False), da, na, ga),
                P(render_constructed(built, rng), None, nb, gbv),
                f"constructed: {e.label()} vs {e.ru.given} {sur} — look-alike but different surname ({root} / {sim})", rng)
    for s1, s2 in GENERIC_SIMILAR:
        for pool in ("uz", "tj", "kz", "nc"):
            g = rng.choice(POOLS[pool]["male"])
            a, b = Name(g, "", s1), Name(g, "", s2)
            neg(c, "similar_surname", f"generic:{s1}", P(render_constructed(a, rng)), P(render_constructed(b, rng)),
                f"constructed: two invented people {g} {s1} / {g} {s2} — distinct surnames ({s1} vs {s2})", rng)

    # --- different person, same country, other script ---
    by_nat = defaultdict(list)
    for e in mains:
        by_nat[e.nationality].append(e)
    for nat in sorted(by_nat):
        group = by_nat[nat]
        for e in group:
            others = [o for o in group if o.family != e.family and not homonyms(e, o)
                      and o.given_key != e.given_key and ckey(o.surname_root) != ckey(e.surname_root)]
            if not others:
                continue
            for _ in range(2):
                o = rng.choice(others)
                sa_script = "cyr" if rng.random() < 0.5 else "lat"
                sb_script = "lat" if sa_script == "cyr" else "cyr"
                (da, na, ga), (db, nb, gbv) = neg_meta(rng, e, o, p_date=0.3)
                neg(c, "different_person_same_country", e.key, P(render(e, rng, sa_script), da, na, ga),
                    P(render(o, rng, sb_script), db, nb, gbv),
                    f"real different people from {nat.upper()}: {e.label()} vs {o.label()}", rng)
    return c


# --------------------------------------------------------------------------
# Sampling, validation, output
# --------------------------------------------------------------------------

TARGETS_POS = {
    "cyrillic_vs_latin": 140, "native_script_vs_latin": 14, "scheme_vs_scheme": 80,
    "uzbek_latin_vs_russian_style": 40, "native_latin_vs_russian_style": 30,
    "spelling_vs_spelling": 35, "press_spelling": 100, "derussified_surname": 22,
    "given_name_variant": 12, "with_patronymic": 45, "order": 55, "apostrophe_forms": 28,
    "case_and_punctuation": 40, "typo": 50, "date_precision": 40,
}
TARGETS_NEG = {
    "relative_same_surname": 80, "father_son_same_name": 48, "same_given_other_surname": 70,
    "same_surname_other_given": 70, "gender_ending": 60, "conflicting_patronymic": 50,
    "conflicting_birth_date": 50, "similar_surname": 55, "different_person_same_country": 90,
}


def pair_key(p):
    a, b = p["a"]["name"].strip().lower(), p["b"]["name"].strip().lower()
    return tuple(sorted((a, b)))


def sample_spread(cands, n, rng, taken):
    """Round-robin over entities so that every person contributes."""
    groups = defaultdict(list)
    for p in cands:
        groups[p["_ent"]].append(p)
    keys = sorted(groups)
    rng.shuffle(keys)
    for k in keys:
        rng.shuffle(groups[k])
    out = []
    while len(out) < n and any(groups[k] for k in keys):
        for k in keys:
            while groups[k]:
                p = groups[k].pop()
                pk = pair_key(p)
                if pk in taken:
                    continue
                taken.add(pk)
                out.append(p)
                break
            if len(out) >= n:
                break
    return out


def has_conflicting_dates(p):
    da, db = p["a"].get("birth_date"), p["b"].get("birth_date")
    return bool(da and db and da[:4] != db[:4])


def validate(pairs):
    ids = [p["id"] for p in pairs]
    assert len(ids) == len(set(ids)), "duplicate ids"
    pos_keys = {pair_key(p) for p in pairs if p["match"]}
    for p in pairs:
        for side in ("a", "b"):
            s = p[side]
            assert s["name"].strip(), p
            assert set(s) <= {"name", "birth_date", "nationality", "gender"}, p
            if "birth_date" in s:
                assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", s["birth_date"]), p
            if "nationality" in s:
                assert re.fullmatch(r"[a-z]{2}", s["nationality"]), p
            if "gender" in s:
                assert s["gender"] in ("male", "female"), p
        assert p["a"]["name"].strip().lower() != p["b"]["name"].strip().lower() or not p["match"], p
        if p["match"]:
            for f in ("birth_date", "gender"):
                if f in p["a"] and f in p["b"]:
                    x, y = p["a"][f], p["b"][f]
                    assert x.startswith(y) or y.startswith(x), p
            na, nb = p["a"].get("nationality"), p["b"].get("nationality")
            if na and nb:
                assert na == nb or "su" in (na, nb), p
        if p["category"] == "cyrillic_vs_latin":
            sa, sb = script_of(p["a"]["name"]), script_of(p["b"]["name"])
            assert {sa, sb} == {"cyr", "lat"}, p
            assert not CYR.search(p["a"]["name"] if sa == "lat" else p["b"]["name"]), p
        if not p["match"] and pair_key(p) in pos_keys:
            assert has_conflicting_dates(p), p


def main():
    rng = random.Random(SEED)
    ents, by_id, relation_of = load()
    pos_c = gen_positives(ents, rng)
    neg_c = gen_negatives(ents, by_id, relation_of, rng)

    taken = set()
    chosen = []

    def sample_neg(cands, n, real_share):
        """Real pairs first (up to real_share of the quota), constructed ones fill up."""
        real = [p for p in cands if p["note"].startswith("real")]
        built = [p for p in cands if not p["note"].startswith("real")]
        got = sample_spread(real, int(round(n * real_share)), rng, taken)
        got += sample_spread(built, n - len(got), rng, taken)
        if len(got) < n:  # not enough constructed candidates: more real ones
            got += sample_spread(real, n - len(got), rng, taken)
        return got

    # negatives that rely on dates are sampled first so that their name pairs
    # are never re-used as plain positives
    for cat in ("father_son_same_name", "conflicting_birth_date"):
        chosen += sample_neg(neg_c.get(cat, []), TARGETS_NEG[cat], 0.2)
    for cat, n in TARGETS_POS.items():
        got = sample_spread(pos_c.get(cat, []), n, rng, taken)
        chosen += got
    pos_keys = {pair_key(p) for p in chosen if p["match"]}
    for cat, n in TARGETS_NEG.items():
        if cat in ("father_son_same_name", "conflicting_birth_date"):
            continue
        cands = []
        for p in neg_c.get(cat, []):
            # a name-only negative must never contradict a positive
            if pair_key(p) in pos_keys and not has_conflicting_dates(p):
                continue
            # never label two spellings of one full name as different people
            # unless the dates say so
            na, nb = parse(p["a"]["name"]), parse(p["b"]["name"])
            if variant_like(na.given.split()[0] if na.given else "", nb.given.split()[0] if nb.given else "") \
                    and ckey(masc_surname(na.surname)) == ckey(masc_surname(nb.surname)) \
                    and cat not in ("conflicting_patronymic", "gender_ending") \
                    and not has_conflicting_dates(p):
                continue
            cands.append(p)
        chosen += sample_neg(cands, n, 0.5)

    rng.shuffle(chosen)
    pairs = []
    for i, p in enumerate(chosen, 1):
        p = {k: v for k, v in p.items() if not k.startswith("_")}
        pairs.append({"id": f"ca-{i:04d}", **p})
    validate(pairs)
    with OUT.open("w", encoding="utf-8") as f:
        for p in pairs:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")

    counts = Counter((p["category"], p["match"]) for p in pairs)
    npos = sum(1 for p in pairs if p["match"])
    print(f"wrote {len(pairs)} pairs to {OUT.relative_to(HERE.parent.parent)} "
          f"({npos} positive = {100 * npos / len(pairs):.1f}%, {len(pairs) - npos} negative)")
    print(f"people: {sum(1 for e in ents if e.main)}, relatives: {sum(1 for e in ents if not e.main)}")
    print(f"{'category':34s} {'label':8s} count")
    for (cat, m), n in sorted(counts.items(), key=lambda x: (not x[0][1], x[0][0])):
        print(f"{cat:34s} {'match' if m else 'no':8s} {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
