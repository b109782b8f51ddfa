"""Where a backup passphrase comes from: a file, the environment, or the terminal."""

import getpass
import os
import sys
from pathlib import Path

ENV_VAR = "SHELTER_BACKUP_PASSPHRASE"


class PassphraseError(ValueError):
    pass


def obtain(passphrase_file: str | None, *, confirm: bool, environ=os.environ, prompt=getpass.getpass, stdin=None) -> str:
    """The passphrase from ``passphrase_file`` (its first line), else $SHELTER_BACKUP_PASSPHRASE,
    else asked on the terminal (twice when ``confirm``)."""
    if passphrase_file:
        return _from_file(Path(passphrase_file))
    if environ.get(ENV_VAR):
        return environ[ENV_VAR]
    if not (stdin or sys.stdin).isatty():
        raise PassphraseError(f"no passphrase: use --passphrase-file FILE or set {ENV_VAR}")
    passphrase = prompt("Backup passphrase: ")
    if confirm and prompt("Repeat the passphrase: ") != passphrase:
        raise PassphraseError("the passphrases do not match")
    if not passphrase:
        raise PassphraseError("the passphrase is empty")
    return passphrase


def _from_file(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise PassphraseError(f"cannot read the passphrase file {path} ({e.strerror})") from e
    except UnicodeDecodeError as e:
        raise PassphraseError(f"the passphrase file {path} is not UTF-8 text") from e
    lines = text.splitlines()
    passphrase = lines[0] if lines else ""
    if not passphrase:
        raise PassphraseError(f"the passphrase file {path} is empty")
    return passphrase
