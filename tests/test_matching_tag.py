from shelter.matching.tag import GIVEN, INITIAL, PARTICLE, PATRONYMIC, SURNAME, gender, parts


def roles(name):
    return [(p.text, p.role) for p in parts(name)]


def test_it_tags_russian_patronymics_in_either_order():
    assert roles("KARIMOV Islam Abduganievich")[2] == ("Abduganievich", PATRONYMIC)
    assert roles("Гульнара Исламовна Каримова")[1] == ("Исламовна", PATRONYMIC)


def test_a_two_part_name_ending_in_ovich_is_a_surname():
    assert roles("Alexander Lukashevich")[1][1] != PATRONYMIC


def test_turkic_patronymic_words_mark_the_fathers_name():
    assert roles("Ilhom Tolib oʻgʻli Karimov")[1] == ("Tolib", PATRONYMIC)
    assert roles("Ilhom Tolib oʻgʻli Karimov")[2][1] == PARTICLE
    assert roles("Aynur Rashid qizi Aliyeva")[1] == ("Rashid", PATRONYMIC)
    assert roles("Нурлан Серик ұлы")[1] == ("Серик", PATRONYMIC)
    assert roles("Aziz Asan uulu")[1] == ("Asan", PATRONYMIC)


def test_bin_marks_the_next_part_as_the_fathers_name():
    assert roles("Mohammed bin Salman") == [("Mohammed", GIVEN), ("bin", PARTICLE), ("Salman", PATRONYMIC)]


def test_ben_at_the_start_is_a_name():
    assert roles("Ben Netanyahu")[0][1] != PARTICLE


def test_titles_are_dropped_and_initials_tagged():
    assert roles("Dr. V. Putin") == [("V", INITIAL), ("Putin", SURNAME)]


def test_gendered_endings_give_the_gender():
    assert gender(parts("Gulnara Karimova")) == "female"
    assert gender(parts("Ислам Каримов")) == "male"
    assert gender(parts("Svetlana Tikhanovskaya")) == "female"
    assert gender(parts("Aynur Rashid qizi")) == "female"
    assert gender(parts("Emomali Rahmon")) is None


def test_contradicting_endings_give_no_gender():
    assert gender(parts("Karimov Gulnara Islamovna")) is None
