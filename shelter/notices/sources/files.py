"""Reading notice files for import: Interpol API responses and OpenSanctions FollowTheMoney lines.

A file that is not what it claims to be is refused as a whole (``UnreadableFile``); inside a good
file, each bad record comes back with its position and reason, never a name.
"""

import json

from . import interpol, opensanctions


class UnreadableFile(ValueError):
    pass


FORMATS = ("interpol", "opensanctions")


def read_file(path: str, fmt: str):
    """(notices, errors) of the file at ``path`` in format ``fmt``."""
    try:
        with open(path, encoding="utf-8-sig", errors="strict") as stream:
            text = stream.read()
    except OSError as e:
        raise UnreadableFile(f"cannot read {path}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise UnreadableFile(f"{path} is not UTF-8 text") from None
    if fmt == "opensanctions":
        return opensanctions.read(text.splitlines())
    return read_interpol(text, path)


def read_interpol(text: str, path: str = "the response"):
    """A list response (``_embedded.notices``) or one detail response."""
    try:
        data = json.loads(text)
    except ValueError as e:
        raise UnreadableFile(f"{path} is not JSON (truncated?): {e.msg} at line {e.lineno}") from None
    if isinstance(data, dict) and "_embedded" in data:
        try:
            page = interpol.parse_page(data)
        except interpol.NoticeError as e:
            raise UnreadableFile(f"{path}: {e}") from None
        return page.notices, page.errors
    if isinstance(data, dict) and "entity_id" in data:
        try:
            return [interpol.parse_notice(data)], []
        except interpol.NoticeError as e:
            return [], [interpol.RecordError(0, str(e))]
    raise UnreadableFile(f"{path} is neither an Interpol notices list nor a notice")
