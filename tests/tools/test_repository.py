"""The repository address is kept in one place and quoted everywhere from it (tools/repository.py)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import repository  # noqa: E402  (tools/ is put on the path above)


def test_the_checkout_quotes_one_address_and_every_notebook_has_the_install_cell():
    assert repository.problems() == []
    assert len(repository.notebooks()) == 22


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    (root / "notebooks" / "solutions").mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, root / name)
    for path in (ROOT / "notebooks").glob("0[12]_*.ipynb"):
        shutil.copy(path, root / "notebooks" / path.name)
    return root


def test_setting_the_address_rewrites_every_place_and_a_stale_place_is_found(tmp_path):
    root = _copy(tmp_path)
    repository.write_address("someone/gan-course", root)
    assert repository.read_address(root) == "someone/gan-course"
    assert repository.problems(root) == []
    assert "colab.research.google.com/github/someone/gan-course/" in (root / "README.md").read_text()
    notebook = nbformat.read(root / "notebooks" / "01_minimax_game.ipynb", as_version=4)
    assert 'COURSE_REPOSITORY = "someone/gan-course"' in repository.install_cell(notebook).source
    # A notebook left with the old address is reported.
    stale = root / "notebooks" / "02_first_gan.ipynb"
    notebook = nbformat.read(stale, as_version=4)
    repository.install_cell(notebook).source = repository.install_cell_source("OWNER/REPO")
    nbformat.write(notebook, stale)
    assert repository.problems(root) == [
        "notebooks/02_first_gan.ipynb: the install cell differs from the one for someone/gan-course"]


def test_the_install_cell_does_nothing_outside_colab():
    namespace: dict = {}
    exec(repository.install_cell_source("OWNER/REPO"), namespace)  # no google.colab here: no install, no error
    assert namespace["COURSE_REPOSITORY"] == "OWNER/REPO"
