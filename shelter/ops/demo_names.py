"""Fictional personal names for the demo data set, per origin state (plain Python, no Django).

Every name part carries three spellings: the Cyrillic form (Russian form for Azerbaijani and Turkmen
names, as on Soviet-era documents), the national Latin spelling (Uzbek official Latin, Tajik,
Kazakh 2021 Latin, Azerbaijani and Turkmen Latin, Belarusian passport Latin) and the Russian-style
Latin spelling found in Russian-issued documents and the press ("Oʻtkir" vs "Utkir"). Russian names
are romanised with two real schemes instead (ICAO Doc 9303 and BGN/PCGN, through ``iuliia``).

Surnames carry gendered endings (-ov/-ova, -ev/-eva, -oŭ/-ova, -ski/-skaya) or the de-russified,
gender-specific or neutral forms (-zoda, -uly/-qyzy, uulu/kyzy, -li).
"""

import random
from dataclasses import dataclass
from typing import NamedTuple

import iuliia


class Part(NamedTuple):
    cyrl: str
    national: str | None = None  # None: romanised from the Cyrillic (Russian names)
    russian: str | None = None

    def __add__(self, other):
        if self.national is None or other.national is None:
            return Part(self.cyrl + other.cyrl)
        return Part(self.cyrl + other.cyrl, self.national + other.national, self.russian + other.russian)


P = Part

# Surname endings: class -> (male, female).
COMMON_ENDINGS = {
    "ov": (P("ов", "ov", "ov"), P("ова", "ova", "ova")),
    "ev": (P("ев", "ev", "ev"), P("ева", "eva", "eva")),
    "in": (P("ин", "in", "in"), P("ина", "ina", "ina")),
    "": (P("", "", ""), P("", "", "")),
}
RUSSIAN_ENDINGS = {
    "ov": (P("ов"), P("ова")),
    "ev": (P("ев"), P("ева")),
    "in": (P("ин"), P("ина")),
    "skiy": (P("ский"), P("ская")),
}


@dataclass(frozen=True)
class NameBook:
    country: str
    language: str  # of the national spelling (ISO 639-1)
    latin_primary: bool  # Azerbaijani and Turkmen persons are recorded under their Latin name
    male: tuple
    female: tuple
    surnames: tuple  # (stem, ending class)
    endings: dict


BOOKS = {
    "UZ": NameBook(
        "UZ", "uz", False,
        male=(P("Ўткир", "Oʻtkir", "Utkir"), P("Улуғбек", "Ulugʻbek", "Ulugbek"), P("Шавкат", "Shavkat", "Shavkat"),
              P("Жамшид", "Jamshid", "Dzhamshid"), P("Дилшод", "Dilshod", "Dilshod"), P("Баҳодир", "Bahodir", "Bakhodir"),
              P("Фарҳод", "Farhod", "Farkhod"), P("Зафар", "Zafar", "Zafar"), P("Санжар", "Sanjar", "Sandzhar")),
        female=(P("Гулнора", "Gulnora", "Gulnara"), P("Дилноза", "Dilnoza", "Dilnoza"), P("Нодира", "Nodira", "Nodira"),
                P("Муҳаббат", "Muhabbat", "Mukhabbat"), P("Шаҳноза", "Shahnoza", "Shakhnoza"),
                P("Зулфия", "Zulfiya", "Zulfiya"), P("Ҳилола", "Hilola", "Khilola")),
        surnames=((P("Ҳошим", "Hoshim", "Khashim"), "ov"), (P("Қодир", "Qodir", "Kadyr"), "ov"),
                  (P("Тошпўлат", "Toshpoʻlat", "Tashpulat"), "ov"), (P("Эргаш", "Ergash", "Ergash"), "ev"),
                  (P("Раҳим", "Rahim", "Rakhim"), "ov"), (P("Абдулла", "Abdulla", "Abdulla"), "ev"),
                  (P("Ғулом", "Gʻulom", "Gulam"), "ov"), (P("Султон", "Sulton", "Sultan"), "ov"),
                  (P("Норқўзи", "Norqoʻzi", "Narkuzi"), "ev")),
        endings={**COMMON_ENDINGS, "ev": (P("ев", "yev", "ev"), P("ева", "yeva", "eva"))},
    ),
    "TJ": NameBook(
        "TJ", "tg", False,
        male=(P("Ҷамшед", "Jamshed", "Dzhamshed"), P("Фирӯз", "Firuz", "Firuz"), P("Меҳрубон", "Mehrubon", "Mekhrubon"),
              P("Умед", "Umed", "Umed"), P("Ҳайдар", "Haydar", "Khaydar"), P("Сӯҳроб", "Suhrob", "Sukhrob"),
              P("Қурбон", "Qurbon", "Kurbon"), P("Илҳом", "Ilhom", "Ilkhom")),
        female=(P("Мавҷуда", "Mavjuda", "Mavdzhuda"), P("Зарина", "Zarina", "Zarina"), P("Нигина", "Nigina", "Nigina"),
                P("Меҳринисо", "Mehriniso", "Mekhriniso"), P("Шаҳло", "Shahlo", "Shakhlo"),
                P("Гулрухсор", "Gulrukhsor", "Gulrukhsor")),
        surnames=((P("Раҳмон", "Rahmon", "Rakhmon"), "zoda"), (P("Назар", "Nazar", "Nazar"), "ov"),
                  (P("Қурбон", "Qurbon", "Kurbon"), "ov"), (P("Шарип", "Sharip", "Sharip"), "ov"),
                  (P("Давлат", "Davlat", "Davlat"), "zoda"), (P("Ҳасан", "Hasan", "Khasan"), "ov"),
                  (P("Мирзо", "Mirzo", "Mirzo"), "ev"), (P("Олим", "Olim", "Alim"), "zoda")),
        endings={**COMMON_ENDINGS, "zoda": (P("зода", "zoda", "zoda"), P("зода", "zoda", "zoda"))},
    ),
    "RU": NameBook(
        "RU", "ru", False,
        male=tuple(map(P, ("Дмитрий", "Алексей", "Сергей", "Андрей", "Павел", "Николай", "Евгений", "Илья", "Григорий"))),
        female=tuple(map(P, ("Екатерина", "Анастасия", "Ольга", "Татьяна", "Юлия", "Ксения", "Наталья", "Дарья"))),
        surnames=((P("Сокол"), "ov"), (P("Кузнец"), "ov"), (P("Волк"), "ov"), (P("Мороз"), "ov"),
                  (P("Лебед"), "ev"), (P("Зайц"), "ev"), (P("Никит"), "in"), (P("Ковалев"), "skiy"),
                  (P("Белоус"), "ov")),
        endings=RUSSIAN_ENDINGS,
    ),
    "AZ": NameBook(
        "AZ", "az", True,
        male=(P("Эльдар", "Eldar", "Eldar"), P("Рамиз", "Ramiz", "Ramiz"), P("Тофиг", "Tofiq", "Tofik"),
              P("Фуад", "Fuad", "Fuad"), P("Ильгар", "İlqar", "Ilgar"), P("Вугар", "Vüqar", "Vugar"),
              P("Рашад", "Rəşad", "Rashad"), P("Эмин", "Emin", "Emin")),
        female=(P("Лейла", "Leyla", "Leyla"), P("Гюнель", "Günel", "Gyunel"), P("Севиндж", "Sevinc", "Sevindzh"),
                P("Нигяр", "Nigar", "Nigyar"), P("Айтен", "Aytən", "Ayten"), P("Хадиджа", "Xədicə", "Khadidzha")),
        surnames=((P("Мамед", "Məmməd", "Mamed"), "ov"), (P("Гасан", "Həsən", "Gasan"), "ov"),
                  (P("Али", "Əli", "Ali"), "ev"), (P("Гусейн", "Hüseyn", "Guseyn"), "ov"),
                  (P("Исмаил", "İsmayıl", "Ismail"), "ov"), (P("Мамедли", "Məmmədli", "Mamedli"), ""),
                  (P("Керимли", "Kərimli", "Kerimli"), "")),
        endings={**COMMON_ENDINGS, "ev": (P("ев", "yev", "yev"), P("ева", "yeva", "yeva"))},
    ),
    "KZ": NameBook(
        "KZ", "kk", False,
        male=(P("Қайрат", "Qairat", "Kairat"), P("Нұрлан", "Nūrlan", "Nurlan"), P("Ерлан", "Erlan", "Yerlan"),
              P("Жасұлан", "Jasūlan", "Zhasulan"), P("Серік", "Serık", "Serik"), P("Асқар", "Asqar", "Askar"),
              P("Бауыржан", "Bauyrjan", "Bauyrzhan"), P("Әділ", "Ädıl", "Adil")),
        female=(P("Әйгерім", "Äigerım", "Aigerim"), P("Жанар", "Janar", "Zhanar"), P("Гүлнар", "Gülnar", "Gulnar"),
                P("Динара", "Dinara", "Dinara"), P("Ботагөз", "Botagöz", "Botagoz"), P("Айжан", "Aijan", "Aizhan")),
        surnames=((P("Жұмабек", "Jūmabek", "Zhumabek"), "ov"), (P("Сейтқали", "Seitqali", "Seitkali"), "ev"),
                  (P("Нұрпейіс", "Nūrpeiıs", "Nurpeis"), "ov"), (P("Ахмет", "Ahmet", "Akhmet"), "ov"),
                  (P("Тоқтар", "Toqtar", "Toktar"), "uly"), (P("Әбіл", "Äbıl", "Abil"), "ov")),
        endings={**COMMON_ENDINGS, "uly": (P("ұлы", "ūly", "uly"), P("қызы", "qyzy", "kyzy"))},
    ),
    "TM": NameBook(
        "TM", "tk", True,
        male=(P("Мурад", "Myrat", "Murad"), P("Аман", "Aman", "Aman"), P("Бегенч", "Begenç", "Begench"),
              P("Довлет", "Döwlet", "Dovlet"), P("Сердар", "Serdar", "Serdar"), P("Ровшен", "Röwşen", "Rovshen"),
              P("Нурмухаммет", "Nurmuhammet", "Nurmukhammet")),
        female=(P("Огулсапар", "Ogulsapar", "Ogulsapar"), P("Гульшат", "Gülşat", "Gulshat"), P("Айна", "Aýna", "Ayna"),
                P("Джерен", "Jeren", "Dzheren"), P("Мяхри", "Mähri", "Myakhri")),
        surnames=((P("Ата", "Ata", "Ata"), "ev"), (P("Ораз", "Oraz", "Oraz"), "ov"), (P("Берды", "Berdi", "Berdy"), "ev"),
                  (P("Курбан", "Gurban", "Kurban"), "ov"), (P("Нуры", "Nury", "Nury"), "ev"),
                  (P("Ходжа", "Hoja", "Khodzha"), "ev")),
        endings={**COMMON_ENDINGS, "ov": (P("ов", "ow", "ov"), P("ова", "owa", "ova")),
                 "ev": (P("ев", "ýew", "yev"), P("ева", "ýewa", "yeva"))},
    ),
    "BY": NameBook(
        "BY", "be", False,
        male=(P("Аляксандр", "Aliaksandr", "Aleksandr"), P("Сяргей", "Siarhei", "Sergey"),
              P("Дзмітрый", "Dzmitry", "Dmitriy"), P("Павел", "Paval", "Pavel"), P("Ігар", "Ihar", "Igor"),
              P("Андрэй", "Andrei", "Andrey"), P("Мікалай", "Mikalai", "Nikolay"), P("Раман", "Raman", "Roman")),
        female=(P("Святлана", "Sviatlana", "Svetlana"), P("Вольга", "Volha", "Olga"), P("Алена", "Alena", "Elena"),
                P("Марыя", "Maryia", "Mariya"), P("Наталля", "Natallia", "Natalya"), P("Таццяна", "Tatsiana", "Tatyana")),
        surnames=((P("Каваленка", "Kavalenka", "Kovalenko"), ""), (P("Навумчык", "Navumchyk", "Naumchik"), ""),
                  (P("Ярашэвіч", "Yarashevich", "Yaroshevich"), ""), (P("Бабіцк", "Babitsk", "Babitsk"), "ski"),
                  (P("Сакал", "Sakal", "Sokol"), "ou"), (P("Мароз", "Maroz", "Moroz"), "au")),
        endings={**COMMON_ENDINGS, "ski": (P("і", "i", "iy"), P("ая", "aya", "aya")),
                 "ou": (P("оў", "ou", "ov"), P("ова", "ova", "ova")), "au": (P("аў", "au", "ov"), P("ава", "ava", "ova"))},
    ),
    "KG": NameBook(
        "KG", "ky", False,
        male=(P("Азамат", "Azamat", "Azamat"), P("Бакыт", "Bakyt", "Bakyt"), P("Нурбек", "Nurbek", "Nurbek"),
              P("Эрмек", "Ermek", "Ermek"), P("Улан", "Ulan", "Ulan"), P("Жоомарт", "Joomart", "Zhoomart"),
              P("Тилек", "Tilek", "Tilek")),
        female=(P("Айгүл", "Aigül", "Aigul"), P("Чолпон", "Cholpon", "Cholpon"), P("Жылдыз", "Jyldyz", "Zhyldyz"),
                P("Бермет", "Bermet", "Bermet"), P("Гүлзат", "Gülzat", "Gulzat")),
        surnames=((P("Жумабек", "Jumabek", "Zhumabek"), "ov"), (P("Токтогул", "Toktogul", "Toktogul"), "ov"),
                  (P("Асан", "Asan", "Asan"), "uulu"), (P("Өмүрбек", "Ömürbek", "Omurbek"), "ov"),
                  (P("Сатыбалды", "Satybaldy", "Satybaldy"), "ev")),
        endings={**COMMON_ENDINGS, "uulu": (P(" уулу", " uulu", " uulu"), P(" кызы", " kyzy", " kyzy"))},
    ),
}

ORIGINS = tuple(BOOKS)


@dataclass(frozen=True)
class Spelling:
    value: str
    script: str  # ISO 15924
    language: str  # ISO 639-1
    kind: str  # a records.models.NameKind value


@dataclass(frozen=True)
class PersonName:
    """One fictional person's name: the primary spelling and its variants."""

    country: str
    gender: str
    given: Part
    surname: Part

    @property
    def cyrillic(self) -> str:
        return f"{self.given.cyrl} {self.surname.cyrl}"

    def _latin(self, scheme: str) -> str:
        if self.given.national is None:  # Russian: romanised by a real scheme
            translit = iuliia.ICAO_DOC_9303 if scheme == "national" else iuliia.BGN_PCGN
            return f"{translit.translate(self.given.cyrl)} {translit.translate(self.surname.cyrl)}"
        part = 1 if scheme == "national" else 2
        return f"{self.given[part]} {self.surname[part]}"

    @property
    def national_latin(self) -> str:
        return self._latin("national")

    @property
    def russian_latin(self) -> str:
        return self._latin("russian")

    @property
    def primary(self) -> str:
        return self.national_latin if BOOKS[self.country].latin_primary else self.cyrillic

    def spellings(self) -> list[Spelling]:
        """The primary name first, then one or two Latin variants (and the Cyrillic form of a
        Latin-primary name), without duplicates."""
        book = BOOKS[self.country]
        national_language = "ru" if self.country == "RU" else book.language
        if book.latin_primary:
            candidates = [
                Spelling(self.national_latin, "Latn", book.language, "primary"),
                Spelling(self.cyrillic, "Cyrl", "ru", "alias"),
                Spelling(self.russian_latin, "Latn", "en", "transliteration"),
            ]
        else:
            candidates = [
                Spelling(self.cyrillic, "Cyrl", national_language, "primary"),
                Spelling(self.national_latin, "Latn", national_language, "transliteration"),
                Spelling(self.russian_latin, "Latn", "en", "alias"),
            ]
        if len({c.value for c in candidates}) < len(candidates):
            # Both schemes agree: add the passport-style "SURNAME GIVEN" form as the second variant.
            given, _, surname = self.russian_latin.partition(" ")
            candidates.append(Spelling(f"{surname} {given}".upper(), "Latn", "en", "alias"))
        seen, result = set(), []
        for candidate in candidates:
            if candidate.value not in seen:
                seen.add(candidate.value)
                result.append(candidate)
        return result

    def ascii_handle(self) -> str:
        """A lower-case ASCII handle for fictional e-mail addresses: "utkir.khashimov"."""
        text = self.russian_latin.lower().replace(" ", ".")
        return "".join(c for c in text if c.isascii() and (c.isalnum() or c == "."))


def surname_for(book: NameBook, stem_and_class, gender: str) -> Part:
    stem, ending_class = stem_and_class
    male, female = book.endings[ending_class]
    return stem + (female if gender == "female" else male)


def random_name(rng: random.Random, country: str, gender: str, family=None) -> PersonName:
    """A fictional name; ``family`` (a surname entry) keeps relatives under one surname."""
    book = BOOKS[country]
    given = rng.choice(book.female if gender == "female" else book.male)
    family = family or rng.choice(book.surnames)
    return PersonName(country, gender, given, surname_for(book, family, gender))


def random_family(rng: random.Random, country: str):
    return rng.choice(BOOKS[country].surnames)
