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


def test_choices_put_the_region_first_then_sort_by_the_localised_name():
    choices = countries.choices("ru")
    assert [code for code, _ in choices[: len(countries.FIRST)]] == countries.FIRST
    rest = [name for _, name in choices[len(countries.FIRST) :]]
    assert rest == sorted(rest) and len(choices) == len(set(choices))
    assert ("SU", "СССР") in choices


def test_historic_states_and_the_united_states_have_their_russian_names():
    from shelter import countries

    assert countries.name("US", "ru") == "Соединённые Штаты"
    assert countries.name("YU", "ru") == "Югославия" and countries.name("CS", "ru") == "Сербия и Черногория"
    assert all(countries.name(code, "ru") != english for code, english in countries.HISTORIC.items())
