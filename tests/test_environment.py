"""The places the course says it runs are configured as it says.

- environment.yml (local conda), binder/environment.yml (Binder) and pyproject.toml (pip)
  name the same packages with the same version ranges;
- the supported Pythons are 3.10-3.13, in pyproject.toml and environment.yml alike;
- Binder's configuration is read the way repo2docker reads it: only binder/ counts, Python
  is pinned as ``python=X.Y``, the environment has no local path (so repo2docker can cache
  it), and binder/postBuild installs the course package.
"""

import json
import os
import re
import shlex
import stat
import sys
from pathlib import Path

import pytest
import yaml
from packaging.specifiers import SpecifierSet

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"
ENVIRONMENT_FILES = [ROOT / "environment.yml", BINDER / "environment.yml"]

# PyPI name -> conda-forge name, where they differ.
CONDA_NAMES = {"arch": "arch-py"}

# How repo2docker finds the Python version in environment.yml (repo2docker/buildpacks/conda):
# the first dependency string this regex matches with re.match; a range such as
# "python>=3.10" does not match, and repo2docker then builds with its default Python.
REPO2DOCKER_PYTHON_REGEX = re.compile(r"python\s*=+\s*([\d\.]*)")


def _split(requirement: str) -> tuple[str, str]:
    # Environment markers (e.g. "; python_version < '3.11'") have no conda equivalent;
    # conda installs such a package on every Python, which is harmless.
    requirement = requirement.split(";")[0]
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*", requirement)
    assert match, f"cannot parse requirement {requirement!r}"
    name, spec = match.groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _environment(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def _pip_section(environment: dict) -> list[str]:
    return [r for section in environment["dependencies"] if isinstance(section, dict) for r in section.get("pip", [])]


def _python_entries(environment: dict) -> list[str]:
    return [r for r in environment["dependencies"] if isinstance(r, str) and re.match(r"python\b(?!-)", r)]


def pip_requirements() -> dict[str, str]:
    project = _project()
    # The browser extra (Playwright, for the JupyterLab test in CI) is not part of the course
    # environment that learners install with conda or get on Binder.
    extras = {name: extra for name, extra in project["optional-dependencies"].items() if name != "browser"}
    requirements = project["dependencies"] + [r for extra in extras.values() for r in extra]
    pairs = [_split(r) for r in requirements]
    return {CONDA_NAMES.get(name, name): spec for name, spec in pairs}


def conda_requirements(path: Path) -> dict[str, str]:
    environment = _environment(path)
    entries = [r for r in environment["dependencies"] if isinstance(r, str)]
    # Packages conda-forge does not carry are listed for pip inside the environment file;
    # options such as "-e ." (the course package itself) are not packages to compare.
    entries += [r for r in _pip_section(environment) if not r.startswith("-")]
    pairs = [_split(r) for r in entries]
    return {name: spec for name, spec in pairs if name not in {"python", "pip"}}


def is_local_pip_requirement(line: str) -> bool:
    """Whether a pip line of environment.yml names something in the repository.

    The rules of repo2docker's ``is_local_pip_requirement`` (repo2docker/utils.py): a local
    -r/-c file, a file:// URL, or a path starting with "." (".", "./x", "-e ."). Any of them
    makes repo2docker copy the whole repository before installing the environment, so the
    environment is rebuilt on every commit instead of being cached.
    """
    line = line.split("#", 1)[0].strip()
    if not line or line.startswith("--pre"):
        return False
    if line.startswith(("-r", "-c", "--requirement", "--constraint")):
        return True
    if line.startswith("--") and "=" in line:
        line = line.split("=", 1)[1]
    if line.startswith("-"):
        parts = line.split(None, 1)
        if len(parts) == 1:
            return False
        line = parts[1]
    if "file://" in line:
        return True
    path = line.split("://", 1)[1] if "://" in line else line
    return path.startswith(".")


@pytest.mark.parametrize("path", ENVIRONMENT_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_environment_files_and_pyproject_name_the_same_packages_and_ranges(path: Path) -> None:
    pip, conda = pip_requirements(), conda_requirements(path)
    assert sorted(set(pip) - set(conda)) == [], f"in pyproject.toml but not {path.name}"
    assert sorted(set(conda) - set(pip)) == [], f"in {path.name} but not pyproject.toml"
    differing = {name: (pip[name], conda[name]) for name in pip if pip[name] != conda[name]}
    assert differing == {}, f"version ranges differ (pyproject, {path.name})"


def test_supported_pythons_are_3_10_to_3_13_in_pyproject_and_environment_yml() -> None:
    requires_python = SpecifierSet(_project()["requires-python"])
    supported = [f"3.{minor}" for minor in range(8, 16) if f"3.{minor}" in requires_python]
    assert supported == ["3.10", "3.11", "3.12", "3.13"], f"requires-python {requires_python} allows {supported}"
    python = _python_entries(_environment(ROOT / "environment.yml"))
    assert len(python) == 1, f"expected one python entry in environment.yml, got {python}"
    assert SpecifierSet(python[0].removeprefix("python")) == requires_python, (
        f"environment.yml says {python[0]}, pyproject.toml requires-python {requires_python}"
    )


def test_every_dependency_has_a_range_with_an_upper_bound() -> None:
    for name, spec in pip_requirements().items():
        assert ">=" in spec and "<" in spec.replace("<=", ""), f"{name} needs a range like >=a,<b, got {spec!r}"


def test_binder_folder_holds_the_binder_configuration() -> None:
    # With binder/ present repo2docker ignores every configuration file at the top level,
    # so the top-level environment.yml (Python range, "-e .") never reaches Binder.
    assert (BINDER / "environment.yml").is_file(), "expected binder/environment.yml"
    assert not (ROOT / ".binder").exists(), "repo2docker refuses a repository with both binder/ and .binder/"
    # A Dockerfile would replace everything else; requirements.txt or runtime.txt would be
    # ignored next to environment.yml and only mislead a reader.
    extra = sorted(name for name in ("Dockerfile", "requirements.txt", "runtime.txt") if (BINDER / name).exists())
    assert extra == [], f"unexpected files in binder/: {extra}"


def test_binder_pins_python_as_repo2docker_reads_it() -> None:
    environment = _environment(BINDER / "environment.yml")
    strings = [r for r in environment["dependencies"] if isinstance(r, str)]
    read = next((REPO2DOCKER_PYTHON_REGEX.match(r) for r in strings if REPO2DOCKER_PYTHON_REGEX.match(r)), None)
    assert read, f"repo2docker finds no Python version in binder/environment.yml (python entries: {_python_entries(environment)})"
    assert re.fullmatch(r"python=\d+\.\d+", read.string), f"expected an exact pin python=X.Y, got {read.string!r}"
    version = read.group(1)
    assert version in SpecifierSet(_project()["requires-python"]), f"Binder's Python {version} is not supported"
    # Binder runs the Python of the stored notebook outputs (recorded by tools/report.py).
    report = json.loads((ROOT / "reports" / "cpu.json").read_text())
    stored = ".".join(report["machine"]["versions"]["python"].split(".")[:2])
    assert version == stored, f"Binder pins Python {version}, the stored outputs come from Python {stored}"


def test_binder_environment_has_no_local_path() -> None:
    local = [line for line in _pip_section(_environment(BINDER / "environment.yml")) if is_local_pip_requirement(line)]
    assert local == [], f"local paths in binder/environment.yml stop repo2docker caching the environment: {local}"


def test_local_path_rule_matches_repo2docker() -> None:
    # The rule above decides the Binder test; it must see "-e ." and "." as local, and a
    # package with a range as not local.
    assert [is_local_pip_requirement(line) for line in ["-e .", ".", "./gan_lessons", "--editable=.", "-r req.txt"]] == [True] * 5
    assert [is_local_pip_requirement(line) for line in ["dp-accounting>=0.4,<1", "--pre", "# . comment"]] == [False] * 3


def test_binder_post_build_is_executable_and_installs_the_course() -> None:
    post_build = BINDER / "postBuild"
    assert post_build.is_file(), "expected binder/postBuild"
    mode = post_build.stat().st_mode
    assert mode & stat.S_IXUSR and os.access(post_build, os.X_OK), f"binder/postBuild is not executable ({stat.filemode(mode)})"
    lines = post_build.read_text().splitlines()
    assert lines[0] in {"#!/bin/bash", "#!/usr/bin/env bash"}, f"expected a bash shebang, got {lines[0]!r}"
    commands = [shlex.split(line, comments=True) for line in lines[1:]]
    commands = [words for words in commands if words]
    # repo2docker does not stop the build when a command in postBuild fails unless the script says so.
    assert any(words[:2] == ["set", "-euo"] or words == ["set", "-e"] for words in commands), "expected set -e(uo pipefail)"
    installs = [words for words in commands if "pip" in words and "install" in words]
    assert any("." in words[words.index("install") + 1 :] for words in installs), (
        f"expected binder/postBuild to pip install the course (.), got pip commands {installs}"
    )
