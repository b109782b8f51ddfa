"""`shelter organisations import FILE [--dataset NAME] [--json] [--dry-run]`: organisations from a
FollowTheMoney file (OpenSanctions' entities.ftm.json shape), with the topics that say whether each is on
a sanctions or export-restriction list. Other schemata are skipped and counted; re-importing updates;
one bad line and nothing is stored. The sample entities are fictional (tests/data/ftm/README.md)."""

import json
import logging
import time
from datetime import datetime, timezone
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from shelter.audit.models import AuditEvent
from shelter.exchange import ftm_organisations
from shelter.records.models import Organisation

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "ftm"
SAMPLE = DATA / "sample.ftm.json"
MALFORMED = DATA / "malformed"


def run(*args) -> str:
    out = StringIO()
    call_command("organisations", "import", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def run_json(*args) -> dict:
    return json.loads(run(*args, "--json"))


def refused(*args) -> CommandError:
    with pytest.raises(CommandError) as raised:
        run(*args)
    return raised.value


def write(tmp_path, *entities, name="entities.ftm.json") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(e if isinstance(e, str) else json.dumps(e, ensure_ascii=False) for e in entities) + "\n",
                    encoding="utf-8")
    return path


def company(entity_id="fict-co-1", **properties) -> dict:
    return {"id": entity_id, "schema": "Company", "properties": {"name": ["Fictional Signals Ltd"], **properties},
            "datasets": ["us_trade_csl"]}


# --- importing -------------------------------------------------------------------------------------


def test_it_imports_the_organisations_of_a_file_with_their_listing():
    summary = run_json(SAMPLE)

    assert summary["created"] == 5 and summary["updated"] == 0 and summary["imported"] is True
    tekh = Organisation.objects.get(ftm_id="fict-co-tekhsvyaz")
    assert tekh.name == "Tekhnologii Svyazi LLC"  # the Latin name, though the file lists the Cyrillic first
    assert tekh.aliases == ["ООО «Технологии связи»", "TekhSvyaz", "Технологии связи", "Svyaz-Proekt OOO"]
    assert tekh.weak_aliases == ["Svyaz"]  # FtM: not to be matched on
    assert tekh.kind == "company" and tekh.ftm_schema == "Company"
    assert (tekh.country, tekh.countries) == ("RU", ["BY"])
    assert tekh.topics == ["sanction", "export.control"] and tekh.datasets == ["us_trade_csl", "eu_fsf"]
    assert tekh.first_seen == datetime(2024, 2, 1, 10, tzinfo=timezone.utc)
    assert tekh.last_seen == datetime(2026, 11, 30, 8, 12, 44, tzinfo=timezone.utc)
    assert tekh.restricted


def test_the_kind_comes_from_the_schema_and_the_government_topics():
    run(SAMPLE)

    kinds = dict(Organisation.objects.values_list("ftm_id", "kind"))
    assert kinds == {"fict-co-tekhsvyaz": "company", "fict-pb-signals": "security_service", "fict-org-mirnaya": "other",
                     "fict-le-zvezda": "other", "fict-co-opensky": "company"}


def test_the_caption_names_the_organisation_when_it_is_one_of_its_names():
    run(SAMPLE)

    body = Organisation.objects.get(ftm_id="fict-pb-signals")
    assert body.name == "Main Directorate of Signals Control"
    assert body.aliases == ["Главное управление контроля связи", "GUKS"]


def test_countries_are_stored_as_iso_codes():
    run(SAMPLE)

    countries = {o.ftm_id: o.all_countries for o in Organisation.objects.all()}
    assert countries["fict-pb-signals"] == ["SU", "RU"]  # FtM's "suhh": the USSR
    assert countries["fict-org-mirnaya"] == ["UA"]  # FtM's "ua-cri": Crimea, a part of Ukraine
    assert countries["fict-le-zvezda"] == []  # FtM's "zz" (global): no state


@pytest.mark.parametrize("ftm, iso", [("ru", "RU"), ("RU", "RU"), ("suhh", "SU"), ("yucs", "YU"), ("csxx", "CS"),
                                      ("xk", "XK"), ("ua-lpr", "UA"), ("ge-ab", "GE"), ("x-so", "GE"), ("gb-sct", "GB"),
                                      ("ic", "ES"), ("eu", None), ("zz", None), ("dd", None), ("cshh", None)])
def test_followthemoney_country_codes_become_iso_codes(ftm, iso):
    assert ftm_organisations.iso_country(ftm) == iso


def test_restricted_means_listed_not_linked_nor_counter_sanctioned():
    summary = run_json(SAMPLE)

    restricted = {o.ftm_id for o in Organisation.objects.all() if o.restricted}
    assert restricted == {"fict-co-tekhsvyaz", "fict-pb-signals", "fict-le-zvezda"} and summary["restricted"] == 3
    assert set(Organisation.objects.restricted().values_list("ftm_id", flat=True)) == restricted
    assert Organisation.objects.get(ftm_id="fict-org-mirnaya").restriction_linked


def test_other_schemata_are_skipped_and_counted():
    summary = run_json(SAMPLE)

    assert summary["skipped"] == 3 and summary["skipped_schemata"] == {"Address": 1, "Person": 1, "Sanction": 1}
    assert "3 entities of other schemata skipped (1 Address, 1 Person, 1 Sanction)" in run(SAMPLE)


def test_reimporting_updates_instead_of_duplicating():
    run(SAMPLE)
    summary = run_json(DATA / "sample_updated.ftm.json")

    assert (summary["created"], summary["updated"], summary["unchanged"]) == (0, 1, 4)
    assert Organisation.objects.count() == 5
    tekh = Organisation.objects.get(ftm_id="fict-co-tekhsvyaz")
    assert tekh.name == "Tekhnologii Svyazi JSC" and "TS Group" in tekh.aliases
    assert tekh.topics == ["sanction"]  # the same datasets again: the dropped topic is dropped
    assert Organisation.objects.get(ftm_id="fict-pb-signals").last_seen.day == 5  # refreshed, counted unchanged


def test_a_line_naming_fewer_datasets_adds_its_topics(tmp_path):
    run(write(tmp_path, {**company(topics=["export.control"]), "datasets": ["us_trade_csl", "eu_fsf"]}))
    run(write(tmp_path, {**company(topics=["sanction.linked"], alias=["FSL"]), "datasets": ["eu_fsf"]}))

    organisation = Organisation.objects.get()
    assert organisation.topics == ["sanction.linked", "export.control"] and organisation.restricted
    assert organisation.datasets == ["eu_fsf", "us_trade_csl"] and organisation.aliases == ["FSL"]


def test_an_entity_merged_under_a_new_id_is_found_by_its_referents(tmp_path):
    run(write(tmp_path, company("fict-csl-0001")))
    summary = run_json(write(tmp_path, {**company("NK-fict"), "referents": ["fict-csl-0001"]}))

    assert (summary["created"], summary["updated"]) == (0, 1)
    assert Organisation.objects.get().ftm_id == "NK-fict"


def test_an_old_id_after_its_merger_in_a_later_batch_is_a_new_organisation(tmp_path):
    run(write(tmp_path, company("fict-old")))
    fillers = [company(f"fict-{n}") for n in range(1000)]
    path = write(tmp_path, {**company("NK-new"), "referents": ["fict-old"]}, *fillers, company("fict-old"))

    dry = run_json(path, "--dry-run")
    done = run_json(path)
    assert (dry["created"], dry["updated"]) == (done["created"], done["updated"]) == (1001, 1)
    assert Organisation.objects.filter(ftm_id__in=["NK-new", "fict-old"]).count() == 2


def test_organisations_entered_by_hand_are_left_alone(tmp_path):
    by_hand = Organisation.objects.create(name="Fictional Signals Ltd", kind="company", notes="our notes")
    run(write(tmp_path, company()))

    assert Organisation.objects.count() == 2
    by_hand.refresh_from_db()
    assert by_hand.notes == "our notes" and by_hand.ftm_id == ""


def test_a_reimport_keeps_the_kind_and_notes_shelter_gave(tmp_path):
    run(write(tmp_path, company()))
    Organisation.objects.update(kind="police", notes="seen in Istanbul")
    run(write(tmp_path, company(topics=["sanction"])))

    organisation = Organisation.objects.get()
    assert (organisation.kind, organisation.notes, organisation.topics) == ("police", "seen in Istanbul", ["sanction"])


def test_more_aliases_than_the_limit_keeps_the_first_and_says_so(tmp_path):
    many = [f"Fictional Alias {n}" for n in range(150)]
    output = run(write(tmp_path, company(alias=many)))

    assert Organisation.objects.get().aliases == many[:100]
    assert "1 had more than 100 aliases: the first were kept" in output


def test_dataset_imports_only_that_datasets_entities(tmp_path):
    path = write(tmp_path, company("a"), {**company("b"), "datasets": ["eu_fsf"]}, {**company("c"), "datasets": []})
    summary = run_json(path, "--dataset", "us_trade_csl")

    assert set(Organisation.objects.values_list("ftm_id", flat=True)) == {"a", "c"}
    assert Organisation.objects.get(ftm_id="c").datasets == ["us_trade_csl"]  # a line naming none is taken to be of it
    assert summary["other_dataset"] == 1 and summary["dataset"] == "us_trade_csl"


# --- all or nothing --------------------------------------------------------------------------------


@pytest.mark.parametrize("fault, reason", [
    ("bad_json", "line 3: invalid JSON (Expecting ',' delimiter at column 67)"),
    ("missing_id", "line 3: missing id"),
    ("not_a_list", "line 3: property 'name' must be a list of strings"),
    ("name_too_long", "line 3: id 'fict-x': name 1 is longer than 200 characters"),
    ("nul_name", "line 3: id 'fict-x': name 1 contains a NUL character"),
    ("unknown_schema", "line 3: schema is not a FollowTheMoney schema"),
    ("bad_country", "line 3: id 'fict-x': country 1 is not a FollowTheMoney country code"),
    ("duplicate_id", "line 3: duplicate id 'fict-co-opensky' (first on line 1)"),
    ("no_name", "line 3: id 'fict-x': no name (FollowTheMoney requires one)"),
    ("bad_topic", "line 3: id 'fict-x': topic 1 is not a topic code"),
    ("bad_date", "line 3: id 'fict-x': first_seen is not a date and time (ISO 8601)"),
])
def test_a_bad_line_is_named_by_number_and_nothing_is_stored(fault, reason):
    error = refused(MALFORMED / f"{fault}.ftm.json")

    assert reason in str(error) and "nothing was imported" in str(error) and error.returncode == 1
    assert not Organisation.objects.exists()
    assert not AuditEvent.objects.filter(action="import").exists()


def test_a_bad_line_after_many_batches_still_stores_nothing(tmp_path):
    entities = [company(f"fict-{n}") for n in range(2500)]
    error = refused(write(tmp_path, *entities, "{broken"))

    assert "line 2501: invalid JSON" in str(error)
    assert not Organisation.objects.exists()


def test_a_bad_reimport_leaves_the_earlier_import_as_it_was(tmp_path):
    run(SAMPLE)
    refused(write(tmp_path, company("fict-co-tekhsvyaz", topics=[]), "{broken"))

    assert Organisation.objects.get(ftm_id="fict-co-tekhsvyaz").topics == ["sanction", "export.control"]


def test_every_bad_line_is_reported_not_only_the_first(tmp_path):
    error = refused(write(tmp_path, "{broken", company(), "[]", company(), json.dumps({"id": "x"})))

    message = str(error)
    assert message.startswith("4 lines rejected:")
    assert "line 1: invalid JSON" in message and "line 3: not a JSON object" in message
    assert "line 4: duplicate id 'fict-co-1' (first on line 2)" in message and "line 5: missing schema" in message


def test_a_malformed_person_line_refuses_the_file_too(tmp_path):
    person = {"id": "p", "schema": "Person", "properties": {"name": "Not A List"}}
    assert "line 2: property 'name' must be a list of strings" in str(refused(write(tmp_path, company(), person)))


def test_errors_name_lines_and_ids_never_names(tmp_path):
    message = str(refused(write(tmp_path, company(name=["Fictional\x00Secret Ltd"]), company("b", country=["Secretland"]))))

    assert "Secret" not in message and "line 1: id 'fict-co-1'" in message and "line 2: id 'b'" in message


def test_the_json_summary_of_a_refused_file_lists_the_errors(tmp_path):
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("organisations", "import", str(write(tmp_path, company(), "{broken")), "--json", stdout=out,
                     stderr=StringIO())
    assert json.loads(out.getvalue()) == {
        "imported": False, "rejected": 1, "dry_run": False,
        "errors": [{"line": 2, "reason": "invalid JSON (Expecting property name enclosed in double quotes at column 2)"}]}


def test_an_unreadable_or_empty_file_exits_with_2(tmp_path):
    assert refused(tmp_path / "missing.ftm.json").returncode == 2
    error = refused(write(tmp_path, {"id": "p", "schema": "Person", "properties": {"name": ["Fictional Person"]}}))
    assert error.returncode == 2 and "holds no organisation" in str(error)


def test_an_overlong_line_is_refused_without_being_held(tmp_path, monkeypatch):
    monkeypatch.setattr(ftm_organisations, "MAX_LINE_BYTES", 1000)
    path = write(tmp_path, company(), company("b", alias=["x" * 150] * 20), company("c"))
    error = refused(path)
    assert "line 2: longer than" in str(error) and "line 3" not in str(error)


# --- dry run, summary, audit, logs -----------------------------------------------------------------


def test_a_dry_run_stores_nothing_but_counts_what_would_be_stored():
    summary = run_json(SAMPLE, "--dry-run")

    assert summary["created"] == 5 and summary["dry_run"] is True and summary["imported"] is False
    assert not Organisation.objects.exists()
    assert "Dry run, nothing stored: organisations would be 5 created" in run(SAMPLE, "--dry-run")


def test_a_dry_run_of_a_reimport_counts_updates():
    run(SAMPLE)
    summary = run_json(DATA / "sample_updated.ftm.json", "--dry-run")

    assert (summary["created"], summary["updated"]) == (0, 1)
    assert Organisation.objects.get(ftm_id="fict-co-tekhsvyaz").topics == ["sanction", "export.control"]


def test_the_json_summary_has_every_count():
    assert run_json(SAMPLE) == {
        "imported": True, "lines": 8, "created": 5, "updated": 0, "unchanged": 0, "restricted": 3, "aliases_capped": 0,
        "skipped": 3, "skipped_schemata": {"Address": 1, "Person": 1, "Sanction": 1}, "other_dataset": 0,
        "dataset": None, "dry_run": False}


def test_the_import_is_audited_with_its_counts_not_its_content():
    run(SAMPLE, "--dataset", "us_trade_csl")

    event = AuditEvent.objects.get(action="import")
    assert event.actor_name == "cli" and event.object_type == "organisation"
    assert event.detail["what"] == "organisations" and event.detail["created"] == 4 and event.detail["dataset"] == "us_trade_csl"
    assert "Svyaz" not in json.dumps(event.detail, ensure_ascii=False)


def test_no_name_reaches_a_log(caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    run(SAMPLE)
    refused(write(tmp_path, company(), "{broken"))

    logged = "\n".join(r.getMessage() + repr(r.args) for r in caplog.records)
    for name in ("Svyaz", "Связ", "Signals", "Fictional"):
        assert name not in logged


def test_a_lockdown_refuses_the_import_but_not_a_dry_run():
    from shelter.security.lockdown import turn_on

    turn_on("cli")
    assert "lockdown" in str(refused(SAMPLE))
    assert run_json(SAMPLE, "--dry-run")["created"] == 5


def test_the_sample_entities_are_valid_followthemoney():
    from followthemoney import model

    for path in (SAMPLE, DATA / "sample_updated.ftm.json", DATA / "script_name.ftm.json"):
        for text in path.read_text("utf-8").splitlines():
            if text.strip():
                data = json.loads(text)
                proxy = model.get_proxy(data, cleaned=False)  # cleaning drops what FtM does not accept
                assert {p: sorted(proxy.get(p)) for p in data["properties"]} == {p: sorted(v) for p, v in data["properties"].items()}


# --- speed -----------------------------------------------------------------------------------------


def test_fifty_thousand_entities_import_in_well_under_a_minute(tmp_path):
    path = tmp_path / "big.ftm.json"
    with path.open("w", encoding="utf-8") as f:
        for n in range(50_000):
            f.write(json.dumps({"id": f"fict-{n}", "schema": "Company" if n % 2 else "PublicBody",
                                "properties": {"name": [f"Fictional Company {n}", f"ООО «Фиктивная компания {n}»"],
                                              "alias": [f"FC{n}"], "country": ["ru"], "topics": ["sanction"]},
                                "datasets": ["us_trade_csl"], "last_seen": "2026-11-30T08:12:44"}, ensure_ascii=False) + "\n")
    started = time.monotonic()
    summary = run_json(path)
    seconds = time.monotonic() - started
    assert summary["created"] == 50_000 and Organisation.objects.count() == 50_000
    assert seconds < 30, f"{seconds:.1f} s"
    started = time.monotonic()
    assert run_json(path)["unchanged"] == 50_000
    assert time.monotonic() - started < 30
