"""Shipped files: found as package data, installed with every subpackage, verified by checksum."""

import sys
from pathlib import Path

import pytest

from gan_lessons import files

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def test_every_subpackage_and_the_data_are_listed_for_installation():
    # A subpackage missing from pyproject's list works in the editable clone and is
    # absent from a wheel (Colab): the listing must follow the tree.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {"gan_lessons"} | {
        "gan_lessons." + init.parent.name for init in (ROOT / "gan_lessons").glob("*/__init__.py")
    }
    assert set(config["packages"]) == on_disk | {"gan_lessons.datasets"}
    assert config["package-dir"]["gan_lessons.datasets"] == "datasets"
    listed = set(files.read_checksum_manifest())
    patterns = config["package-data"]["gan_lessons.datasets"]
    for name in listed | {files.CHECKSUM_MANIFEST}:
        assert any(Path(name).match(pattern) for pattern in patterns), f"{name} would not be installed"


def test_shipped_files_are_found_and_match_their_checksums():
    manifest = files.read_checksum_manifest()
    assert manifest, "the manifest lists no file"
    for name, digest in manifest.items():
        path = files.shipped_file(name)
        assert files.verify_checksum(path) == path
        assert files.sha256_of_file(path) == digest


@pytest.mark.parametrize("name, match", [
    ("no_such_file.csv", "expected no_such_file.csv among the files the course ships"),
    ("../README.md", "expected the bare name of a shipped file"),
    ("", "expected the bare name of a shipped file"),
])
def test_shipped_file_refuses_unknown_names(name, match):
    with pytest.raises(ValueError, match=match):
        files.shipped_file(name)
