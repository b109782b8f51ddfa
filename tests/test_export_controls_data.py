"""The export-control reference data (shelter/exports/data) can be checked by a lawyer: every control
entry, counterpart, legal statement, due-diligence step, classification rule and capability cites a
source that resolves, states a rule only on a primary source cited at a pinpoint, says when and how it
was verified, and speaks Russian as well as English; capabilities point at tactics Shelter records and
rules at entries Shelter holds."""

import datetime
import json
import re

import pytest

from shelter import thesaurus
from shelter.assessment import sources
from shelter.exports import classify, controls

TODAY = datetime.date(2026, 12, 5)
FILES = ("controls.json", "legal.json", "capabilities.json", "classification.json")


def export_entries() -> dict[str, sources.Entry]:
    return {entry.where: entry for entry in sources.entries() if entry.where.split(":")[0] in FILES}


def citations_of_everything():
    """Every citation in the four files, wherever it sits (entries, counterparts, tactic links, rules)."""
    for name in FILES:
        data = json.loads((controls.DATA / name).read_text(encoding="utf-8"))
        stack = [(name, data)]
        while stack:
            where, value = stack.pop()
            if isinstance(value, dict):
                for key, inner in value.items():
                    if key == "cites":
                        for citation in inner:
                            yield where, citation
                    else:
                        stack.append((f"{where}.{key}", inner))
            elif isinstance(value, list):
                stack.extend((f"{where}[{i}]", inner) for i, inner in enumerate(value))


def test_every_statement_of_the_four_files_is_an_entry_of_the_sources_page():
    where = set(export_entries())
    assert {f"controls.json: {e.code}" for e in controls.entries()} <= where
    assert {f"legal.json: {s.id}" for s in controls.legal_statements()} <= where
    assert {f"legal.json: due diligence, {s.id}" for s in controls.due_diligence()} <= where
    assert {f"capabilities.json: {c.code}" for c in controls.capabilities()} <= where
    assert {f"classification.json: {r.id}" for r in classify.rules()} <= where
    assert {f"controls.json: {e.code}, {c.regime} counterpart {c.code}" for e in controls.entries()
            for c in e.counterparts.values()} <= where
    assert "controls.json: Annex I version" in where


def test_every_entry_cites_a_primary_source_at_a_pinpoint_and_says_how_it_was_verified():
    problems = {where: sources.trail_problems(entry, TODAY) for where, entry in export_entries().items()}
    assert len(problems) > 60
    assert not {where: p for where, p in problems.items() if p}


def test_every_citation_resolves_to_a_document_of_the_registry():
    unresolved = []
    for where, citation in citations_of_everything():
        try:
            key, _, _ = sources.resolve(citation)
        except KeyError:
            unresolved.append((where, citation))
            continue
        if key.startswith("inline:"):
            unresolved.append((where, citation))  # the export data cites only documents of the registry
    assert not unresolved


def test_every_verification_is_dated_no_later_than_today_and_names_the_copy_read():
    for where, entry in export_entries().items():
        assert datetime.date.fromisoformat(entry.verified["on"]) <= TODAY, where
        assert entry.verified.get("copy"), f"{where}: which copy was read?"


def test_the_annex_i_version_is_the_2025_delegated_regulation_and_says_a_later_one_is_to_be_checked():
    annex = controls.annex()
    assert annex["version"] == "2026.12-1"
    assert "(EU) 2025/2003" in annex["follows"] and annex["in_force"] == "2025-11-15"
    assert "check EUR-Lex" in annex["verified"]["note"]
    assert sources.registry()["eu_deleg_reg_2025_2003"]["primary"] is True


@pytest.mark.parametrize("code", ["5A001.f", "5A001.j", "5A004.b", "4A005", "4D004", "4E001.c", "5D001.e", "5D001.a",
                                  "5E001.a", "5D002.a.3.b", "5D002.c.3.b"])
def test_the_entries_for_surveillance_technology_are_held(code):
    entry = controls.entry(code)
    assert entry.code == code and entry.list == "EU Annex I"
    assert entry.wording in ("quoted", "paraphrased")
    assert entry.counterparts["wassenaar"].code.startswith(code[0] + "." + code[1] + ".")


def test_an_entry_paraphrased_from_sources_other_than_the_annex_says_what_is_unverified():
    for entry in controls.entries():
        if entry.verified["how"] != "primary text":
            assert entry.wording == "paraphrased" and entry.unverified, entry.code


def test_the_decontrol_notes_the_screening_relies_on_are_carried():
    notes = {e.code: " ".join(n["en"] for n in e.notes) for e in controls.entries()}
    assert "marketing" in notes["5A001.j"] and "quality of service" in notes["5A001.j"]
    assert "vulnerability disclosure" in notes["4E001.c"] and "cyber incident response" in notes["4E001.c"]
    assert "updates" in notes["4D004"]
    assert "logical data extraction" in notes["5A004.b"]


def test_counterparts_left_out_are_named_with_why():
    for entry in controls.entries():
        assert "ear" in entry.counterparts or "ear" in entry.counterparts_unconfirmed, entry.code
    assert controls.entry("4A005").counterparts["ear"].code == "ECCN 4A005"


def test_every_title_text_and_note_is_in_russian_too():
    for entry in controls.entries():
        for field in (entry.title, entry.text, entry.category, *entry.notes):
            assert field["ru"].strip() and re.search("[а-яё]", field["ru"], re.IGNORECASE), entry.code
    for statement in controls.legal_statements():
        assert re.search("[а-яё]", statement.title["ru"] + statement.text["ru"], re.IGNORECASE), statement.id
    for step in controls.due_diligence():
        assert re.search("[а-яё]", step.title["ru"] + step.asks["ru"], re.IGNORECASE), step.id
    for capability in controls.capabilities():
        assert re.search("[а-яё]", capability.title["ru"], re.IGNORECASE), capability.code
        assert all(re.search("[а-яё]", link.why["ru"], re.IGNORECASE) for link in capability.tactics), capability.code
    for rule in classify.rules():
        assert re.search("[а-яё]", rule.reason["ru"], re.IGNORECASE), rule.id
    for name, spec in classify.parameters().items():
        assert re.search("[а-яё]", spec["question"]["ru"], re.IGNORECASE), name


def test_the_legal_statements_a_screening_rests_on_are_there():
    ids = {s.id for s in controls.legal_statements()}
    assert {"art_2_20", "art_3_1", "art_5_1", "art_5_2", "art_9_1", "art_15_1", "cp_criterion_2", "reco_2024_2659"} <= ids
    assert controls.legal("art_5_1").cites[0] == {"source": "eu_reg_2021_821", "pinpoint": "Art. 5(1)"}
    with pytest.raises(KeyError, match="art_99"):
        controls.legal("art_99")


def test_the_due_diligence_steps_follow_the_sections_of_the_recommendation_in_order():
    steps = controls.due_diligence()
    assert [s.id for s in steps] == ["listed", "cyber_surveillance_item", "misuse_potential", "stakeholders", "mitigation", "notify"]
    sections = [s.cites[0]["pinpoint"] for s in steps[1:5]]
    assert sections == ["Annex, section 3.1", "Annex, section 3.2", "Annex, section 3.3", "Annex, section 3.4"]
    assert all(s.cites[0]["source"] == "eu_reco_2024_2659" for s in steps)


def test_every_capability_serves_tactics_of_the_thesaurus_and_says_whether_the_link_is_documented():
    tactics = set(thesaurus.codes("tactics"))
    for capability in controls.capabilities():
        assert capability.tactics, capability.code
        for link in capability.tactics:
            assert link.tactic in tactics and link.basis in ("documented", "inferred") and link.cites
            for citation in link.cites:
                sources.resolve(citation)
    links = {(c.code, l.tactic): l.basis for c in controls.capabilities() for l in c.tactics}
    assert links[("imsi_catcher", "coercion_by_proxy")] == "inferred"
    assert links[("network_interception", "coercion_by_proxy")] == "documented"
    assert links[("device_extraction", "detention")] == "documented"
    assert links[("intrusion_software", "digital_attack")] == "documented"


def test_every_capability_of_an_entry_or_rule_exists_and_every_entry_of_a_capability_is_held():
    known = {c.code for c in controls.capabilities()}
    assert all(set(e.capabilities) <= known for e in controls.entries())
    assert all(set(r.capabilities) <= known for r in classify.rules())
    for capability in controls.capabilities():
        assert all(controls.entry(code).code == code for code in capability.entries)


def test_every_rule_names_entries_held_and_compiles():
    held = {e.code for e in controls.entries()}
    for rule in classify.rules():
        assert set(rule.entries) <= held, rule.id
        assert rule.patterns, rule.id
        assert rule.confidence in ("high", "medium", "low")


def test_the_documents_added_for_export_controls_are_legal_texts_marked_primary():
    registry = sources.registry()
    for key in ("eu_reg_2021_821", "eu_deleg_reg_2025_2003", "eu_reco_2024_2659", "eu_cp_2008_944", "wassenaar_list_2024",
                "us_ear_ccl", "us_bis_cybersecurity_items_2021"):
        assert registry[key]["primary"] is True and not sources.format_problems(registry[key]), key
