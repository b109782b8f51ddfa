"""``shelter createadmin USERNAME``: create an administrator account.

The password is read from a file or typed twice, never taken from the command line, where it would
end up in the shell history and in the process list.
"""

import getpass
from pathlib import Path

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction

from shelter.accounts.models import Role, User
from shelter.audit.log import record


def read_password_file(path: str) -> str:
    """The first line of the file, without its line ending (so `echo pw > file` works)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise CommandError(f"cannot read the password file: {getattr(e, 'strerror', None) or e}") from e
    lines = text.splitlines()
    return lines[0] if lines else ""


def prompt_password() -> str:
    try:
        first = getpass.getpass("Password: ")
        second = getpass.getpass("Password (again): ")
    except (EOFError, KeyboardInterrupt) as e:
        raise CommandError("no password given") from e
    if first != second:
        raise CommandError("the two passwords differ")
    return first


class Command(BaseCommand):
    help = "Create an administrator account (password from --password-file or typed twice)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password-file", metavar="FILE", help="read the password from the first line of FILE")

    def handle(self, *args, username, password_file=None, **options):
        username = username.strip()
        if not username:
            raise CommandError("the username is empty")
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"a user named {username!r} already exists")
        password = read_password_file(password_file) if password_file else prompt_password()
        user = User(username=username, role=Role.ADMINISTRATOR)
        try:
            user.full_clean(exclude=["password"])
            password_validation.validate_password(password, user=user)
        except ValidationError as e:
            raise CommandError("refused: " + " ".join(e.messages)) from e
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
                record("cli", "create", user, role=user.role)
        except IntegrityError as e:  # created by someone else since the check above
            raise CommandError(f"a user named {username!r} already exists") from e
        self.stdout.write(f"Administrator {username!r} created.")
