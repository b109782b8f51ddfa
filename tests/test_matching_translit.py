"""Transliteration by language and scheme (shelter.matching.translit; pure Python, no database).

Expected values are the standards' own examples, official spellings or well-known real spellings of the
names, never just what the code happened to print. Where a value rests on our reading of a standard
rather than a published example, a comment says so.
"""

import json
from importlib import resources

import pytest

from shelter.matching import scripts, translit

DATA = json.loads(resources.files("shelter.matching").joinpath("data/transliteration.json").read_text("utf-8"))

ALPHABETS = {
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "uz": "абвгдеёжзийклмнопрстуфхцчшъьэюяўқғҳ",
    "tg": "абвгғдеёжзиӣйкқлмнопрстуӯфхҳчҷшъэюя",
    "kk": "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя",
    "ky": "абвгдеёжзийклмнңоөпрстуүфхцчшщъыьэюя",
    "tk": "абвгдеёжҗзийклмнңоөпрстуүфхцчшщъыьэәюя",
    "az": "абвгғдеәжзиыјкҝлмноөпрстуүфхһчҹш",
    "be": "абвгдеёжзійклмнопрстуўфхцчшыьэюя’",
}
CENTRAL_ASIAN_LETTERS = "ҳўқғҷӣӯәіңөүұһ"


def _examples(kind):
    params = []
    for lang, entry in DATA["languages"].items():
        if kind == "romanise":
            for scheme, table in entry["schemes"].items():
                for text, expected in table.get("examples", []):
                    params.append(pytest.param(lang, scheme, text, expected, id=f"{lang}-{scheme}-{text}"))
        else:
            for text, expected in entry.get("to_cyrillic", {}).get("examples", []):
                params.append(pytest.param(lang, text, expected, id=f"{lang}-{text}"))
    return params


# --- The data file ------------------------------------------------------------------------------------


def test_the_data_file_is_versioned_and_names_a_source_for_every_table():
    assert set(DATA) == {"version", "description", "languages"}
    assert set(DATA["languages"]) == set(translit.LANGUAGES)
    for lang in translit.LANGUAGES:
        for scheme in translit.schemes(lang):
            assert translit.source(lang, scheme).strip()
    for lang in translit.CYRILLIC_FROM_LATIN:
        assert DATA["languages"][lang]["to_cyrillic"]["source"].strip()


def test_the_russian_schemes_name_the_iuliia_scheme_they_use():
    iuliia_names = {name: entry.get("iuliia") for name, entry in DATA["languages"]["ru"]["schemes"].items()}
    assert iuliia_names["bgn_pcgn"] == "BGN_PCGN"
    assert iuliia_names["icao"] == "ICAO_DOC_9303"
    assert iuliia_names["scholarly"] == "SCIENTIFIC"
    assert "ICAO Doc 9303" in translit.source("ru", "icao")


@pytest.mark.parametrize(("lang", "scheme", "text", "expected"), _examples("romanise"))
def test_every_example_recorded_in_the_data_file_holds(lang, scheme, text, expected):
    assert translit.romanise(text, lang, scheme) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), _examples("to_cyrillic"))
def test_every_latin_to_cyrillic_example_recorded_in_the_data_file_holds(lang, text, expected):
    assert translit.to_cyrillic(text, lang) == expected


@pytest.mark.parametrize("lang", translit.LANGUAGES)
def test_every_scheme_covers_every_letter_of_its_alphabet(lang):
    alphabet = ALPHABETS[lang]
    for scheme in translit.schemes(lang):
        for text in (alphabet, alphabet.upper(), alphabet.title()):
            assert "cyrillic" not in scripts.scripts(translit.romanise(text, lang, scheme)), (scheme, text)


# --- Public API ---------------------------------------------------------------------------------------


def test_it_lists_the_languages_and_their_schemes_default_first():
    assert translit.LANGUAGES == ("ru", "uz", "tg", "kk", "ky", "tk", "az", "be")
    assert set(translit.schemes("ru")) >= {
        "bgn_pcgn", "icao", "gost_52535", "mvd_310", "mvd_782", "scholarly", "wikipedia",
        "german_press", "french_press", "polish_press",
    }
    assert translit.schemes("uz") == ["official_latin", "russian_style"]
    assert set(translit.schemes("tg")) == {"national", "simplified", "bgn_pcgn", "russian_style"}
    for lang in translit.LANGUAGES:
        assert translit.schemes(lang)[0] == translit.default_scheme(lang)


def test_it_refuses_unknown_languages_and_schemes_with_a_clear_message():
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        translit.romanise("Иван", "fr")
    with pytest.raises(ValueError, match="unknown scheme 'iso' for 'ru'.*icao"):
        translit.romanise("Иван", "ru", "iso")
    with pytest.raises(ValueError, match="unknown language"):
        translit.schemes("xx")
    with pytest.raises(ValueError, match="unknown scheme"):
        translit.romanise("", "uz", "bgn_pcgn")  # checked even when there is nothing to romanise


@pytest.mark.parametrize("lang", ["ru", "tg", "ky", "be"])
def test_it_refuses_latin_to_cyrillic_for_languages_without_an_official_latin_alphabet(lang):
    with pytest.raises(ValueError, match="no Latin-to-Cyrillic table"):
        translit.to_cyrillic("Ivan", lang)


def test_it_refuses_latin_to_cyrillic_for_an_unknown_language():
    with pytest.raises(ValueError, match="unknown language"):
        translit.to_cyrillic("Ivan", "xx")


@pytest.mark.parametrize("lang", translit.LANGUAGES)
def test_an_empty_string_stays_empty(lang):
    for scheme in translit.schemes(lang):
        assert translit.romanise("", lang, scheme) == ""
    if lang in translit.CYRILLIC_FROM_LATIN:
        assert translit.to_cyrillic("", lang) == ""


def test_it_keeps_case_punctuation_spaces_and_latin_letters():
    assert translit.romanise("Салтыков-Щедрин, М. Е.", "ru", "icao") == "Saltykov-Shchedrin, M. E."
    assert translit.romanise("ХОДОРКОВСКИЙ Михаил", "ru", "icao") == "KHODORKOVSKII Mikhail"
    assert translit.romanise("ШАВКАТ МИРЗИЁЕВ", "uz") == "SHAVKAT MIRZIYOYEV"
    assert translit.romanise("ЎТКИР ҲОШИМОВ", "uz") == "OʻTKIR HOSHIMOV"
    assert translit.romanise("шавкат", "uz") == "shavkat"
    assert translit.romanise("Ivan Петров 1974", "ru", "icao") == "Ivan Petrov 1974"


# --- Russian ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [
        ("bgn_pcgn", "Mirziyëyev"),  # ё after a vowel is yë, е after a vowel ye
        ("icao", "Mirzieev"),  # ICAO writes ё as e
        ("scholarly", "Mirziëev"),
        ("gost_52535", "Mirzieev"),
    ],
)
def test_it_writes_mirziyoyevs_russian_spelling_by_each_russian_standard(scheme, expected):
    assert translit.romanise("Мирзиёев", "ru", scheme) == expected


@pytest.mark.parametrize(
    ("scheme", "text", "expected"),
    [
        ("bgn_pcgn", "Навальный", "Naval’nyy"),
        ("icao", "Навальный", "Navalnyi"),
        ("icao", "Юлия", "Iuliia"),
        ("gost_52535", "Ельцин", "Eltcin"),  # GOST R 52535.1 writes ц as tc
        ("mvd_310", "Навальный", "Naval'nyy"),
        ("mvd_782", "Ходорковский", "Khodorkovskiy"),
        ("scholarly", "Навальный", "Navalʹnyj"),
        ("scholarly", "Ходорковский", "Xodorkovskij"),
        ("ala_lc", "Ходорковский", "Khodorkovskiĭ"),
        ("wikipedia", "Ельцин", "Yeltsin"),
        ("wikipedia", "Навальный", "Navalny"),
        # Our reading of the French table of MVD order 310 (щ chtch, у ou); no published example at hand.
        ("mvd_310_fr", "Щукина", "Chtchoukina"),
    ],
)
def test_it_follows_each_russian_standard(scheme, text, expected):
    assert translit.romanise(text, "ru", scheme) == expected


def test_it_writes_bgn_pcgn_yo_as_latin_e_with_diaeresis_not_cyrillic():
    assert translit.romanise("Горбачёв", "ru", "bgn_pcgn") == "Gorbachëv"
    assert translit.romanise("ГОРБАЧЁВ", "ru", "bgn_pcgn") == "GORBACHËV"


@pytest.mark.parametrize(
    ("scheme", "text", "expected"),
    [
        ("german_press", "Ходорковский", "Chodorkowski"),
        ("german_press", "Навальный", "Nawalny"),
        ("german_press", "Михаил Горбачёв", "Michail Gorbatschow"),
        ("german_press", "Борис Ельцин", "Boris Jelzin"),
        ("french_press", "Ходорковский", "Khodorkovski"),
        ("french_press", "Алексей Навальный", "Alexeï Navalny"),
        ("french_press", "Никита Хрущев", "Nikita Khrouchtchev"),
        ("french_press", "Сергей Шойгу", "Sergueï Choïgou"),
        ("polish_press", "Ходорковский", "Chodorkowski"),
        ("polish_press", "Алексей Навальный", "Aleksiej Nawalny"),
        ("polish_press", "Дмитрий Медведев", "Dmitrij Miedwiediew"),
        ("polish_press", "Лукашенко", "Łukaszenko"),
    ],
)
def test_it_writes_russian_names_the_way_the_german_french_and_polish_press_do(scheme, text, expected):
    assert translit.romanise(text, "ru", scheme) == expected


@pytest.mark.parametrize("scheme", translit.schemes("ru"))
def test_russian_schemes_leave_no_central_asian_letter_behind(scheme):
    text = "Ҳошимов Ўткир Қодирий Ғулом Ҷумъа Кабирӣ Ӯ Нұрсұлтан Әлиев Жеңіс Өмір Үсөн Һ"
    romanised = translit.romanise(text, "ru", scheme)
    assert "cyrillic" not in scripts.scripts(romanised)
    assert not set(romanised.lower()) & set(CENTRAL_ASIAN_LETTERS)


def test_russian_schemes_read_central_asian_letters_as_their_russian_neighbours():
    # iuliia alone gives "Ҳoshimov"; folded, Ҳ is read as Х.
    assert translit.romanise("Ҳошимов", "ru", "wikipedia") == "Khoshimov"
    assert translit.romanise("Ҷумъа", "ru", "bgn_pcgn") == "Dzhum”a"


# --- Uzbek --------------------------------------------------------------------------------------------


def test_it_writes_uzbek_cyrillic_in_the_official_latin_alphabet():
    assert translit.romanise("Ўткир Ҳошимов", "uz") == "Oʻtkir Hoshimov"
    assert translit.romanise("Абдулла Қодирий", "uz") == "Abdulla Qodiriy"
    assert translit.romanise("Шавкат Мирзиёев", "uz") == "Shavkat Mirziyoyev"
    assert translit.romanise("Ғафур Ғулом", "uz") == "Gʻafur Gʻulom"
    # oʻ and gʻ take U+02BB, the tutuq belgisi U+02BC, as the 1995 alphabet prescribes
    assert "\u02bb" in translit.romanise("Ўткир", "uz") and "\u02bc" in translit.romanise("маъно", "uz")


def test_it_applies_the_positional_rules_of_uzbek_spelling():
    assert translit.romanise("ер", "uz") == "yer"  # initial е
    assert translit.romanise("поезд", "uz") == "poyezd"  # е after a vowel
    assert translit.romanise("Ельцин", "uz") == "Yelsin"  # ц after a consonant is s
    assert translit.romanise("цирк", "uz") == "sirk"  # ц at the start is s
    assert translit.romanise("милиция", "uz") == "militsiya"  # ц after a vowel is ts
    assert translit.romanise("Исҳоқ", "uz") == "Isʼhoq"  # separate s and h


def test_it_writes_uzbek_names_the_russian_way_on_request():
    assert translit.romanise("Ўткир Ҳошимов", "uz", "russian_style") == "Utkir Khoshimov"


@pytest.mark.parametrize("apostrophe", ["ʻ", "ʼ", "'", "’", "‘", "`"])
def test_it_reads_every_apostrophe_form_as_the_uzbek_one(apostrophe):
    latin = f"O{apostrophe}tkir Hoshimov, G{apostrophe}afur G{apostrophe}ulom"
    assert translit.to_cyrillic(latin, "uz") == "Ўткир Ҳошимов, Ғафур Ғулом"


def test_it_writes_uzbek_latin_back_in_cyrillic():
    assert translit.to_cyrillic("Oʻtkir Hoshimov", "uz") == "Ўткир Ҳошимов"
    assert translit.to_cyrillic("Shavkat Mirziyoyev", "uz") == "Шавкат Мирзиёев"
    assert translit.to_cyrillic("MIRZIYOYEV", "uz") == "МИРЗИЁЕВ"
    assert translit.to_cyrillic("Erkin", "uz") == "Эркин"  # initial e is э


def test_uzbek_official_spellings_survive_the_round_trip():
    for name in ["Oʻtkir Hoshimov", "Shavkat Mirziyoyev", "Gʻafur Gʻulom", "Abdulla Qodiriy"]:
        assert translit.romanise(translit.to_cyrillic(name, "uz"), "uz") == name


# --- Tajik --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scheme", "rahmon", "kabiri"),
    [
        ("national", "Emomalī Rahmon", "Muhiddin Kabirī"),
        ("simplified", "Emomali Rahmon", "Muhiddin Kabiri"),  # the official English spellings
        ("bgn_pcgn", "Ėmomalí Rahmon", "Muhiddin Kabirí"),  # BGN/PCGN 1994: э ė, ӣ í
        ("russian_style", "Emomali Rakhmon", "Mukhiddin Kabiri"),
    ],
)
def test_it_writes_tajik_names_by_each_scheme(scheme, rahmon, kabiri):
    assert translit.romanise("Эмомалӣ Раҳмон", "tg", scheme) == rahmon
    assert translit.romanise("Муҳиддин Кабирӣ", "tg", scheme) == kabiri


def test_it_writes_tajik_che_with_descender():
    assert translit.romanise("Ҷумъа", "tg", "national") == "Jumʼa"
    assert translit.romanise("Ҷумъа", "tg", "bgn_pcgn") == "Jum’a"
    assert translit.romanise("Ҷумъа", "tg", "russian_style") == "Dzhuma"  # as Russian Джума


# --- Kazakh -------------------------------------------------------------------------------------------


def test_it_writes_kazakh_in_the_2021_latin_alphabet():
    assert translit.romanise("Нұрсұлтан Назарбаев", "kk") == "Nūrsūltan Nazarbaev"
    assert translit.romanise("Қасым-Жомарт Тоқаев", "kk") == "Qasym-Jomart Toqaev"
    assert translit.romanise("бір", "kk") == "bır"  # і is dotless ı in 2021
    assert translit.romanise("ІЗБАСАР ИРИНА", "kk") == "IZBASAR İRİNA"  # capitals: і is I, и is İ


def test_it_writes_kazakh_by_bgn_pcgn_and_the_russian_way():
    assert translit.romanise("Нұрсұлтан Назарбаев", "kk", "bgn_pcgn") == "Nursultan Nazarbaev"
    assert translit.romanise("Қасым-Жомарт Тоқаев", "kk", "bgn_pcgn") == "Qasym-Zhomart Toqaev"
    assert translit.romanise("Нұрсұлтан Назарбаев", "kk", "russian_style") == "Nursultan Nazarbayev"


def test_it_writes_kazakh_latin_back_in_cyrillic():
    assert translit.to_cyrillic("Nūrsūltan Nazarbaev", "kk") == "Нұрсұлтан Назарбаев"
    assert translit.to_cyrillic("Qasym-Jomart Toqaev", "kk") == "Қасым-Жомарт Тоқаев"
    assert translit.to_cyrillic("üiıne", "kk") == "үйіне"  # i after a vowel is й


# --- Kyrgyz -------------------------------------------------------------------------------------------


def test_it_writes_kyrgyz_names_by_bgn_pcgn():
    assert translit.romanise("Сооронбай Жээнбеков", "ky") == "Sooronbay Jeenbekov"
    assert translit.romanise("Үсөн", "ky") == "Üsön"
    assert translit.romanise("Дөң-Арык", "ky") == "Döng-Aryk"  # ң is ng


def test_it_writes_kyrgyz_names_the_russian_way_on_request():
    assert translit.romanise("Сооронбай Жээнбеков", "ky", "russian_style") == "Sooronbay Zheenbekov"
    assert translit.romanise("Үсөн", "ky", "russian_style") == "Uson"


# --- Turkmen ------------------------------------------------------------------------------------------


def test_it_writes_turkmen_in_the_1999_latin_alphabet_and_back():
    assert translit.romanise("Гурбангулы Бердимухамедов", "tk") == "Gurbanguly Berdimuhamedow"
    assert translit.to_cyrillic("Gurbanguly Berdimuhamedow", "tk") == "Гурбангулы Бердимухамедов"
    assert translit.romanise("Түркменбашы", "tk") == "Türkmenbaşy"
    assert translit.to_cyrillic("Türkmenbaşy", "tk") == "Түркменбашы"


def test_it_handles_the_turkmen_letters_n_y_z_and_a_with_diacritics():
    assert translit.romanise("Мәликгулыевич", "tk") == "Mälikgulyýewiç"  # ä, and е after a vowel is ýe
    assert translit.to_cyrillic("Mälikgulyýewiç", "tk") == "Мәликгулыевич"
    assert translit.romanise("Ныязов", "tk") == "Nyýazow"
    assert translit.to_cyrillic("Türkmenistanyň", "tk") == "Түркменистаның"
    assert translit.to_cyrillic("žurnal", "tk") == "журнал"
    assert translit.to_cyrillic("Ýewropa", "tk") == "Европа"


# --- Azerbaijani --------------------------------------------------------------------------------------


def test_it_writes_soviet_azerbaijani_cyrillic_in_the_latin_alphabet_and_back():
    assert translit.romanise("Илһам Әлијев", "az") == "İlham Əliyev"
    assert translit.to_cyrillic("İlham Əliyev", "az") == "Илһам Әлијев"
    assert translit.to_cyrillic("Qasımov", "az") == "Гасымов"  # q is г, ı is ы


def test_it_reads_an_ascii_capital_i_opening_an_azerbaijani_name_as_dotted():
    assert translit.to_cyrillic("Ilham", "az") == "Илһам"


def test_a_russian_spelling_of_an_azerbaijani_name_is_not_its_transliteration():
    # Ильхам Алиев is the Russian form of the name; only the Azerbaijani Cyrillic Илһам Әлијев
    # transliterates to İlham Əliyev. Matching the two is normalisation's job, not ours.
    assert translit.romanise("Ильхам Алиев", "az") != "İlham Əliyev"


# --- Belarusian ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scheme", "lukashenka", "tsikhanouskaya"),
    [
        ("national", "Aliaksandr Lukašenka", "Sviatlana Cichanoŭskaja"),
        ("passport", "Aliaksandr Lukashenka", "Sviatlana Tsikhanouskaya"),
        ("bgn_pcgn", "Alyaksandr Lukashenka", "Svyatlana Tsikhanowskaya"),
    ],
)
def test_it_writes_belarusian_names_by_each_scheme(scheme, lukashenka, tsikhanouskaya):
    assert translit.romanise("Аляксандр Лукашэнка", "be", scheme) == lukashenka
    assert translit.romanise("Святлана Ціханоўская", "be", scheme) == tsikhanouskaya


def test_it_marks_belarusian_soft_consonants_in_the_national_system():
    assert translit.romanise("Гомель", "be") == "Homieĺ"
    assert translit.romanise("Любань", "be") == "Liubań"


# --- Variants -----------------------------------------------------------------------------------------


def test_it_gives_every_russian_variant_of_a_cyrillic_name_without_tell_tale_letters():
    found = translit.variants("Ходорковский")
    assert set(found) == set(translit.schemes("ru"))
    assert found["icao"] == "Khodorkovskii"
    assert found["german_press"] == "Chodorkowski"
    assert found["french_press"] == "Khodorkovski"


def test_it_guesses_the_language_for_variants():
    assert translit.variants("Ўткир Ҳошимов") == {
        "official_latin": "Oʻtkir Hoshimov",
        "russian_style": "Utkir Khoshimov",
    }


def test_it_adds_the_cyrillic_form_for_official_latin_input():
    assert translit.variants("Oʻtkir Hoshimov") == {
        "cyrillic": "Ўткир Ҳошимов",
        "official_latin": "Oʻtkir Hoshimov",
        "russian_style": "Utkir Khoshimov",
    }
    turkmen = translit.variants("Gurbanguly Berdimuhamedow", "tk")
    assert turkmen["cyrillic"] == "Гурбангулы Бердимухамедов"
    assert turkmen["russian_style"] == "Gurbanguly Berdimukhamedov"


def test_it_does_not_deduplicate_variants():
    found = translit.variants("Ходорковский")
    assert found["icao"] == found["gost_52535"] == "Khodorkovskii"


def test_it_gives_no_variants_for_latin_text_of_unknown_language():
    assert translit.variants("Ivan Petrov") == {}
    assert translit.variants("") == {}


def test_it_refuses_variants_for_an_unknown_language():
    with pytest.raises(ValueError, match="unknown language"):
        translit.variants("Иван", "xx")
