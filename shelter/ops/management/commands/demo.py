"""``shelter demo``: a demo instance with fictional data, served locally.

Demo mode is switched on here whatever ``SHELTER_DEMO`` says, since the command can only run
after the settings were loaded: the process environment and the live settings are both updated.
"""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from shelter.ops import demo_data, scale_data

from .serve import add_server_arguments, run

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def enable_demo_mode():
    os.environ["SHELTER_DEMO"] = "true"
    settings.SHELTER_DEMO = True
    settings.SHELTER_PRODUCTION = False
    # Derived from production mode when the settings were loaded: the demo logins are printed for
    # anyone to try, without an authenticator app.
    settings.SHELTER_MFA_REQUIRED = False
    # The demo is served over plain HTTP on this machine: cookies marked Secure would never come back.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False


class Command(BaseCommand):
    help = "Load fictional demo data (once) and serve the web app with demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="load the demo data and exit")
        parser.add_argument("--scale", type=int, default=0, metavar="N",
                            help="also add N fictional persons in cases of five, for load tests (bulk; added once)")
        parser.add_argument("--incidents", type=int, metavar="M", help="with --scale: incidents to add (default N/5)")
        add_server_arguments(parser)

    def handle(self, *args, no_serve=False, host, port, scale=0, incidents=None, **options):
        if scale < 0 or (incidents is not None and incidents < 0):
            raise CommandError("--scale and --incidents count persons and incidents: 0 or more")
        enable_demo_mode()
        call_command("migrate", interactive=False, verbosity=0)
        if demo_data.demo_present():
            self.stdout.write("Demo data already loaded.")
        elif demo_data.foreign_data_present():
            raise CommandError(
                "this instance already holds accounts or cases that are not demo data; the demo only runs "
                "on an instance of its own (set SHELTER_HOME to an empty directory)"
            )
        else:
            counts = self.load()
            self.stdout.write(
                "Loaded fictional demo data: "
                + ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in counts.items())
                + "."
            )
        if scale:
            self.load_scale(scale, scale // 5 if incidents is None else incidents)
        self.print_logins()
        if no_serve:
            return
        if host not in LOOPBACK:
            self.stderr.write(f"Warning: the demo logins above are public; {host} is reachable from other machines.")
        run(host, port, self.stdout)

    def load(self) -> dict:
        stream = getattr(self.stderr, "_out", sys.stderr)  # the raw stream: tqdm redraws with \r
        with tqdm(total=demo_data.steps(), desc="Generating demo data", unit="step", file=stream, leave=False) as bar:
            return demo_data.load(progress=bar.update)

    def load_scale(self, persons: int, incidents: int):
        there = scale_data.present()
        if there >= persons:
            self.stdout.write(f"Scale data already loaded ({there} persons).")
            return
        stream = getattr(self.stderr, "_out", sys.stderr)
        with tqdm(total=persons - there, desc="Generating scale data", unit="person", file=stream, leave=False) as bar:
            counts = scale_data.load(persons - there, round(incidents * (persons - there) / persons), progress=bar.update)
        self.stdout.write("Added fictional scale data: " + ", ".join(f"{n} {what}" for what, n in counts.as_dict().items()) + ".")

    def print_logins(self):
        self.stdout.write(f"Demo logins (all fictional, password: {demo_data.DEMO_PASSWORD}):")
        for username, role in demo_data.DEMO_USERS:
            self.stdout.write(f"  {username:<12} {role.label:<14} password: {demo_data.DEMO_PASSWORD}")
