import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shelter.audit.models import AuditEvent
from shelter.exchange import person_lines
from shelter.records.models import Case, NameToken, Person, PersonName
from shelter.screening.search import find_persons

KARIMOV = {
    "id": "p-1",
    "name": "Улугбек Каримов",
    "aliases": ["Ulugbek Karimov", "Ulug'bek Karimov"],
    "birth_date": "1979-08",
    "nationality": ["uz", "SU"],
    "gender": "male",
    "profile": "journalist",
}
RAHMONOVA = {"id": "p-2", "name": "Зарина Раҳмонова", "nationality": "tj", "profile": ["opposition", "relative"]}


def write(tmp_path, *lines, name="persons.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines) + "\n")
    return str(path)


def run_import(path, *args):
    out, err = StringIO(), StringIO()
    call_command("persons", "import", path, *args, stdout=out, stderr=err)
    return out.getvalue()


def failed_import(path, *args) -> str:
    with pytest.raises(CommandError) as raised:
        run_import(path, *args)
    return str(raised.value)


def names_of(person):
    return {(n.value, n.kind) for n in person.names.all()}


# --- importing ---------------------------------------------------------------------------------


def test_it_imports_persons_with_their_names_and_attributes(db, tmp_path):
    run_import(write(tmp_path, KARIMOV, RAHMONOVA))

    person = Person.objects.with_external_id("p-1").get()
    assert names_of(person) == {
        ("Улугбек Каримов", "primary"), ("Ulugbek Karimov", "alias"), ("Ulug'bek Karimov", "alias")
    }
    assert person.birth_date == "1979-08"
    assert person.nationalities == ["UZ", "SU"]
    assert person.gender == "male"
    assert {t.code for t in person.profiles.all()} == {"journalist"}
    other = Person.objects.with_external_id("p-2").get()
    assert other.nationalities == ["TJ"] and other.gender == "" and other.birth_date == ""
    assert {t.code for t in other.profiles.all()} == {"opposition", "relative"}


def test_without_a_case_it_creates_one_titled_after_the_file(db, tmp_path):
    output = run_import(write(tmp_path, KARIMOV, name="istanbul-2024.jsonl"))

    case = Case.objects.get()
    assert "istanbul-2024.jsonl" in case.title
    assert case.reference in output
    assert "istanbul-2024.jsonl" not in case.external_source  # only a keyed digest is stored in clear


def test_it_imports_into_the_case_given_by_its_reference(db, tmp_path, case):
    run_import(write(tmp_path, KARIMOV), "--case", case.reference)

    assert Person.objects.with_external_id("p-1").get().case == case
    assert Case.objects.count() == 1


def test_it_refuses_an_unknown_case_reference(db, tmp_path):
    message = failed_import(write(tmp_path, KARIMOV), "--case", "SH-1999-0001")

    assert "SH-1999-0001" in message
    assert not Person.objects.exists()


def test_imported_names_are_found_through_the_blind_index(db, tmp_path):
    run_import(write(tmp_path, KARIMOV))

    person = Person.objects.with_external_id("p-1").get()
    assert list(find_persons(Person.objects.all(), "karimov ulugbek")) == [person]
    assert list(find_persons(Person.objects.all(), "УЛУГБЕК")) == [person]
    assert NameToken.objects.filter(person=person).exists()


def test_imported_identity_data_is_sealed_in_the_database(db, tmp_path):
    run_import(write(tmp_path, KARIMOV))

    raw_names = PersonName.objects.values_list("value", flat=True)
    assert all("Каримов".encode() not in bytes(raw) and b"Karimov" not in bytes(raw) for raw in raw_names)
    raw_birth = Person.objects.values_list("birth_date", flat=True).get()
    assert b"1979" not in bytes(raw_birth)


# --- re-importing ------------------------------------------------------------------------------


def test_reimporting_the_same_file_creates_nothing_new(db, tmp_path):
    path = write(tmp_path, KARIMOV, RAHMONOVA)
    run_import(path)

    output = run_import(path)

    assert Case.objects.count() == 1
    assert Person.objects.count() == 2
    assert PersonName.objects.count() == 4
    assert "0 persons created" in output and "2 unchanged" in output


def test_reimporting_updates_a_person_matched_by_id(db, tmp_path, case):
    run_import(write(tmp_path, KARIMOV), "--case", case.reference)
    changed = {**KARIMOV, "name": "Ulugbek Karimov", "birth_date": "1979-08-15", "profile": "cleric", "aliases": []}

    output = run_import(write(tmp_path, changed, name="second.jsonl"), "--case", case.reference)

    person = Person.objects.with_external_id("p-1").get()
    assert Person.objects.count() == 1
    assert person.birth_date == "1979-08-15"
    assert {t.code for t in person.profiles.all()} == {"cleric"}
    assert ("Ulugbek Karimov", "primary") in names_of(person)
    assert ("Улугбек Каримов", "alias") in names_of(person)  # the former primary name is kept
    assert "1 updated" in output


def test_a_field_missing_on_reimport_is_left_as_it_was(db, tmp_path, case):
    run_import(write(tmp_path, KARIMOV), "--case", case.reference)

    run_import(write(tmp_path, {"id": "p-1", "name": KARIMOV["name"]}, name="bare.jsonl"), "--case", case.reference)

    person = Person.objects.with_external_id("p-1").get()
    assert person.birth_date == "1979-08" and person.gender == "male"


def test_persons_with_the_same_id_in_another_case_are_not_touched(db, tmp_path, case):
    run_import(write(tmp_path, KARIMOV), "--case", case.reference)
    other = Case.objects.create(title="Another case")

    run_import(write(tmp_path, {**KARIMOV, "birth_date": "1980"}), "--case", other.reference)

    assert Person.objects.with_external_id("p-1").count() == 2
    assert Person.objects.get(case=case).birth_date == "1979-08"


# --- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, reason",
    [
        ("{not json", "invalid JSON"),
        ('["a list"]', "not a JSON object"),
        ({"name": "Шавкат Юсупов"}, "missing id"),
        ({"id": "x1"}, "missing name"),
        ({"id": "x1", "name": "Шавкат Юсупов", "birth_date": "1979-13"}, "birth_date"),
        ({"id": "x1", "name": "Шавкат Юсупов", "birth_date": "15 August"}, "birth_date"),
        ({"id": "x1", "name": "Шавкат Юсупов", "nationality": ["UZ", "XQ"]}, "nationality 2"),
        ({"id": "x1", "name": "Шавкат Юсупов", "profile": "spy"}, "profile 1"),
        ({"id": "x1", "name": "Шавкат Юсупов", "gender": "m"}, "gender"),
        ({"id": "x1", "name": "Шавкат Юсупов", "aliases": "ok", "passport": "FA123"}, "unknown field at position 4"),
        # The matcher's bounds (shelter.matching.person): a name's parts and length, a person's aliases.
        ({"id": "x1", "name": " ".join(["Юсупов"] * 9)}, "name has more than 8 parts"),
        ({"id": "x1", "name": "Шавкат Юсупов", "aliases": ["Юсупов", "Юсупова", "Ю" * 301]},
         "alias 3: name is longer than 300 characters"),
        ({"id": "x1", "name": "Шавкат Юсупов", "aliases": [f"Юсупов {n}а" for n in "АБВГДЕ"]}, "more than 5 aliases"),
    ],
)
def test_it_rejects_a_bad_line_with_its_number_and_reason(db, tmp_path, line, reason):
    message = failed_import(write(tmp_path, KARIMOV, line))

    assert f"line 2: {reason}" in message
    assert not Person.objects.exists()


def test_it_refuses_a_duplicate_id(db, tmp_path):
    message = failed_import(write(tmp_path, KARIMOV, RAHMONOVA, {**RAHMONOVA, "name": "Зарина Раҳмонзода"}))

    assert "line 3: duplicate id 'p-2' (first on line 2)" in message
    assert not Person.objects.exists()


def test_it_imports_nothing_when_any_line_is_bad(db, tmp_path):
    message = failed_import(write(tmp_path, KARIMOV, RAHMONOVA, {"id": "p-3"}))

    assert "nothing was imported" in message
    assert not Person.objects.exists() and not Case.objects.exists()


def test_partial_imports_the_valid_lines_and_still_fails(db, tmp_path):
    message = failed_import(write(tmp_path, KARIMOV, "oops", RAHMONOVA, {"id": "p-4"}), "--partial")

    assert {p.external_id for p in Person.objects.all()} == {"p-1", "p-2"}
    assert "line 2: invalid JSON" in message and "line 4: missing name" in message
    assert "2 lines rejected" in message


def test_messages_never_contain_identity_data(db, tmp_path):
    bad = [
        {"id": "p-9", "name": "Шавкат Юсупов", "birth_date": "1979-02-30"},
        {"id": "p-10", "name": "Дилноза Юсупова", "nationality": "Uzbekistan"},
        {"id": "p-11", "name": "Нодира Юсупова", "gender": "Нодира"},
        {"id": "p-12", "name": "Фарҳод Юсупов", "profile": "Фарҳод"},
        {"id": "p-13", "name": "Фарҳод Юсупов", "Фарҳод": 1},
    ]
    path = write(tmp_path, KARIMOV, *bad)
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("persons", "import", path, "--partial", stdout=out, stderr=err)

    everything = str(raised.value) + out.getvalue() + err.getvalue()
    for secret in ("Юсуп", "Каримов", "Karimov", "1979", "Uzbekistan", "Нодира", "Фарҳод", "Дилноза"):
        assert secret not in everything
    for number in range(2, 7):
        assert f"line {number}:" in everything


def test_a_file_that_is_not_utf8_is_reported_by_line(db, tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(json.dumps(KARIMOV, ensure_ascii=False).encode() + b"\n" + '{"id": "x", "name": "Jos\xe9"}'.encode("latin-1") + b"\n")

    assert "line 2: not valid UTF-8" in failed_import(str(path))


def test_an_empty_file_is_an_error(db, tmp_path):
    assert "no persons" in failed_import(write(tmp_path, ""))


def test_it_records_one_audit_event_with_the_counts(db, tmp_path):
    path = write(tmp_path, KARIMOV, RAHMONOVA)
    run_import(path)

    events = AuditEvent.objects.filter(action="import")
    assert events.count() == 1
    event = events.get()
    assert event.actor_name == "cli"
    assert event.case_id == Case.objects.get().pk
    assert (event.detail["created"], event.detail["updated"], event.detail["rejected"]) == (2, 0, 0)
    assert "Каримов" not in json.dumps(event.detail, ensure_ascii=False)


def test_it_imports_in_bulk_not_row_by_row(db, tmp_path, django_assert_max_num_queries):
    lines = [{"id": f"b{i}", "name": f"Шавкат Юсупов {i}", "aliases": [f"Shavkat Yusupov {i}"], "profile": "relative"}
             for i in range(2000)]
    path = write(tmp_path, *lines)

    # Row by row would be well over 60,000 statements (person, names, name tokens, blocking keys,
    # profiles); SQLite's variable limit splits each bulk insert into batches of a few hundred rows.
    with django_assert_max_num_queries(400):
        run_import(path)

    assert Person.objects.count() == 2000
    assert PersonName.objects.count() == 4000


def test_on_postgresql_its_references_are_checked_as_each_statement_ends(db, case):
    # Not deferred to the commit: at a million persons that queue held the commit for minutes.
    import uuid

    from django.db import IntegrityError, connection, transaction

    from shelter.ops.person_import import import_persons

    if connection.vendor != "postgresql":
        pytest.skip("SQLite checks foreign keys at the commit (and Django at the end of each test)")
    with transaction.atomic():
        import_persons(case, [])
        with pytest.raises(IntegrityError), transaction.atomic():
            NameToken.objects.create(person_id=uuid.uuid4(), case=case, digest=1)


# --- the line parser on its own ----------------------------------------------------------------


def test_the_parser_normalises_codes_and_dates():
    (record,) = person_lines.read([json.dumps({**KARIMOV, "birth_date": "15.08.1979", "gender": "Male", "profile": ["Journalist"]})])

    assert record.birth_date == "1979-08-15"
    assert record.nationalities == ["UZ", "SU"]
    assert record.gender == "male"
    assert record.profiles == ["journalist"]


def test_the_parser_skips_blank_lines_but_keeps_counting():
    items = list(person_lines.read(["", json.dumps(KARIMOV), "   ", "{"]))

    assert items[0].line == 2
    assert str(items[1]).startswith("line 4: invalid JSON")


def test_a_file_longer_than_a_batch_is_imported_whole_and_reports_its_rate(db, tmp_path, monkeypatch):
    from shelter.ops import person_import

    monkeypatch.setattr(person_import, "BATCH", 3)  # several batches from a short file
    created_in_batches = []
    create_persons = person_import.create_persons
    monkeypatch.setattr(person_import, "create_persons",
                        lambda case, records, *rest: created_in_batches.append(len(records)) or create_persons(case, records, *rest))
    lines = [{"id": f"p-{n}", "name": f"Ulugbek Karimov{'ov' * (n % 3)}"} for n in range(8)]
    out = run_import(write(tmp_path, *lines))
    assert created_in_batches == [3, 3, 2]
    assert Person.objects.count() == 8 and PersonName.objects.count() == 8
    assert "8 persons created" in out and "persons/s" in out
    # Each batch finds its own persons again on a second run.
    assert "0 persons created, 0 updated, 8 unchanged" in run_import(write(tmp_path, *lines))


def test_a_line_repeated_in_a_later_batch_is_refused_as_a_duplicate(db, tmp_path, monkeypatch):
    from shelter.ops import person_import

    monkeypatch.setattr(person_import, "BATCH", 2)
    lines = [{"id": f"p-{n}", "name": "Ulugbek Karimov"} for n in range(4)] + [{"id": "p-0", "name": "Rustam Nazarov"}]
    assert "duplicate id" in failed_import(write(tmp_path, *lines))
    assert not Person.objects.exists()


def test_a_line_that_turned_bad_after_the_check_stops_the_import(db, tmp_path):
    from shelter.ops.management.commands.persons import Command

    good, bad = json.dumps({"id": "p-1", "name": "Ulugbek Karimov"}), "{not json"
    assert [r.external_id for r in Command.valid_lines([good, bad], rejected={2})] == ["p-1"]
    with pytest.raises(CommandError, match="line 2: .*the file changed"):
        list(Command.valid_lines([good, bad], rejected=set()))


def test_the_command_imports_as_a_user_runs_it(tmp_path):
    # Through the installed `shelter` command (call_command skips the system checks a user's run makes).
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("SHELTER_DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["SHELTER_HOME"] = str(tmp_path / "home")
    done = subprocess.run([sys.executable, "-m", "shelter.cli", "persons", "import", write(tmp_path, KARIMOV)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "1 person created" in done.stdout and "persons/s" in done.stdout
