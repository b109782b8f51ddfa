import io

import pytest

from shelter.exchange.passphrase import ENV_VAR, PassphraseError, obtain


class Terminal(io.StringIO):
    def isatty(self):
        return True


def prompts(*answers):
    answers = list(answers)
    return lambda prompt: answers.pop(0)


def test_the_file_comes_first_and_only_its_first_line_counts(tmp_path):
    path = tmp_path / "pass"
    path.write_text("correct horse battery\nsecond line\n")
    assert obtain(str(path), confirm=True, environ={ENV_VAR: "other"}) == "correct horse battery"


def test_an_empty_passphrase_file_is_refused(tmp_path):
    path = tmp_path / "pass"
    path.write_text("\n")
    with pytest.raises(PassphraseError, match="is empty"):
        obtain(str(path), confirm=False)


def test_a_missing_passphrase_file_is_refused(tmp_path):
    with pytest.raises(PassphraseError, match="cannot read"):
        obtain(str(tmp_path / "nope"), confirm=False)


def test_the_environment_comes_next():
    assert obtain(None, confirm=True, environ={ENV_VAR: "from the environment"}) == "from the environment"


def test_without_a_terminal_there_is_no_prompt():
    with pytest.raises(PassphraseError, match="no passphrase"):
        obtain(None, confirm=True, environ={}, stdin=io.StringIO())


def test_a_terminal_is_asked_twice_when_confirming():
    assert obtain(None, confirm=True, environ={}, stdin=Terminal(), prompt=prompts("typed twice ok", "typed twice ok")) == "typed twice ok"
    with pytest.raises(PassphraseError, match="do not match"):
        obtain(None, confirm=True, environ={}, stdin=Terminal(), prompt=prompts("typed twice ok", "typo twice ok"))
