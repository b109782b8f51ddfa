"""Logging filters that keep identity data out of the logs."""

import logging


class WithholdRequestPaths(logging.Filter):
    """Django logs every 4xx and 5xx response with its path ("Not Found: /persons/…/"); a path can
    carry whatever someone typed or pasted into the address bar, a name included. Keep only its
    first segment, which says which part of Shelter was hit, and drop the request object (whose
    repr shows the path too). A 4xx is logged as one line, without the traceback of the exception
    that made it."""

    def filter(self, record):
        if getattr(record, "request", None) is not None:
            record.args = tuple(withheld(a) if a == record.request.path else a for a in _args(record))
            del record.request
        if getattr(record, "status_code", 500) < 500:
            # A refusal (403 on PermissionDenied, 400) is expected, not a bug: one line, no traceback.
            record.exc_info = record.exc_text = None
        return True


def _args(record):
    return record.args if isinstance(record.args, tuple) else (record.args,)


def withheld(path: str) -> str:
    first = path.strip("/").split("/", 1)[0]
    return f"/{first}/[…]" if first else "/"
