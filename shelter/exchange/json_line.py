"""One line of a JSON Lines file as the object it must be, or a refusal that quotes nothing of it."""

import json


def json_object(text: str, invalid: type[ValueError] = ValueError) -> dict:
    """The line's JSON object; ``invalid`` (the caller's error type) with the reason otherwise."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise invalid(f"invalid JSON ({e.msg} at column {e.colno})") from None
    except RecursionError:
        raise invalid("invalid JSON (nested too deeply)") from None
    if not isinstance(data, dict):
        raise invalid("not a JSON object")
    return data
