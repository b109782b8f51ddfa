"""The recommendation and its reasons, from what a screening found (the engine, without the database)."""

import re

from shelter.exports import decision
from shelter.exports.destination import Row, record

IMSI = [{"code": "5A001.f", "confidence": "high"}]
CAPABILITY = {"code": "imsi_catcher", "title": {"en": "IMSI catcher", "ru": "IMSI-ловушка"},
              "tactics": [{"code": "surveillance", "why": {"en": "w", "ru": "w"}}]}


def place(rows=(), capabilities=(CAPABILITY,)):
    found = record("UZ", rows, capabilities)
    found["country_name"] = {"en": "Uzbekistan", "ru": "Узбекистан"}
    found["tactic_labels"] = {t: {"en": t, "ru": t} for t in found["incidents_by_tactic"]}
    return found


def match(kind="organisation", incidents=3, hidden=False):
    return {"party": {"name": "СНБ", "role_label": {"en": "end user", "ru": "конечный пользователь"}},
            "matched": "State Security Service", "kind": kind, "incidents": incidents,
            "tactic_labels": [{"en": "Surveillance", "ru": "Слежка"}], "lists": ["us_trade_csl"], "hidden": hidden}


SURVEILLED = [Row(("surveillance",), "2021", False), Row(("detention",), "2020", True)]


def codes(found):
    return [r["code"] for r in found["reasons"]]


def test_a_listed_item_for_a_documented_perpetrator_is_denied_with_its_reasons():
    found = decision.recommend(IMSI, True, [match()], place(SURVEILLED))
    assert found["recommendation"] == "deny"
    assert codes(found) == ["listed_item", "perpetrator_party", "destination_record"]
    assert "3 incident(s)" in found["reasons"][1]["text"]["en"] and "cp_criterion_2" in found["reasons"][1]["cites"]
    assert not found["catch_all"]["applies"]


def test_a_listed_item_to_a_state_that_uses_what_it_does_is_licensed_only_with_conditions():
    found = decision.recommend(IMSI, True, [], place(SURVEILLED))
    assert found["recommendation"] == "licence_with_conditions" and found["conditions"]
    assert "1 of them" in found["reasons"][1]["text"]["en"]


def test_an_incident_of_two_served_tactics_counts_once():
    both = {**CAPABILITY, "tactics": [{"code": "surveillance", "why": {}}, {"code": "coercion_by_proxy", "why": {}}]}
    found = decision.recommend(IMSI, True, [], place([Row(("surveillance", "coercion_by_proxy"), "2021", True)], [both]))
    assert "1 of them" in found["reasons"][1]["text"]["en"]


def test_a_listed_item_without_any_record_needs_a_licence():
    found = decision.recommend(IMSI, True, [], place())
    assert found["recommendation"] == "licence_required" and codes(found) == ["listed_item"]


def test_a_sanctioned_party_is_denied_whatever_the_item():
    found = decision.recommend([], False, [match("sanctions")], place())
    assert found["recommendation"] == "deny" and codes(found) == ["sanctions_party"]


def test_an_unlisted_surveillance_item_for_a_perpetrator_falls_under_the_catch_all():
    found = decision.recommend([], True, [match()], place())
    assert found["recommendation"] == "deny" and found["catch_all"]["applies"]
    assert "art_5_1" in next(r for r in found["reasons"] if r["code"] == "catch_all")["cites"]


def test_an_unlisted_surveillance_item_to_a_state_using_it_needs_a_licence_under_the_catch_all():
    found = decision.recommend([], True, [], place(SURVEILLED))
    assert found["recommendation"] == "licence_required" and found["catch_all"]["applies"]


def test_an_ordinary_item_for_a_perpetrator_is_left_to_the_authority_under_article_9():
    found = decision.recommend([], False, [match()], place())
    assert found["recommendation"] == "licence_required" and codes(found)[-1] == "perpetrator_other_item"


def test_nothing_found_says_so():
    found = decision.recommend([], False, [], place())
    assert found["recommendation"] == "no_objection_found" and codes(found) == ["nothing_found"]


def test_a_match_known_only_from_other_cases_asks_for_a_coordinator_and_counts_for_nothing():
    found = decision.recommend([], False, [match(incidents=0, hidden=True)], place())
    assert found["recommendation"] == "no_objection_found" and codes(found) == ["hidden_record"]


def test_a_low_confidence_entry_is_for_the_exporter_to_rule_out():
    found = decision.recommend([{"code": "5A001.j", "confidence": "low"}], False, [], place())
    assert found["recommendation"] == "no_objection_found" and codes(found) == ["possible_entry"]


def test_every_reason_is_worded_in_both_languages():
    for code, template in decision._data()["reasons"].items():
        assert template["en"] and template["ru"], code
        assert set(re.findall(r"{(\w+)}", template["en"])) == set(re.findall(r"{(\w+)}", template["ru"]))
