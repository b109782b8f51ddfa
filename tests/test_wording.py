"""The one set of wording helpers the engines, the dossier and the templates share."""

import pytest

from shelter import wording


@pytest.mark.parametrize("count, en, ru", [(1, "one", "one"), (2, "other", "few"), (5, "other", "many"),
                                           (11, "other", "many"), (21, "other", "one"), (1.5, "other", "other")])
def test_plural_forms(count, en, ru):
    assert (wording.plural_form("en", count), wording.plural_form("ru", count)) == (en, ru)


def test_numbers_take_each_languages_decimal_mark():
    assert [wording.number(2, "ru"), wording.number(2.5, "en"), wording.number(2.5, "ru")] == ["2", "2.5", "2,5"]


def test_a_bilingual_text_falls_back_to_english_and_plain_values_pass_through():
    assert wording.text({"en": "Red Notice", "ru": "Красное уведомление"}, "ru") == "Красное уведомление"
    assert wording.text({"en": "Red Notice"}, "ru") == "Red Notice"
    assert (wording.text(None, "en"), wording.text(3, "ru")) == ("", "3")


def test_templates_are_filled_with_plain_and_bilingual_values_in_every_language():
    filled = wording.render({"en": "{kind} from {state}", "ru": "{kind}: {state}"},
                            kind="2026/1", state=wording.country_name("TJ"))
    assert filled == {"en": "2026/1 from Tajikistan", "ru": "2026/1: Таджикистан"}
    assert wording.join([wording.as_is("a"), wording.as_is("b")]) == {"en": "a, b", "ru": "a, b"}
