"""Running the ``shelter`` matching commands as a user would: a real process, exit status, stdout, stderr."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_lines(path: Path, rows) -> Path:
    path.write_text("".join((row if isinstance(row, str) else json.dumps(row, ensure_ascii=False)) + "\n"
                            for row in rows), encoding="utf-8")
    return path


def shelter(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SHELTER_DATABASE_URL"}
    env.update(SHELTER_HOME=str(tmp_path / "home"), DJANGO_SETTINGS_MODULE="shelter.settings")
    return subprocess.run([str(Path(sys.executable).parent / "shelter"), *args], capture_output=True, text=True,
                          env=env, cwd=tmp_path, input=stdin, timeout=120)


def output(result: subprocess.CompletedProcess) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines()]
