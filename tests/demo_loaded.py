"""The demo data set, loaded and committed once for a module or class of tests (loading takes seconds),
then flushed; the demo mode the command switches on is switched off again."""

import os
from contextlib import contextmanager
from io import StringIO

from django.core.management import call_command
from django.test import override_settings


@contextmanager
def committed_demo(django_db_blocker):
    """Yields what `shelter demo` printed."""
    environment = os.environ.get("SHELTER_DEMO")
    out = StringIO()
    with django_db_blocker.unblock(), override_settings():
        call_command("demo", "--no-serve", stdout=out, stderr=StringIO())
    try:
        yield out.getvalue()
    finally:
        if environment is None:
            os.environ.pop("SHELTER_DEMO", None)
        else:
            os.environ["SHELTER_DEMO"] = environment
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
