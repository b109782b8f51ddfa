"""Untrusted files are parsed in a child process: one that runs too long or asks for too much memory is
stopped, and the command or server goes on."""

import time

import pytest

from shelter.digital import isolate


def sleep_long():
    time.sleep(60)


def eat_memory():
    blocks = []
    while True:
        blocks.append(bytearray(64 * 1024 * 1024))


def add(a, b):
    return a + b


def test_a_child_returns_its_result():
    assert isolate.run(add, 2, 3, seconds=30) == 5


@pytest.mark.attack("denial-of-service")
def test_a_child_that_runs_too_long_is_stopped():
    started = time.monotonic()
    with pytest.raises(isolate.Isolated, match="stopped after 2 s"):
        isolate.run(sleep_long, seconds=2)
    assert time.monotonic() - started < 15


@pytest.mark.attack("denial-of-service")
def test_a_child_that_asks_for_too_much_memory_is_stopped():
    with pytest.raises(isolate.Isolated, match="memory"):
        isolate.run(eat_memory, seconds=60, memory_bytes=512 * 1024 ** 2)
