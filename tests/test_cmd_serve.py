import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from shelter.ops.management.commands.serve import build_server, server_urls

REPO = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 90  # a first start migrates a fresh database


def fetch(url):
    """The HTTP status of a GET; an error status is a response too (the UI is not the point here)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Server", "")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Server", "")


def read_url(process) -> str:
    """The URL the command prints once it listens (read in a thread, so a hang cannot block the test)."""
    found = {}

    def reader():
        for line in process.stdout:
            match = re.search(r"http://\S+/", line)
            if match:
                found["url"] = match.group(0)
                return

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    thread.join(STARTUP_SECONDS)
    if "url" not in found:
        process.kill()
        pytest.fail(f"shelter serve printed no URL: {process.stderr.read()[-2000:]}")
    return found["url"]


@pytest.fixture
def running_server(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SHELTER_DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(SHELTER_HOME=str(tmp_path), PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "shelter.cli", "serve", "--host", "127.0.0.1", "--port", "0"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        yield process, read_url(process), tmp_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_it_answers_http_requests_on_the_printed_address(running_server):
    process, url, _ = running_server

    status, server = fetch(url + "login/")

    assert url.startswith("http://127.0.0.1:")
    assert 200 <= status < 500
    assert server == "waitress"
    assert process.poll() is None


def test_it_migrates_the_database_before_serving(running_server):
    _, _, home = running_server

    with sqlite3.connect(home / "shelter.sqlite3") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    assert {"records_case", "records_person", "audit_auditevent", "accounts_user"} <= tables


def test_the_files_it_creates_are_for_its_owner_only(running_server):
    _, _, home = running_server

    for name in ("shelter.sqlite3", "secret.key"):
        assert (home / name).stat().st_mode & 0o077 == 0, name


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_it_binds_the_requested_host_and_port(db):
    port = free_port()
    server = build_server("127.0.0.1", port)
    try:
        assert server_urls(server) == [f"http://127.0.0.1:{port}/"]
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass  # the socket listens before serve() even runs
    finally:
        server.close()


def test_it_refuses_a_port_that_is_taken(db):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(CommandError, match="cannot listen"):
            build_server("127.0.0.1", taken.getsockname()[1])
