import pytest

from shelter.matching.keys import blocking_keys, person_keys
from shelter.matching.person import make, prepare_name


def share_a_key(a, b):
    return bool(blocking_keys(prepare_name(a)) & blocking_keys(prepare_name(b)))


@pytest.mark.parametrize("a, b", [
    ("Ўткир Ҳошимов", "Utkir Khashimov"),
    ("Мирзиёев Шавкат Миромонович", "Shavkat Mirziyoyev"),
    ("Emomali Rakhmonov", "Эмомалӣ Раҳмон"),
    ("Magomed Nurmagomedov", "Muhammad Nurmagomedov"),
    ("V. Putin", "Vladimir Putin"),
    ("Lukashenko Alexander", "Alexandr Lukashnko"),
    ("Hannibal", "Hannibal"),
])
def test_names_that_can_match_share_a_blocking_key(a, b):
    assert share_a_key(a, b)


def test_names_with_nothing_in_common_share_no_key():
    assert not share_a_key("Ислам Каримов", "Svetlana Tikhanovskaya")


def test_a_person_is_indexed_under_every_name():
    person = make("Ислам Каримов", aliases=["Islom Karimov"])
    assert person_keys(person) >= blocking_keys(prepare_name("Islom Karimov"))


def test_a_name_has_at_most_the_stated_number_of_keys():
    from shelter.matching.keys import MAX_KEYS

    from .worst_names import worst_names

    for name in worst_names(seed=1):
        assert len(blocking_keys(prepare_name(name))) <= MAX_KEYS


def test_a_capped_name_keeps_the_keys_of_its_first_parts_whole():
    from shelter.matching.keys import MAX_KEYS

    from .worst_names import worst_names

    long = prepare_name(worst_names(seed=2)[0])
    first_two = " ".join(part.text for part in long.parts[:2])
    assert len(blocking_keys(long)) == MAX_KEYS  # the worst case is capped, not merely small
    assert blocking_keys(long) & blocking_keys(prepare_name(first_two)) == blocking_keys(prepare_name(first_two))
