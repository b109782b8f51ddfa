import pytest

from shelter import countries


def test_it_names_countries_in_english_and_russian():
    assert countries.name("UZ") == "Uzbekistan"
    assert countries.name("UZ", "ru") == "Узбекистан"
    assert countries.name("SU") == "Soviet Union" and countries.name("SU", "ru") == "СССР"


def test_it_normalises_and_refuses_unknown_codes():
    assert countries.normalise(" tj ") == "TJ"
    with pytest.raises(ValueError, match="unknown country code 'XX'"):
        countries.normalise("XX")
    with pytest.raises(ValueError):
        countries.normalise("914")  # an Interpol code, not ISO


def test_choices_are_sorted_by_the_localised_name():
    names = [name for _, name in countries.choices("ru")]
    assert names == sorted(names)
    assert ("SU", "СССР") in countries.choices("ru")
