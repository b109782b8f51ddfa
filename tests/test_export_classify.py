"""Reading a proposed export's description: which Annex I entries it may fall under, how sure Shelter
is, what it saw, and whether the item is a cyber-surveillance item at all. The classification stays the
exporter's: a declared code is taken as declared."""

import pytest

from shelter.exports import classify as engine
from shelter.exports import controls
from shelter.exports.classify import (
    BadParameters,
    DescriptionTooLong,
    ScreeningError,
    UnknownControlCode,
    classify,
)


def codes(result) -> list[str]:
    return [c.code for c in result.candidates]


def candidate(result, code):
    return next(c for c in result.candidates if c.code == code)


@pytest.mark.parametrize("description", [
    "IMSI catcher for the Ministry of Internal Affairs",
    "Portable IMSI grabber with 2G/3G/4G support",
    "Cell-site simulator (Stingray type) for vehicle deployment",
    "ИМСИ-ловушка для оперативных подразделений",
    "Комплекс «ловушка IMSI» для МВД",
    "перехватчик GSM с функцией определения IMSI",
    "Mobiler IMSI-Catcher für die Polizei",
])
def test_an_imsi_catcher_in_any_language_is_5a001f_with_high_confidence(description):
    result = classify(description)
    assert codes(result)[0] == "5A001.f" and candidate(result, "5A001.f").confidence == "high"
    assert result.cyber_surveillance and result.capabilities == ["imsi_catcher"]


def test_what_was_seen_is_the_rule_and_the_whole_words_that_matched():
    seen = candidate(classify("ИМСИ-ловушка и Stingray"), "5A001.f").basis
    assert seen[0].rule == "imsi_catcher" and seen[0].words == ("ИМСИ-ловушка", "Stingray")
    assert seen[0].describe("ru") == "правило imsi_catcher: «ИМСИ-ловушка», «Stingray»"
    assert candidate(classify("IMSI catcher"), "5A001.f").reason["ru"]


@pytest.mark.parametrize("description", ["Поставка оборудования СОРМ-3 оператору связи", "SORM-2 compliant interception platform",
                                          "СОРМ для интернет-провайдера в Ташкенте"])
def test_sorm_is_network_interception_and_a_monitoring_centre(description):
    result = classify(description)
    assert {"5A001.j", "5D001.e"} <= set(codes(result))
    assert candidate(result, "5A001.j").confidence == "medium"
    assert result.capabilities[:2] == ["network_interception", "monitoring_centre"] and result.cyber_surveillance


def test_sorm_that_searches_by_hard_selectors_and_maps_relations_is_high():
    result = classify("СОРМ", parameters={"hard_selectors": True, "relational_mapping": True})
    assert candidate(result, "5D001.e").confidence == "high"
    assert "hard_selectors=true" in candidate(result, "5D001.e").basis[0].adjusted


@pytest.mark.parametrize("description", [
    "Cellebrite UFED Touch kit for extracting data from locked smartphones",
    "UFED-like mobile forensics kit",
    "Комплекс мобильной криминалистики для извлечения данных из телефонов",
    "Программно-аппаратный комплекс «Мобильный криминалист»",
])
def test_a_phone_extraction_kit_is_5a004b(description):
    result = classify(description)
    assert "5A004.b" in codes(result) and result.capabilities == ["device_extraction"]


def test_an_extraction_kit_that_circumvents_the_lock_is_high_and_one_limited_to_logical_extraction_is_low():
    assert candidate(classify("UFED kit that bypasses the passcode"), "5A004.b").confidence == "high"
    assert candidate(classify("mobile forensics kit", parameters={"logical_only": True}), "5A004.b").confidence == "low"


@pytest.mark.parametrize("description", ["Spyware platform for law enforcement", "шпионское ПО для удалённого доступа к смартфонам",
                                         "Remote access trojan for Android", "Staatstrojaner"])
def test_spyware_is_4a005_and_4d004(description):
    result = classify(description)
    assert {"4A005", "4D004"} <= set(codes(result))
    assert result.capabilities == ["intrusion_software"] and result.cyber_surveillance


def test_spyware_with_command_and_control_is_high():
    result = classify("spyware with a command and control server and infection vectors")
    assert candidate(result, "4A005").confidence == "high"


@pytest.mark.parametrize("description", ["zero-click exploit chain for iOS", "эксплойт для доставки агента на телефон"])
def test_exploit_delivery_is_4d004_and_4e001c(description):
    assert {"4D004", "4E001.c"} <= set(codes(classify(description)))


def test_an_exploit_for_vulnerability_disclosure_is_low():
    result = classify("zero-day exploit for coordinated vulnerability disclosure")
    assert candidate(result, "4E001.c").confidence == "low"


def test_deep_packet_inspection_depends_on_what_it_does():
    assert candidate(classify("deep packet inspection"), "5A001.j").confidence == "medium"
    assert candidate(classify("глубокий анализ трафика"), "5A001.j").confidence == "medium"
    full = {"application_layer": True, "indexing": True, "hard_selectors": True}
    assert candidate(classify("DPI system", parameters=full), "5A001.j").confidence == "high"
    assert candidate(classify("DPI", parameters={"hard_selectors": False}), "5A001.j").confidence == "low"
    marketing = classify("deep packet inspection", parameters={"purpose": "marketing"})
    assert not marketing.candidates and not marketing.cyber_surveillance


def test_monitoring_centres_and_lemf_are_5d001e():
    assert "5D001.e" in codes(classify("monitoring centre for lawful interception"))
    assert "5D001.e" in codes(classify("центр мониторинга СОРМ"))
    assert candidate(classify("LEMF"), "5D001.e").confidence == "medium"


def test_an_imsi_catcher_detector_is_not_surveillance_but_is_named_low():
    result = classify("IMSI catcher detector for journalists")
    assert codes(result) == ["5A001.f"] and candidate(result, "5A001.f").confidence == "low"
    assert not result.cyber_surveillance and result.capabilities == []


def test_facial_recognition_is_cyber_surveillance_though_no_entry_lists_it():
    result = classify("система распознавания лиц для метро")
    assert result.candidates == [] and result.cyber_surveillance and result.capabilities == ["facial_recognition"]


def test_an_industrial_controller_for_a_university_lab_is_nothing():
    result = classify("industrial controller (PLC) for a university lab")
    assert result.candidates == [] and not result.cyber_surveillance and result.capabilities == []


@pytest.mark.parametrize("description", engine.negative_examples())
def test_items_that_are_not_surveillance_technology_match_no_rule(description):
    result = classify(description)
    assert result.candidates == [] and not result.cyber_surveillance


def test_a_declared_code_comes_first_marked_declared_and_merged_with_what_was_seen():
    result = classify("IMSI catcher", control_code="5a001.f.2")
    assert codes(result) == ["5A001.f"]
    first = result.candidates[0]
    assert first.confidence == "declared" and first.declared
    assert [s.rule for s in first.basis] == ["declared", "imsi_catcher"]
    assert first.basis[0].describe() == "declared by the exporter" and "points to it too" in first.reason["en"]
    assert result.declared == "5a001.f.2"


def test_a_declared_code_the_description_does_not_support_still_wins_and_says_so():
    result = classify("spyware platform", control_code="5A004.b")
    assert codes(result)[0] == "5A004.b" and result.candidates[0].confidence == "declared"
    assert "did not point to it" in result.candidates[0].reason["en"]
    assert {"4A005", "4D004"} <= set(codes(result)[1:])


@pytest.mark.parametrize("code, reason", [("3A001", "not one of the Annex I entries"), ("hello", "is not a control code"),
                                          ("5D001", "name the sub-item: 5D001.a, 5D001.e"), ("5A" + "0" * 100, "is not a control code")])
def test_a_bad_declared_code_is_refused_with_a_reason(code, reason):
    with pytest.raises(UnknownControlCode) as error:
        classify("IMSI catcher", control_code=code)
    assert isinstance(error.value, ValueError) and isinstance(error.value, ScreeningError)
    assert reason in error.value.reason["en"] and error.value.reason["ru"]


def test_a_huge_description_is_refused():
    with pytest.raises(DescriptionTooLong) as error:
        classify("IMSI catcher " * 10_000)
    assert str(engine.MAX_LENGTH) in error.value.reason["en"]
    classify("x" * engine.MAX_LENGTH)  # at the bound it is read


@pytest.mark.parametrize("parameters, message", [({"colour": True}, "Unknown parameter"), ({"air_interface": "yes"}, "cannot be"),
                                                 ({"purpose": "espionage"}, "cannot be"), (["air_interface"], "names and values")])
def test_unknown_or_ill_formed_parameters_are_refused(parameters, message):
    with pytest.raises(BadParameters, match=message):
        classify("IMSI catcher", parameters=parameters)


def test_an_unanswered_parameter_is_ignored():
    assert candidate(classify("IMSI catcher", parameters={"air_interface": None}), "5A001.f").confidence == "high"


def test_the_order_is_stable_highest_confidence_first_and_duplicates_merged():
    description = "SORM monitoring centre with hard selectors; IMSI catcher; wiretap"
    first, second = classify(description), classify(description)
    assert first == second
    ranks = [("declared", "high", "medium", "low").index(c.confidence) for c in first.candidates]
    assert ranks == sorted(ranks)
    assert len(codes(first)) == len(set(codes(first)))
    assert len(candidate(first, "5D001.e").basis) >= 3  # sorm, monitoring centre, hard selectors


def test_a_classification_serialises_for_storage():
    data = classify("IMSI catcher", control_code="5A001.f").as_dict()
    assert data["candidates"][0]["code"] == "5A001.f" and data["candidates"][0]["confidence"] == "declared"
    assert data["versions"] == {"controls": controls.version(), "classification": engine.version()}
