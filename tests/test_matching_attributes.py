from shelter.dates import parse
from shelter.matching import attributes


def born(a, b):
    return attributes.birth_date(parse(a), parse(b))


def test_birth_dates_agree_to_the_less_precise_one():
    assert born("1965", "1965-01-07")[0] == attributes.DATE_AGREES["year"]
    assert born("1965-01-07", "1965-01-07")[0] == attributes.DATE_AGREES["day"]
    assert "agree to the month" in born("1965-01", "1965-01-07")[1]


def test_day_and_month_swaps_are_forgiven():
    value, detail = born("1965-07-01", "1965-01-07")
    assert value > 0 and "swapped" in detail


def test_conflicting_birth_dates_cost_more_the_further_apart():
    assert born("1965-03-01", "1965-04-02")[0] < 0
    assert born("1965", "1966")[0] > born("1965", "1990")[0]


def test_missing_facts_say_nothing():
    assert attributes.birth_date(None, parse("1965")) is None
    assert attributes.nationality(None, "uz") is None
    assert attributes.gender("male", None) is None


def test_soviet_nationality_agrees_with_successor_states():
    assert attributes.nationality("su", "tj")[0] > 0
    assert attributes.nationality("uz", "su")[0] > 0
    assert attributes.nationality("su", "af")[0] < 0
    assert attributes.nationality("uz", "tj")[0] < 0


def test_gender_conflict_and_shared_documents():
    assert attributes.gender("male", "female")[0] < 0
    assert attributes.documents(frozenset({"AA123"}), frozenset({"AA123", "B"}))[0] > 0
    assert attributes.documents(frozenset({"AA123"}), frozenset({"B"})) is None
