import pytest

from shelter.dates import PartialDate, PartialDateError, parse


@pytest.mark.parametrize("text,iso,precision", [
    ("1979", "1979", "year"), ("1979-08", "1979-08", "month"), ("1979-8-5", "1979-08-05", "day"),
    ("1979/08/15", "1979-08-15", "day"), ("15.08.1979", "1979-08-15", "day"), ("08.1979", "1979-08", "month"),
])
def test_it_keeps_the_precision_of_partial_dates(text, iso, precision):
    date = parse(text)
    assert date.iso() == iso and date.precision == precision


@pytest.mark.parametrize("text,reason", [
    ("", "not a date"), ("yesterday", "not a date"), ("1979-13", "month 13"), ("1979-02-30", "not a valid day"),
    ("0979", "outside"), ("31.02.1980", "not a valid day"),
])
def test_it_explains_malformed_dates(text, reason):
    with pytest.raises(PartialDateError, match=reason):
        parse(text)


def test_partial_dates_sort_as_text_and_as_values():
    assert sorted([parse("1980"), parse("1979-12-31"), parse("1979-12")]) == [PartialDate(1979, 12), PartialDate(1979, 12, 31), PartialDate(1980)]


def test_every_reason_a_date_is_refused_is_given_in_russian():
    from django.utils import translation

    from shelter import dates
    from shelter.records.fields import DATE_REASONS, date_reason

    assert set(DATE_REASONS) == set(dates.REASONS)
    with translation.override("ru"):
        for text, expected in [("2019-13", "месяца 13 не существует"), ("1700", "год 1700 вне диапазона 1850–2100"),
                               ("2019-02-30", "'2019-02-30' — не существующий день: в этом месяце такого дня нет"),
                               ("soon", "'soon' — не дата: используйте ГГГГ, ГГГГ-ММ или ГГГГ-ММ-ДД")]:
            try:
                dates.parse(text)
            except dates.PartialDateError as e:
                assert date_reason(e) == expected
            else:
                raise AssertionError(text)
