"""Travel-risk advisory (shelter/assessment/travel.py): where an exile from a given state is exposed."""

import json

import pytest

from shelter.assessment import facts
from shelter.assessment.travel import UnknownCountry, rank


def incident(host, *tactics, origin="TJ", outcome="", date="2022"):
    return facts.Incident(date=date, origin_state=origin, host_state=host, tactics=tactics, outcome=outcome)


def by_country(risks):
    return {r.country: r for r in risks}


def position(risks, code):
    return [r.country for r in risks].index(code)


def test_russia_ranks_above_germany_for_a_tajik_exile_when_incidents_say_so():
    incidents = [
        incident("RU", "detention", "extradition_request", outcome="returned"),
        incident("RU", "abduction", outcome="imprisoned"),
        incident("RU", "detention", outcome="detained"),
        incident("DE", "detention", outcome="released"),
    ]
    risks = rank("TJ", incidents)
    assert position(risks, "RU") < position(risks, "DE")
    russia = by_country(risks)["RU"]
    assert russia.counts["incidents"] == 3 and russia.counts["rendition"] == 1 and russia.counts["returned"] == 1
    assert russia.level in ("high", "very_high")


def test_incidents_not_treaties_alone_decide_between_two_hosts():
    # Russia shares four treaties with Tajikistan and Germany none; documented returns from Germany still
    # put Germany first.
    incidents = [incident("DE", "unlawful_deportation", outcome="returned") for _ in range(3)]
    risks = rank("TJ", incidents)
    assert position(risks, "DE") < position(risks, "RU")


def test_treaty_parties_appear_even_without_incidents():
    risks = by_country(rank("TJ", []))
    for code in ("RU", "KZ", "KG", "UZ", "CN"):
        assert code in risks, code
        assert risks[code].counts["incidents"] == 0 and risks[code].score > 0
    assert {t["id"] for t in risks["RU"].treaties} >= {"minsk_1993", "shanghai_2001"}
    assert all(t["source"]["title"] for t in risks["RU"].treaties)
    assert "DE" not in risks and "TJ" not in risks


def test_a_state_that_withdrew_from_a_treaty_is_not_bound_by_it():
    assert "UA" not in by_country(rank("TJ", []))


def test_candidates_appear_even_without_incidents_or_treaties():
    germany = by_country(rank("TJ", [], candidates=["de"]))["DE"]
    assert germany.score == 0 and germany.level == "low" and germany.treaties == ()
    assert "not proof of safety" in germany.reasons[0]["en"]


def test_only_the_origin_states_own_acts_abroad_count():
    incidents = [
        incident("RU", "abduction", origin="UZ", outcome="returned"),  # another state's act
        incident("TJ", "detention", outcome="imprisoned"),  # at home, not abroad
        incident("914", "detention", outcome="detained"),  # not a country code (an Interpol code)
    ]
    risks = by_country(rank("TJ", incidents))
    assert risks["RU"].counts["incidents"] == 0
    assert "914" not in risks and "TJ" not in risks


def test_a_return_weighs_more_than_a_release():
    risks = by_country(rank("TJ", [incident("DE", "detention", outcome="returned"),
                                   incident("FR", "detention", outcome="released")]))
    assert risks["DE"].score > risks["FR"].score


def test_one_incident_is_not_counted_twice_for_two_tactics():
    both = by_country(rank("TJ", [incident("FR", "detention", "extradition_request")]))["FR"]
    alone = by_country(rank("TJ", [incident("FR", "extradition_request")]))["FR"]
    assert both.score == alone.score
    assert both.counts["detention"] == 1 and both.counts["extradition"] == 1


def test_threats_alone_do_not_raise_the_travel_risk():
    risks = by_country(rank("TJ", [incident("FR", "threats", "smear")]))
    assert "FR" not in risks


def test_treaties_can_be_supplied():
    treaty = {"id": "test_pact", "name": {"en": "Test Pact", "ru": "Тестовый пакт"},
              "short": {"en": "Test Pact", "ru": "Тестовый пакт"}, "parties": ["TJ", "DE"], "eases_returns": 3,
              "effect": {"en": "eases returns", "ru": "облегчает возвращение"},
              "sources": [{"title": "Test Pact", "publisher": "Test", "year": 2026}]}
    risks = by_country(rank("TJ", [], treaties=[treaty]))
    assert [t["id"] for t in risks["DE"].treaties] == ["test_pact"]
    assert "RU" not in risks  # the default treaties were replaced


def test_an_unknown_origin_or_candidate_is_refused():
    with pytest.raises(UnknownCountry):
        rank("XX", [])
    with pytest.raises(UnknownCountry):
        rank("TJ", [], candidates=["Germany"])


def test_host_risks_serialise_with_reasons_in_both_languages():
    risks = rank("TJ", [incident("RU", "abduction", outcome="disappeared")])
    data = json.loads(json.dumps([r.as_dict() for r in risks], ensure_ascii=False))
    russia = next(r for r in data if r["country"] == "RU")
    assert russia["country_name"]["ru"] == "Российская Федерация"
    assert russia["level_label"]["en"] and russia["level_label"]["ru"]
    assert all(reason["en"] and reason["ru"] for reason in russia["reasons"])
    assert "Minsk Convention (1993)" in " ".join(r["en"] for r in russia["reasons"])
    assert russia["treaties"][0]["name"]["ru"]
    assert [r["score"] for r in data] == sorted((r["score"] for r in data), reverse=True)
