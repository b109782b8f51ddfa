"""Organisation-name matching (shelter/orgnames): names across scripts and languages, legal forms,
country qualifiers, acronyms, the explanation, the screening index, its data files, and the quality of
the labelled set (benchmarks/organisations/pairs.jsonl)."""

import json
from pathlib import Path

import pytest

from shelter import orgnames
from shelter.orgnames import (
    THRESHOLD,
    Index,
    Match,
    OrgName,
    Result,
    acronyms,
    compare,
    countries,
    legal,
    make,
    normalise,
    terms,
)
from shelter.orgnames.lexicon import compile_word, load, phrase_words

PAIRS = Path(__file__).resolve().parent.parent / "benchmarks" / "organisations" / "pairs.jsonl"
# Measured: precision 1.000, recall 0.973 on all 413 pairs, recall 0.970 on the test half. The gate
# sits just below, so that a change that loses quality fails here.
MIN_PRECISION, MIN_RECALL, MIN_TEST_RECALL = 0.98, 0.96, 0.95


def score(a, b, country_a="", country_b="") -> Result:
    return compare(make(a, country_a), make(b, country_b))


# --- across scripts and languages ---------------------------------------------------------------------


def test_uzbek_latin_name_of_the_state_security_service_matches_its_english_name():
    result = score("Oʻzbekiston Respublikasi Davlat xavfsizlik xizmati",
                   "State Security Service of the Republic of Uzbekistan")
    assert result.match and result.score == 1.0
    assert result.explanation == "Same words after translation (state, security, service) and the same country (UZ)"


@pytest.mark.parametrize("name", [
    "Служба государственной безопасности Республики Узбекистан",
    "Давлат хавфсизлик хизмати",
    "Sluzhba gosudarstvennoy bezopasnosti",
    "Dövlət Təhlükəsizlik Xidməti",
    "Staatlicher Sicherheitsdienst",
    "Staatssicherheitsdienst",
])
def test_the_state_security_service_in_other_scripts_and_languages_matches_its_english_name(name):
    assert score(name, "State Security Service").match


@pytest.mark.parametrize("word, concept", [
    ("безопасности", "security"), ("безопасность", "security"), ("государственной", "state"),
    ("государственный", "state"), ("национальной", "national"), ("национального", "national"),
    ("службы", "service"), ("комитетом", "committee"), ("xizmati", "service"), ("qoʻmitasi", "committee"),
    ("vazirligi", "ministry"), ("мемлекеттік", "state"), ("қауіпсіздік", "security"), ("комитеті", "committee"),
    ("natsionalnoy", "national"), ("Technologii", "technology"),
])
def test_inflected_and_romanised_words_name_their_concept(word, concept):
    assert make(word + " Kabalar").concepts == (concept,)


def test_internal_affairs_is_one_concept_in_every_language():
    names = ["Ministry of Internal Affairs", "Министерство внутренних дел", "Ichki ishlar vazirligi",
             "Ішкі істер министрлігі", "Daxili İşlər Nazirliyi", "Ministry of the Interior"]
    assert {frozenset(make(name).concepts) for name in names} == {frozenset({"ministry", "interior"})}


def test_russian_adjective_of_a_city_meets_the_city():
    result = score("Ташкентский государственный университет", "Toshkent davlat universiteti")
    assert result.match
    assert "Ташкентский ~ Toshkent" in result.explanation


@pytest.mark.parametrize("apostrophe", ["ʻ", "'", "’", "`", "‘"])
def test_uzbek_apostrophes_in_every_form_are_one(apostrophe):
    assert score(f"O{apostrophe}zbekiston Milliy universiteti", "National University of Uzbekistan").score == 1.0


def test_transliterated_company_name_matches():
    assert score("ООО «Восток Телеком»", "Vostok Telekom LLC").match


def test_compare_is_symmetric():
    for a, b in [("SNB", "Служба национальной безопасности"), ("Tashkent State University", "Samarkand State University"),
                 ("Kazakh Telecom", "Kazakhtelecom JSC"), ("ООО «Технологии связи»", "Tekhnologii Svyazi LLC")]:
        assert score(a, b, "UZ", "UZ").score == score(b, a, "UZ", "UZ").score


# --- what tells bodies apart ----------------------------------------------------------------------------


def test_universities_of_different_cities_do_not_match():
    result = score("Tashkent State University", "Samarkand State University")
    assert not result.match
    assert "different words: 'Tashkent' vs 'Samarkand'" in result.explanation


def test_a_university_with_one_more_field_word_is_another_university():
    result = score("Tashkent State University", "Tashkent State Technical University")
    assert not result.match
    assert "'Technical' only in one name" in result.explanation


def test_the_same_body_of_two_states_does_not_match():
    result = score("National Security Service", "National Security Service", "UZ", "AZ")
    assert result.score < THRESHOLD
    assert result.explanation.endswith("but different countries (UZ, AZ)")


def test_ministries_of_internal_affairs_of_two_states_do_not_match():
    assert not score("Ministry of Internal Affairs of the Republic of Uzbekistan",
                     "Министерство внутренних дел Республики Таджикистан").match


def test_companies_differing_by_one_distinctive_word_do_not_match():
    assert not score("Alfa Telecom Systems LLC", "Beta Telecom Systems LLC").match
    assert not score("ООО «Восток Телеком»", "Vostok Media LLC").match


def test_a_company_of_the_same_name_in_another_country_does_not_match():
    assert not score("Vostok Telecom LLC", "ООО «Восток Телеком»", "KZ", "RU").match


def test_security_is_not_protection():
    assert not score("Federal Security Service", "Federal Protective Service").match


# --- acronyms ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, own, latin", [
    ("Служба национальной безопасности", "СНБ", "SNB"),
    ("Davlat xavfsizlik xizmati", "DXX", "DXX"),
    ("State Security Service", "SSS", "SSS"),
    ("Государственный комитет национальной безопасности", "ГКНБ", "GKNB"),
])
def test_initials_in_the_names_own_script_and_in_latin(name, own, latin):
    assert make(name).initials_display == (own, latin)


def test_acronym_alone_needs_the_country():
    body = "Служба национальной безопасности Республики Узбекистан"
    without = score("SNB", body)
    assert not without.match
    assert "an acronym alone is weak evidence without the country" in without.explanation
    same = score("SNB", body, "UZ")
    assert same.match and same.acronym == "SNB"
    assert same.explanation.startswith("Acronym SNB of 'Служба национальной безопасности Республики Узбекистан' "
                                       "and the same country (UZ)")
    assert not score("SNB", body, "UA").match


@pytest.mark.parametrize("party, country, body, body_country", [
    ("СНБ РУз", "", "Служба национальной безопасности", "UZ"),
    ("DXX", "UZ", "Davlat xavfsizlik xizmati", "UZ"),
    ("ДХХ", "UZ", "Oʻzbekiston Respublikasi Davlat xavfsizlik xizmati", ""),
    ("ҰҚК", "KZ", "Ұлттық қауіпсіздік комитеті", "KZ"),
    ("UQK", "KZ", "Қазақстан Республикасының Ұлттық қауіпсіздік комитеті", ""),
    ("ФСБ России", "", "Федеральная служба безопасности", "RU"),
    ("FSB", "RU", "ФСБ", "RU"),
    ("ГКНБ КР", "", "Государственный комитет национальной безопасности", "KG"),
    ("MVD RF", "", "Министерство внутренних дел", "RU"),
    ("SPbGU", "RU", "СПбГУ", "RU"),
])
def test_an_acronym_with_the_country_matches_what_it_stands_for(party, country, body, body_country):
    assert score(party, body, country, body_country).match


def test_an_ambiguous_acronym_says_which_states_use_it():
    result = score("GKNB", "Государственный комитет национальной безопасности", "TJ", "KG")
    assert not result.match
    assert "GKNB is used by the bodies of KG and TJ" in result.explanation
    assert acronyms.countries_sharing(acronyms.letters("SGB")) == ("UZ", "AZ")


def test_an_acronym_in_brackets_is_an_alias_not_a_word():
    name = make("Ministry of Internal Affairs (MVD)")
    assert name.text == "ministry internal affairs"
    assert acronyms.letters("МВД") in name.initials


# --- legal forms and country qualifiers ----------------------------------------------------------------------


def test_legal_forms_are_ignored():
    result = score("ООО «Технологии связи»", "Tekhnologii Svyazi LLC")
    assert result.match and result.score == 1.0
    assert "legal form ignored (ООО, LLC)" in result.explanation
    assert make("«Ipak Yoʻli Texnologiyalari» MChJ").legal_forms == ("MChJ",)
    assert make("«Дала Системс» ЖШС").legal_forms == ("ЖШС",)
    assert make("Общество с ограниченной ответственностью «Ромашка»").text == "romashka"


def test_legal_form_letters_inside_a_name_are_part_of_it():
    assert make("ОсОО «Ала-Тоо Коммуникейшнс»").text == "ala too kommunikeishns"
    assert make("AO").text == "ao"  # a name that is only a legal form keeps it


@pytest.mark.parametrize("name, country, text", [
    ("State Security Service of the Republic of Uzbekistan", "UZ", "state security service"),
    ("Служба государственной безопасности Республики Узбекистан", "UZ", "sluzhba gosudarstvennoi bezopasnosti"),
    ("Oʻzbekiston Respublikasi Davlat xavfsizlik xizmati", "UZ", "davlat xavfsizlik xizmati"),
    ("Federal Security Service of the Russian Federation", "RU", "federal security service"),
    ("Федеральная служба безопасности Российской Федерации", "RU", "federalnaia sluzhba bezopasnosti"),
    ("Ministry of Internal Affairs of the Kyrgyz Republic", "KG", "ministry internal affairs"),
    ("Қазақстан Республикасы Ішкі істер министрлігі", "KZ", "ışkı ıster ministrlıgı"),
    ("Uzbek National Security Service", "UZ", "national security service"),
    ("МВД РУз", "UZ", "mvd"),
    ("State Security Service of Georgia", "GE", "state security service"),
])
def test_country_qualifiers_are_removed_and_returned_as_the_country(name, country, text):
    found = make(name)
    assert (found.country, found.country_in_name, found.text) == (country, True, text)


def test_the_given_country_counts_when_the_name_names_none():
    assert make("State Security Service", "uz").country == "UZ"
    assert make("State Security Service of Azerbaijan", "UZ").country == "AZ"  # the name says otherwise
    assert make("Kazakhtelecom").country == ""


def test_an_abbreviated_country_counts_only_after_another_word():
    assert make("ҰҚК").country == "" and make("РФ").text == "rf"


def test_normalise_gives_a_comparable_latin_form():
    assert normalise("ООО «Технологии связи»") == "ooo tekhnologii sviazi"
    assert normalise("O'zbekiston Respublikasi") == normalise("Oʻzbekiston  RESPUBLIKASI") == "oʻzbekiston respublikasi"


def test_make_rejects_what_is_not_a_name():
    with pytest.raises(TypeError):
        make(None)
    assert make("").words == () and compare(make(""), make("SGB")).score == 0.0
    assert isinstance(make("x" * 10_000), OrgName)


# --- the index ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def index():
    found = Index()
    found.add("uz-sgb", ["Служба государственной безопасности Республики Узбекистан", "Davlat xavfsizlik xizmati",
                         "СГБ", "Служба национальной безопасности Республики Узбекистан", "СНБ"], "UZ")
    found.add("az-dtx", ["Dövlət Təhlükəsizlik Xidməti", "State Security Service of the Republic of Azerbaijan",
                         "DTX"], "AZ")
    found.add("kg-gknb", ["Государственный комитет национальной безопасности Кыргызской Республики", "ГКНБ"], "KG")
    found.add("tj-gknb", ["Государственный комитет национальной безопасности Республики Таджикистан", "ГКНБ"], "TJ")
    found.add("co-tekhsvyaz", "ООО «Технологии связи»", "RU")
    return found


def test_screening_finds_a_renamed_body_by_its_former_acronym(index):
    [match] = index.screen("SNB", "UZ")
    assert isinstance(match, Match)
    assert (match.key, match.score, match.matched_name) == ("uz-sgb", 0.8, "СНБ")
    assert "the same country (UZ)" in match.explanation and match.result.acronym == "SNB"


def test_screening_an_acronym_without_a_country_finds_nothing(index):
    assert index.screen("GKNB") == []
    assert [m.key for m in index.screen("GKNB", "TJ")] == ["tj-gknb"]


def test_screening_a_translated_name_without_a_country_finds_every_state_that_has_it(index):
    found = index.screen("State Security Service")
    assert [m.key for m in found] == ["uz-sgb", "az-dtx"]  # equal scores: the order they were added
    assert [m.key for m in index.screen("State Security Service", "AZ")] == ["az-dtx"]


def test_screening_respects_the_limit_and_the_minimum_score(index):
    assert len(index.screen("State Security Service", limit=1)) == 1
    assert [m.key for m in index.screen("Tekhnologii Svyazi LLC", "RU", min_score=0.99)] == ["co-tekhsvyaz"]
    assert index.screen("") == [] and len(index) == 5


def test_blocking_finds_every_labelled_match_that_compare_finds():
    pairs = _pairs()
    index = Index()
    for organisation in {p["organisation"]["key"]: p["organisation"] for p in pairs}.values():
        index.add(organisation["key"], organisation["names"], organisation["country"])
    missed = [pair["id"] for pair in pairs
              if pair["match"] and _best(pair) >= THRESHOLD
              and pair["organisation"]["key"] not in {
                  m.key for m in index.screen(pair["party"]["name"], pair["party"]["country"], limit=100)}]
    assert not missed


# --- data files ------------------------------------------------------------------------------------------------


def test_every_entry_of_every_data_file_has_a_source():
    org_terms = load("org_terms.json")
    assert all(concept["source"].strip() for concept in org_terms["concepts"].values())
    for section in ("russian_endings", "stopwords", "ambiguous_acronyms", "dedications", "compounds"):
        assert org_terms[section]["source"].strip()
    country_names = load("country_names.json")
    assert all(entry["source"].strip() for entry in country_names["countries"].values())
    assert country_names["abbreviations"]["source"].strip() and country_names["absorbed"]["source"].strip()
    assert all(form["source"].strip() for form in load("legal_forms.json")["forms"])


def test_every_word_of_a_concept_names_that_concept():
    lexicon = terms.lexicon()
    for concept in terms.concepts().values():
        for spec in concept.words:
            words = phrase_words(spec)
            sample = [w.rstrip("~*") for w in words]
            found = lexicon.find([_key_of(w) for w in sample])
            assert found and found[0][2] == concept.code, (concept.code, spec, found)


def test_no_stopword_is_an_organisation_or_country_word():
    for word in load("org_terms.json")["stopwords"]["words"]:
        assert not terms.single(_key_of(word)) and not countries.lexicon().find([_key_of(word)]), word


def test_no_two_concepts_claim_one_word():
    owner = {}
    for concept in terms.concepts().values():
        for spec in concept.words:
            if " " in spec:
                continue
            for key in compile_word(spec).exact:
                assert owner.setdefault(key, concept.code) == concept.code, (key, owner[key], concept.code)


def test_legal_forms_of_our_data_are_found_in_names():
    for entry in load("legal_forms.json")["forms"]:
        for form in entry["forms"]:
            words = [w.casefold() for w in phrase_words(form)]
            assert legal.find(words + ["kabalar"]), form


def test_the_public_api_is_what_all_names():
    assert set(orgnames.__all__) == {"OrgName", "Word", "make", "normalise", "THRESHOLD", "Pair", "Result", "compare",
                                     "MAX_CANDIDATES", "Index", "Match"}
    assert all(hasattr(orgnames, name) for name in orgnames.__all__)


# --- the labelled set, a quality gate (not timed) ---------------------------------------------------------------


def _pairs() -> list[dict]:
    return [json.loads(line) for line in PAIRS.read_text("utf-8").splitlines() if line.strip()]


def _best(pair: dict) -> float:
    party = make(pair["party"]["name"], pair["party"]["country"])
    organisation = pair["organisation"]
    return max(compare(party, make(name, organisation["country"])).score for name in organisation["names"])


def _key_of(word: str) -> str:
    from shelter.matching.phonetic import key

    return key(word)


def test_the_labelled_set_is_what_its_readme_says():
    pairs = _pairs()
    assert len(pairs) >= 250
    assert len({p["id"] for p in pairs}) == len(pairs)
    assert all(p["why"] and p["split"] in ("dev", "test") for p in pairs)
    assert {p["match"] for p in pairs} == {True, False}


def test_precision_and_recall_on_the_labelled_set_stay_above_the_gate():
    pairs = _pairs()
    decided = [(_best(p) >= THRESHOLD, p["match"], p["split"]) for p in pairs]
    tp = sum(1 for found, label, _ in decided if found and label)
    fp = sum(1 for found, label, _ in decided if found and not label)
    positives = sum(1 for _, label, _ in decided if label)
    test_positives = [found for found, label, split in decided if label and split == "test"]
    assert tp / (tp + fp) >= MIN_PRECISION
    assert tp / positives >= MIN_RECALL
    assert sum(test_positives) / len(test_positives) >= MIN_TEST_RECALL


def test_words_are_kept_as_written_and_dotted_initials_joined():
    from shelter.matching.tokenize import tokens
    from shelter.orgnames.normalise import words

    assert words("S.N.B. of Uzbekistan") == ["SNB", "of", "Uzbekistan"]
    assert words("MVD RF") == ["MVD", "RF"] and words("ОсОО «SPbGU»") == ["ОсОО", "SPbGU"]
    assert words("Tajikistan's l'Intérieur") == ["Tajikistan", "Intérieur"]
    assert tokens("JC Juncker") == ["J", "C", "Juncker"]  # the person matcher's rules are unchanged
