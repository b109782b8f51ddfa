"""CCF time limits: the deadline that follows from a request's filing date."""

import datetime

from shelter.assessment import time_limits


def test_an_access_request_is_answered_within_four_months():
    assert time_limits.due("ccf_access", "2026-03-10") == datetime.date(2026, 7, 10)


def test_a_deletion_request_is_decided_within_nine_months():
    assert time_limits.due("ccf_deletion", "2026-05-20") == datetime.date(2027, 2, 20)


def test_a_month_without_the_day_ends_on_its_last_day():
    assert time_limits.due("ccf_access", "2025-10-31") == datetime.date(2026, 2, 28)


def test_no_deadline_without_the_filing_day_or_for_other_kinds():
    assert time_limits.due("ccf_access", "2026-03") is None
    assert time_limits.due("ccf_access", "") is None
    assert time_limits.due("court", "2026-03-10") is None


def test_every_limit_cites_its_source():
    assert all(entry["source"] and entry["label"]["ru"] for entry in time_limits.limits().values())
