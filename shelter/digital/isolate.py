"""Untrusted files are parsed in a child process with a time and a memory limit, so that a file built
to hang or exhaust the parser stops the child, never the server or the command."""

import multiprocessing
import queue as queue_module
import resource
import time


class Isolated(RuntimeError):
    """The child was stopped: the reason says which limit it hit."""


def _child(queue, func, args, memory_bytes):
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        queue.put(("ok", func(*args)))
    except MemoryError:
        queue.put(("error", "it needed more memory than allowed"))
    except Exception as e:  # noqa: BLE001 — the parent reports the kind, never the file's content
        queue.put(("error", f"the parser failed ({type(e).__name__})"))


def run(func, *args, seconds: float = 60, memory_bytes: int = 1024 ** 3):
    """func(*args) in a child process; its result (picklable), or Isolated with the limit it hit.
    ``func`` must live in a module that imports without Django (the child starts afresh)."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_child, args=(queue, func, args, memory_bytes), daemon=True)
    child.start()
    deadline = time.monotonic() + seconds
    while True:
        try:
            status, value = queue.get(timeout=0.2)
            break
        except queue_module.Empty:
            if child.exitcode is not None and queue.empty():  # it died without a word (killed, crashed)
                child.join()
                raise Isolated("the parser crashed") from None
            if time.monotonic() > deadline:
                child.kill()
                child.join()
                raise Isolated(f"stopped after {seconds:g} s") from None
    child.join()
    if status == "error":
        raise Isolated(value)
    return value
