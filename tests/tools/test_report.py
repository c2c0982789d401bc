"""Tests of the course report runner (tools/report.py) on tiny notebooks made here."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

TOOLS = Path(__file__).resolve().parents[2] / "tools"
sys.path.insert(0, str(TOOLS))

import report  # noqa: E402  (tools/ is not a package; it is put on the path above)


def write_notebook(path: Path, *sources: str) -> Path:
    """A notebook of code cells; a source starting with "# raises-exception" gets that tag."""
    cells = [new_code_cell(source) for source in sources]
    for cell in cells:
        if cell.source.startswith("# raises-exception"):
            cell.metadata["tags"] = ["raises-exception"]
    nbformat.write(new_notebook(cells=cells), path)
    return path


OK_CELLS = (
    "import os\nimport numpy as np",
    "# raises-exception: a cell meant to fail, as lessons show errors on purpose\nnp.ones(2) @ np.ones(3)",
    "results = {'profile': os.environ['GAN_LESSONS_PROFILE'], 'mean': np.float32(0.5),\n"
    "           'count': np.int64(3), 'curve': np.arange(3), 'nested': {'nan': float('nan')}}",
)
FAILING_CELLS = ("a = 1", "raise ValueError('expected a broken notebook')", "b = 2")


def test_success_row_has_time_memory_and_results(tmp_path: Path) -> None:
    notebook = write_notebook(tmp_path / "01_ok.ipynb", *OK_CELLS)
    run = report.run_notebook(notebook, "fast")
    assert run.status == "ok" and run.error is None and run.results_note is None
    assert run.notebook == "01_ok"
    # The profile reached the kernel, and NumPy types came back as plain numbers.
    assert run.results == {
        "profile": "fast", "mean": 0.5, "count": 3, "curve": [0, 1, 2], "nested": {"nan": "nan"},
    }
    assert run.wall_s > 0 and run.cpu_s > 0
    # A Python kernel with NumPy loaded holds tens of MB.
    assert 20 < run.peak_mb < 1000


def test_failure_row_names_cell_and_error_and_stops(tmp_path: Path) -> None:
    notebook = write_notebook(tmp_path / "02_bad.ipynb", *FAILING_CELLS)
    run = report.run_notebook(notebook, "fast", save_dir=tmp_path / "executed")
    assert run.status == "failed"
    assert run.error == "cell 1: ValueError: expected a broken notebook"
    assert run.results is None and "failed" in run.results_note
    assert run.wall_s > 0 and run.peak_mb > 0
    executed = nbformat.read(tmp_path / "executed" / "02_bad.ipynb", as_version=4)
    # The executed copy keeps the error and has no extra cell from the report.
    assert len(executed.cells) == 3
    assert executed.cells[1].outputs[0].output_type == "error"
    assert executed.cells[2].execution_count is None


def test_missing_results_is_noted_not_fatal(tmp_path: Path) -> None:
    notebook = write_notebook(tmp_path / "03_quiet.ipynb", "x = 1")
    run = report.run_notebook(notebook, "cpu")
    assert run.status == "ok" and run.results is None
    assert run.results_note == "no variable named results in the notebook"


def test_peak_memory_counts_child_processes(tmp_path: Path) -> None:
    # The child writes 300 MB (so the pages are really resident) and holds them
    # for 1.5 s; the kernel's own memory stays far below that.
    child = (
        "import subprocess, sys\n"
        "code = 'import time; block = bytearray(b\"x\") * (300 * 2**20); time.sleep(1.5)'\n"
        "subprocess.run([sys.executable, '-c', code], check=True)"
    )
    notebook = write_notebook(tmp_path / "04_child.ipynb", child)
    run = report.run_notebook(notebook, "fast", poll_interval=0.1)
    assert run.status == "ok"
    assert run.peak_mb > 300
    assert run.cpu_s > 0.1


def test_cli_writes_report_and_exits_non_zero_on_failure(tmp_path: Path) -> None:
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    write_notebook(notebooks / "01_ok.ipynb", *OK_CELLS)
    write_notebook(notebooks / "02_bad.ipynb", *FAILING_CELLS)
    write_notebook(notebooks / "not_a_lesson.ipynb", "raise RuntimeError('must not run')")
    out = tmp_path / "reports"
    command = [sys.executable, str(TOOLS / "report.py"), "--profile", "fast",
               "--notebooks", str(notebooks), "--out", str(out), "--save-executed", str(tmp_path / "executed"),
               "--no-calibration"]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 1, finished.stderr
    data = json.loads((out / "fast.json").read_text())
    rows = {row["notebook"]: row for row in data["notebooks"]}
    assert set(rows) == {"01_ok", "02_bad"}
    assert rows["01_ok"]["status"] == "ok" and rows["01_ok"]["results"]["count"] == 3
    assert rows["02_bad"]["status"] == "failed"
    assert data["summary"]["failed"] == 1 and data["machine"]["logical_cores"] >= 1
    markdown = (out / "fast.md").read_text()
    assert "| notebook | wall_s | peak_mb | status | cpu_s |" in _squeeze(markdown)
    assert "| 02_bad |" in _squeeze(markdown) and "failed: cell 1: ValueError: expected a broken notebook" in markdown
    assert "## Machine" in markdown and "tensorflow" in markdown
    assert sorted(p.name for p in (tmp_path / "executed").iterdir()) == ["01_ok.ipynb", "02_bad.ipynb"]

    # The exit status when all selected notebooks pass, in-process to save a Python start-up.
    assert report.main(command[2:] + ["--only", "01"]) == 0
    assert "Partial run" in (out / "fast.md").read_text()


def test_cli_rejects_a_selection_that_matches_nothing(tmp_path: Path) -> None:
    write_notebook(tmp_path / "01_ok.ipynb", "x = 1")
    finished = subprocess.run(
        [sys.executable, str(TOOLS / "report.py"), "--notebooks", str(tmp_path), "--out", str(tmp_path),
         "--only", "99"],
        capture_output=True, text=True, timeout=120,
    )
    assert finished.returncode == 2
    assert "no notebook" in finished.stderr and "01_ok.ipynb" in finished.stderr


def test_over_budget_rows_are_marked() -> None:
    slow = report.NotebookRun("05_slow", "ok", wall_s=200.0, cpu_s=300.0, peak_mb=1600.0)
    assert report.check_budget(slow, "cpu") == ["wall 200 s > 180 s", "peak 1600 MB > 1536 MB"]
    assert report.check_budget(slow, "fast") == ["wall 200 s > 60 s"]
    assert report.check_budget(slow, "gpu") == []
    within = report.NotebookRun("06_fine", "ok", wall_s=100.0, cpu_s=150.0, peak_mb=900.0)
    assert report.check_budget(within, "cpu") == []
    slow.over_budget = report.check_budget(slow, "cpu")
    machine = report.describe_machine()
    markdown = report.render_markdown(report.build_report([slow, within], "cpu", "python tools/report.py", machine, 0.1))
    assert "OVER BUDGET: wall 200 s > 180 s; peak 1600 MB > 1536 MB" in markdown
    assert "| 06_fine | 100.0 | 900 | ok | 150.0 |" in _squeeze(markdown)


def test_find_notebooks_takes_numbered_lessons_only(tmp_path: Path) -> None:
    for name in ("02_b.ipynb", "01_a.ipynb", "glossary.md", "scratch.ipynb", "1_short.ipynb"):
        (tmp_path / name).write_text("{}")
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "01_a_solutions.ipynb").write_text("{}")
    assert [p.name for p in report.find_notebooks(tmp_path)] == ["01_a.ipynb", "02_b.ipynb"]
    assert [p.name for p in report.find_notebooks(tmp_path, ["02"])] == ["02_b.ipynb"]


def test_bad_input_raises_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"profile must be one of \('fast', 'cpu', 'gpu'\), got 'slow'"):
        report.check_profile("slow")
    with pytest.raises(ValueError, match="expected a directory of notebooks"):
        report.find_notebooks(tmp_path / "missing")
    (tmp_path / "01_a.ipynb").write_text("{}")
    with pytest.raises(ValueError, match="no notebook .* matches --only 07; numbered notebooks: 01_a.ipynb"):
        report.find_notebooks(tmp_path, ["07"])
    with pytest.raises(ValueError, match="expected a notebook file"):
        report.run_notebook(tmp_path / "02_missing.ipynb", "fast")
    with pytest.raises(ValueError, match="interval must be > 0 seconds, got 0"):
        report.ProcessTreeSampler(lambda: None, interval=0)


def _squeeze(markdown: str) -> str:
    """The Markdown with runs of spaces (table padding) made one space."""
    return re.sub(r" +", " ", markdown)


def test_tensorflow_start_up_lines_are_stripped_and_other_stderr_kept() -> None:
    noise = ("WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
             "I0000 00:00:1795272763.708921   21585 port.cc:153] oneDNN custom operations are on. You may see ...\n"
             "E0000 00:00:1796163104.971419    6674 cuda_platform.cc:52] failed call to cuInit: INTERNAL: CUDA error\n")
    warning = "/x/keras/src/ops/nn.py:959: UserWarning: You are using a softmax over axis -1\n"
    cell = new_code_cell("import tensorflow")
    cell.outputs = [{"output_type": "stream", "name": "stderr", "text": noise},
                    {"output_type": "stream", "name": "stderr", "text": noise + warning},
                    {"output_type": "stream", "name": "stdout", "text": "I0000 is printed on purpose\n"}]
    stripped = report.strip_startup_noise(new_notebook(cells=[cell])).cells[0].outputs
    assert [output["text"] for output in stripped] == [warning, "I0000 is printed on purpose\n"]
