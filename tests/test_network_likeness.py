"""The likeness engine (shelter.network.likeness): a matching name is never enough on its own; with a
shared organisation, city, or host country and period it is a likely same actor, in any script."""

from shelter.network.likeness import LINK_THRESHOLD, ActorFacts, likeness

SNB = frozenset({"org-snb"})


def actor(*names, **facts) -> ActorFacts:
    return ActorFacts(names=names, **facts)


def codes(result) -> set[str]:
    return {reason.code for reason in result.reasons}


def test_it_links_a_transliterated_actor_with_the_same_agency():
    found = likeness(actor("Рустам Каримов", organisations=SNB), actor("Rustam Karimov", organisations=SNB))
    assert found.linked and found.score >= LINK_THRESHOLD and codes(found) == {"name", "organisation"}


def test_the_claimed_organisation_of_one_is_the_established_one_of_the_other():
    # The engine gets both kinds of organisation in one set: an actor claiming to be from the SNB in
    # one case and established as SNB in another share it.
    assert likeness(actor("Karimov Rustam", organisations=SNB), actor("Рустам Каримов", organisations=SNB)).linked


def test_the_same_name_with_nothing_shared_is_no_link():
    found = likeness(actor("Rustam Karimov"), actor("Рустам Каримов"))
    assert found.name_match and not found.corroborated and not found.linked


def test_different_names_with_the_same_agency_are_no_link():
    found = likeness(actor("Rustam Karimov", organisations=SNB), actor("Bakhtiyor Usmonov", organisations=SNB))
    assert not found.name_match and not found.linked


def test_a_name_differing_in_one_part_is_no_link_even_with_everything_else_shared():
    shared = {"organisations": SNB, "countries": frozenset({"TR"}), "cities": frozenset({("TR", "Istanbul")}),
              "dates": ("2021-03",)}
    assert not likeness(actor("Rustam Karimov", **shared), actor("Ruslan Karimov", **shared)).linked


def test_the_same_city_in_any_script_corroborates_a_matching_name():
    found = likeness(actor("Рустам Каримов", countries=frozenset({"KZ"}), cities=frozenset({("KZ", "Алматы")})),
                     actor("Rustam Karimov", countries=frozenset({"KZ"}), cities=frozenset({("KZ", "Almaty")})))
    assert found.linked and codes(found) == {"name", "city"}


def test_a_city_of_the_same_name_in_another_country_is_not_the_same_place():
    found = likeness(actor("Rustam Karimov", cities=frozenset({("US", "Alexandria")})),
                     actor("Rustam Karimov", cities=frozenset({("EG", "Alexandria")})))
    assert not found.linked and "city" not in codes(found)


def test_the_same_host_country_alone_is_too_weak_but_with_an_overlapping_period_it_links():
    turkey = frozenset({"TR"})
    assert not likeness(actor("Rustam Karimov", countries=turkey), actor("Рустам Каримов", countries=turkey)).linked
    found = likeness(actor("Rustam Karimov", countries=turkey, dates=("2021-03",)),
                     actor("Рустам Каримов", countries=turkey, dates=("2021-07-15",)))
    assert found.linked and codes(found) == {"name", "country", "period"}


def test_periods_years_apart_do_not_overlap():
    found = likeness(actor("Rustam Karimov", dates=("2015", "2016-02")), actor("Rustam Karimov", dates=("2021-03",)))
    assert "period" not in codes(found)


def test_a_first_name_alone_needs_more_than_the_agency():
    assert not likeness(actor("Рустам", organisations=SNB), actor("Rustam", organisations=SNB)).linked
    found = likeness(actor("Рустам", organisations=SNB, cities=frozenset({("TR", "Istanbul")})),
                     actor("Rustam", organisations=SNB, cities=frozenset({("TR", "İstanbul")})))
    assert found.linked and "one_part_name" in codes(found)


def test_any_name_of_one_may_match_any_name_of_the_other():
    found = likeness(actor("Абдулла", "Рустам Каримов", organisations=SNB), actor("Rustam Karimov", organisations=SNB))
    assert found.linked and codes(found) == {"name", "organisation"}


def test_names_the_matcher_cannot_read_give_no_likeness():
    assert likeness(actor("R.", organisations=SNB), actor("R", organisations=SNB)).score == 0
    assert not likeness(actor(organisations=SNB), actor("Rustam Karimov", organisations=SNB)).linked


def test_the_reasons_say_how_much_each_fact_counted():
    found = likeness(actor("Рустам Каримов", organisations=SNB), actor("Rustam Karimov", organisations=SNB))
    assert [r.as_dict() for r in found.reasons] == [{"code": "name", "contribution": 0.6, "similarity": 1.0},
                                                   {"code": "organisation", "contribution": 0.3}]
