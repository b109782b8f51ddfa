"""Corrections to the reference data a lawyer would cite (issue 12): each wrong or imprecise
statement stays corrected. The primary source of each correction is named beside it."""

import json
from pathlib import Path

import shelter

DATA = Path(shelter.__file__).parent / "assessment" / "data"
THESAURI = Path(shelter.__file__).parent / "data"


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def profile(state: str, factor: str) -> dict:
    [entry] = [f for f in load(DATA / "countries.json")["countries"][state]["statements"] if f["factor"] == factor]
    return entry


def all_text(*paths: Path) -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in paths)


def test_iskandarov_is_not_said_to_have_been_removed_against_an_interim_measure():
    # Iskandarov v. Russia, no. 17185/05: lodged in May 2005, after the April 2005 removal; only
    # Savriddin Dzhurayev v. Russia, no. 71386/10, concerns a transfer in breach of Rule 39.
    text = profile("TJ", "irregular_transfers")["text"]
    assert "no interim measure existed" in text["en"] and "обеспечительной меры не было" in text["ru"]
    assert "interim measure of the European Court (Iskandarov" not in text["en"]


def test_ergashev_is_cited_for_the_general_risk_to_ethnic_uzbeks_not_the_june_2010_violence():
    # Makhmudzhan Ergashev v. Russia, no. 49747/11, 16 October 2012: charged in 2007 with embezzlement.
    text = profile("KG", "assurances_record")["text"]
    assert "embezzlement" in text["en"] and "растрате" in text["ru"]
    assert "sought after the June 2010 violence" not in text["en"]


def test_general_comment_4_is_not_cited_for_what_paragraph_45_does_not_list():
    rules = {rule["id"]: rule for rule in load(DATA / "indicators.json")["rules"]}
    for rule in ("threats_to_family", "physical_attacks_abroad"):
        assert not [c for c in rules[rule]["legal_basis"] if "General Comment No. 4" in c], rule


def test_ccf_time_limits_run_from_admissibility_and_the_filing_date_gives_an_estimate():
    # Statute of the CCF (2016), Art. 40(1) and (2).
    for limit in load(DATA / "time_limits.json")["limits"]:
        assert "from admissibility" in limit["label"]["en"] and "estimated" in limit["label"]["en"]
        assert "due" not in limit["label"]["en"]


def test_saadi_is_cited_to_the_paragraphs_rejecting_the_balancing_of_risk():
    assert "§§ 137-141" in load(DATA / "refoulement.json")["citations"]["saadi"]["pinpoint"]


def test_dates_and_symbols_of_the_cited_reports_and_laws():
    everything = all_text(*DATA.glob("*.json"), *THESAURI.glob("*.json"))
    assert "'Still Not Safe' (2022)" not in everything and "'Still Not Safe' (February 2023" in everything
    assert "46% of targets" not in everything and "46% of cases" in everything
    assert load(DATA / "documents.json")["documents"]["sr_rus_2023"]["reference"].startswith("A/HRC/54/54")
    treaties = all_text(DATA / "treaties.json")
    assert "took effect on 29 December 2023" in treaties
    assert "excludes extradition, in the treaty's word" in treaties


def test_the_tactics_map_to_freedom_houses_six_physical_codes():
    terms = load(THESAURI / "tactics.json")["terms"]
    physical = [t for t in terms if t["category"] == "physical"]
    assert {t["freedom_house"] for t in physical} == {
        "detention", "assault", "physical_intimidation", "unlawful_deportation", "rendition", "assassination"}
    abduction = next(t for t in terms if t["code"] == "abduction")
    assert abduction["broader"] == "rendition" and abduction["freedom_house"] == "rendition"


def test_kyrgyzstans_assurances_record_names_the_courts_later_finding_of_no_real_risk():
    # T.K. and S.R. v. Russia, nos. 28492/15 and 49975/15, 19 November 2019: no real risk for ethnic Uzbeks
    # extradited to Kyrgyzstan; a lawyer citing Ergashev (2012) alone would be rebutted with it.
    statement = profile("KG", "assurances_record")
    assert "T.K. and S.R. v. Russia" in statement["text"]["en"] and "Т.К. и С.Р. против России" in statement["text"]["ru"]
    assert statement["as_of"] == 2019 and statement["level"] == 1
