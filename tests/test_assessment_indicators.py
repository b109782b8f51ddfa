"""The abuse-indicators rules engine for Red Notices and extradition requests (pure: no database). The
facts are fictional."""

import ast
import copy
import datetime
import json
import re

import pytest

from shelter import thesaurus
from shelter.assessment import indicator_checks, indicator_rules
from shelter.assessment.facts import (
    AsylumStatus,
    Charge,
    Incident,
    Person,
    Process,
    Request,
    StateRecord,
)
from shelter.assessment.indicators import RulesError, assess, load_rules

TODAY = datetime.date(2026, 11, 1)
EXTREMISM = "Article 307 part 2 of the Criminal Code of the Republic of Tajikistan (public calls for extremist activity)"
DETAILED_FACTS = ("In March 2015 in Dushanbe the accused published three articles calling for the overthrow of the "
                  "government and distributed leaflets of a banned party.")


def notice(*charges, **fields) -> Request:
    values = {"reference": "2026/12345", "kind": "red_notice", "requesting_state": "TJ",
              "charges": tuple(Charge(text) for text in charges), "facts_summary": DETAILED_FACTS, "penalty_years": 8}
    return Request(**(values | fields))


def run(request, person=None, record=None, **options):
    return assess(request, person, record, today=TODAY, **options)


def fired(assessment) -> dict:
    return {indicator.id: indicator for indicator in assessment.indicators}


def english(indicator) -> tuple[str, ...]:
    return tuple(line["en"] for line in indicator.evidence)


def russian(indicator) -> tuple[str, ...]:
    return tuple(line["ru"] for line in indicator.evidence)


def raw_rules() -> dict:
    return json.loads(indicator_rules.DATA.read_text("utf-8"))


def write(tmp_path, data) -> str:
    path = tmp_path / "indicators.json"
    path.write_text(json.dumps(data), "utf-8")
    return str(path)


# -- the rules file --------------------------------------------------------------------------------------

def test_the_shipped_rules_load_and_name_their_version():
    rules = load_rules()
    assert rules.version == "2026.12-2"
    assert {"state_documented_record", "extremism_without_violent_act", "banned_group_membership", "insulting_officials",
            "economic_charge_against_targeted_profile", "political_profile", "refugee_or_asylum_status",
            "charges_after_departure", "trial_in_absentia", "vague_facts", "penalty_below_threshold",
            "earlier_refusal_or_interim_measures", "repeated_request_after_refusal", "threats_to_family",
            "digital_attacks", "surveillance"} <= {rule.id for rule in rules.rules}


def test_every_rule_cites_its_legal_basis():
    for rule in load_rules().rules:
        assert rule.legal_basis, rule.id
        assert all(len(citation) > 20 for citation in rule.legal_basis), rule.id


def test_the_labels_exist_in_english_and_russian():
    rules = load_rules()
    texts = [rule.label for rule in rules.rules] + [advice.text for advice in rules.recommendations]
    for text in texts:
        assert re.search(r"[a-z]", text["en"]) and not re.search(r"[а-я]", text["en"]), text
        assert re.search(r"[а-я]{3}", text["ru"]), text


def test_the_evidence_wordings_exist_in_english_and_russian():
    data = raw_rules()
    for key, wording in data["evidence"].items():
        forms = {language: list(text.values()) if isinstance(text, dict) else [text] for language, text in wording.items()}
        assert set(forms) == {"en", "ru"}, key
        for text in forms["en"]:
            assert not re.search(r"[а-яё]", text, re.I), key
        if any(re.search(r"[a-z]{3}", re.sub(r"\{\w+\}", "", text)) for text in forms["en"]):
            assert all(re.search(r"[а-яё]", text) for text in forms["ru"]), key
    for group, words in data["evidence_terms"].items():
        for code, word in words.items():
            assert word["en"].strip() and re.search(r"[а-яё]{2}", word["ru"], re.I), (group, code)


def test_every_check_declares_wordings_the_file_has():
    data = raw_rules()
    for kind, check in indicator_checks.CHECKS.items():
        assert set(check.says) <= set(data["evidence"]), kind
        assert set(check.terms) <= set(data["evidence_terms"]), kind
    for rule in load_rules().rules:
        for name in indicator_checks.CHECKS[rule.kind].wording_params:
            assert rule.params[name] in data["evidence"], rule.id


def test_every_wording_named_in_the_code_is_declared_and_worded():
    """A literal say("...") or Term("...") of indicator_checks that no check declares, or that the file lacks,
    would fail only when an assessment reaches it: find them all here."""
    data = raw_rules()
    declared = {key for check in indicator_checks.CHECKS.values() for key in check.says}
    groups = {group for check in indicator_checks.CHECKS.values() for group in check.terms}
    tree = ast.parse(indicator_rules.Path(indicator_checks.__file__).read_text("utf-8"))
    said, used_groups = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            {"say": said, "Term": used_groups}.get(node.func.id, set()).add(node.args[0].value)
    assert len(said) > 20 and len(used_groups) > 5
    assert said <= declared <= set(data["evidence"]), said - declared
    assert used_groups <= groups <= set(data["evidence_terms"]), used_groups - groups


def test_the_terms_cover_the_codes_the_rules_and_vocabularies_use():
    data, rules = raw_rules(), load_rules()
    terms = data["evidence_terms"]
    params = {rule.id: rule.params for rule in rules.rules}
    assert set(thesaurus.codes("tactics")) <= set(terms["tactics"])
    assert {c for p in params.values() if "evidence" in p for c in p["categories"]} <= set(terms["charge_categories"])
    assert set(params["refugee_or_asylum_status"]["status_strength"]) <= set(terms["asylum_statuses"])
    assert {"applied", "refugee", "subsidiary", "humanitarian", "rejected", "withdrawn"} <= set(terms["asylum_records"])
    assert set(params["charges_after_departure"]["process_kinds"]) <= set(terms["proceedings"])
    assert set(params["vague_facts"]["elements"]) <= set(terms["summary_elements"])
    matches = params["earlier_refusal_or_interim_measures"]["matches"] + params["repeated_request_after_refusal"]["refusals"]
    assert {f"{k} {s}" for m in matches for k in m["kinds"] for s in m["statuses"]} <= set(terms["process_outcomes"])
    assert {"red_notice", "diffusion", "extradition", "deportation", "wanted_list", "interstate_list"} <= set(terms["request_kinds"])


def test_a_wording_without_russian_is_refused(tmp_path):
    data = raw_rules()
    del data["evidence"]["no_summary"]["ru"]
    with pytest.raises(RulesError, match="evidence 'no_summary' has no 'ru' text"):
        load_rules(write(tmp_path, data))


def test_a_plural_wording_needs_every_form_of_its_language(tmp_path):
    data = raw_rules()
    del data["evidence"]["years"]["ru"]["few"]
    with pytest.raises(RulesError, match="evidence 'years' has no 'ru' plural form.*few"):
        load_rules(write(tmp_path, data))


def test_a_term_without_russian_is_refused(tmp_path):
    data = raw_rules()
    data["evidence_terms"]["tactics"]["threats"]["ru"] = ""
    with pytest.raises(RulesError, match="evidence_terms 'tactics': 'threats' has no 'ru'"):
        load_rules(write(tmp_path, data))


def test_the_languages_must_fill_the_same_placeholders(tmp_path):
    data = raw_rules()
    data["evidence"]["other_nationality"]["ru"] = "лицо не значится гражданином запрашивающего государства ({country})"
    with pytest.raises(RulesError, match="other_nationality.*different placeholders"):
        load_rules(write(tmp_path, data))


def test_a_wording_a_check_needs_cannot_be_left_out(tmp_path):
    data = raw_rules()
    del data["evidence"]["record_uses"]
    with pytest.raises(RulesError, match="state_documented_record.*no wording 'record_uses'"):
        load_rules(write(tmp_path, data))


def test_a_rule_naming_an_unknown_wording_is_refused(tmp_path):
    data = raw_rules()
    next(rule for rule in data["rules"] if rule["id"] == "treason_or_espionage")["params"]["evidence"] = "charge of {categories}"
    with pytest.raises(RulesError, match="treason_or_espionage.*no wording 'charge of \\{categories\\}'"):
        load_rules(write(tmp_path, data))


def test_a_check_saying_an_unknown_or_undeclared_wording_fails_loudly(monkeypatch):
    check = indicator_checks.CHECKS["in_absentia"]
    for said, reason in [("no_such_wording", "no wording 'no_such_wording'"), ("no_summary", "says 'no_summary' without declaring it")]:
        finding = indicator_checks.Finding((indicator_checks.say(said),))
        monkeypatch.setitem(indicator_checks.CHECKS, "in_absentia", check.__class__(lambda params, case: finding, check.required,
                                                                                     says=check.says, terms=check.terms))
        with pytest.raises(RulesError, match=reason):
            run(notice("murder"))


def test_an_unknown_rule_kind_is_refused_with_a_reason(tmp_path):
    data = raw_rules()
    data["rules"][0]["kind"] = "astrology"
    with pytest.raises(RulesError, match=r"state_documented_record.*unknown kind 'astrology'.*offers .*state_record"):
        load_rules(write(tmp_path, data))


def test_a_rule_without_citations_is_refused(tmp_path):
    data = raw_rules()
    data["rules"][1]["legal_basis"] = []
    with pytest.raises(RulesError, match="extremism_without_violent_act.*cites no legal basis"):
        load_rules(write(tmp_path, data))


def test_a_rule_without_a_russian_label_is_refused(tmp_path):
    data = raw_rules()
    del data["rules"][2]["label"]["ru"]
    with pytest.raises(RulesError, match="banned_group_membership.*label has no 'ru'"):
        load_rules(write(tmp_path, data))


def test_a_recommendation_without_english_text_is_refused(tmp_path):
    data = raw_rules()
    data["recommendations"][0]["text"]["en"] = " "
    with pytest.raises(RulesError, match="ccf_deletion_request.*no 'en'"):
        load_rules(write(tmp_path, data))


def test_a_missing_parameter_is_named(tmp_path):
    data = raw_rules()
    del data["rules"][0]["params"]["min_uses"]
    with pytest.raises(RulesError, match="needs parameter.*min_uses"):
        load_rules(write(tmp_path, data))


def test_a_rule_pointing_to_unknown_advice_is_refused(tmp_path):
    data = raw_rules()
    data["rules"][0]["recommendations"] = ["pray"]
    with pytest.raises(RulesError, match="unknown recommendation.*pray"):
        load_rules(write(tmp_path, data))


def test_levels_must_rise(tmp_path):
    data = raw_rules()
    data["levels"] = {"strong": 20, "moderate": 30, "weak": 1}
    with pytest.raises(RulesError, match="levels must rise"):
        load_rules(write(tmp_path, data))


def test_the_data_decides_the_weights():
    data = copy.deepcopy(raw_rules())
    next(rule for rule in data["rules"] if rule["id"] == "extremism_without_violent_act")["weight"] = 33
    rules = indicator_rules.parse_rules(data)
    assert fired(run(notice(EXTREMISM), rules=rules))["extremism_without_violent_act"].weight == 33


# -- charges -------------------------------------------------------------------------------------------

def test_extremism_without_violence_is_a_political_sign():
    indicator = fired(run(notice(EXTREMISM)))["extremism_without_violent_act"]
    assert indicator.weight == 20
    assert indicator.evidence == ({
        "en": f"charge classified as terrorism or extremism and anti-constitutional acts without a violent act: '{EXTREMISM}'",
        "ru": "обвинение классифицировано как терроризм или экстремизм и антиконституционные действия без вменения "
              f"насильственного деяния: «{EXTREMISM}»"},)


def test_murder_is_not_flagged():
    assessment = run(notice("murder", facts_summary=DETAILED_FACTS))
    assert not {"extremism_without_violent_act", "banned_group_membership", "insulting_officials"} & set(fired(assessment))
    assert assessment.level == "none"


def test_a_violent_act_anywhere_in_the_request_cancels_the_extremism_sign():
    assessment = run(notice(EXTREMISM, "Art. 104 of the Criminal Code of Tajikistan"))
    assert "extremism_without_violent_act" not in fired(assessment)


def test_membership_of_a_banned_group_is_a_political_sign():
    indicator = fired(run(notice("Membership of a banned religious organisation (Hizb ut-Tahrir)")))["banned_group_membership"]
    assert indicator.evidence[0]["en"].startswith("charge classified as membership of a banned group, with no violent act alleged")
    assert indicator.evidence[0]["ru"].startswith("обвинение классифицировано как участие в запрещённой организации")
    assert "Hizb ut-Tahrir" in indicator.evidence[0]["en"] and "«Membership of a banned religious organisation (Hizb ut-Tahrir)»" in indicator.evidence[0]["ru"]


def test_an_insult_charge_counts_once_as_an_insult():
    assessment = fired(run(notice("insulting the President")))
    assert "insulting_officials" in assessment
    assert "extremism_without_violent_act" not in assessment


def test_economic_charges_count_only_against_targeted_profiles():
    request = notice("ст. 159 ч. 4 УК РФ мошенничество", requesting_state="RU")
    assert "economic_charge_against_targeted_profile" not in fired(run(request, Person(profiles=("labour_migrant",))))
    indicator = fired(run(request, Person(profiles=("businessperson",))))["economic_charge_against_targeted_profile"]
    assert indicator.evidence[0]["en"] == "economic charge (fraud, embezzlement or tax): 'ст. 159 ч. 4 УК РФ мошенничество'"
    assert indicator.evidence[-1] == {"en": "person recorded as: Businessperson", "ru": "профиль лица по записям Shelter: Предприниматель"}


# -- the person ---------------------------------------------------------------------------------------

def test_a_political_profile_counts_by_its_strength():
    assert fired(run(notice("murder"), Person(profiles=("journalist",))))["political_profile"].weight == 15
    assert fired(run(notice("murder"), Person(profiles=("relative",))))["political_profile"].weight == 9
    assert "political_profile" not in fired(run(notice("murder"), Person(profiles=("labour_migrant",))))


def test_refugee_status_in_any_country_counts():
    for host in ("DE", "TR", "US"):
        person = Person(nationalities=("TJ",), asylum=(AsylumStatus(host, "refugee", "2019-04"),))
        indicator = fired(run(notice("murder"), person))["refugee_or_asylum_status"]
        assert indicator.weight == 30
        assert indicator.evidence == ({"en": f"refugee status in {host} since 2019-04", "ru": f"статус беженца в {host} с 2019-04"},)
        assert any("refugee policy" in citation for citation in indicator.citations)


def test_a_pending_asylum_claim_counts_less_than_a_grant():
    person = Person(nationalities=("TJ",), asylum=(AsylumStatus("PL", "applied", "2025-02"),))
    assert fired(run(notice("murder"), person))["refugee_or_asylum_status"].weight == 15


def test_no_protection_no_refugee_indicator():
    rejected = Person(asylum=(AsylumStatus("DE", "rejected", "2019"),))
    ended = Person(asylum=(AsylumStatus("DE", "refugee", "2010", until="2020-01"),))
    in_the_requesting_state = Person(asylum=(AsylumStatus("TJ", "refugee", "2019"),))
    for person in (rejected, ended, in_the_requesting_state):
        assert "refugee_or_asylum_status" not in fired(run(notice("murder"), person))


def test_protection_from_a_state_other_than_the_nationality_weighs_less():
    person = Person(nationalities=("UZ",), asylum=(AsylumStatus("DE", "refugee", "2019"),))
    indicator = fired(run(notice("murder"), person))["refugee_or_asylum_status"]
    assert indicator.weight == 15
    assert indicator.evidence[-1] == {"en": "the requesting state TJ is not among the person's recorded nationalities",
                                      "ru": "лицо не значится гражданином запрашивающего государства (TJ)"}


# -- timing, trial and the request's own content ----------------------------------------------------------

def test_charges_brought_after_departure_are_flagged():
    person = Person(asylum=(AsylumStatus("DE", "applied", "2015-09"),),
                    incidents=(Incident("2016-01", "TJ", "TR", ("threats",)),))
    indicator = fired(run(notice("murder", charged_on="2016-03"), person))["charges_after_departure"]
    assert indicator.evidence == ({
        "en": "charges brought 2016-03, after the earliest record of the person abroad: asylum application in DE (2015-09)",
        "ru": "обвинение предъявлено 2016-03, после самого раннего зафиксированного факта пребывания лица за рубежом: "
              "ходатайство об убежище в DE (2015-09)"},)


def test_charges_brought_before_departure_or_on_overlapping_dates_are_not():
    person = Person(asylum=(AsylumStatus("DE", "applied", "2016-03"),))
    for charged_on in ("2014-05", "2016", "2016-03-20", ""):
        assert "charges_after_departure" not in fired(run(notice("murder", charged_on=charged_on), person)), charged_on


def test_a_relatives_incident_at_home_is_no_trace_of_the_person_abroad():
    person = Person(incidents=(Incident("2012", "TJ", "RU", ("coercion_by_proxy",), role="proxy_victim"),))
    assert "charges_after_departure" not in fired(run(notice("murder", charged_on="2016"), person))


def test_a_trial_in_absentia_is_flagged():
    indicator = fired(run(notice("murder", in_absentia=True)))["trial_in_absentia"]
    assert indicator.evidence == ({"en": "the request states a conviction or sentence in absentia",
                                   "ru": "в запросе указано, что лицо осуждено или приговорено заочно"},)
    assert "trial_in_absentia" not in fired(run(notice("murder")))


@pytest.mark.parametrize("summary,weight,en,ru", [
    ("", 10, "the request gives no summary of facts", "в запросе нет изложения фактов"),
    ("Extremism.", 10, "the summary of facts is 10 characters long", "длина изложения фактов — 10 символов"),
    ("Extremist calls, 2015", 10, "the summary of facts is 21 characters long", "длина изложения фактов — 21 символ"),
    ("Extremism, separatism.", 10, "the summary of facts is 22 characters long", "длина изложения фактов — 22 символа"),
    ("The accused took part in the activities of a banned organisation and recruited others into it abroad.", 5,
     "the summary of facts does not say: when", "в изложении фактов не указано: когда"),
    ("Extraordinarily comprehensive antigovernmental demonstrations, organised throughout 2015 and 2016.", 5,
     "the summary of facts does not say: who, what (fewer than 12 words)",
     "в изложении фактов не указано: кто, что именно совершено (меньше 12 слов)"),
])
def test_vague_facts_are_flagged(summary, weight, en, ru):
    indicator = fired(run(notice("murder", facts_summary=summary)))["vague_facts"]
    assert indicator.weight == weight and indicator.evidence == ({"en": en, "ru": ru},)


def test_a_summary_saying_who_did_what_and_when_is_not_vague():
    assert "vague_facts" not in fired(run(notice("murder", facts_summary=DETAILED_FACTS)))


@pytest.mark.parametrize("years,in_absentia,fires", [(1, False, True), (2, False, False), (0.25, True, True), (1, True, False), (None, False, False)])
def test_penalties_below_interpols_thresholds_are_flagged(years, in_absentia, fires):
    request = notice("murder", penalty_years=years, in_absentia=in_absentia)
    assert ("penalty_below_threshold" in fired(run(request))) is fires


@pytest.mark.parametrize("years,in_absentia,en,ru", [
    (1, False, "maximum penalty 1 year, below the threshold of 2 years", "максимальное наказание — 1 год, что ниже порога в 2 года"),
    (1.5, False, "maximum penalty 1.5 years, below the threshold of 2 years",
     "максимальное наказание — 1,5 года, что ниже порога в 2 года"),
    (0.25, True, "sentence left to serve 3 months, below the threshold of 6 months",
     "неотбытый срок наказания — 3 месяца, что ниже порога в 6 месяцев"),
])
def test_the_penalty_is_told_in_both_languages(years, in_absentia, en, ru):
    indicator = fired(run(notice("murder", penalty_years=years, in_absentia=in_absentia)))["penalty_below_threshold"]
    assert indicator.evidence == ({"en": en, "ru": ru},)


# -- earlier decisions and repeated requests ------------------------------------------------------------------

def test_an_earlier_refusal_of_extradition_or_rule_39_measure_is_flagged():
    person = Person(processes=(Process("extradition", "TJ", "PL", "refused", "2018-01", "2018-06"),
                               Process("interim_measures", "", "", "granted", decided_on="2020-01"),
                               Process("extradition", "UZ", "RU", "refused", decided_on="2019")))
    indicator = fired(run(notice("murder"), person))["earlier_refusal_or_interim_measures"]
    assert english(indicator) == ("extradition refused by PL (requested by TJ), 2018-06", "interim measures granted, 2020-01")
    assert russian(indicator) == ("отказ в экстрадиции со стороны PL (по запросу TJ), 2018-06", "применение обеспечительных мер, 2020-01")


def test_repeated_request_after_refusal():
    person = Person(processes=(Process("extradition", "TJ", "PL", "refused", decided_on="2018-06"),),
                    requests=(Request("2017/1", "red_notice", "TJ", issued_on="2017-02"),
                              Request("2020/7", "diffusion", "TJ", issued_on="2020-09"),
                              Request("2021/3", "red_notice", "UZ", issued_on="2021-01")))
    indicator = fired(run(notice("murder", issued_on="2017-01"), person))["repeated_request_after_refusal"]
    assert indicator.evidence == ({
        "en": "diffusion 2020/7 issued 2020-09, after: extradition refused by PL (requested by TJ), 2018-06",
        "ru": "диффузия Интерпола 2020/7 от 2020-09, после предшествующего решения: отказ в экстрадиции со стороны PL "
              "(по запросу TJ), 2018-06"},)


def test_no_repeated_request_without_a_dated_refusal_by_the_same_state():
    person = Person(processes=(Process("extradition", "TJ", "PL", "refused"),
                               Process("extradition", "UZ", "PL", "refused", decided_on="2015")))
    assert "repeated_request_after_refusal" not in fired(run(notice("murder", issued_on="2020"), person))


# -- concurrent repression and the state's record -------------------------------------------------------------

def test_threats_to_family_hacking_and_surveillance_by_the_requesting_state_are_flagged():
    person = Person(incidents=(Incident("2023-02", "TJ", "TJ", ("threats",), role="proxy_victim"),
                               Incident("2023-05", "TJ", "DE", ("digital_attack",)),
                               Incident("2024-01", "TJ", "DE", ("surveillance",)),
                               Incident("2024-02", "UZ", "DE", ("surveillance", "coercion_by_proxy"))))
    found = fired(run(notice("murder"), person))
    assert found["threats_to_family"].evidence == ({"en": "2023-02 in TJ: threats, against a relative",
                                                    "ru": "2023-02, TJ: угрозы — в отношении родственника"},)
    assert found["digital_attacks"].evidence == ({"en": "2023-05 in DE: digital attack", "ru": "2023-05, DE: цифровая атака"},)
    assert english(found["surveillance"]) == ("2024-01 in DE: surveillance",)


def test_many_incidents_are_cut_short():
    person = Person(incidents=tuple(Incident(f"2024-0{month}", "TJ", "", ("surveillance",)) for month in range(1, 9)))
    indicator = fired(run(notice("murder"), person))["surveillance"]
    assert len(indicator.evidence) == 6 and indicator.evidence[0]["ru"] == "2024-01, место неизвестно: слежка"
    assert indicator.evidence[-1] == {"en": "and 3 more", "ru": "и ещё 3"}


def test_threats_to_the_person_alone_are_not_threats_to_family():
    person = Person(incidents=(Incident("2023-02", "TJ", "DE", ("threats",)),))
    assert "threats_to_family" not in fired(run(notice("murder"), person))


@pytest.mark.parametrize("uses,returned,detained,weight", [(3, 0, 0, None), (6, 0, 0, 7.5), (25, 0, 0, 15), (0, 10, 6, 15), (0, 10, 2, None)])
def test_the_requesting_states_record_counts_from_its_thresholds(uses, returned, detained, weight):
    record = StateRecord("TJ", incidents=40, cases=30, by_tactic={"interpol_abuse": uses, "smear": 50},
                         returned=returned, detained_after_return=detained)
    indicator = fired(run(notice("murder"), record=record)).get("state_documented_record")
    assert (indicator.weight if indicator else None) == weight


def test_the_requesting_states_record_is_told_in_both_languages():
    record = StateRecord("TJ", incidents=40, cases=30, by_tactic={"interpol_abuse": 25, "detention": 3}, returned=10, detained_after_return=6)
    indicator = fired(run(notice("murder"), record=record))["state_documented_record"]
    assert english(indicator) == ("Shelter documents 28 uses of these tactics by TJ: Interpol abuse 25, detention 3 (40 incidents in 30 cases)",
                                  "6 of 10 documented returnees to TJ were imprisoned, disappeared or killed after return")
    assert russian(indicator) == (
        "число задокументированных Shelter случаев применения этих методов государством TJ — 28: "
        "злоупотребление каналами Интерпола — 25, задержание — 3 (инцидентов: 40, дел: 30)",
        "задокументировано возвращений в TJ: 10; из возвращённых лиц после возвращения заключены под стражу, исчезли или убиты: 6")


def test_the_record_of_another_state_is_ignored():
    record = StateRecord("UZ", by_tactic={"interpol_abuse": 100})
    assert "state_documented_record" not in fired(run(notice("murder"), record=record))


# -- the whole assessment --------------------------------------------------------------------------------

def exile_with_a_notice():
    request = notice(EXTREMISM, charged_on="2016-05", in_absentia=True, facts_summary="")
    person = Person(profiles=("opposition",), nationalities=("TJ",), asylum=(AsylumStatus("DE", "refugee", "2016-01"),))
    return request, person


def test_a_notice_with_several_indicators_lists_each_with_its_citation():
    assessment = run(*exile_with_a_notice())
    rules = {rule.id: rule for rule in load_rules().rules}
    assert [i.id for i in assessment.indicators] == ["extremism_without_violent_act", "political_profile", "refugee_or_asylum_status",
                                                     "charges_after_departure", "trial_in_absentia", "vague_facts"]
    for indicator in assessment.indicators:
        assert indicator.citations == rules[indicator.id].legal_basis and indicator.evidence
        for line in indicator.evidence:
            assert set(line) == {"en", "ru"} and not re.search(r"[а-яё]", line["en"]), line
            assert re.search(r"[а-яё]{3}", line["ru"]) and "{" not in line["ru"] + line["en"], line
    assert assessment.score == 100 and assessment.level == "strong"


def test_a_strong_case_leads_to_a_ccf_deletion_request():
    advice = [a.id for a in run(*exile_with_a_notice()).recommendations]
    assert advice[0] == "ccf_deletion_request"
    assert "cite_refugee_status" in advice and "obtain_summary_of_facts" in advice
    assert "rule39_interim_measures" not in advice


def test_a_moderate_case_or_a_diffusion_leads_to_an_access_request_first():
    moderate = run(notice("Art. 307 CC TJ"), Person(profiles=("journalist",)))
    assert moderate.level == "moderate" and "ccf_access_request" in [a.id for a in moderate.recommendations]
    diffusion = run(notice("murder", kind="diffusion"))
    assert diffusion.level == "none" and [a.id for a in diffusion.recommendations] == ["ccf_access_request"]


def test_a_pending_removal_leads_to_rule_39_and_a_plea_to_refuse_extradition():
    request = notice(EXTREMISM, kind="extradition")
    person = Person(profiles=("opposition",), processes=(Process("extradition", "TJ", "RU", "pending"),))
    advice = [a.id for a in run(request, person).recommendations]
    assert "refuse_extradition_art3" in advice and "rule39_interim_measures" in advice
    assert "ccf_deletion_request" not in advice  # an extradition request is not Interpol's to delete


def test_no_sign_gives_level_none_and_no_advice():
    assessment = run(notice("murder"))
    assert assessment.indicators == () and assessment.score == 0
    assert assessment.level == "none" and assessment.recommendations == ()


def test_the_assessment_as_a_dict_is_json_with_both_languages():
    data = json.loads(json.dumps(run(*exile_with_a_notice()).as_dict()))
    assert set(data) == {"rules_version", "charges_version", "score", "level", "indicators", "recommendations", "charges",
                         "thresholds"}
    assert data["thresholds"] == {"strong": 50, "moderate": 25, "weak": 1}  # the scale the score is read on
    first = data["indicators"][0]
    assert set(first) == {"id", "label", "weight", "evidence", "citations"} and set(first["label"]) == {"en", "ru"}
    assert first["evidence"][0]["en"].startswith("charge classified as terrorism or extremism")
    assert first["evidence"][0]["ru"].startswith("обвинение классифицировано как терроризм или экстремизм")
    assert set(data["recommendations"][0]["text"]) == {"en", "ru"}
    assert data["charges"][0]["categories"] == ["terrorism_extremism", "anti_constitutional"]


def test_every_legal_basis_and_citation_has_its_russian(tmp_path):
    import json as json_module

    from shelter.assessment import indicator_rules

    rules = indicator_rules.default_rules()
    cited = {c for rule in rules.rules for c in rule.legal_basis} | {c for r in rules.recommendations for c in r.citations}
    assert cited and all(rules.citations_ru[c] and rules.citations_ru[c] != c for c in cited)
    data = json_module.loads(indicator_rules.DATA.read_text(encoding="utf-8"))
    del data["citations_ru"][next(iter(cited))]
    with pytest.raises(indicator_rules.RulesError, match="without their Russian"):
        indicator_rules.parse_rules(data)
