"""``shelter publish --output``: the open dataset of the demo data, checked the way its readers and its
attackers would read it: the files on disk, k counted by us and by pycanon, the package validated
by the frictionless command, every sealed value of the demo searched for in every file."""

import csv
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from pycanon import anonymity

from shelter.audit.models import AuditEvent
from shelter.records.fields import SealedField
from shelter.records.models import Case, Incident, Person, PublicationConsent

pytestmark = pytest.mark.filterwarnings("ignore")

from .demo_loaded import committed_demo

QIS = ["year", "origin", "host", "tactics", "profile", "gender", "outcome"]
FRICTIONLESS = Path(sys.executable).with_name("frictionless")


def publish(*args):
    err = StringIO()
    call_command("publish", *args, stdout=StringIO(), stderr=err)
    return err.getvalue()


@pytest.fixture(scope="module")
def demo_published(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data published with k=5."""
    out = tmp_path_factory.mktemp("published") / "dataset"
    with committed_demo(django_db_blocker):
        with django_db_blocker.unblock():
            summary = publish("--k", "5", "--output", str(out))
        yield out, summary


@pytest.fixture
def published(demo_published, db, settings):
    settings.SHELTER_DEMO = False
    return demo_published[0]


def read_csv(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.attack("disclosure")
def test_every_combination_of_the_quasi_identifiers_occurs_five_times(published):
    rows = read_csv(published / "incidents.csv")
    assert len(rows) >= 50
    assert min(Counter(tuple(r[q] for q in QIS) for r in rows).values()) >= 5


@pytest.mark.attack("disclosure")
def test_pycanon_finds_the_dataset_5_anonymous(published):
    frame = pd.read_csv(published / "incidents.csv", dtype=str, keep_default_na=False)
    assert anonymity.k_anonymity(frame, QIS) >= 5


def test_the_descriptor_declares_the_quasi_identifiers_and_k(published):
    descriptor = json.loads((published / "datapackage.json").read_text())
    incidents = {r["name"]: r for r in descriptor["resources"]}["incidents"]
    assert incidents["quasiIdentifiers"] == QIS
    assert incidents["k"] == 5
    assert incidents["disclosureControl"]["levels"].keys() == set(QIS)
    assert [f["name"] for f in incidents["schema"]["fields"]] == list(read_csv(published / "incidents.csv")[0])
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["created"] and descriptor["sources"]


def test_frictionless_validate_passes(published):
    result = subprocess.run([str(FRICTIONLESS), "validate", "datapackage.json"], cwd=published,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "VALID" in result.stdout and "INVALID" not in result.stdout


def test_frictionless_validate_fails_on_a_tampered_file(published, tmp_path):
    """The check above could fail: a value outside the schema is caught, in the JSON rows too."""
    copy = tmp_path / "copy"
    shutil.copytree(published, copy)
    rows = json.loads((copy / "incidents.json").read_text())
    rows[0]["origin"] = "Tashkent"
    (copy / "incidents.json").write_text(json.dumps(rows))
    result = subprocess.run([str(FRICTIONLESS), "validate", "datapackage.json"], cwd=copy,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "constraint" in result.stdout


def test_the_json_holds_the_same_rows_as_the_csv(published):
    as_json = json.loads((published / "incidents.json").read_text())
    as_csv = read_csv(published / "incidents.csv")
    assert len(as_json) == len(as_csv)
    assert [r["origin"] for r in as_json] == [r["origin"] for r in as_csv]


def strings(value, inside_json=False) -> list[str]:
    """The texts of a sealed value: itself, or the texts inside a value sealed as JSON — there only
    those of 8 characters or more, as the keys and codes of structured values ("name", "UZ") are
    in the dataset's own vocabulary."""
    if not isinstance(value, str) or not value.strip():
        return []
    try:
        parsed = json.loads(value)
    except ValueError:
        return [value.strip()] if not inside_json or len(value.strip()) >= 8 else []
    if isinstance(parsed, dict):
        parsed = list(parsed.values())
    if isinstance(parsed, list):
        return [t for item in parsed for t in strings(item if isinstance(item, str) else json.dumps(item), True)]
    return []  # a number or a boolean


def sealed_values() -> dict[str, set[str]]:
    """Every value of every sealed field of every record, decrypted, by field; and the references."""
    found: dict[str, set[str]] = {}
    for model in apps.get_models():
        fields = [f for f in model._meta.get_fields() if isinstance(f, SealedField)]
        for obj in model.objects.all() if fields else ():
            for f in fields:
                for value in strings(getattr(obj, f.name)):
                    found.setdefault(f"{model.__name__}.{f.name}", set()).add(value)
    found["Case.reference"] = set(Case.objects.values_list("reference", flat=True))
    return found


# Sealed fields that hold codes or numbers, not a name, narrative, reference, note or place: a date
# of birth ("1987") or a risk level ("high") would be found in the dataset by chance.
NOT_TEXT = {"Person.birth_date", "RiskAssessment.level"}


def leaks_in(directory: Path) -> dict[str, list[str]]:
    values = {field: v for field, v in sealed_values().items() if field not in NOT_TEXT}
    for field in ("PersonName.value", "Incident.narrative", "Incident.place", "Incident.title",
                  "LegalProcess.reference", "Case.reference", "Source.title", "Person.notes"):
        # The demo's persons share one note; every other field has many values.
        assert len(values.get(field, ())) >= (1 if field.endswith("notes") else 5), f"too few {field} values"
    words = {w for name in values["PersonName.value"] for w in name.split() if len(w) >= 4}
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(directory.iterdir())).casefold()
    found = {field: sorted(v for v in vs if v.casefold() in text) for field, vs in values.items()}
    # A part of a name as a word of its own ("Aijan" is in "Azerbaijan", which is no leak).
    found["PersonName words"] = sorted(w for w in words if re.search(rf"(?<!\w){re.escape(w.casefold())}(?!\w)", text))
    return {field: v for field, v in found.items() if v}


@pytest.mark.attack("disclosure")
def test_no_sealed_value_of_the_demo_appears_in_any_published_file(published):
    assert {p.name for p in published.iterdir()} >= {
        "datapackage.json", "incidents.csv", "incidents.json", "incidents-named.csv", "codebook.md", "codebook.ru.md"}
    assert leaks_in(published) == {}


def test_the_search_finds_a_sealed_value_written_into_a_copy(published, tmp_path):
    """The check above could fail."""
    copy = tmp_path / "copy"
    shutil.copytree(published, copy)
    place = next(i.place for i in Incident.objects.all() if i.place)
    with open(copy / "codebook.md", "a", encoding="utf-8") as f:
        f.write(place.upper())
    assert place in leaks_in(copy)["Incident.place"]


@pytest.mark.attack("disclosure")
def test_never_publish_cases_and_persons_without_consent_are_left_out(demo_published, db):
    summary = demo_published[1]
    hidden = Incident.objects.filter(case__never_publish=True).count()
    assert hidden > 0
    assert f"Left out {hidden} incidents in cases marked 'never publish'" in summary
    refused = Person.objects.filter(publication_consent=PublicationConsent.NONE, acts__isnull=False).distinct()
    assert refused.exists()
    assert "with a targeted person who has not consented to publication" in summary


def test_named_incidents_come_at_full_detail_in_their_own_resource(published):
    named = read_csv(published / "incidents-named.csv")
    assert named
    assert all(r["year"].isdigit() and len(r["origin"]) == 2 and len(r["host"]) == 2 for r in named)
    descriptor = json.loads((published / "datapackage.json").read_text())
    resource = {r["name"]: r for r in descriptor["resources"]}["incidents-named"]
    assert resource["quasiIdentifiers"] == [] and resource["k"] == 1


def test_the_codebook_explains_every_column_in_both_languages(published):
    columns = list(read_csv(published / "incidents.csv")[0])
    for name in ("codebook.md", "codebook.ru.md"):
        book = (published / name).read_text()
        assert all(f"`{c}`" in book for c in columns)
    assert "not prevalence" in (published / "codebook.md").read_text()
    assert "распространённость" in (published / "codebook.ru.md").read_text()


def test_each_run_is_audited_with_counts(published):
    event = AuditEvent.objects.filter(action="publish").latest("at")
    assert event.detail["k"] == 5
    assert event.detail["rows"] == len(read_csv(published / "incidents.csv"))


def test_it_refuses_a_directory_with_files_in_it_and_leaves_them(published, tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(CommandError, match="not an empty directory"):
        publish("--k", "5", "--output", str(tmp_path))
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_it_writes_into_an_empty_directory(published, tmp_path):
    target = tmp_path / "empty"
    target.mkdir()
    publish("--k", "3", "--output", str(target))
    assert (target / "datapackage.json").exists()


@pytest.mark.parametrize("args, reason", [
    (["--k", "1"], "--k must be at least 2"),
    (["--from", "2024", "--to", "2020"], "is after --to"),
    (["--l-diversity", "1"], "--l-diversity must be at least 2"),
    (["--k", "5000"], "cannot reach k=5000"),
    (["--from", "2090"], "no incident to publish"),
])
def test_it_refuses_bad_settings_with_a_reason_and_writes_nothing(published, tmp_path, args, reason):
    target = tmp_path / "out"
    with pytest.raises(CommandError, match=reason):
        publish(*args, "--output", str(target))
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_period_keeps_only_its_years(published, tmp_path):
    publish("--k", "2", "--from", "2020", "--to", "2024", "--max-suppression", "0.2", "--output", str(tmp_path / "p"))
    for name in ("incidents.csv", "incidents-named.csv"):
        for row in read_csv(tmp_path / "p" / name) if (tmp_path / "p" / name).exists() else ():
            if row["year"] != "*":
                first, *last = row["year"].split("-")
                assert int(first) <= 2024 and int((last or [first])[0]) >= 2020
    descriptor = json.loads((tmp_path / "p" / "datapackage.json").read_text())
    assert descriptor["temporalCoverage"] == {"from": 2020, "to": 2024}


def test_l_diversity_on_the_outcome(published, tmp_path):
    publish("--k", "3", "--l-diversity", "2", "--max-suppression", "0.2", "--output", str(tmp_path / "l"))
    frame = pd.read_csv(tmp_path / "l" / "incidents.csv", dtype=str, keep_default_na=False)
    qis = [q for q in QIS if q != "outcome"]
    assert anonymity.k_anonymity(frame, qis) >= 3
    assert anonymity.l_diversity(frame, qis, ["outcome"]) >= 2
    descriptor = json.loads((tmp_path / "l" / "datapackage.json").read_text())
    assert {r["name"]: r for r in descriptor["resources"]}["incidents"]["quasiIdentifiers"] == qis
