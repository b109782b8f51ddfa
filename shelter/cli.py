"""The ``shelter`` command: Django management commands run against $SHELTER_HOME's instance."""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shelter.settings")
    # Everything an instance writes (database, keys, backups, exports) is for its owner only.
    os.umask(0o077)
    argv = list(sys.argv if argv is None else argv)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["shelter", *argv[1:]])


if __name__ == "__main__":
    main()
