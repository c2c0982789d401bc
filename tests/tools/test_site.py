"""The course's website is generated from the repository (tools/site.py) and its check finds what it should.

These tests need no Sphinx: they check the generated source (table of contents, landing page, lesson
copies) and the checker of a built site on small hand-made pages. The build itself is run by
``make site`` and CI.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import repository  # noqa: E402  (tools/ is put on the path above)

# Loaded under another name: "site" is a module of the standard library.
_spec = importlib.util.spec_from_file_location("course_site", ROOT / "tools" / "site.py")
course_site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(course_site)

CPU = json.loads((ROOT / "reports" / "cpu.json").read_text(encoding="utf-8"))


def _docname(path: Path) -> str:
    return path.relative_to(ROOT).with_suffix("").as_posix()


def test_the_table_of_contents_has_every_notebook_and_solution_and_lessons_come_before_answers():
    toc = course_site.toc()
    # Every notebook in the repository, found independently of tools/site.py's own globs.
    every_lesson = sorted(_docname(path) for path in (ROOT / "notebooks").glob("*.ipynb"))
    every_solution = sorted(_docname(path) for path in (ROOT / "notebooks" / "solutions").glob("*.ipynb"))
    assert toc["Lessons"] == every_lesson and len(every_lesson) == 11
    assert toc["Solutions"] == every_solution and len(every_solution) == 11
    # Lessons first, then their answers; the experiments' reports only where there are some.
    assert list(toc)[:3] == ["Lessons", "Solutions", "Reference"] and set(toc) <= {"Lessons", "Solutions", "Reference", "Experiments"}
    assert toc.get("Experiments", []) == sorted(_docname(path) for path in (ROOT / "reports" / "experiments").glob("*.md"))
    reference = toc["Reference"]
    assert {"run", "notebooks/glossary", "reports/cpu", "reports/fast", "reports/bench"} <= set(reference)


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    before = {path: hashlib.sha256((ROOT / path).read_bytes()).hexdigest() for path in course_site.site_files()}
    folder = tmp_path_factory.mktemp("site") / "source"
    docs = course_site.generate(ROOT, folder)
    after = {path: hashlib.sha256((ROOT / path).read_bytes()).hexdigest() for path in course_site.site_files()}
    assert before == after, "generating the site changed a file of the repository"
    return folder, docs


def test_generate_writes_a_page_for_every_entry_of_the_table_of_contents(source):
    folder, docs = source
    for doc in docs:
        assert [path for path in folder.glob(f"{doc}.*") if path.suffix in {".md", ".ipynb"}], f"no page for {doc}"
    index = (folder / "index.md").read_text(encoding="utf-8")
    for caption, entries in course_site.toc().items():
        assert f":caption: {caption}" in index
        for doc in entries:
            assert f"\n{doc}\n" in index, f"{doc} is not in the landing page's toctree"
    assert (folder / "conf.py").is_file()


def test_the_landing_page_has_the_course_map_from_the_report(source):
    folder, _ = source
    index = (folder / "index.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line for line in index.splitlines() if line.startswith("| ") and line[2:4].isdigit()}
    assert len(rows) == len(CPU["notebooks"])
    for run in CPU["notebooks"]:
        cells = [cell.strip() for cell in rows[run["notebook"][:2]].split("|")]
        assert f"{run['wall_s']:.0f}" in cells and f"{run['peak_mb']:.0f}" in cells, run["notebook"]
        assert f"[{run['notebook']}.ipynb](notebooks/{run['notebook']}.ipynb)" in rows[run["notebook"][:2]]
    # No picture from another server (the README's badges are text links here).
    assert "colab-badge.svg" not in index and "![" not in index


def test_each_lesson_copy_has_its_run_time_launch_links_and_solutions_and_the_same_cells(source):
    folder, _ = source
    address = repository.read_address()
    runs = {run["notebook"][:2]: run for run in CPU["notebooks"]}
    for lesson in course_site.lessons():
        original = nbformat.read(lesson, as_version=4)
        copy = nbformat.read(folder / lesson.relative_to(ROOT), as_version=4)
        first = copy.cells[0].source
        run = runs[lesson.name[:2]]
        assert f"**Measured run time:** {run['wall_s']:.0f} s" in first, lesson.name
        path = f"notebooks/{lesson.name}"
        assert f"https://mybinder.org/v2/gh/{address}/HEAD?labpath={path}" in first
        assert f"https://colab.research.google.com/github/{address}/blob/main/{path}" in first
        assert f"https://github.com/{address}/blob/main/{path}" in first
        assert f"solutions/{lesson.stem}_solutions.ipynb" in first
        assert [c.source for c in copy.cells if c.cell_type == "code"] == [c.source for c in original.cells if c.cell_type == "code"]
        assert len(copy.cells) == len(original.cells)
        # The original, byte for byte, is what "download it" links to.
        assert (folder / "_originals" / path).read_bytes() == lesson.read_bytes()


def test_long_cells_are_collapsed_and_widgets_replaced_by_a_note_in_the_copy_only():
    code = "\n".join(f"x{i} = {i}" for i in range(course_site.LONG_CELL_LINES + 1))
    widget = nbformat.v4.new_output("display_data", data={course_site.WIDGET_MIME: {"model_id": "a"}, "text/plain": "interactive(...)"})
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 99 · Title\n\nText with [a link](../pyproject.toml)."),
        nbformat.v4.new_code_cell(code),
        nbformat.v4.new_code_cell("x = 1", outputs=[widget]),
        nbformat.v4.new_code_cell("y = 2"),
    ])
    original = nbformat.writes(notebook)
    shown = course_site.prepare_notebook(notebook, "BOX", "notebooks/99_title.ipynb", "someone/course", ROOT)
    assert nbformat.writes(notebook) == original
    assert shown.cells[0].source.startswith("# 99 · Title\n\nBOX\n\n")
    assert "(https://github.com/someone/course/blob/main/pyproject.toml)" in shown.cells[0].source
    assert "hide-input" in shown.cells[1].metadata["tags"]
    assert "hide-input" not in shown.cells[3].metadata.get("tags", [])
    assert list(shown.cells[2].outputs[0].data) == ["text/html"] and "Binder" in shown.cells[2].outputs[0].data["text/html"]


def test_links_to_repository_files_outside_the_site_go_to_github_and_broken_ones_stay_broken():
    page = "notebooks/01_minimax_game.ipynb"
    rewrite = course_site.rewrite_links
    assert rewrite("[s](00_setup.ipynb)", page, "a/b") == "[s](00_setup.ipynb)"
    assert rewrite("[g](glossary.md#top)", page, "a/b") == "[g](glossary.md#top)"
    assert rewrite("[r](../README.md#data)", page, "a/b") == "[r](https://github.com/a/b/blob/main/README.md#data)"
    assert rewrite("[d](../datasets)", page, "a/b") == "[d](https://github.com/a/b/tree/main/datasets)"
    # A link to nothing is left for Sphinx to report, which fails the build.
    assert rewrite("[x](../no_such_file.md)", page, "a/b") == "[x](../no_such_file.md)"
    assert rewrite("[w](https://example.org/x.md)", page, "a/b") == "[w](https://example.org/x.md)"


def test_the_run_page_is_the_readmes_sections_without_pictures_from_elsewhere():
    text = course_site.run_page()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for heading in course_site.RUN_SECTIONS:
        assert f"\n## {heading}\n" in text and f"\n## {heading}\n" in readme
    assert "badge_logo.svg" in readme and "badge_logo.svg" not in text
    assert "[Binder](https://mybinder.org/v2/gh/" in text


def test_the_site_follows_the_one_repository_address(tmp_path):
    root = tmp_path / "course"
    root.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, root / name)
    (root / "notebooks").mkdir()
    repository.write_address("someone/gan-course", root)
    config = course_site.sphinx_config(root)
    assert config["html_theme_options"]["repository_url"] == "https://github.com/someone/gan-course"
    assert config["html_baseurl"] == "https://someone.github.io/gan-course/"
    assert config["nb_execution_mode"] == "off"
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "https://someone.github.io/gan-course/" in readme and "OWNER.github.io" not in readme
    assert repository.problems(root) == []
    # A README left with another site address is reported.
    (root / "README.md").write_text(readme + "\nhttps://other.github.io/gan-course/\n", encoding="utf-8")
    assert repository.problems(root) == [
        ("README.md links the site https://other.github.io/gan-course/, pyproject.toml's address gives "
         "https://someone.github.io/gan-course/")]


def _fake_build(html: Path) -> None:
    """A built site as Sphinx would write it, reduced to what the check reads."""
    (html / "_static" / "mathjax").mkdir(parents=True)
    (html / "_static" / "mathjax" / "tex-chtml.js").write_text("")
    (html / "index.html").write_text("<html></html>")
    for docs in course_site.toc().values():
        for doc in docs:
            page = html / f"{doc}.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text("<html><body></body></html>")
    (html / "_images").mkdir()
    (html / "_images" / "plot.png").write_bytes(b"png")
    for path in course_site.lessons() + course_site.solutions():
        doc = path.relative_to(ROOT).with_suffix(".html")
        up = "../" * (len(doc.parts) - 1)
        images = course_site.image_outputs(nbformat.read(path, as_version=4))
        outputs = "".join(f'<div class="cell_output docutils container"><div class="output"><img alt="" src="{up}_images/plot.png" /></div></div>'
                          for _ in range(images))
        (html / doc).write_text(f'<html><head><script defer="defer" src="{up}_static/mathjax/tex-chtml.js"></script></head>'
                                f'<body><span class="math notranslate nohighlight">\\(x\\)</span>'
                                f'<div class="cell_output"><pre>text</pre></div>{outputs}</body></html>')


def test_the_check_of_a_build_passes_a_complete_site_and_names_each_fault(tmp_path):
    html = tmp_path / "html"
    _fake_build(html)
    assert course_site.check(html) == []
    lesson = html / "notebooks" / "02_first_gan.html"
    text = lesson.read_text()
    # One figure missing from its page.
    lesson.write_text(text.replace('<img alt="" src="../_images/plot.png" />', "", 1))
    expected = course_site.image_outputs(nbformat.read(ROOT / "notebooks" / "02_first_gan.ipynb", as_version=4))
    assert course_site.check(html) == [f"notebooks/02_first_gan.html: {expected - 1} images in cell outputs, the notebook has {expected}"]
    # MathJax from a CDN, and no math markup on a page whose notebook has equations.
    lesson.write_text(text.replace("../_static/mathjax/tex-chtml.js", "https://cdn.example.org/mathjax/tex-chtml.js")
                      .replace('class="math notranslate nohighlight"', 'class="plain"'))
    assert course_site.check(html) == [
        "notebooks/02_first_gan.html: the notebook has equations, the page no math markup",
        "notebooks/02_first_gan.html: loads https://cdn.example.org/mathjax/tex-chtml.js from the network"]
    lesson.write_text(text)
    (html / "_images" / "plot.png").unlink()
    assert "notebooks/02_first_gan.html: image ../_images/plot.png is missing" in course_site.check(html)
    (html / "notebooks" / "glossary.html").unlink()
    assert "notebooks/glossary.html is missing" in course_site.check(html)
    assert course_site.check(tmp_path / "nothing") == [f"no site at {tmp_path / 'nothing'} (build it with `make site`)"]
