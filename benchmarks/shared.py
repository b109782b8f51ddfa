"""What the benchmarks share: a fresh, throw-away Shelter instance on SQLite, and rewriting a
benchmark's figures between its markers in benchmarks/README.md."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path


def fresh_instance(prefix: str) -> str:
    """Set Django up on a new instance in a temporary SHELTER_HOME (removed at exit), tables created."""
    home = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, home, True)
    os.environ["SHELTER_HOME"] = home
    os.environ["DJANGO_SETTINGS_MODULE"] = "shelter.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    return home


def write_figures(readme, name: str, text: str) -> None:
    """Replace what stands between `<!-- NAME figures -->` and `<!-- /NAME figures -->`."""
    readme = Path(readme)
    start, end = f"<!-- {name} figures -->", f"<!-- /{name} figures -->"
    before, _, rest = readme.read_text(encoding="utf-8").partition(start)
    _, _, after = rest.partition(end)
    readme.write_text(f"{before}{start}\n{text}\n{end}{after}", encoding="utf-8")
