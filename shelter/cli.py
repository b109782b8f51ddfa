"""The ``shelter`` command: Django management commands run against $SHELTER_HOME's instance.

Before a command runs, the instance's database is brought in line with the code, or the command is
refused: a new, empty database gets its tables (there is nothing in it to lose), while an existing
one with migrations pending is left alone and the operator is told to run ``shelter migrate`` —
changing a database that holds cases is the operator's decision, taken after a backup, not a side
effect of ``shelter lockdown status``. ``serve`` and ``demo`` migrate by themselves.
"""

import os
import sys

# Commands that migrate by themselves, or never read the instance's tables.
UNCHECKED = {
    "migrate", "serve", "demo", "help", "version", "check", "makemigrations", "showmigrations",
    "sqlmigrate", "squashmigrations", "makemessages", "compilemessages", "collectstatic", "dbshell",
    "security", "match",
}


def prepare_database(err) -> bool:
    """Create a new database's tables; False (after saying what to run) if an existing one lags."""
    from django.core.management import call_command
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        tables = connection.introspection.table_names()
        executor = MigrationExecutor(connection)
        pending = [migration for migration, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())]
    except DatabaseError:
        return True  # unreachable: the command may not need it (screen --against), or main() says so
    if not pending:
        return True
    if not tables:
        err.write("shelter: a new database: creating its tables first (shelter migrate)\n")
        call_command("migrate", interactive=False, verbosity=0)
        return True
    names = ", ".join(f"{m.app_label}.{m.name}" for m in pending[:5]) + (", …" if len(pending) > 5 else "")
    err.write(
        f"shelter: the database is older than this version of Shelter ({len(pending)} migration(s) "
        f"pending: {names}).\nBack it up, then run `shelter migrate`, then this command again.\n"
    )
    return False


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shelter.settings")
    # Everything an instance writes (database, keys, backups, exports) is for its owner only.
    os.umask(0o077)
    argv = list(sys.argv if argv is None else argv)
    import django
    from django.core.management import execute_from_command_line
    from django.db import OperationalError

    from shelter.home import ConfigError

    try:
        django.setup()
    except ConfigError as e:
        sys.exit(f"shelter: {e}")
    command = argv[1] if len(argv) > 1 else "help"
    asks_for_help = any(arg in ("-h", "--help", "--version") for arg in argv[1:])
    if command not in UNCHECKED and not command.startswith("-") and not asks_for_help:
        if not prepare_database(sys.stderr):
            sys.exit(1)
    try:
        execute_from_command_line(["shelter", *argv[1:]])
    except OperationalError as e:
        # The driver's message names the server and the user, never the password.
        sys.exit(f"shelter: cannot use the database: {str(e).strip()}\nCheck `database_url` in shelter.toml.")


if __name__ == "__main__":
    main()
