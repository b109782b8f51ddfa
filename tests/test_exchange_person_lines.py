"""The one reader of person files: ``shelter persons import`` (strict), ``shelter screen`` and
``shelter match`` (lenient) read the same forms and give the same reasons, never quoting a value."""

import io
import json

import pytest

from shelter.exchange import person_lines
from shelter.matching import batch, person

KARIMOV = {"id": "p-1", "name": "Улугбек Каримов", "aliases": ["Ulugbek Karimov"], "birth_date": "1979-08",
           "nationality": ["UZ", "SU"], "gender": "male"}


def read(*lines, strict=True):
    return list(person_lines.read([line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)
                                   for line in lines], strict=strict))


@pytest.mark.parametrize("strict", [True, False])
@pytest.mark.parametrize("line, reason", [
    ("{not json", "invalid JSON"),
    ('["a list"]', "not a JSON object"),
    ({"name": "Шавкат Юсупов"}, "missing id"),
    ({"id": True, "name": "Шавкат Юсупов"}, "id must be a string or a number"),
    ({"id": "x1"}, "missing name"),
    ({"id": "x1", "name": 42}, "name must be a string"),
    ({"id": "x1", "name": "Шавкат Юсупов", "birth_date": "1979-13"}, "birth_date"),
    ({"id": "x1", "name": "Шавкат Юсупов", "nationality": ["UZ", "Uzbekistan"]}, "nationality 2: unknown country code"),
    ({"id": "x1", "name": "Шавкат Юсупов", "nationality": "Uzbekistan"}, "nationality 1: unknown country code"),
    ({"id": "x1", "name": "Шавкат Юсупов", "gender": "Шавкат"}, "gender must be male or female"),
    ({"id": "x1", "name": "Шавкат Юсупов", "aliases": {"a": "Юсупов"}}, "aliases must be a list"),
    ({"id": "x1", "name": "Шавкат Юсупов", "profile": "Шавкат"}, "profile 1"),
])
def test_the_same_reason_in_every_mode_never_quoting_the_value(line, reason, strict):
    [error] = read(line, strict=strict)
    assert isinstance(error, person_lines.LineError) and reason in error.reason
    for secret in ("Шавкат", "Юсупов", "Uzbekistan", "1979"):
        assert secret not in str(error)


def test_nationality_is_one_code_or_a_list_in_any_case():
    one, several = read({"id": 1, "name": "Ислам Каримов", "nationality": "uz"},
                        {"id": 2, "name": "Ислам Каримов", "nationality": ["uz", "SU", "UZ"]})
    assert one.nationalities == ["UZ"] and several.nationalities == ["UZ", "SU"]


def test_it_normalises_dates_genders_aliases_and_profiles():
    [record] = read({**KARIMOV, "birth_date": "15.08.1979", "gender": " Male", "aliases": "Ulugbek  Karimov",
                     "profile": ["Journalist"]})
    assert (record.birth_date, record.gender, record.aliases, record.profiles) == (
        "1979-08-15", "male", ["Ulugbek Karimov"], ["journalist"])
    [year] = read({"id": "y", "name": "Ислам Каримов", "birth_date": 1938})
    assert year.birth_date == "1938"


def test_strict_reading_refuses_unknown_fields_and_duplicate_ids():
    unknown, first, duplicate = read({**KARIMOV, "Karimov": 1}, KARIMOV, {**KARIMOV, "id": " p-1 "})
    assert "unknown field at position 7" in unknown.reason and "Karimov" not in unknown.reason
    assert isinstance(first, person_lines.PersonLine)
    assert str(duplicate) == "line 3: duplicate id 'p-1' (first on line 2)"


def test_lenient_reading_ignores_other_keys_and_keeps_ids_as_given():
    records = read({**KARIMOV, "id": 17, "score": 3, "documents": ["AA 123"]}, {**KARIMOV, "id": 17}, strict=False)
    assert [r.id for r in records] == [17, 17]
    assert records[0].documents == ["AA 123"] and records[0].external_id == "17"


def test_line_numbers_count_blank_lines_and_bytes_are_utf8():
    items = list(person_lines.read([b"\xef\xbb\xbf" + json.dumps(KARIMOV).encode(), b"", b"\xff{}", b"  "]))
    assert items[0].line == 1 and items[0].name == "Улугбек Каримов"
    assert str(items[1]) == "line 3: not valid UTF-8 text"


def test_the_matcher_reads_a_person_as_the_import_does():
    [record] = read({**KARIMOV, "nationality": "uz", "birth_date": "15.08.1979"})
    matched = person.from_fields(record)
    assert matched.nationality == "uz" and matched.birth_date.iso() == "1979-08-15"
    assert person.from_json({"name": "Ислам Каримов", "nationality": ["SU"]}).nationality == "su"


def test_a_dual_national_is_compared_without_nationality():
    assert person.from_json({"name": "Ислам Каримов", "nationality": ["UZ", "RU"]}).nationality is None


def test_screening_and_import_read_the_same_file_alike():
    lines = [json.dumps(KARIMOV, ensure_ascii=False), "{", json.dumps({"id": "p-2", "name": "7"})]
    reports = []
    people = list(batch.read_people(io.StringIO("\n".join(lines)), lambda n, r: reports.append((n, r))))
    assert [pid for pid, _ in people] == ["p-1"]
    assert [n for n, _ in reports] == [2, 3] and reports[0][1].startswith("invalid JSON")
    assert "name has no letters" in reports[1][1]
