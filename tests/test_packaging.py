"""The package declares its licence the way installers expect, and ships the licence's text."""

import hashlib
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())

# The FSF's agpl-3.0.txt, byte for byte (as shipped in the `license` package on PyPI, templates/AGPL-3.0).
AGPL_3_0_MD5 = "73f1eb20517c55bf9493b7dd6e480788"


def test_it_ships_the_official_agpl_text():
    text = (ROOT / "LICENSE").read_bytes()
    assert text.lstrip().startswith(b"GNU AFFERO GENERAL PUBLIC LICENSE\n                       Version 3, 19 November 2007")
    assert hashlib.md5(text).hexdigest() == AGPL_3_0_MD5


def test_it_declares_the_licence_as_an_spdx_expression_with_its_file():
    project = PYPROJECT["project"]
    assert project["license"] == "AGPL-3.0-or-later"
    assert project["license-files"] == ["LICENSE"]
    assert not any(c.startswith("License ::") for c in project.get("classifiers", []))  # setuptools refuses both


def test_it_builds_with_a_setuptools_that_understands_spdx_licences():
    requires = PYPROJECT["build-system"]["requires"]
    assert "setuptools>=77" in requires
