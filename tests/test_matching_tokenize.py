from shelter.matching.tokenize import tokens


def test_it_splits_on_spaces_hyphens_dots_and_commas():
    assert tokens("KARIMOV, Islam A.") == ["KARIMOV", "Islam", "A"]
    assert tokens("Kassym-Jomart Tokayev") == ["Kassym", "Jomart", "Tokayev"]


def test_it_keeps_uzbek_apostrophes_inside_parts():
    assert tokens("Oʻtkir Gʻulomov") == ["Oʻtkir", "Gʻulomov"]
    assert tokens("'Abd al-Aziz'") == ["Abd", "al", "Aziz"]


def test_it_splits_joined_words_at_a_capital():
    assert tokens("AlisherUsmanov") == ["Alisher", "Usmanov"]
    assert tokens("ИсламКаримов") == ["Ислам", "Каримов"]


def test_it_keeps_combining_vowel_signs_in_their_part():
    assert tokens("মোহাম্মদ শামসুদ্দিন") == ["মোহাম্মদ", "শামসুদ্দিন"]


def test_it_gives_nothing_for_punctuation():
    assert tokens("-- ., __ ") == []
    assert tokens("") == []
