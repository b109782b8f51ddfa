"""``shelter security check``: run as a subprocess against a temporary $SHELTER_HOME configured
exactly as docs/production.md says, and against the demo configuration."""

import os
import subprocess
import sys
from urllib.parse import urlparse

import pytest

from shelter.crypto import keys
from shelter.exchange import archive

# The scripts/test run on PostgreSQL sets it; the SQLite run does not.
TEST_POSTGRES_URL = os.environ.get("SHELTER_DATABASE_URL", "")
ON_POSTGRES = TEST_POSTGRES_URL.startswith(("postgres://", "postgresql://"))
# What docs/production.md puts in shelter.toml, apart from the database URL.
DOCUMENTED = (
    'allowed_hosts = "shelter.example.org"\nhttps = true\nproxy_ssl_header = true\ntrusted_proxies = ["127.0.0.1", "::1"]\n'
)
UNREACHABLE_POSTGRES = "postgres://shelter:PASSWORD@127.0.0.1:9/shelter"


def make_home(tmp_path, toml: str):
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    config = home / "shelter.toml"
    config.write_text(toml)
    config.chmod(0o600)
    return home


def security_check(home, *args, master_key=True):
    """The check in a fresh process that sees only what a production service would: no test settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHELTER_", "DJANGO_"))}
    env["SHELTER_HOME"] = str(home)
    if master_key:
        env["SHELTER_MASTER_KEY"] = keys.encode(os.urandom(32))
    result = subprocess.run(
        [sys.executable, "-m", "shelter.cli", "security", "check", *args],
        env=env, capture_output=True, text=True, timeout=120,
    )
    return result.returncode, result.stdout, result.stderr


def lines(stdout: str) -> dict:
    """{check name: (status, message)}"""
    found = {}
    for line in stdout.splitlines():
        status, _, rest = line.partition(" ")
        name, _, message = rest.strip().partition(": ")
        if status in ("OK", "FAIL", "SKIP"):
            found[name] = (status, message)
    return found


def test_the_demo_configuration_fails_with_clear_reasons(tmp_path):
    home = make_home(tmp_path, 'demo = true\n')
    code, out, err = security_check(home)
    assert code != 0 and "check(s) failed" in err
    results = lines(out)
    for name in ("demo", "cookies", "HSTS", "https", "MFA", "database", "allowed hosts"):
        assert results[name][0] == "FAIL", name
    assert "demo mode is on" in results["demo"][1]
    assert "PostgreSQL" in results["database"][1]
    assert "only local host names" in results["allowed hosts"][1]
    assert results["django security.W004"][0] == "FAIL"  # Django's check --deploy is included


def test_sqlite_fails_a_production_instance(tmp_path):
    home = make_home(tmp_path, DOCUMENTED)
    code, out, _ = security_check(home)
    assert code != 0
    status, message = lines(out)["database"]
    assert status == "FAIL" and "SQLite is for a single user" in message


def test_loose_file_modes_and_a_wildcard_host_fail(tmp_path):
    home = make_home(tmp_path, DOCUMENTED.replace('"shelter.example.org"', '"*"'))
    (home / "shelter.toml").chmod(0o644)
    home.chmod(0o755)
    code, out, _ = security_check(home, "--skip-database", master_key=False)
    results = lines(out)
    assert code != 0
    assert results["shelter.toml"] == ("FAIL", f"{home}/shelter.toml has mode 0644: run `chmod 600 {home}/shelter.toml`")
    assert results["SHELTER_HOME"][0] == "FAIL" and "chmod 700" in results["SHELTER_HOME"][1]
    assert results["allowed hosts"][0] == "FAIL"
    assert results["master key"] == ("FAIL", f"{home}/master.key is missing")


@pytest.mark.attack("backup")
def test_an_unencrypted_file_in_the_backup_directory_fails(tmp_path):
    home = make_home(tmp_path, DOCUMENTED)
    backups = home / "backups"
    backups.mkdir(mode=0o700)
    (backups / "good.shbk").write_bytes(archive.MAGIC + os.urandom(64))
    code, out, _ = security_check(home, "--skip-database")
    assert lines(out)["backups"][0] == "OK"
    (backups / "dump.sql").write_text("COPY records_person …")
    code, out, _ = security_check(home, "--skip-database")
    status, message = lines(out)["backups"]
    assert code != 0 and status == "FAIL" and "dump.sql" in message


def test_the_documented_configuration_passes_with_the_database_check_skipped(tmp_path):
    """Runs on every database. The database URL points nowhere reachable: the check is explicitly
    skipped, and says so."""
    home = make_home(tmp_path, f'database_url = "{UNREACHABLE_POSTGRES}"\n' + DOCUMENTED)
    code, out, err = security_check(home, "--skip-database")
    assert code == 0, out + err
    results = lines(out)
    assert results["database"][0] == "SKIP"
    assert [name for name, (status, _) in results.items() if status != "OK"] == ["database"]
    assert "some were skipped" in out


def maintenance_database(url: str) -> str:
    """The same server through its always-present "postgres" database: the test run has no database
    named in the URL until pytest creates test_…, and the role check is the same in any database."""
    return urlparse(url)._replace(path="/postgres").geturl()


@pytest.fixture
def postgres_role():
    """A login role without superuser rights on the test PostgreSQL server, as the documentation asks."""
    import psycopg

    parts = urlparse(TEST_POSTGRES_URL)
    admin = psycopg.connect(maintenance_database(TEST_POSTGRES_URL), autocommit=True)
    admin.execute("DROP ROLE IF EXISTS shelter_check")
    admin.execute("CREATE ROLE shelter_check LOGIN PASSWORD 'check-password' NOSUPERUSER")
    yield f"postgres://shelter_check:check-password@{parts.hostname}:{parts.port}/postgres"
    admin.execute("DROP ROLE IF EXISTS shelter_check")
    admin.close()


@pytest.mark.skipif(not ON_POSTGRES, reason="needs the test PostgreSQL server (scripts/test's postgres run)")
def test_the_documented_configuration_passes_against_postgresql(tmp_path, postgres_role):
    home = make_home(tmp_path, f'database_url = "{postgres_role}"\n' + DOCUMENTED)
    code, out, err = security_check(home)
    assert code == 0, out + err
    assert all(status == "OK" for status, _ in lines(out).values()), out
    assert lines(out)["database"] == ("OK", "PostgreSQL, as a user without superuser rights")
    assert "All checks passed." in out


@pytest.mark.skipif(not ON_POSTGRES, reason="needs the test PostgreSQL server (scripts/test's postgres run)")
def test_a_superuser_database_connection_fails(tmp_path):
    superuser = maintenance_database(TEST_POSTGRES_URL)  # initdb's user
    home = make_home(tmp_path, f'database_url = "{superuser}"\n' + DOCUMENTED)
    code, out, _ = security_check(home)
    status, message = lines(out)["database"]
    assert code != 0 and status == "FAIL" and "superuser" in message


@pytest.mark.attack("brute-force")
def test_a_proxy_whose_address_is_not_trusted_fails(tmp_path):
    """Behind a proxy that Shelter does not know, every client is the proxy: one attacker's failed
    logins lock everyone out, and the audit log shows no one's address."""
    home = make_home(tmp_path, DOCUMENTED.replace('trusted_proxies = ["127.0.0.1", "::1"]\n', ""))
    code, out, _ = security_check(home, "--skip-database")
    status, message = lines(out)["client address"]
    assert code != 0 and status == "FAIL" and "trusted_proxies" in message


def test_a_missing_or_stale_outside_audit_checkpoint_fails(tmp_path):
    import datetime

    from shelter.audit import checkpoint

    home = make_home(tmp_path, DOCUMENTED)
    code, out, _ = security_check(home, "--skip-database")
    assert lines(out)["audit checkpoints"][0] == "OK"  # a new instance has none yet

    key = checkpoint.load_or_create_key(home / "audit-signing.key")
    code, out, _ = security_check(home, "--skip-database")
    assert lines(out)["audit checkpoints"][0] == "FAIL" and code != 0  # signed before, none kept: deleted?

    folder = home / "audit-checkpoints"
    folder.mkdir(mode=0o700)
    taken = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=3)
    payload = checkpoint.make(key, sequence=7, entry_hash="0" * 64, head_at=None, entries=7, created_at=taken.isoformat())
    (folder / f"checkpoint-{taken:%Y%m%dT%H%M%S%f}-{7:010d}.json").write_text(checkpoint.dumps(payload))
    code, out, _ = security_check(home, "--skip-database")
    status, message = lines(out)["audit checkpoints"]
    assert status == "FAIL" and "3 days old" in message
