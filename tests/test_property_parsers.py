"""Property-based tests of the small parsers everything user-typed goes through: any input either
parses or is refused with the parser's own error, never another exception."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shelter import countries, dates, files
from shelter.matching import tag
from shelter.records import name_index

pytestmark = pytest.mark.attack("property")

FAST = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like what is attacked: dates, codes and names, with the odd control character.
date_like = st.from_regex(r"\A[0-9.\-/ ]{0,14}\Z") | st.text(max_size=30)
names = st.text(alphabet=st.characters(codec="utf-8"), max_size=60) | st.sampled_from(
    ["Oʻtkir Hoshimov", "Ҳошимов", "Rəşad", "ＡＢＣ", "ﬁ", "\x00", "İstanbul", "ß", "ǅ", "ᾈ", "ⅸ"]
)


@FAST
@given(date_like)
def test_a_date_parses_or_is_refused_with_a_partial_date_error(text):
    try:
        parsed = dates.parse(text)
    except dates.PartialDateError:
        return
    assert dates.MIN_YEAR <= parsed.year <= dates.MAX_YEAR
    assert dates.parse(str(parsed)) == parsed  # what it gives back parses to the same date


@FAST
@given(st.text(max_size=40), st.binary(max_size=600))
def test_a_file_is_classified_or_refused_as_unsupported(filename, head):
    try:
        content_type = files.classify(filename, head)
    except files.UnsupportedFile:
        return
    assert "/" in content_type


@FAST
@given(st.sampled_from(files.ALLOWED), st.binary(max_size=600))
def test_no_html_passes_as_text_whatever_its_extension(extension, tail):
    for markup in (b"<!DOCTYPE html>", b"<html>", b"  <script>", b"<svg onload=x>"):
        with pytest.raises(files.UnsupportedFile):
            files.classify("evidence" + extension, markup + tail)


@FAST
@given(names)
def test_every_part_of_a_name_is_indexed_and_found_under_one_of_its_forms(text):
    for part in tag.parts(text):
        recorded, typed = name_index.part_forms(part), name_index.query_forms(part)
        assert all(isinstance(form, str) and form for form in recorded | typed)
        assert part.role == tag.PARTICLE or recorded & typed


@FAST
@given(st.text(max_size=8))
def test_a_country_code_normalises_or_is_refused_with_a_value_error(code):
    try:
        normalised = countries.normalise(code)
    except ValueError:
        assert not countries.is_country(code.strip())
        return
    assert countries.is_country(normalised) and countries.normalise(normalised) == normalised
    assert countries.name(normalised)
