"""``shelter lockdown on|off|status``: revoke every session and make the instance read-only, or lift it."""

from django.core.management.base import BaseCommand

from shelter.security import lockdown
from shelter.security.models import Lockdown


class Command(BaseCommand):
    help = "Turn lockdown on (revoke all sessions, read-only instance) or off, or show its state."

    def add_arguments(self, parser):
        parser.add_argument("state", choices=["on", "off", "status"])

    def handle(self, *args, state, **options):
        # Whoever runs this has the instance's files and keys already: the CLI acts as "cli".
        if state == "on":
            revoked = lockdown.turn_on("cli")
            self.stdout.write(f"Lockdown on: {revoked} session(s) revoked; Shelter is read-only until `shelter lockdown off`.")
        elif state == "off":
            lockdown.turn_off("cli")
            self.stdout.write("Lockdown off: Shelter accepts changes again.")
        else:
            current = Lockdown.current()
            if current.active:
                self.stdout.write(f"Lockdown on since {current.changed_at:%Y-%m-%d %H:%M} UTC (by {current.changed_by}).")
            else:
                self.stdout.write("Lockdown off.")
