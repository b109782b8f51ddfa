import pytest

from shelter.matching.person import InvalidPerson, from_json, make


@pytest.mark.parametrize("data, reason", [
    ({"name": ""}, "missing name"),
    ({"name": "   "}, "missing name"),
    ({}, "missing name"),
    ({"name": 42}, "name must be a string"),
    ({"name": "A"}, "single letter"),
    ({"name": "A."}, "single letter"),
    ({"name": "12345"}, "no letters"),
    ({"name": "-- ?!"}, "no letters"),
    ({"name": "Kаrimov"}, "mixes scripts"),  # Cyrillic а inside a Latin word
    ({"name": "Ulugbek Каримов"}, "mixes scripts"),
    ({"name": "Mr. Dr."}, "nothing but titles"),
    ({"name": "Karimov", "birth_date": "1990-13-01"}, "birth_date"),
    ({"name": "Karimov", "birth_date": "19xx"}, "birth_date"),
    ({"name": "Karimov", "birth_date": 1990.5}, "birth_date"),
    ({"name": "Karimov", "nationality": "xx"}, "unknown country code"),
    ({"name": "Karimov", "nationality": "uzb"}, "unknown country code"),
    ({"name": "Karimov", "gender": "m"}, "gender"),
    ({"name": "Karimov", "aliases": {"a": "Karimow"}}, "aliases"),
    ({"name": "Karimov", "aliases": ["7"]}, "alias"),
    ("Karimov", "JSON object"),
])
def test_bad_input_gets_a_reason(data, reason):
    with pytest.raises(InvalidPerson, match=reason):
        from_json(data)


def test_reasons_never_quote_the_name():
    for name in ("Kаrimov", "12345", "Q"):
        with pytest.raises(InvalidPerson) as caught:
            make(name)
        assert name not in str(caught.value)


def test_it_accepts_every_documented_field_in_any_case():
    person = from_json({"name": "Ислам Каримов", "aliases": ["Islam Karimov"], "birth_date": "1938-01-30",
                        "nationality": "SU", "gender": "Male", "documents": ["AA 123-456"], "other": "ignored"})
    assert [n.text for n in person.names] == ["Ислам Каримов", "Islam Karimov"]
    assert person.birth_date.iso() == "1938-01-30"
    assert person.nationality == "su"
    assert person.gender == "male"
    assert person.documents == {"AA123456"}


def test_year_and_month_precision_are_kept():
    assert make("Karimov", birth_date="1938").birth_date.precision == "year"
    assert make("Karimov", birth_date="1938-01").birth_date.precision == "month"


def test_a_person_has_at_most_the_stated_number_of_aliases():
    from shelter.matching.person import MAX_ALIASES

    make("Ulugbek Karimov", [f"Karimov {chr(ord('A') + i)}li" for i in range(MAX_ALIASES)])
    with pytest.raises(InvalidPerson, match=f"more than {MAX_ALIASES} aliases"):
        make("Ulugbek Karimov", [f"Karimov {chr(ord('A') + i)}li" for i in range(MAX_ALIASES + 1)])


def test_a_name_has_at_most_the_stated_parts_and_length():
    from shelter.matching.person import MAX_NAME_LENGTH, MAX_PARTS, check_size

    check_size(" ".join(["Karimov"] * MAX_PARTS))
    with pytest.raises(InvalidPerson, match=f"more than {MAX_PARTS} parts"):
        check_size(" ".join(["Karimov"] * (MAX_PARTS + 1)))
    with pytest.raises(InvalidPerson, match=f"longer than {MAX_NAME_LENGTH} characters"):
        check_size("K" * (MAX_NAME_LENGTH + 1))
    check_size("A")  # only the size: a single letter is still a name a record may hold
