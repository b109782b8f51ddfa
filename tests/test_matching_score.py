from shelter.matching.person import make
from shelter.matching.score import THRESHOLD, score


def test_the_same_person_in_another_script_matches_with_reasons():
    result = score(make("Мухиддин Кабири", birth_date="1965-01-07"), make("Mukhiddin Kabirī", birth_date="1965"))
    assert result.match
    name, born = result.explanation()
    assert name["feature"] == "name" and {p["reason"] for p in name["parts"]} == {"transliteration"}
    assert born["feature"] == "birth_date" and born["contribution"] > 0


def test_uzbek_latin_meets_russian_style_spellings():
    assert score(make("Oʻtkir Hoshimov"), make("Utkir Khashimov")).match
    assert score(make("Abdulla Qodiriy"), make("Абдулла Кадыри")).match


def test_de_russified_surnames_match():
    result = score(make("Emomali Rakhmonov"), make("Emomali Rahmon"))
    assert result.match
    assert "derussified" in {p["reason"] for p in result.explanation()[0]["parts"]}


def test_ov_and_ova_are_two_people():
    assert not score(make("Ulugbek Karimov"), make("Каримова")).match
    assert not score(make("Islam Karimov"), make("Islam Karimova")).match


def test_father_and_son_of_one_name_are_told_apart_by_birth_date():
    father = make("Rustam Karimov", birth_date="1950-03-02")
    son = make("Rustam Karimov", birth_date="1978-11-20")
    result = score(father, son)
    assert not result.match
    assert any(f["feature"] == "birth_date" and f["contribution"] < 0 for f in result.explanation())


def test_a_day_month_swap_still_matches():
    assert score(make("Rustam Karimov", birth_date="1975-03-07"), make("Rustam Karimov", birth_date="1975-07-03")).match


def test_declared_genders_that_differ_do_not_match():
    assert not score(make("Sasha Ivanenko", gender="male"), make("Sasha Ivanenko", gender="female")).match


def test_a_shared_document_number_lifts_a_weak_name_match():
    weak = score(make("Rustam Karimov"), make("Rustam Karimov Akhmedovich Ibragimov"))
    strong = score(make("Rustam Karimov", documents=["AB 1234567"]),
                   make("Rustam Karimov Akhmedovich Ibragimov", documents=["ab1234567"]))
    assert strong.score > weak.score


def test_scores_stay_between_zero_and_one():
    for a, b in [("Islam Karimov", "Islam Karimov"), ("Islam Karimov", "Jane Smith")]:
        result = score(make(a, birth_date="1938", nationality="su"), make(b, birth_date="1938", nationality="uz"))
        assert 0.0 <= result.score <= 1.0
    assert 0.5 < THRESHOLD < 1.0


def test_german_and_polish_press_spellings_match_the_cyrillic():
    assert score(make("Achmed Sakajew"), make("Ахмед Закаев")).match
    assert score(make("Borys Niemcow", birth_date="1959-10-09"), make("Борис Немцов", birth_date="1959")).match
    result = score(make("Zelimkhan Khangoshvili"), make("Selimchan Changoschwili"))
    assert result.match
    assert "orthography" in {p["reason"] for p in result.explanation()[0]["parts"]}
