"""Sorting charges, as Interpol notices and requests state them, into accusation categories (pure: no
database)."""

import copy
import json

import pytest

from shelter import thesaurus
from shelter.assessment import charges
from shelter.assessment.facts import Charge


@pytest.mark.parametrize("text,state,expected", [
    ("Article 307 part 2 of the Criminal Code of the Republic of Tajikistan (public calls for extremist activity)", "",
     {"terrorism_extremism", "anti_constitutional"}),
    ("ст. 159 ч. 4 УК РФ мошенничество", "", {"economic"}),
    ("Membership of a banned religious organisation (Hizb ut-Tahrir)", "", {"banned_group"}),
    ("Attempt on the constitutional order (Art. 159 CC of Uzbekistan)", "", {"anti_constitutional"}),
    ("insulting the President", "TJ", {"anti_constitutional"}),
    ("murder", "", {"violent_crime"}),
    ("Незаконный оборот наркотических средств", "RU", {"drugs"}),
    ("High treason", "BY", {"treason_espionage"}),
])
def test_charges_from_interpol_notices_are_sorted_into_categories(text, state, expected):
    assert set(charges.classify(text, state).categories) == expected


def test_extremism_charge_without_violence_carries_no_violent_flag():
    result = charges.classify("Публичные призывы к осуществлению экстремистской деятельности", "RU")
    assert "terrorism_extremism" in result.categories
    assert not result.violent_act


def test_calls_for_violent_change_are_not_themselves_a_violent_act():
    result = charges.classify("Публичные призывы к насильственному изменению конституционного строя", "TJ")
    assert result.categories == ("anti_constitutional",)
    assert not result.violent_act


@pytest.mark.parametrize("text", ["murder", "Убийство двух лиц", "Qasddan odam oʻldirish", "Explosion in a public place",
                                  "Terrorist act (Art. 205 of the Criminal Code of the Russian Federation)"])
def test_a_violent_act_is_flagged(text):
    assert charges.classify(text).violent_act


def test_an_article_number_is_read_in_its_own_states_code():
    # Art. 159 is fraud in Russia and an attempt on the constitutional order in Uzbekistan.
    assert charges.classify("Art. 159", "RU").categories == ("economic",)
    assert charges.classify("Art. 159", "UZ").categories == ("anti_constitutional",)


def test_the_code_named_in_the_text_outweighs_the_state_given():
    result = charges.classify("ст. 282.2 УК РФ", "TJ")
    assert result.state == "RU" and result.categories == ("banned_group",)


def test_an_article_of_an_unknown_state_is_not_guessed():
    assert charges.classify("Art. 159").categories == ("other",)


@pytest.mark.parametrize("text", ["Article 244-1", "ст. 244¹", "Art. 244.1", "244-1-moddasi 3-qismi", "Art. 244^1"])
def test_the_notations_of_one_article_are_one_article(text):
    assert charges.classify(text, "UZ").articles == ("244.1",)
    assert charges.classify(text, "UZ").categories == ("terrorism_extremism",)


def test_a_listed_subdivision_is_not_read_as_its_article():
    # 205.2 (public calls for terrorism) is not 205 (a terrorist act).
    result = charges.classify("ч. 2 ст. 205.2 УК РФ", "")
    assert result.matched == ("ru_terrorism_support",)
    assert not result.violent_act


def test_an_unlisted_subdivision_counts_as_its_article():
    assert charges.classify("ст. 159.4 УК РФ").categories == ("economic",)


def test_every_article_of_a_list_with_parts_is_read():
    result = charges.classify("Articles 307 part 2 and 187, 307.3 of the Criminal Code", "TJ")
    assert result.articles == ("307", "187", "307.3")
    assert set(result.categories) == {"anti_constitutional", "banned_group"}


@pytest.mark.parametrize("text,state,category", [
    ("Ташкили фаъолияти ташкилоти экстремистӣ (ифротгароӣ)", "TJ", "banned_group"),
    ("моддаҳои 307 ва 189", "TJ", "terrorism_extremism"),
    ("Uyushgan guruh tomonidan firibgarlik", "UZ", "economic"),
    ("Ўзлаштириш ёки растрата йўли билан талон-торож қилиш", "UZ", "economic"),
    ("Participation in the activity of the Democratic Choice of Kazakhstan", "KZ", "banned_group"),
])
def test_uzbek_tajik_and_other_wordings_are_recognised(text, state, category):
    assert category in charges.classify(text, state).categories


def test_insulting_the_head_of_state_is_flagged_as_an_insult():
    assert "insult" in charges.classify("Публичное оскорбление Президента Республики Беларусь").flags
    assert "insult" in charges.classify("Art. 330", "TJ").flags
    assert "insult" not in charges.classify("Art. 307", "TJ").flags


def test_a_charge_is_read_with_its_translation():
    charge = Charge(text="ст. 280", translation="Public calls for extremist activity", issuing_state="RU")
    result = charges.classify_charge(charge, "TJ")
    assert result.state == "RU" and result.articles == ("280",)
    assert "Public calls" in result.text


def test_an_ordinary_charge_is_other_and_a_missing_one_none():
    assert charges.classify("Disobedience to a lawful order", "RU").categories == ("other",)
    assert charges.classify("", "RU").categories == ("none",)


def test_an_ordinary_article_alone_is_other():
    # Tajik Art. 187 (criminal community) is listed so that it is known, not counted as political.
    assert charges.classify("Art. 187", "TJ").categories == ("other",)


# -- the data file ------------------------------------------------------------------------------------

def _data():
    return json.loads(charges.DATA.read_text("utf-8"))


def test_every_entry_gives_its_source_and_a_known_category():
    table = charges.load_table()
    categories = set(thesaurus.codes("accusations"))
    assert table.entries
    assert all(entry.source.strip() and entry.category in categories for entry in table.entries)


def test_every_state_with_articles_can_be_named_in_a_text():
    table = charges.load_table()
    states_with_articles = {state for entry in table.entries for state in entry.states}
    assert states_with_articles <= {state for state, _ in table.state_markers}


def test_an_entry_without_a_source_is_refused():
    data = _data()
    del data["entries"][0]["source"]
    with pytest.raises(charges.ChargeTableError, match="kw_extremism.*no source"):
        charges.parse_table(data)


def test_an_unknown_category_is_refused():
    data = _data()
    data["entries"][0]["category"] = "heresy"
    with pytest.raises(charges.ChargeTableError, match="heresy"):
        charges.parse_table(data)


def test_articles_without_their_state_are_refused():
    data = copy.deepcopy(_data())
    entry = next(e for e in data["entries"] if "articles" in e)
    del entry["states"]
    with pytest.raises(charges.ChargeTableError, match="without the states"):
        charges.parse_table(data)


def test_a_pattern_that_does_not_compile_is_refused():
    data = _data()
    data["entries"][0]["pattern"] = "(unclosed"
    with pytest.raises(charges.ChargeTableError, match="does not compile"):
        charges.parse_table(data)
