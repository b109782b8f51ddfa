"""Opening the JSON Lines files of the matching commands, with reasons for what cannot be read."""

import contextlib
import io
import sys

from django.core.management.base import CommandError

UNREADABLE = 2


@contextlib.contextmanager
def open_lines(path: str):
    if path == "-":
        yield io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", errors="strict")
        return
    try:
        stream = open(path, encoding="utf-8-sig", errors="strict")  # noqa: SIM115
    except OSError as e:
        raise CommandError(f"cannot read {path}: {e.strerror}", returncode=UNREADABLE) from None
    with stream:
        try:
            yield stream
        except UnicodeDecodeError:
            raise CommandError(f"{path} is not UTF-8 text", returncode=UNREADABLE) from None


def stderr_reporter(path: str):
    def report(number: int, reason: str) -> None:
        sys.stderr.write(f"{path}:{number}: {reason}\n")
    return report
