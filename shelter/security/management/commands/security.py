"""``shelter security check [--skip-database]``: one line per check, non-zero exit on any failure."""

from django.core.management.base import BaseCommand, CommandError

from shelter.security import checks


class Command(BaseCommand):
    help = "Security tools (subcommand: check — inspect this deployment's configuration)."
    # The command runs Django's checks itself (with the deployment ones) and reports them as lines.
    requires_system_checks = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        check = actions.add_parser("check", help="inspect the deployment: one line per check, OK or FAIL")
        check.add_argument("--skip-database", action="store_true",
                           help="do not connect to the database (e.g. when checking a copy of the configuration)")

    def handle(self, *args, action, **options):
        results = checks.run_all(skip_database=options["skip_database"])
        for result in results:
            self.stdout.write(result.line())
        failed = [r for r in results if r.status == "FAIL"]
        if failed:
            raise CommandError(f"{len(failed)} check(s) failed")
        self.stdout.write("All checks passed." if not any(r.status == "SKIP" for r in results)
                          else "All checks that ran passed (some were skipped).")
