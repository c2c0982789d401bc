"""The course as a website: the committed notebooks and their stored outputs, built with Sphinx.

    python tools/site.py build      # generate the pages, build _build/site/html, check it (``make site``)
    python tools/site.py generate   # only write the Sphinx source folder _build/site/source
    python tools/site.py check      # only check an existing build

The tools are those of Jupyter Book 1 (Sphinx, MyST-NB, the book theme), installed by the
``docs`` extra of pyproject.toml. Nothing is executed (``nb_execution_mode = "off"``): the pages
show the outputs stored in the notebooks, which come from the course report's ``cpu``-profile run.

Everything the site says that also lives elsewhere is read from there, never typed here:

* the repository address (Binder, Colab and GitHub links, the site's own address) from
  pyproject.toml, through tools/repository.py;
* the course map of the landing page from tools/course_map.py (reports/cpu.json, reports/fast.json);
* each lesson's measured run time from reports/cpu.json;
* the "how to run" page from the README's sections of that name;
* the glossary and the reports from notebooks/glossary.md and reports/*.md.

The notebooks in notebooks/ are not modified. The generator copies them into the source folder
(mirroring the repository's layout, so that the theme's launch buttons and every relative link
keep their paths) and adds to the copies only: a box under the title with the measured run time
and the Binder / Colab / notebook-file links, a pointer to the solutions (which have pages of
their own, after the lessons), collapsed long code cells, and a note in place of the
interactive widgets (a static page has no kernel to move them). Links to repository files that
are not pages of the site point to the file on GitHub; any other broken link, a missing page or
a notebook that does not render fails the build (Sphinx runs with warnings as errors). MathJax
is copied into the site (sphinx-mathjax-offline), so no page loads anything from a CDN.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import course_map  # noqa: E402  (tools/ is on the path above)
from repository import INSTALL_MARKER, read_address, site_url  # noqa: E402

BUILD = REPO / "_build" / "site"
SOURCE = BUILD / "source"
HTML = BUILD / "html"
TITLE = "GANs from the minimax formula to finance"
BRANCH = "main"
# Code cells longer than this many lines are collapsed (STYLE.md: cells are rarely over 15 lines).
LONG_CELL_LINES = 15
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
IMAGE_MIMES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif")
# The README's sections that make the "how to run" page, in this order.
RUN_SECTIONS = ("Where to run it", "Profiles and GPUs")
MARKDOWN_LINK = re.compile(r"(\]\()([^)\s]+)(\))")
# A linked badge, [![Colab](https://.../badge.svg)](target): its picture would load from another server.
BADGE = re.compile(r"\[!\[([^\]]*)\]\(https?://[^)]*\)\]\(([^)]*)\)")


# --- what the site holds -------------------------------------------------------------------

def lessons(root: Path = REPO) -> list[Path]:
    """The numbered lessons, notebooks/NN_*.ipynb, in order."""
    return sorted(root.glob("notebooks/[0-9][0-9]_*.ipynb"))


def solutions(root: Path = REPO) -> list[Path]:
    """The solutions notebooks, notebooks/solutions/*.ipynb, in order."""
    return sorted(root.glob("notebooks/solutions/*.ipynb"))


def solution_of(lesson: Path) -> Path:
    """The solutions notebook of a lesson (it may not exist)."""
    return lesson.parent / "solutions" / f"{lesson.stem}_solutions.ipynb"


def reports(root: Path = REPO) -> list[Path]:
    """The course's reports in Markdown, reports/*.md."""
    return sorted(root.glob("reports/*.md"))


def experiments(root: Path = REPO) -> list[Path]:
    """The reports of the runs that chose each lesson's recipe, reports/experiments/*.md (lessons link them)."""
    return sorted(root.glob("reports/experiments/*.md"))


def toc(root: Path = REPO) -> dict[str, list[str]]:
    """The site's table of contents: caption -> docnames (paths without suffix, from the source root)."""
    def name(path: Path) -> str:
        return path.relative_to(root).with_suffix("").as_posix()

    contents = {
        "Lessons": [name(path) for path in lessons(root)],
        "Solutions": [name(path) for path in solutions(root)],
        "Reference": ["run", "notebooks/glossary"] + [name(path) for path in reports(root)],
    }
    if experiments(root):
        contents["Experiments"] = [name(path) for path in experiments(root)]
    return contents


def site_files(root: Path = REPO) -> set[str]:
    """Repository paths (POSIX, from the root) of the files that are pages of the site."""
    paths = lessons(root) + solutions(root) + [root / "notebooks" / "glossary.md"] + reports(root) + experiments(root)
    return {path.relative_to(root).as_posix() for path in paths}


def launch_links(address: str, path: str) -> dict[str, str]:
    """Binder, Colab and GitHub addresses of a notebook at ``path`` (from the repository root)."""
    return {
        "Binder": f"https://mybinder.org/v2/gh/{address}/HEAD?labpath={path}",
        "Colab": f"https://colab.research.google.com/github/{address}/blob/{BRANCH}/{path}",
        "GitHub": f"https://github.com/{address}/blob/{BRANCH}/{path}",
    }


# --- links -----------------------------------------------------------------------------------

def rewrite_links(text: str, page: str, address: str, root: Path = REPO, pages: set[str] | None = None) -> str:
    """Markdown links of ``page`` (a repository path) that name a repository file which is not a
    page of the site are pointed at that file on GitHub; links to pages of the site, external links
    and links to nothing are left as they are (a link to nothing then fails the build)."""
    pages = site_files(root) if pages is None else pages
    base = (root / page).parent

    def replace(match: re.Match) -> str:
        target = match.group(2)
        if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith(("#", "/")):
            return match.group(0)
        path, _, anchor = target.partition("#")
        resolved = (base / path).resolve()
        try:
            relative = resolved.relative_to(root.resolve()).as_posix()
        except ValueError:
            return match.group(0)
        if not path or relative in pages or not resolved.exists():
            return match.group(0)
        kind = "tree" if resolved.is_dir() else "blob"
        url = f"https://github.com/{address}/{kind}/{BRANCH}/{relative}" + (f"#{anchor}" if anchor else "")
        return f"{match.group(1)}{url}{match.group(3)}"

    return MARKDOWN_LINK.sub(replace, text)


# --- pages ----------------------------------------------------------------------------------

def text_badges(text: str) -> str:
    """Linked badges (pictures served by Colab, Binder, ...) as text links, so that pages load nothing from elsewhere."""
    return BADGE.sub(r"[\1](\2)", text)


def _readme_sections(readme: str) -> dict[str, str]:
    """The README's ``## `` sections by heading, each with its heading line."""
    parts = re.split(r"(?m)^(?=## )", readme)
    return {part.splitlines()[0][3:].strip(): part.rstrip() + "\n" for part in parts if part.startswith("## ")}


def _readme_intro(readme: str) -> str:
    """The README's text between its title and its first section."""
    return re.split(r"(?m)^## ", readme, maxsplit=1)[0].split("\n", 1)[1].strip()


def _cpu_runs(root: Path = REPO) -> tuple[dict[str, dict], dict]:
    report = json.loads((root / "reports" / "cpu.json").read_text(encoding="utf-8"))
    return {run["notebook"][:2]: run for run in report["notebooks"]}, report


def run_time_sentence(run: dict, report: dict) -> str:
    """The measured run time of one lesson, from a run of reports/cpu.json."""
    machine = report["machine"]
    factor = (report.get("calibration") or {}).get("projection_factor")
    projected = f", about {run['wall_s'] * factor:.0f} s projected onto the README's reference machine" if factor else ""
    status = "" if run["status"] == "ok" else f" (status: **{run['status']}**)"
    return (f"{run['wall_s']:.0f} s{status} top to bottom in the `cpu` profile on a {machine['logical_cores']}-core "
            f"{machine['cpu']}{projected}; peak memory {run['peak_mb']:.0f} MB "
            f"(course report of {report['date'][:10]}, `reports/cpu.md`)")


def lesson_box(lesson: Path, address: str, run: dict | None, report: dict, root: Path = REPO) -> str:
    """The box the site adds under a lesson's title: run time, launch links, the solutions."""
    path = lesson.relative_to(root).as_posix()
    links = launch_links(address, path)
    lines = ["```{admonition} Run this lesson", ":class: tip", ""]
    if run is not None:
        lines += [f"**Measured run time:** {run_time_sentence(run, report)}.", ""]
    lines += [(f"**Open it:** [on Binder]({links['Binder']}) · [on Colab]({links['Colab']}) · "
               f"[the notebook file on GitHub]({links['GitHub']}) · [download it](path:../_originals/{path})"), ""]
    solution = solution_of(lesson)
    if solution.exists():
        lines += [(f"**Exercises:** try them first; the answers are on a page of their own, "
                   f"[{solution.stem}]({solution.relative_to(lesson.parent).as_posix()}).")]
    lines.append("```")
    return "\n".join(lines)


def solution_box(solution: Path, address: str, root: Path = REPO) -> str:
    """The box the site adds under a solutions notebook's title: its lesson and launch links."""
    path = solution.relative_to(root).as_posix()
    links = launch_links(address, path)
    lesson = solution.parent.parent / (solution.stem.removesuffix("_solutions") + ".ipynb")
    lines = ["```{admonition} Answers to the exercises", ":class: note", ""]
    if lesson.exists():
        lines += [f"These are the answers to the exercises of [{lesson.stem}](../{lesson.name}): try them there first.", ""]
    lines += [(f"**Open it:** [on Binder]({links['Binder']}) · [on Colab]({links['Colab']}) · "
               f"[the notebook file on GitHub]({links['GitHub']}) · [download it](path:../../_originals/{path})"), "```"]
    return "\n".join(lines)


def prepare_notebook(notebook: nbformat.NotebookNode, box: str, page: str, address: str,
                     root: Path = REPO, pages: set[str] | None = None) -> nbformat.NotebookNode:
    """The notebook as the site shows it (a copy; the argument is not changed)."""
    notebook = copy.deepcopy(notebook)
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = rewrite_links(cell.source, page, address, root, pages)
        if cell.cell_type != "code":
            continue
        lines = len(cell.source.splitlines())
        prompt = ("Show the Colab install cell" if cell.source.startswith(INSTALL_MARKER)
                  else f"Show code ({lines} lines)" if lines > LONG_CELL_LINES else None)
        if prompt is not None:
            tags = cell.metadata.setdefault("tags", [])
            if "hide-input" not in tags:
                tags.append("hide-input")
            cell.metadata["mystnb"] = {**cell.metadata.get("mystnb", {}), "code_prompt_show": prompt}
        for output in cell.get("outputs", []):
            if WIDGET_MIME in output.get("data", {}):
                output["data"] = {"text/html": "<p><em>Interactive controls (ipywidgets) appear here when the notebook "
                                               "runs: open it in JupyterLab, on Binder or on Colab to use them.</em></p>"}
    # The box goes right under the title (the first line of the first cell when that is the title).
    first = next((i for i, cell in enumerate(notebook.cells) if cell.cell_type == "markdown"), None)
    if first is not None and notebook.cells[first].source.startswith("# "):
        title, _, rest = notebook.cells[first].source.partition("\n")
        notebook.cells[first].source = f"{title}\n\n{box}\n\n{rest.lstrip()}"
    else:
        cell = nbformat.v4.new_markdown_cell(box)
        if notebook.nbformat_minor < 5:
            cell.pop("id", None)
        notebook.cells.insert(0 if first is None else first + 1, cell)
    return notebook


def landing_page(root: Path = REPO) -> str:
    """index.md: the README's introduction, the course map from the report, the tables of contents."""
    readme = (root / "README.md").read_text(encoding="utf-8")
    address = read_address(root)
    table = text_badges(course_map.course_map())
    intro = _readme_intro(readme).split("\n\n")[0]
    toctrees = "\n\n".join(
        f"```{{toctree}}\n:caption: {caption}\n:hidden:\n:maxdepth: 1\n\n" + "\n".join(docs) + "\n```"
        for caption, docs in toc(root).items())
    return f"""# {TITLE}

{intro}

Each lesson below is a Jupyter notebook shown with the outputs stored in the repository (the course report's run
in the `cpu` profile); its page has links to run it on Binder or Colab. The answers to each lesson's exercises are
on a page of their own, after the lessons. To run the course yourself, see [How to run the course](run.md);
key terms and their Chinese equivalents are in the [glossary](notebooks/glossary.md). The source is
[on GitHub](https://github.com/{address}).

## Course map

{rewrite_links(table, 'README.md', address, root)}

Run times are wall-clock seconds for one notebook top to bottom in a fresh kernel, and peak memory is that of the
kernel and its children, measured by the course report ([cpu profile](reports/cpu.md), [fast profile](reports/fast.md)).

{toctrees}
"""


def run_page(root: Path = REPO) -> str:
    """run.md: how to run the course, the README's sections of that name."""
    readme = (root / "README.md").read_text(encoding="utf-8")
    address = read_address(root)
    sections = _readme_sections(readme)
    missing = [name for name in RUN_SECTIONS if name not in sections]
    if missing:
        raise ValueError(f"expected README.md sections {missing} for the site's 'How to run' page")
    quick_start = _readme_intro(readme).split("\n\n", 1)[1]
    body = "\n".join(sections[name] for name in RUN_SECTIONS)
    text = f"# How to run the course\n\n## Quick start\n\n{quick_start}\n\n{body}"
    return rewrite_links(text_badges(text), "README.md", address, root)


def sphinx_config(root: Path = REPO) -> dict:
    """The Sphinx settings of the site (conf.py of the source folder applies them)."""
    address = read_address(root)
    return {
        "project": TITLE,
        "html_title": TITLE,
        "extensions": ["myst_nb", "sphinx-mathjax-offline"],
        # The stored outputs are the page; nothing is executed.
        "nb_execution_mode": "off",
        # The widgets' JavaScript would come from a CDN and has no kernel here: none is loaded.
        "nb_ipywidgets_js": {},
        "myst_enable_extensions": ["dollarmath", "amsmath"],
        "myst_heading_anchors": 3,
        "exclude_patterns": ["_originals", "conf.py"],
        "html_static_path": ["_static"],
        "html_css_files": ["site.css"],
        "html_theme": "sphinx_book_theme",
        "html_baseurl": site_url(address),
        "html_copy_source": False,
        "html_show_sourcelink": False,
        "html_last_updated_fmt": None,
        "html_theme_options": {
            "repository_url": f"https://github.com/{address}",
            "repository_branch": BRANCH,
            "path_to_docs": "",
            "use_repository_button": True,
            "use_download_button": False,
            "launch_buttons": {
                "binderhub_url": "https://mybinder.org",
                "colab_url": "https://colab.research.google.com",
                "notebook_interface": "jupyterlab",
            },
        },
    }


# Long display equations scroll sideways instead of being cut off; the course map's wide table reads smaller.
SITE_CSS = """\
div.math { display: block; overflow-x: auto; overflow-y: hidden; }
.bd-article table { font-size: 0.85em; }
"""

CONF_PY = '''# Written by tools/site.py: the settings come from tools/site.py's sphinx_config().
import importlib.util

_spec = importlib.util.spec_from_file_location("course_site", {path!r})
_site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_site)
globals().update(_site.sphinx_config())
'''


def generate(root: Path = REPO, source: Path = SOURCE) -> list[str]:
    """Write the Sphinx source folder; returns the docnames written."""
    address = read_address(root)
    pages = site_files(root)
    runs, report = _cpu_runs(root)
    if source.exists():
        shutil.rmtree(source)
    (source / "notebooks" / "solutions").mkdir(parents=True)
    (source / "reports" / "experiments").mkdir(parents=True)
    (source / "_static").mkdir()
    (source / "_static" / "site.css").write_text(SITE_CSS, encoding="utf-8")
    (source / "conf.py").write_text(CONF_PY.format(path=str(Path(__file__).resolve())), encoding="utf-8")
    (source / "index.md").write_text(landing_page(root), encoding="utf-8")
    (source / "run.md").write_text(run_page(root), encoding="utf-8")
    for path in [root / "notebooks" / "glossary.md", *reports(root), *experiments(root)]:
        page = path.relative_to(root).as_posix()
        (source / page).write_text(rewrite_links(path.read_text(encoding="utf-8"), page, address, root, pages),
                                   encoding="utf-8")
    for path in lessons(root) + solutions(root):
        page = path.relative_to(root).as_posix()
        original = source / "_originals" / page
        original.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, original)
        notebook = nbformat.read(path, as_version=4)
        box = (solution_box(path, address, root) if path.parent.name == "solutions"
               else lesson_box(path, address, runs.get(path.name[:2]), report, root))
        nbformat.write(prepare_notebook(notebook, box, page, address, root, pages), source / page)
    return ["index"] + [doc for docs in toc(root).values() for doc in docs]


# --- checking a build -------------------------------------------------------------------------

class _Page(HTMLParser):
    """What a check needs from a built page: the images in cell outputs, math elements, scripts and stylesheets."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.output_images: list[str] = []
        self.math = 0
        self.scripts: list[str] = []
        self.stylesheets: list[str] = []
        self._depth = 0
        self._output_depth = 0  # depth of the cell output being read, 0 outside one

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        classes = attributes.get("class", "").split()
        if tag not in self.VOID:
            self._depth += 1
            if "cell_output" in classes and not self._output_depth:
                self._output_depth = self._depth
        if tag == "img" and self._output_depth:
            self.output_images.append(attributes.get("src", ""))
        if "math" in classes:
            self.math += 1
        if tag == "script" and attributes.get("src"):
            self.scripts.append(attributes["src"])
        if tag == "link" and "stylesheet" in attributes.get("rel", ""):
            self.stylesheets.append(attributes.get("href", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if self._depth == self._output_depth:
            self._output_depth = 0
        self._depth -= 1


def image_outputs(notebook: nbformat.NotebookNode) -> int:
    """How many image outputs a notebook has stored (one picture each on its page)."""
    return sum(1 for cell in notebook.cells if cell.cell_type == "code" for output in cell.get("outputs", [])
               if any(mime in output.get("data", {}) for mime in IMAGE_MIMES))


def has_math(notebook: nbformat.NotebookNode) -> bool:
    """Whether the notebook's Markdown has $...$ or $$...$$ equations."""
    return any(re.search(r"\$[^$\s][^$]*\$", cell.source) for cell in notebook.cells if cell.cell_type == "markdown")


def check(html: Path = HTML, root: Path = REPO) -> list[str]:
    """Problems of a built site: missing pages, lesson pages without their figures or math,
    images or scripts that are missing or would load from the network."""
    if not (html / "index.html").exists():
        return [f"no site at {html} (build it with `make site`)"]
    found = []
    for docs in toc(root).values():
        for doc in docs:
            if not (html / f"{doc}.html").exists():
                found.append(f"{doc}.html is missing")
    mathjax = html / "_static" / "mathjax" / "tex-chtml.js"
    if not mathjax.exists():
        found.append(f"{mathjax.relative_to(html)} is missing: MathJax is not served by the site")
    for path in lessons(root) + solutions(root):
        doc = path.relative_to(root).with_suffix(".html")
        page_file = html / doc
        if not page_file.exists():
            continue
        page = _Page()
        page.feed(page_file.read_text(encoding="utf-8"))
        notebook = nbformat.read(path, as_version=4)
        expected = image_outputs(notebook)
        if len(page.output_images) != expected:
            found.append(f"{doc}: {len(page.output_images)} images in cell outputs, the notebook has {expected}")
        for src in page.output_images:
            if re.match(r"[a-z]+:", src) and not src.startswith("data:"):
                found.append(f"{doc}: image {src} is not part of the site")
            elif not src.startswith("data:") and not (page_file.parent / src).resolve().exists():
                found.append(f"{doc}: image {src} is missing")
        if has_math(notebook) and not page.math:
            found.append(f"{doc}: the notebook has equations, the page no math markup")
        for url in page.scripts + page.stylesheets:
            if re.match(r"(https?:)?//", url):
                found.append(f"{doc}: loads {url} from the network")
        if page.math and not any("mathjax/tex-chtml.js" in src for src in page.scripts):
            found.append(f"{doc}: has math but does not load the site's MathJax")
    return found


# --- building ----------------------------------------------------------------------------------

def build(root: Path = REPO, build_dir: Path = BUILD, jobs: str = "1") -> int:
    """Generate the source, run Sphinx with warnings as errors, check the result; exit status."""
    source, html = build_dir / "source", build_dir / "html"
    docs = generate(root, source)
    print(f"site: {len(docs)} pages generated in {source.relative_to(root) if source.is_relative_to(root) else source}")
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", "-j", jobs,
               "-d", str(build_dir / "doctrees"), str(source), str(html)]
    result = subprocess.run(command, cwd=root, check=False)
    if result.returncode != 0:
        print("site: Sphinx reported the warnings above (warnings are errors)", file=sys.stderr)
        return result.returncode
    problems = check(html, root)
    for line in problems:
        print(f"site: {line}", file=sys.stderr)
    if problems:
        return 1
    print(f"site: built {html}/index.html, every page checked")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["build", "generate", "check"])
    parser.add_argument("--jobs", default="1", help="Sphinx's -j (processes reading the pages), default 1")
    args = parser.parse_args(argv)
    if args.command == "generate":
        print(f"site: {len(generate())} pages generated in {SOURCE}")
        return 0
    if args.command == "check":
        problems = check()
        for line in problems:
            print(f"site: {line}", file=sys.stderr)
        print(f"site: {HTML}: {'every page checked' if not problems else f'{len(problems)} problem(s)'}")
        return 1 if problems else 0
    return build(jobs=args.jobs)


if __name__ == "__main__":
    sys.exit(main())
