"""The logging filters on django.request (shelter/logfilters.py, settings.LOGGING)."""

import logging

from .conftest import login


def test_a_refused_request_is_logged_as_one_line_without_a_traceback(client, researcher, case, caplog):
    login(client, researcher)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(f"/cases/{case.pk}/edit/")
    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == "Forbidden (Permission denied): /cases/[…]"
    assert record.exc_info is None and "Traceback" not in caplog.text
