"""Identity data of the demo data set must never reach the disk in clear: not in the database file
(SQLite) or a dump of the database (PostgreSQL), not in the evidence blobs."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from shelter.ops import demo_data
from shelter.records.evidence import open_evidence
from shelter.records.models import ContactDetail, EvidenceFile, IdentityDocument, Incident, Organisation, PersonName

pytestmark = pytest.mark.django_db(transaction=True)  # the data must be committed to reach the file

MIN_DATABASE_BYTES = 300_000


@pytest.fixture
def secrets():
    """Every identity value of the demo data set, as it would appear in clear."""
    demo_data.load()
    names = [n.value for n in PersonName.objects.all()]
    surnames = {name.split(" ", 1)[1] for name in names if " " in name}
    narratives = [i.narrative for i in Incident.objects.all()]
    fragments = [n.removeprefix(demo_data.FICTIONAL).strip()[:48] for n in narratives]
    contacts = {kind: [c.value for c in ContactDetail.objects.filter(kind=kind)] for kind in ("phone", "email")}
    documents = [d.number for d in IdentityDocument.objects.all()]
    from shelter.actors.models import ActorName, Identifier
    from shelter.identifiers.normalise import normalise

    identifiers = [i.value for i in Identifier.objects.all()]
    found = {
        "names": names, "surnames": sorted(surnames), "narratives": narratives, "narrative fragments": fragments,
        "phones": contacts["phone"], "emails": contacts["email"], "document numbers": documents,
        "actors' names": [n.value for n in ActorName.objects.all()], "actors' identifiers": identifiers,
        "identifiers as compared": [normalise(i.kind, i.value, i.country) for i in Identifier.objects.all()],
    }
    # Both scripts must be among the names, or the check below would prove less than it claims.
    assert any(any("\u0400" <= c <= "\u04ff" for c in n) for n in names)
    assert any(n.isascii() for n in names)
    assert all(len(values) >= 10 for values in found.values()), {k: len(v) for k, v in found.items()}
    return found


def leaks(data: bytes, secrets: dict) -> dict:
    return {
        what: [v for v in values if v.encode("utf-8") in data]
        for what, values in secrets.items()
        if any(v.encode("utf-8") in data for v in values)
    }


def assert_no_identity_in(data: bytes, secrets: dict):
    assert len(data) > MIN_DATABASE_BYTES, "too little data read: this check could not fail"
    # A positive control: public data of the same data set is stored in clear and found.
    assert Organisation.objects.get(name=demo_data.AGENCIES["RU"][0]).name.encode() in data
    assert leaks(data, secrets) == {}


def test_the_sqlite_database_file_holds_no_identity_data_in_clear(secrets):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    path = Path(connection.settings_dict["NAME"])
    if not path.is_file():
        pytest.skip("in-memory SQLite database")
    data = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-journal")) if p.exists())

    assert_no_identity_in(data, secrets)


def pg_dump_binary() -> str:
    directory = os.environ.get("SHELTER_PG_BIN")
    binary = str(Path(directory) / "pg_dump") if directory else shutil.which("pg_dump")
    if not binary or not Path(binary).exists():
        pytest.fail("pg_dump not found: set SHELTER_PG_BIN or put it on PATH")
    return binary


def test_a_postgresql_dump_holds_no_identity_data_in_clear(secrets):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    settings = connection.settings_dict
    command = [pg_dump_binary(), "--no-owner", "--dbname", settings["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command += [option, str(settings[key])]
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    dump = subprocess.run(command, env=env, capture_output=True, check=True, timeout=120).stdout

    assert_no_identity_in(dump, secrets)


def test_evidence_blobs_on_disk_hold_no_plaintext(secrets):
    files = list(EvidenceFile.objects.all())
    assert files

    for evidence in files:
        blob = evidence.blob_path.read_bytes()
        plaintext = open_evidence(evidence)
        assert plaintext not in blob
        assert plaintext[:32] not in blob
        assert leaks(blob, {"names": secrets["names"], "surnames": secrets["surnames"]}) == {}
