"""Script detection and language guessing of shelter.matching.scripts (pure Python, no database)."""

import pytest

from shelter.matching import scripts


@pytest.mark.parametrize(
    ("char", "script"),
    [
        ("a", "latin"),
        ("Ə", "latin"),
        ("ş", "latin"),
        ("Ａ", "latin"),  # full-width A, as typed on an East Asian layout
        ("ж", "cyrillic"),
        ("ҷ", "cyrillic"),
        ("ұ", "cyrillic"),
        ("ب", "arabic"),
        ("λ", "greek"),
        ("Ա", "armenian"),
        ("ა", "georgian"),
        ("李", "han"),
        ("한", "hangul"),
        ("あ", "other"),
        ("𝐀", "other"),  # mathematical bold A: a look-alike, not Latin
    ],
)
def test_it_names_the_script_of_each_letter(char, script):
    assert scripts.script_of(char) == script


@pytest.mark.parametrize("char", ["1", " ", "-", ".", "'", "ʻ", "ʼ", "ʹ", "\u0301", ""])
def test_it_gives_no_script_for_what_is_not_a_letter(char):
    # ʻ ʼ ʹ are modifier letters to Unicode, but apostrophes inside Uzbek and scholarly words.
    assert scripts.script_of(char) is None


def test_it_collects_the_scripts_of_a_text():
    assert scripts.scripts("Ulugbek Каримов 1974") == {"latin", "cyrillic"}
    assert scripts.scripts("") == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Шавкат Мирзиёев", "cyrillic"),
        ("Oʻtkir Hoshimov", "latin"),  # the Uzbek ʻ is no letter, so no mixing
        ("İlham Əliyev", "latin"),
        ("Ծառուկյան", "armenian"),
        ("მიხეილ სააკაშვილი", "georgian"),
        ("12-34", "none"),
        ("", "none"),
    ],
)
def test_it_detects_the_single_script_of_a_name(text, expected):
    assert scripts.detect(text) == expected


def test_it_reports_a_latin_homoglyph_inside_a_cyrillic_word():
    spoofed = "Кaримов"  # the second letter is Latin a
    assert scripts.detect(spoofed) == "mixed"
    assert scripts.mixed_words(f"Улугбек {spoofed}") == [spoofed]


def test_it_calls_words_in_different_scripts_mixed_but_no_word_mixed():
    assert scripts.detect("Ulugbek Каримов") == "mixed"
    assert scripts.mixed_words("Ulugbek Каримов") == []
    assert scripts.mixed_words("Ulugbek-Каримов") == []  # hyphens separate words


def test_it_finds_no_mixed_words_in_an_empty_text():
    assert scripts.mixed_words("") == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ўткир Ҳошимов", "uz"),
        ("Абдулла Қодирий", "uz"),  # қ alone: Uzbek, Tajik or Kazakh; Uzbek is the likeliest
        ("Ғафур Ғулом", "uz"),
        ("Эмомалӣ Раҳмон", "tg"),  # ӣ is Tajik only
        ("Ҷумъа", "tg"),
        ("Муҳиддин Кабирӣ", "tg"),
        ("Нұрсұлтан Назарбаев", "kk"),  # ұ is decisive
        ("Қасым-Жомарт Тоқаев", "uz"),  # only қ: the documented ambiguity
        ("Оңтүстік Қазақстан", "kk"),  # ң ү with қ
        ("Үсөн Кудайбергенов", "ky"),  # ө ү without Kazakh letters
        ("Святлана Ціханоўская", "be"),  # і with ў
        ("Илһам Әлијев", "az"),
        ("Гурбангулы Бердимухамедов", "ru"),  # no tell-tale letter: read as Russian
        ("Ходорковский", "ru"),
        ("Київ", None),  # Ukrainian ї is not one of ours
    ],
)
def test_it_guesses_the_language_of_cyrillic_names_from_tell_tale_letters(text, language):
    assert scripts.guess_language(text) == language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Oʻtkir Hoshimov", "uz"),
        ("O'tkir Hoshimov", "uz"),
        ("G‘afur G‘ulom", "uz"),
        ("O`TKIR", "uz"),
        ("İlham Əliyev", "az"),
        ("Saparmyrat Nyýazow", "tk"),
        ("Nūrsūltan Nazarbaev", "kk"),
        ("Conor O'Brien", None),  # an Irish O', not the Uzbek oʻ
        ("Ivan Petrov", None),
        ("", None),
    ],
)
def test_it_guesses_the_language_of_latin_names_only_from_tell_tale_letters(text, language):
    assert scripts.guess_language(text) == language
