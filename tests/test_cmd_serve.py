import contextlib
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
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


@contextlib.contextmanager
def serving(home, *arguments, **environ):
    env = {k: v for k, v in os.environ.items() if k not in ("SHELTER_DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(SHELTER_HOME=str(home), PYTHONUNBUFFERED="1", **environ)
    process = subprocess.Popen(
        [sys.executable, "-m", "shelter.cli", "serve", "--host", "127.0.0.1", "--port", "0", *arguments],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        yield process, read_url(process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def running_server(tmp_path):
    with serving(tmp_path) as (process, url):
        yield process, url, tmp_path


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


UPLOAD_LIMIT = 600 * 1024  # SHELTER_MAX_UPLOAD_MB=0.5859375: more than waitress's 512 KiB in-memory default
ENVELOPE = 1024 * 1024  # what a request may carry besides the file (settings.SHELTER_MAX_REQUEST_BYTES)


@pytest.fixture
def small_limit_server(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    with serving(tmp_path / "home", SHELTER_MAX_UPLOAD_MB=str(UPLOAD_LIMIT / 1024 / 1024), TMPDIR=str(temp)) as (
        process, url
    ):
        yield process, urllib.parse.urlsplit(url).port, temp


def open_files_in(process, directory) -> list[str]:
    """Files the process has open in ``directory`` (an unlinked temporary file still shows here)."""
    fds = Path(f"/proc/{process.pid}/fd")
    targets = []
    for fd in fds.iterdir():
        try:
            targets.append(os.readlink(fd))
        except OSError:
            pass  # closed meanwhile
    return [t for t in targets if t.startswith(str(directory))]


def post_head(port, length) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(
        f"POST /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
        f"Content-Length: {length}\r\n\r\n".encode()
    )
    return sock


def status_of(sock) -> int:
    return int(sock.recv(4096).split(b" ", 2)[1])


@pytest.mark.attack("data-at-rest")
def test_a_body_larger_than_waitress_default_buffer_never_reaches_the_temp_dir(small_limit_server):
    process, port, temp = small_limit_server
    length = UPLOAD_LIMIT + 1000  # a passport scan just under the limit, in its multipart envelope
    with post_head(port, length) as sock:
        sock.sendall(b"P" * (length - 10))
        time.sleep(1)  # waitress has buffered what it received: in memory, or in a file in TMPDIR
        spilled = open_files_in(process, temp)
        sock.sendall(b"P" * 10)
        status = status_of(sock)
    assert spilled == []
    assert status == 403  # the body reached Django (no CSRF token), not a waitress error
    assert list(temp.iterdir()) == []


@pytest.mark.attack("denial-of-service")
def test_a_body_over_the_upload_limit_is_refused_before_it_is_read(small_limit_server):
    _, port, _ = small_limit_server
    with post_head(port, UPLOAD_LIMIT + ENVELOPE + 1) as sock:
        assert status_of(sock) == 413


def test_it_never_spills_responses_to_temporary_files(db, settings):
    server = build_server("127.0.0.1", 0)
    try:
        # waitress holds at most the high watermark plus one chunk of a response before it blocks the
        # app: that bound is what keeps memory in check, not a temporary file of decrypted evidence.
        assert server.adj.outbuf_overflow > server.adj.outbuf_high_watermark + settings.SHELTER_MAX_REQUEST_BYTES
        assert server.adj.inbuf_overflow > server.adj.max_request_body_size == settings.SHELTER_MAX_REQUEST_BYTES
    finally:
        server.close()


def test_with_workers_several_processes_answer_and_all_stop_with_the_parent(tmp_path):
    import psutil

    with serving(tmp_path, "--workers", "2") as (process, url):
        parent = psutil.Process(process.pid)
        for _ in range(100):  # the URL is printed before the fork
            if len(workers := parent.children()) == 2:
                break
            time.sleep(0.1)
        assert len(workers) == 2
        for _ in range(6):
            assert fetch(url + "login/")[0] == 200
        # Both processes accept on the one socket the parent bound.
        port = int(url.rsplit(":", 1)[1].strip("/"))
        for worker in workers:
            assert any(c.laddr.port == port and c.status == psutil.CONN_LISTEN for c in worker.net_connections())
    for worker in workers:
        worker.wait(timeout=10)
        assert not worker.is_running()


def test_it_refuses_fewer_than_one_worker(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SHELTER_DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    done = subprocess.run([sys.executable, "-m", "shelter.cli", "serve", "--workers", "0"], cwd=REPO, text=True,
                          env={**env, "SHELTER_HOME": str(tmp_path)}, capture_output=True, timeout=120)
    assert done.returncode != 0 and "--workers" in done.stderr
