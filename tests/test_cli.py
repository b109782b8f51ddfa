"""The ``shelter`` entry point (shelter/cli.py): every command works on a new instance, and one whose
database lags behind the code is told what to run, never shown a traceback."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def shelter(home, *args):
    """A command in a fresh process that sees only what an operator's shell would: no test settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHELTER_", "DJANGO_"))}
    env["SHELTER_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "shelter.cli", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )


def migrations_recorded(home) -> set:
    with sqlite3.connect(home / "shelter.sqlite3") as db:
        return set(db.execute("SELECT app, name FROM django_migrations"))


def test_a_first_command_on_a_new_instance_creates_its_tables(tmp_path):
    people = tmp_path / "people.jsonl"
    people.write_text('{"id": "p1", "name": "Ivan Petrov"}\n')

    result = shelter(tmp_path / "home", "persons", "import", str(people))

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "new database" in result.stderr
    assert ("records", "0001_initial") in migrations_recorded(tmp_path / "home")


def test_an_instance_with_pending_migrations_is_told_to_run_migrate(tmp_path):
    home = tmp_path / "home"
    assert shelter(home, "migrate").returncode == 0
    with sqlite3.connect(home / "shelter.sqlite3") as db:
        app, name = db.execute("SELECT app, name FROM django_migrations WHERE app = 'security' ORDER BY id DESC").fetchone()
        db.execute("DELETE FROM django_migrations WHERE app = ? AND name = ?", (app, name))
    before = migrations_recorded(home)

    result = shelter(home, "lockdown", "status")

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{app}.{name}" in result.stderr and "run `shelter migrate`" in result.stderr
    assert migrations_recorded(home) == before  # nothing was changed behind the operator's back


def test_a_broken_config_file_is_reported_without_a_traceback(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "shelter.toml").write_text("database_url = = 'x'\n")

    result = shelter(home, "lockdown", "status")

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "shelter.toml" in result.stderr


def test_an_unreachable_database_is_reported_without_a_traceback_or_its_password(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "shelter.toml").write_text('database_url = "postgres://shelter:S3cretPassw0rd@127.0.0.1:9/shelter"\n')

    result = shelter(home, "lockdown", "status")

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "cannot use the database" in result.stderr and "database_url" in result.stderr
    assert "S3cretPassw0rd" not in result.stdout + result.stderr
