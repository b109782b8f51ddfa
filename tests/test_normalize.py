from shelter.matching.normalize import latin_skeleton, normalise, search_keys, tokens


def test_it_drops_every_apostrophe_form():
    assert {normalise(n) for n in ["Oʻtkir", "O'tkir", "Oʼtkir", "O’tkir", "O`tkir"]} == {"otkir"}


def test_it_folds_case_and_punctuation():
    assert tokens("KARIMOV,  Ulugʻbek-Aka") == ["karimov", "ulugbek", "aka"]


def test_it_romanises_central_asian_cyrillic_letters():
    assert latin_skeleton("ҳошимов") == "khoshimov"
    assert latin_skeleton("ўткир") == "utkir"
    assert latin_skeleton("каримова") == "karimova"


def test_search_keys_join_scripts():
    assert search_keys("каримов") & search_keys("karimov")
    assert not search_keys("каримов") & search_keys("rakhimov")


def test_it_folds_turkic_latin_letters_to_russian_style_spellings():
    assert latin_skeleton("rəşad") == "rashad"
    assert latin_skeleton("türkmenbaşy") == "turkmenbashy"
    assert latin_skeleton("çəkməçi") == "chakmachi"
