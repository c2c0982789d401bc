"""The course's repository address, kept in one place, and everything that quotes it.

The address lives in ``pyproject.toml`` as ``[project.urls] Repository``
(``https://github.com/OWNER/REPO`` until the course is published). Quoting it:

* each notebook's first code cell, which installs the course when it runs on Colab;
* the Colab badges of the README's course map and the Binder badge;
* the address of the course's website in the README, ``https://<owner>.github.io/<name>/``
  (GitHub Pages' address for the repository; tools/site.py builds the site from the same address).

    python tools/repository.py --check          # exit 1 if anything quotes another address
    python tools/repository.py --set owner/name  # write the address everywhere (``make repository``)
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
PLACEHOLDER = "OWNER/REPO"
URL_LINE = re.compile(r'^Repository = "https://github\.com/([\w.-]+/[\w.-]+)"$', re.M)
INSTALL_MARKER = "# Colab: install the course"
NOTEBOOK_ADDRESS = re.compile(r'COURSE_REPOSITORY = "([^"]*)"')
README_ADDRESS = re.compile(r"(?:colab\.research\.google\.com/github|mybinder\.org/v2/gh)/([\w.-]+/[\w.-]+)/")
SITE_ADDRESS = re.compile(r"https://([\w-]+)\.github\.io/([\w.-]+)/")


def read_address(root: Path = REPO) -> str:
    """``owner/name`` from pyproject.toml's ``[project.urls] Repository``."""
    match = URL_LINE.search((root / "pyproject.toml").read_text(encoding="utf-8"))
    if match is None:
        raise ValueError('expected a line Repository = "https://github.com/<owner>/<name>" in pyproject.toml')
    return match.group(1)


def site_url(address: str) -> str:
    """The address GitHub Pages gives the course's website: ``https://<owner>.github.io/<name>/``."""
    owner, name = address.split("/")
    return f"https://{owner}.github.io/{name}/"


def install_cell_source(address: str) -> str:
    """The first code cell of every notebook: installs the course on Colab, does nothing elsewhere."""
    return f'''{INSTALL_MARKER} when this notebook runs there; elsewhere this cell does nothing.
import importlib.util
import subprocess
import sys

COURSE_REPOSITORY = "{address}"  # set by `make repository REPO=owner/name`
if importlib.util.find_spec("google.colab") is not None and importlib.util.find_spec("gan_lessons") is None:
    if COURSE_REPOSITORY == "{PLACEHOLDER}":
        raise RuntimeError("this copy of the course does not name its repository yet; see the README's 'Where to run it'")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                    f"gan_lessons @ git+https://github.com/{{COURSE_REPOSITORY}}"], check=True)'''


def notebooks(root: Path = REPO) -> list[Path]:
    return sorted(root.glob("notebooks/[0-9][0-9]_*.ipynb")) + sorted(root.glob("notebooks/solutions/*.ipynb"))


def install_cell(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode | None:
    """The notebook's first code cell if it is the install cell, else ``None``."""
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    return code[0] if code and code[0].source.startswith(INSTALL_MARKER) else None


def problems(root: Path = REPO) -> list[str]:
    """Every place that does not quote pyproject's address (or lacks the install cell)."""
    address = read_address(root)
    found = []
    for path in notebooks(root):
        cell = install_cell(nbformat.read(path, as_version=4))
        if cell is None:
            found.append(f"{path.relative_to(root)}: the first code cell is not the Colab install cell")
        elif cell.source != install_cell_source(address):
            found.append(f"{path.relative_to(root)}: the install cell differs from the one for {address}")
    readme = (root / "README.md").read_text(encoding="utf-8")
    for quoted in README_ADDRESS.findall(readme):
        if quoted != address:
            found.append(f"README.md quotes {quoted}, pyproject.toml says {address}")
    for owner, name in SITE_ADDRESS.findall(readme):
        if f"{owner}/{name}" != address:
            found.append(f"README.md links the site {site_url(f'{owner}/{name}')}, pyproject.toml's address gives {site_url(address)}")
    return found


def write_address(address: str, root: Path = REPO) -> None:
    """Put ``address`` into pyproject.toml, every notebook's install cell and the README's badges."""
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", address):
        raise ValueError(f"expected a GitHub address owner/name, got {address!r}")
    old = read_address(root)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(URL_LINE.sub(f'Repository = "https://github.com/{address}"', pyproject.read_text()), encoding="utf-8")
    for path in notebooks(root):
        notebook = nbformat.read(path, as_version=4)
        cell = install_cell(notebook)
        if cell is None:
            cell = nbformat.v4.new_code_cell(install_cell_source(address))
            first_code = next(i for i, c in enumerate(notebook.cells) if c.cell_type == "code")
            notebook.cells.insert(first_code, cell)
        else:
            cell.source = install_cell_source(address)
        nbformat.write(notebook, path)
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8").replace(f"/{old}/", f"/{address}/")
    readme.write_text(text.replace(site_url(old), site_url(address)), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--check", action="store_true")
    group.add_argument("--set", metavar="OWNER/NAME")
    args = parser.parse_args(argv)
    if args.set:
        write_address(args.set)
    found = problems()
    for line in found:
        print(line, file=sys.stderr)
    print(f"repository {read_address()}: {'consistent' if not found else f'{len(found)} problem(s)'}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
