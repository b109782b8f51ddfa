"""Logs: whatever a caseworker types about a person, and whatever fails on the way, no log record
carries it — every logger is turned up to DEBUG (SQL included) while a caseworker creates, reads
and searches persons, fails a login, hits a 404 and a validation error, in the UI and the API."""

import logging
import os
import socket
import subprocess
import sys
import re
import time
import urllib.parse
import urllib.request

import pytest
from django.db import connection
from django.test import Client

from shelter.records.models import Incident, Person
from tests.apiclient import api, url

from .conftest import PASSWORD

pytestmark = pytest.mark.attack("logs")

NAME = "Zhyldyzkan Quorbelieva"
CYRILLIC_NAME = "Жылдызкан Корбелиева"
PHONE = "+996 555 271 828"
NARRATIVE = "Followed from the Qwerflax bakery by two men"
BIRTH_PLACE = "Uzgenvillequorb"
WRONG_PASSWORD = "Wrong-Password-7781"
SECRETS = [NAME, "Zhyldyzkan", "Quorbelieva", CYRILLIC_NAME, "Корбелиева", PHONE, "271 828", NARRATIVE, "Qwerflax",
           BIRTH_PLACE, WRONG_PASSWORD]


# Loggers Shelter's settings keep above DEBUG whatever else is raised (the test below holds them to it).
PINNED = {"django.template"}


class Everything(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        text = self.format(record)
        self.lines.append(text + repr(record.args) + repr(getattr(record, "request", "")))


@pytest.fixture
def every_log_line(caplog):
    """Every record of every logger at DEBUG, formatted with its traceback, plus SQL statements with
    their parameters."""
    caplog.set_level(logging.DEBUG)
    handler = Everything()
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    loggers = [logging.getLogger()] + [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)
                                       if name not in PINNED]
    levels = {logger: logger.level for logger in loggers}
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        if logger is logging.getLogger() or not logger.propagate:
            logger.addHandler(handler)
    connection.force_debug_cursor = True
    yield lambda: handler.lines + [caplog.text]
    connection.force_debug_cursor = False
    for logger, level in levels.items():
        logger.setLevel(level)
        logger.removeHandler(handler)


def person_form(**overrides):
    data = {
        "birth_date": "1988-02-29", "birth_place": BIRTH_PLACE, "nationalities": ["KG"], "gender": "female",
        "external_id": "", "notes": NARRATIVE,
        "names-TOTAL_FORMS": "2", "names-INITIAL_FORMS": "0", "names-MIN_NUM_FORMS": "1", "names-MAX_NUM_FORMS": "1000",
        "names-0-value": NAME, "names-0-kind": "primary", "names-0-language": "", "names-0-script": "",
        "names-1-value": CYRILLIC_NAME, "names-1-kind": "alias", "names-1-language": "ru", "names-1-script": "",
        "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0", "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000", "contacts-0-kind": "phone", "contacts-0-value": PHONE,
    }
    for prefix in ("documents", "asylum_statuses"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0",
                     f"{prefix}-MAX_NUM_FORMS": "1000"})
    data.update(overrides)
    return data


def a_caseworkers_day(case, caseworker):
    """Create, read, search; a failed login, a 404 and validation errors, in the UI and the API."""
    anonymous = Client(raise_request_exception=False)
    assert anonymous.post("/login/", {"username": caseworker.username, "password": WRONG_PASSWORD}).status_code == 200
    browser = Client(raise_request_exception=False)
    assert browser.login(username=caseworker.username, password=PASSWORD)
    response = browser.post(f"/cases/{case.pk}/persons/new/", person_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(case=case)
    assert PHONE in browser.get(f"/persons/{person.pk}/").content.decode()
    assert browser.post("/search/", {"q": NAME}).status_code == 200
    assert browser.post("/search/", {"q": CYRILLIC_NAME}, HTTP_HX_REQUEST="true").status_code == 200
    assert browser.get(f"/persons/{person.pk}/edit/").status_code == 200
    invalid = person_form(birth_date=f"{NAME} 31.02.1980", nationalities=[PHONE])
    assert browser.post(f"/persons/{person.pk}/edit/", invalid | {"names-INITIAL_FORMS": "0"}).status_code == 200
    assert browser.get(f"/persons/{NAME}/").status_code == 404
    assert browser.get(f"/no-such-page/{PHONE}/").status_code == 404
    client = api(caseworker, raise_request_exception=False)
    assert client.get(url("persons"), {"q": NAME}).status_code == 200
    assert client.get(url(f"persons/{person.pk}")).status_code == 200
    bad = {"case_id": str(case.pk), "birth_date": NAME, "names": [{"value": NAME}], "contacts": [{"kind": "fax", "value": PHONE}]}
    assert client.post(url("persons"), bad, content_type="application/json").status_code == 422
    incident = {"case_id": str(case.pk), "title": NAME, "date": "2022", "origin_state": "KG", "host_state": "RU",
                "narrative": NARRATIVE}
    assert client.post(url("incidents"), incident, content_type="application/json").status_code == 201
    assert client.get(url(f"incidents/{Incident.objects.get(case=case).pk}")).status_code == 200
    assert client.get(url(f"persons/{NAME}")).status_code in (404, 422)
    return person


def test_no_log_record_carries_identity_data_or_a_password(every_log_line, case, caseworker):
    a_caseworkers_day(case, caseworker)
    lines = every_log_line()
    assert any("SELECT" in line for line in lines), "the capture saw no SQL: it cannot have seen anything"
    assert any("Not Found" in line for line in lines), "the capture missed the 404 warnings"
    for line in lines:
        for secret in SECRETS:
            assert secret.lower() not in line.lower(), (secret, line[:500])


def test_template_debugging_stays_off_even_when_django_logs_everything():
    """django.template's DEBUG records print whole template contexts (search queries, persons)."""
    from logging.config import dictConfig

    from django.conf import settings

    levels = {name: logging.getLogger(name).level for name in ("django", "django.template")}
    try:
        dictConfig(settings.LOGGING | {"loggers": settings.LOGGING["loggers"] | {"django": {"level": "DEBUG"}}})
        assert not logging.getLogger("django.template").isEnabledFor(logging.DEBUG)
    finally:
        dictConfig(settings.LOGGING)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def test_a_records_repr_names_no_one(person):
    assert "Karimov" not in repr(person) and "Каримов" not in repr(person)
    assert repr(person) == f"<Person: {person.pk}>"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(address, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return urllib.request.urlopen(address + "/login/", timeout=2)
        except OSError:
            time.sleep(0.2)
    raise AssertionError("shelter serve did not come up")


def quietly(address, form=None, cookie=None):
    data = urllib.parse.urlencode(form).encode() if form else None
    request = urllib.request.Request(address, data=data, headers={"Cookie": cookie} if cookie else {})
    try:
        return urllib.request.urlopen(request, timeout=5)
    except OSError:
        return None


def test_the_servers_output_carries_no_identity_data_or_password(tmp_path):
    """The real server, as deployed: its standard output and error while a login fails with the
    password and a 404 names a person. (The in-process test above covers what a signed-in user does.)"""
    env = os.environ | {"SHELTER_HOME": str(tmp_path), "SHELTER_DEMO": "false", "DJANGO_SETTINGS_MODULE": "shelter.settings"}
    env.pop("SHELTER_MASTER_KEY", None)
    env.pop("SHELTER_DATABASE_URL", None)  # its own SQLite file under tmp_path, on either test run
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "shelter.cli", "serve", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        address = f"http://127.0.0.1:{port}"
        wait_for(address)
        # The CSRF cookie is Secure in production, so it is sent back by hand over plain HTTP.
        first = urllib.request.urlopen(address + "/login/", timeout=5)
        cookie = first.headers["Set-Cookie"].split(";")[0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', first.read().decode()).group(1)
        for path in (f"/persons/{NAME}/", f"/search/?q={PHONE}", f"/api/v1/persons?q={NAME}"):
            quietly(address + urllib.parse.quote(path, safe="/?="))
        form = {"username": NAME, "password": WRONG_PASSWORD, "csrfmiddlewaretoken": token}
        answer = quietly(address + "/login/", form, cookie)
        assert answer is not None and answer.status == 200, "the failed login was not even attempted"
        quietly(address + "/login/", form, cookie=None)  # refused for its missing cookie, and logged
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode(errors="replace")
    assert "Not Found: /persons/" in output, "the server logged no 404: the test saw nothing"
    for secret in [NAME, "Zhyldyzkan", PHONE, "271", WRONG_PASSWORD]:
        assert secret not in output, (secret, output[-2000:])
