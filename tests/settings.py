"""Test settings: a fresh, throw-away SHELTER_HOME for every test run, so no user data is touched."""

import os
import tempfile

os.environ["SHELTER_HOME"] = tempfile.mkdtemp(prefix="shelter-test-")
os.environ.pop("SHELTER_MASTER_KEY", None)
os.environ.setdefault("SHELTER_DEMO", "false")

from shelter.settings import *  # noqa: E402,F403

# Plain HTTP in tests (live server, test client).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
# The suite logs in with client.login; tests/test_mfa.py switches MFA on with the settings fixture.
SHELTER_MFA_REQUIRED = False
# tests/test_cmd_export.py exports identity data freely; tests/test_insider_alerts.py switches
# two-person export approval back on with the settings fixture.
SHELTER_EXPORT_APPROVAL = False
# Argon2 costs tens of milliseconds per password and the suite makes thousands of users: tests hash
# with MD5, and the tests whose subject is the hasher (and the lock-out's dummy-hash timing) switch
# the production hashers back on with the `argon2` fixture of tests/conftest.py.
PRODUCTION_PASSWORD_HASHERS = PASSWORD_HASHERS  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
