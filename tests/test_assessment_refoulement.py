"""Non-refoulement risk assessment (shelter/assessment/refoulement.py) and its reference data."""

import datetime
import json

import pytest

from shelter import countries, thesaurus
from shelter.assessment import facts, refoulement, sources
from shelter.assessment.refoulement import UnknownCountry, assess

ON = datetime.date(2026, 11, 1)
REQUIRED = ["TJ", "UZ", "RU", "AZ", "KZ", "TM", "BY", "KG", "TR"]
CORE_FACTORS = {"torture_pretrial", "fair_trial", "prison_conditions", "monitoring_access", "irregular_transfers",
                "groups_at_risk"}


def method():
    return refoulement._method()


def factor(assessment, factor_id, group="individual"):
    return next(f for f in getattr(assessment, group) if f.id == factor_id)


def present(assessment):
    return {f.id for f in assessment.individual if f.present}


def cleric_charged_with_extremism():
    return facts.Person(
        profiles=("cleric",),
        nationalities=("TJ",),
        incidents=(facts.Incident(date="2019-03", origin_state="TJ", host_state="RU", tactics=("detention",),
                                  outcome="released", accusation="terrorism_extremism"),),
    )


# A middling record (made up, filed under KZ), for the mechanics that no real profile isolates.
SYNTHETIC = {
    "version": "test",
    "sources": {"test_source": {"title": "Test report", "publisher": "Test", "year": 2025}},
    "countries": {"KZ": {"echr_party": False, "statements": [
        {"factor": f, "level": 2, "as_of": 2025, "text": {"en": f, "ru": f}, "sources": ["test_source"]}
        for f in ("torture_pretrial", "fair_trial", "prison_conditions", "monitoring_access", "irregular_transfers")
    ] + [{"factor": "assurances_record", "level": 1, "as_of": 2025, "text": {"en": "ok", "ru": "ok"},
          "sources": ["test_source"]}]}},
}
GOOD_ASSURANCES = {"given": True, "disclosed": True, "specific": True, "binding": True, "monitored": True,
                   "monitoring_effective": True, "past_compliance": True, "lawyer_access": True,
                   "from_central_government": True, "prior_ill_treatment": False, "examined_by_courts": True,
                   "good_relations": True}
VAGUE_ASSURANCES = {"given": True, "disclosed": False, "specific": False, "binding": False, "monitored": False,
                    "monitoring_effective": False, "past_compliance": False, "lawyer_access": False,
                    "from_central_government": True, "prior_ill_treatment": True, "examined_by_courts": False,
                    "good_relations": True}


def wanted_for_fraud():
    """Some individual factors ('some' band) in the synthetic middling country: a moderate-to-high case."""
    return facts.Person(
        profiles=("businessperson",),
        requests=(facts.Request(reference="2024/1", kind="extradition", requesting_state="KZ", in_absentia=True),),
        incidents=(facts.Incident(date="2023", origin_state="KZ", host_state="KZ", role="proxy_victim",
                                  tactics=("coercion_by_proxy",)),),
    )


# -- the data ---------------------------------------------------------------------------------------


def test_every_country_statement_cites_a_source():
    data = refoulement.country_profiles()
    known_factors = {f["id"] for f in method()["general_factors"]}
    for code, profile in data["countries"].items():
        assert countries.is_country(code), code
        for statement in profile["statements"]:
            where = f"{code}/{statement['factor']}"
            assert statement["factor"] in known_factors, where
            assert statement["level"] in (0, 1, 2, 3), where
            assert isinstance(statement["as_of"], int) and 1989 <= statement["as_of"] <= ON.year, where
            assert statement["text"]["en"].strip() and statement["text"]["ru"].strip(), where
            assert statement["sources"], where
            for citation in statement["sources"]:
                _, entry, _ = sources.resolve(citation)
                assert entry["title"] and entry["publisher"] and entry["year"], (where, citation)
                assert entry.get("reference") or entry.get("url"), (where, source)


def test_the_required_countries_are_profiled_on_the_core_factors():
    profiles = refoulement.country_profiles()["countries"]
    for code in REQUIRED:
        factors = [s["factor"] for s in profiles[code]["statements"]]
        assert CORE_FACTORS <= set(factors), (code, CORE_FACTORS - set(factors))
        assert len(factors) == len(set(factors)), f"{code} states a factor twice"


def test_group_statements_name_real_profile_and_accusation_codes():
    for code, profile in refoulement.country_profiles()["countries"].items():
        for statement in profile["statements"]:
            groups = statement.get("groups")
            if statement["factor"] == "groups_at_risk":
                assert groups, code
            if groups:
                assert set(groups["profiles"]) <= set(thesaurus.codes("profiles")), code
                assert set(groups["accusations"]) <= set(thesaurus.codes("accusations")), code


def test_the_country_profiles_cite_only_documents_of_the_registry():
    data = refoulement.country_profiles()
    cited = {sources.resolve(s)[0] for p in data["countries"].values() for st in p["statements"] for s in st["sources"]}
    assert cited and cited <= set(sources.registry())


def test_every_factor_definition_has_both_languages_and_known_citations():
    m = method()
    for definition in m["individual_factors"] + m["general_factors"]:
        assert definition["label"]["en"] and definition["label"]["ru"], definition["id"]
        assert set(definition["citations"]) <= set(m["citations"]), definition["id"]
    for check in m["assurances"]["checks"]:
        assert check["label"]["en"] and check["label"]["ru"], check["id"]
    evaluated = set(refoulement._EVALUATORS)
    for definition in m["individual_factors"]:
        assert definition["id"] in evaluated or definition.get("manual"), definition["id"]
        if definition.get("manual"):
            assert definition["id"] in m["manual_keys"], definition["id"]


def test_every_treaty_names_its_parties_and_a_source():
    for treaty in refoulement.treaties():
        assert treaty["parties"], treaty["id"]
        assert all(countries.is_country(p) for p in treaty["parties"]), treaty["id"]
        assert 1 <= treaty["eases_returns"] <= 3, treaty["id"]
        documents = [sources.resolve(s)[1] for s in treaty["sources"]]
        assert documents and all(d["title"] and d["year"] for d in documents), treaty["id"]
        assert treaty["effect"]["en"] and treaty["effect"]["ru"], treaty["id"]
        withdrawn = {w["state"] for w in treaty.get("withdrawn", ())}
        assert not withdrawn & set(treaty["parties"]), treaty["id"]
        assert not set(treaty.get("signatories_unconfirmed", ())) & set(treaty["parties"]), treaty["id"]


def test_ukraine_is_no_longer_counted_under_the_minsk_convention():
    assert refoulement.shared_treaties("TJ", "RU")
    assert not [t for t in refoulement.shared_treaties("TJ", "UA") if t["id"] == "minsk_1993"]


# -- the assessment ---------------------------------------------------------------------------------


def test_a_cleric_charged_with_extremism_facing_return_to_tajikistan_is_at_high_risk():
    result = assess(cleric_charged_with_extremism(), "TJ", record=None, on=ON)
    assert result.level in ("high", "very_high")
    assert {"extremism_charge", "group_at_risk", "political_or_religious_profile"} <= present(result)
    assert any(c["title"].startswith("Saadi v. Italy") for c in result.citations)
    assert "Tajikistan" in result.conclusion["en"] and "Таджикистан" in result.conclusion["ru"]


def test_an_extremism_charge_is_read_from_the_request_text():
    person = facts.Person(requests=(facts.Request(
        reference="2021/4411", kind="red_notice", requesting_state="TJ",
        charges=(facts.Charge(text="ч. 1 ст. 307.3 УК РТ — участие в деятельности экстремистской организации"),)),))
    result = assess(person, "TJ", record=None, on=ON)
    charge = factor(result, "extremism_charge")
    assert charge.present and "2021/4411" in charge.evidence[0]["en"]
    assert "wanted_by_destination" in present(result)


def test_charges_are_read_by_the_shared_classifier():
    hizb = facts.Charge(text="membership of Hizb ut-Tahrir")
    fraud = facts.Charge(text="мошенничество в особо крупном размере")
    assert "banned_group" in refoulement.charge_accusations(hizb, "UZ")
    assert refoulement.charge_accusations(fraud, "RU") == {"economic"}


def test_a_charge_of_another_state_does_not_count_against_the_destination():
    person = facts.Person(incidents=(facts.Incident(date="2020", origin_state="UZ", host_state="RU",
                                                    tactics=("abduction",), accusation="terrorism_extremism"),))
    result = assess(person, "TJ", record=None, on=ON)
    assert not {"extremism_charge", "abduction_or_attack"} & present(result)
    assert {"extremism_charge", "abduction_or_attack"} <= present(assess(person, "UZ", record=None, on=ON))


def test_membership_of_a_group_systematically_at_risk_can_suffice():
    opposition = facts.Person(profiles=("opposition",))
    nobody = facts.Person()
    assert assess(opposition, "TJ", record=None, on=ON).level == "high"
    assert assess(nobody, "TJ", record=None, on=ON).level == "moderate"
    assert "group_at_risk" in present(assess(opposition, "TJ", record=None, on=ON))


def test_prior_ill_treatment_relatives_and_abductions_are_individual_factors():
    person = facts.Person(incidents=(
        facts.Incident(date="2016", origin_state="UZ", host_state="UZ", tactics=("detention", "assault"),
                       outcome="detained"),
        facts.Incident(date="2022", origin_state="UZ", host_state="UZ", role="proxy_victim",
                       tactics=("coercion_by_proxy",)),
        facts.Incident(date="2023", origin_state="UZ", host_state="TR", tactics=("abduction",), outcome="released"),
        facts.Incident(date="2023", origin_state="UZ", host_state="DE", tactics=("digital_attack",)),
    ))
    result = assess(person, "UZ", record=None, on=ON)
    assert {"prior_ill_treatment", "relatives_targeted", "abduction_or_attack", "surveillance"} <= present(result)
    assert "2016" in factor(result, "prior_ill_treatment").evidence[0]["en"]


def test_refugee_status_interim_measures_and_a_trial_in_absentia_count():
    person = facts.Person(
        asylum=(facts.AsylumStatus(host_state="DE", status="refugee", since="2019-05"),),
        processes=(facts.Process(kind="interim_measures", deciding_state="DE", status="granted"),),
        requests=(facts.Request(reference="R-1", kind="extradition", requesting_state="TM", in_absentia=True),),
    )
    result = assess(person, "TM", record=None, on=ON)
    assert {"asylum_granted", "interim_measures", "trial_in_absentia", "wanted_by_destination"} <= present(result)
    assert "Germany" in factor(result, "asylum_granted").evidence[0]["en"]
    rejected = facts.Person(asylum=(facts.AsylumStatus(host_state="DE", status="rejected"),))
    assert "asylum_granted" not in present(assess(rejected, "TM", record=None, on=ON))


def test_manual_factors_given_by_the_user_are_weighed():
    person = facts.Person()
    plain = assess(person, "UZ", record=None, on=ON)
    stated = assess(person, "UZ", record=None, on=ON,
                    manual={"confession_evidence": True, "co_accused_ill_treated": True, "visibility": "high"})
    assert {"confession_evidence", "co_accused_ill_treated", "visibility"} <= present(stated)
    assert stated.scores["individual"] == plain.scores["individual"] + 2 + 2 + 1
    assert factor(stated, "confession_evidence").evidence[0]["en"] == "stated by the user"
    assert "visibility" not in present(assess(person, "UZ", record=None, on=ON, manual={"visibility": "low"}))


def test_misspelt_or_mistyped_manual_factors_are_refused():
    with pytest.raises(ValueError, match="confesion_evidence"):
        assess(facts.Person(), "UZ", record=None, manual={"confesion_evidence": True})
    with pytest.raises(ValueError, match="true or false"):
        assess(facts.Person(), "UZ", record=None, manual={"confession_evidence": "yes"})
    with pytest.raises(ValueError, match="monitred"):
        assess(facts.Person(), "UZ", record=None, manual={"assurances": {"given": True, "monitred": True}})


def test_return_to_a_state_bound_by_a_treaty_with_the_pursuing_state_flags_onward_removal():
    tajik = facts.Person(nationalities=("TJ",), incidents=(
        facts.Incident(date="2022", origin_state="TJ", host_state="RU", tactics=("extradition_request",)),))
    to_russia = factor(assess(tajik, "RU", record=None, on=ON), "onward_removal")
    assert to_russia.present and "Minsk Convention" in " ".join(e["en"] for e in to_russia.evidence)
    assert not factor(assess(tajik, "KR", record=None, on=ON), "onward_removal").present


def test_a_capital_charge_counts_only_where_the_death_penalty_is_applied():
    person = facts.Person(incidents=(facts.Incident(date="2023", origin_state="BY", host_state="LT",
                                                    tactics=("trial_in_absentia",), accusation="terrorism_extremism"),))
    assert "capital_charge" in present(assess(person, "BY", record=None, on=ON))
    uzbek = facts.Person(incidents=(facts.Incident(date="2023", origin_state="UZ", host_state="LT",
                                                   accusation="terrorism_extremism"),))
    assert "capital_charge" not in present(assess(uzbek, "UZ", record=None, on=ON))


# -- general factors --------------------------------------------------------------------------------


def test_general_factors_carry_their_level_date_and_sources():
    result = assess(facts.Person(), "TM", record=None, on=ON)
    torture = factor(result, "torture_pretrial", "general")
    assert torture.level == 3 and torture.as_of == 2017
    assert any(c.get("reference") == "CAT/C/TKM/CO/2" for c in torture.citations)


def test_returnee_outcomes_feed_the_general_figure():
    grim = assess(facts.Person(), "TJ", record=facts.StateRecord(state="TJ", returned=12, detained_after_return=9),
                  on=ON)
    fine = assess(facts.Person(), "TJ", record=facts.StateRecord(state="TJ", returned=12, detained_after_return=0),
                  on=ON)
    figure = factor(grim, "returnee_outcomes", "general")
    assert figure.level == 3 and "12" in figure.evidence[0]["en"] and "9" in figure.evidence[0]["en"]
    assert "Таджикистан" in figure.evidence[0]["ru"]
    assert factor(fine, "returnee_outcomes", "general").level == 0
    assert grim.scores["general"] > fine.scores["general"]


def test_few_documented_returns_weigh_less():
    few = factor(assess(facts.Person(), "TJ", record=facts.StateRecord(state="TJ", returned=2, detained_after_return=2),
                        on=ON), "returnee_outcomes", "general")
    many = factor(assess(facts.Person(), "TJ", record=facts.StateRecord(state="TJ", returned=20,
                                                                        detained_after_return=20), on=ON),
                  "returnee_outcomes", "general")
    assert few.weight < many.weight and len(few.evidence) == 2


def test_no_returnee_figure_without_documented_returns():
    result = assess(facts.Person(), "TJ", record=facts.StateRecord(state="TJ", incidents=40), on=ON)
    assert "returnee_outcomes" not in {f.id for f in result.general}


def test_a_record_of_another_state_is_refused():
    with pytest.raises(ValueError, match="not for the destination"):
        assess(facts.Person(), "TJ", record=facts.StateRecord(state="UZ", returned=3))


def test_dated_country_evidence_is_flagged_at_the_time_of_decision():
    torture = "Torture and ill-treatment in pre-trial detention"  # Turkmenistan: evidence as of 2017
    later = assess(facts.Person(), "TM", record=None, on=datetime.date(2026, 1, 1))
    earlier = assess(facts.Person(), "TM", record=None, on=datetime.date(2019, 1, 1))
    assert torture in later.notes[0]["en"] and "newer reports" in later.conclusion["en"]
    assert not any(torture in note["en"] for note in earlier.notes)
    assert not assess(facts.Person(), "TJ", record=None, on=datetime.date(2025, 1, 1)).notes == later.notes


# -- assurances -------------------------------------------------------------------------------------


def test_assurances_that_are_not_specific_or_monitored_carry_little_weight():
    without = assess(wanted_for_fraud(), "KZ", record=None, profiles=SYNTHETIC, on=ON)
    vague = assess(wanted_for_fraud(), "KZ", record=None, profiles=SYNTHETIC, on=ON,
                   manual={"assurances": VAGUE_ASSURANCES})
    assert vague.level == without.level
    assert not vague.assurance_review.relied_on and vague.assurance_review.quality < 0.5
    assert "little weight" in vague.assurance_review.explanation["en"]
    checks = {c.id: c for c in vague.assurances}
    assert not checks["specific"].satisfied and not checks["monitored"].satisfied
    assert not checks["prior_ill_treatment"].satisfied  # previously ill-treated: counts against relying on them


def test_specific_monitored_assurances_from_a_state_that_keeps_them_lower_the_level_one_step():
    without = assess(wanted_for_fraud(), "KZ", record=None, profiles=SYNTHETIC, on=ON)
    good = assess(wanted_for_fraud(), "KZ", record=None, profiles=SYNTHETIC, on=ON,
                  manual={"assurances": GOOD_ASSURANCES})
    order = method()["order"]
    assert good.assurance_review.relied_on
    assert order.index(good.level) == order.index(without.level) - 1
    assert "lowered by one step" in good.conclusion["en"]


def test_assurances_cannot_offset_systematic_torture():
    result = assess(cleric_charged_with_extremism(), "UZ", record=None, on=ON, manual={"assurances": GOOD_ASSURANCES})
    plain = assess(cleric_charged_with_extremism(), "UZ", record=None, on=ON)
    assert not result.assurance_review.relied_on and result.level == plain.level


def test_unstated_assurance_criteria_count_as_not_established():
    result = assess(wanted_for_fraud(), "KZ", record=None, profiles=SYNTHETIC, on=ON,
                    manual={"assurances": {"given": True, "specific": True}})
    checks = {c.id: c for c in result.assurances}
    assert checks["disclosed"].answer is None and not checks["disclosed"].satisfied
    assert checks["specific"].satisfied
    assert checks["echr_party"].answer is False  # from the country profile, not from the user


def test_no_assurance_review_when_none_were_given():
    result = assess(wanted_for_fraud(), "KZ", record=None, on=ON, manual={"assurances": {"given": False}})
    assert result.assurances is None and result.assurance_review is None


# -- destinations -----------------------------------------------------------------------------------


def test_an_unknown_destination_is_refused_with_a_reason():
    with pytest.raises(UnknownCountry, match="ISO 3166-1"):
        assess(facts.Person(), "XX", record=None)
    with pytest.raises(UnknownCountry, match="no longer exists"):
        assess(facts.Person(), "SU", record=None)
    assert issubclass(UnknownCountry, ValueError)


def test_a_country_without_a_profile_is_insufficient_information_but_lists_the_individual_factors():
    person = facts.Person(asylum=(facts.AsylumStatus(host_state="FR", status="refugee"),))
    result = assess(person, "de", record=None, on=ON)
    assert result.destination == "DE" and result.level == "insufficient_information"
    assert "asylum_granted" in present(result) and result.general == ()
    assert "no country profile" in result.conclusion["en"]


# -- output -----------------------------------------------------------------------------------------


def test_the_assessment_serialises_to_json_in_both_languages():
    result = assess(cleric_charged_with_extremism(), "TJ", record=facts.StateRecord(state="TJ", returned=5,
                                                                                    detained_after_return=4),
                    on=ON, manual={"assurances": VAGUE_ASSURANCES})
    data = json.loads(json.dumps(result.as_dict(), ensure_ascii=False))
    assert data["level"] == result.level and data["destination_name"]["ru"] == "Таджикистан"
    assert data["method_version"] == method()["version"] and data["data_versions"]["countries"]
    assert data["level_label"]["en"] and data["level_label"]["ru"]
    assert data["conclusion"]["en"] and data["conclusion"]["ru"] and data["disclaimer"]["ru"]
    for item in data["individual"] + data["general"]:
        assert item["label"]["en"] and item["label"]["ru"]
        assert all(e["en"] and e["ru"] for e in item["evidence"])
    assert len(data["assurances"]) == len(method()["assurances"]["checks"])
    assert data["assurance_review"]["relied_on"] is False
    assert data["principles"] and all(p["citations"] for p in data["principles"])
    keys = [(c["title"], c.get("reference"), c.get("year")) for c in data["citations"]]
    assert len(keys) == len(set(keys))
