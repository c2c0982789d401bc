"""environment.yml (conda, Binder) and pyproject.toml (pip) must name the same
packages with the same version ranges."""

import re
import sys
from pathlib import Path

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]

# PyPI name -> conda-forge name, where they differ.
CONDA_NAMES = {"arch": "arch-py"}


def _split(requirement: str) -> tuple[str, str]:
    # Environment markers (e.g. "; python_version < '3.11'") have no conda equivalent;
    # conda installs such a package on every Python, which is harmless.
    requirement = requirement.split(";")[0]
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*", requirement)
    assert match, f"cannot parse requirement {requirement!r}"
    name, spec = match.groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def pip_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + [
        r for extra in project["optional-dependencies"].values() for r in extra
    ]
    pairs = [_split(r) for r in requirements]
    return {CONDA_NAMES.get(name, name): spec for name, spec in pairs}


def conda_requirements() -> dict[str, str]:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    entries = [r for r in environment["dependencies"] if isinstance(r, str)]
    # Packages conda-forge does not carry are listed for pip inside environment.yml;
    # "-e ." is the course package itself.
    for section in environment["dependencies"]:
        if isinstance(section, dict):
            entries += [r for r in section.get("pip", []) if not r.startswith("-")]
    pairs = [_split(r) for r in entries]
    return {name: spec for name, spec in pairs if name not in {"python", "pip"}}


def test_environment_yml_and_pyproject_name_the_same_packages_and_ranges():
    pip, conda = pip_requirements(), conda_requirements()
    assert sorted(set(pip) - set(conda)) == [], "in pyproject.toml but not environment.yml"
    assert sorted(set(conda) - set(pip)) == [], "in environment.yml but not pyproject.toml"
    differing = {name: (pip[name], conda[name]) for name in pip if pip[name] != conda[name]}
    assert differing == {}, "version ranges differ (pyproject, environment.yml)"


def test_python_range_agrees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = [r for r in environment["dependencies"] if isinstance(r, str) and r.startswith("python")]
    assert project["requires-python"] == ">=3.10"
    assert python and python[0].startswith("python>=3.10")


def test_every_dependency_has_a_range_with_an_upper_bound():
    for name, spec in pip_requirements().items():
        assert ">=" in spec and "<" in spec.replace("<=", ""), f"{name} needs a range like >=a,<b, got {spec!r}"
