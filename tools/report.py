"""The course report: run every numbered notebook in one profile and measure it.

Each notebook ``notebooks/NN_*.ipynb`` runs top to bottom in a fresh kernel of this
Python environment, with the profile forced through ``GAN_LESSONS_PROFILE`` (see
``gan_lessons.config.profile``). For each notebook the report records

* ``wall_s``: seconds from starting the kernel to the end of the last cell;
* ``peak_mb``: the highest resident memory (RSS) of the kernel process plus all its
  child processes, summed over the process tree and sampled every ``--poll`` seconds
  (never less than the kernel's own high-water mark ``VmHWM`` on Linux);
* ``cpu_s``: user + system CPU seconds of that process tree. On a shared machine wall
  time grows with the other users' load, CPU time much less, so both are shown;
* ``status``: ``ok`` or ``failed`` (with the error), and whether a budget was exceeded;
* the notebook's ``results`` dict, fetched after the last cell by one extra cell run
  in the same kernel (it is not saved into the notebook).

It writes ``reports/<profile>.md`` (for people) and ``reports/<profile>.json`` (for
programs). A failing notebook becomes a failed row, the others still run, and the
exit status is 1. Usage::

    python tools/report.py --profile cpu
    python tools/report.py --profile fast --only 02 03
    python tools/report.py --profile cpu --save-executed notebooks   # commit these outputs

This is a tool for maintainers, so it lives outside the ``gan_lessons`` package.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Sequence

import pandas as pd
import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import calibrate  # noqa: E402  (tools/ is on the path above; it imports TensorFlow only when run)
PROFILES = ("fast", "cpu", "gpu")
NOTEBOOK_PATTERN = re.compile(r"^\d\d_.+\.ipynb$")
RESULTS_MARKER = "@@gan_lessons_report@@"
# Versions worth a line in the report; read from the installed distributions,
# so the runner itself never imports TensorFlow.
DISTRIBUTIONS = (
    "tensorflow", "keras", "numpy", "scipy", "pandas", "scikit-learn", "arch",
    "imbalanced-learn", "matplotlib", "nbclient", "ipykernel",
)


@dataclass(frozen=True)
class Budget:
    """Per-notebook limits of a profile; ``None`` means no limit."""

    wall_s: float | None
    peak_mb: float | None


# From the course design: the cpu profile must fit a 2-core machine in about three
# minutes and Binder's 2 GB (1.5 GB leaves room for the Jupyter server); the fast
# profile is for CI. The gpu profile has no budget.
BUDGETS = {
    "fast": Budget(wall_s=60.0, peak_mb=None),
    "cpu": Budget(wall_s=180.0, peak_mb=1536.0),
    "gpu": Budget(wall_s=None, peak_mb=None),
}


@dataclass
class NotebookRun:
    """What the report knows about one executed notebook."""

    notebook: str
    status: str  # "ok" or "failed"
    wall_s: float
    cpu_s: float
    peak_mb: float
    error: str | None = None
    results: Any = None
    results_note: str | None = None
    over_budget: list[str] = field(default_factory=list)
    gpus: list[str] | None = None


def check_profile(profile: str) -> str:
    """``profile`` if it is one of ``fast``, ``cpu``, ``gpu``; else ``ValueError``."""
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILES}, got {profile!r}")
    return profile


def find_notebooks(directory: Path, only: Sequence[str] | None = None) -> list[Path]:
    """The numbered notebooks ``NN_*.ipynb`` directly in ``directory``, sorted by name.

    ``only`` keeps the notebooks whose file name starts with one of its entries
    (``"02"``, ``"02_first_gan"`` or ``"02_first_gan.ipynb"``). Solutions live in a
    sub-directory and are not numbered lessons, so they are never picked up.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"expected a directory of notebooks, got {str(directory)!r}")
    found = sorted(p for p in directory.iterdir() if p.is_file() and NOTEBOOK_PATTERN.match(p.name))
    if only:
        selected = [p for p in found if any(p.name.startswith(prefix) for prefix in only)]
        if not selected:
            names = ", ".join(p.name for p in found) or "none"
            raise ValueError(
                f"no notebook in {directory} matches --only {' '.join(only)}; numbered notebooks: {names}"
            )
        return selected
    return found


def kernel_environment(profile: str) -> dict[str, str]:
    """The environment of the kernels: this process's, with the profile forced.

    ``GAN_LESSONS_PROFILE`` decides (see ``gan_lessons.config.profile``);
    ``GAN_LESSONS_FAST`` is set to match, for code that reads it directly, and
    ``GAN_LESSONS_QUIET=1`` turns the training progress bars off.
    ``PYTHONPATH`` passes through, so a worktree's package shadows an installed one.
    """
    env = dict(os.environ)
    env["GAN_LESSONS_PROFILE"] = check_profile(profile)
    env["GAN_LESSONS_FAST"] = "1" if profile == "fast" else "0"
    # No progress bars in measured runs and stored outputs.
    env["GAN_LESSONS_QUIET"] = "1"
    return env


def check_budget(run: NotebookRun, profile: str) -> list[str]:
    """Human-readable reasons why ``run`` exceeds the budget of ``profile`` (empty if none)."""
    budget = BUDGETS[check_profile(profile)]
    reasons = []
    if budget.wall_s is not None and run.wall_s > budget.wall_s:
        reasons.append(f"wall {run.wall_s:.0f} s > {budget.wall_s:.0f} s")
    if budget.peak_mb is not None and run.peak_mb > budget.peak_mb:
        reasons.append(f"peak {run.peak_mb:.0f} MB > {budget.peak_mb:.0f} MB")
    return reasons


class ProcessTreeSampler(threading.Thread):
    """Samples memory and CPU time of a process and all its descendants.

    ``root_pid`` is called at every sample and returns the kernel's pid, or ``None``
    while the kernel is not up yet. Resident memory is summed over the tree at each
    sample (pages shared between processes count once per process, so with forked
    workers the sum is an upper bound); ``peak_mb`` is the largest sum seen, raised
    to the root's own high-water mark when Linux reports it. CPU time is the latest
    user + system time seen for each pid, including children it has reaped.
    """

    def __init__(self, root_pid: Callable[[], int | None], interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        if not interval > 0:
            raise ValueError(f"interval must be > 0 seconds, got {interval}")
        self.root_pid = root_pid
        self.interval = interval
        self.peak_bytes = 0
        self.root_high_water_bytes = 0
        self.cpu_by_pid: dict[int, float] = {}
        self.samples = 0
        self._stop_event = threading.Event()

    @property
    def peak_mb(self) -> float:
        return max(self.peak_bytes, self.root_high_water_bytes) / 2**20

    @property
    def cpu_s(self) -> float:
        return sum(self.cpu_by_pid.values())

    def sample(self) -> None:
        """Take one sample now."""
        pid = self.root_pid()
        if pid is None:
            return
        try:
            root = psutil.Process(pid)
            processes = [root, *root.children(recursive=True)]
        except psutil.Error:
            return
        total = 0
        for process in processes:
            try:
                with process.oneshot():
                    total += process.memory_info().rss
                    times = process.cpu_times()
            except psutil.Error:
                continue  # it ended between listing and reading; its CPU was already counted
            self.cpu_by_pid[process.pid] = (
                times.user + times.system + times.children_user + times.children_system
            )
        self.peak_bytes = max(self.peak_bytes, total)
        self.root_high_water_bytes = max(self.root_high_water_bytes, _high_water_mark(pid))
        self.samples += 1

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        """Stop sampling and wait for the thread to end."""
        self._stop_event.set()
        self.join()


def _high_water_mark(pid: int) -> int:
    # VmHWM is the kernel's own peak RSS, kept by Linux, so short spikes between
    # two samples are not lost for the main process. Other systems: 0 (unknown).
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


# Runs in the notebook's kernel after its last cell. It converts what JSON cannot
# hold (NumPy scalars and arrays, pandas objects, tuple keys) to plain Python and
# prints one marked line; a notebook without `results` is reported, not an error.
_FETCH_SOURCE = '''
def _gan_lessons_report_fetch():
    import json, math, sys

    def plain(value, depth=0):
        if depth > 6:
            return repr(value)
        if isinstance(value, dict):
            return {str(k): plain(v, depth + 1) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v, depth + 1) for v in value]
        if isinstance(value, (bool, int, str)) or value is None:
            return value
        if isinstance(value, float):
            return value if math.isfinite(value) else str(value)
        if hasattr(value, "to_dict"):
            return plain(value.to_dict(), depth + 1)
        if getattr(value, "size", 0) > 100:
            return f"<array of shape {tuple(value.shape)}>"
        if hasattr(value, "tolist"):
            return plain(value.tolist(), depth + 1)
        return repr(value)

    payload = {}
    namespace = globals()
    if "results" in namespace:
        try:
            payload["results"] = plain(namespace["results"])
            payload["results_type"] = type(namespace["results"]).__name__
        except Exception as error:
            payload["results_error"] = f"{type(error).__name__}: {error}"
    tf = sys.modules.get("tensorflow")
    if tf is not None:
        try:
            payload["gpus"] = [device.name for device in tf.config.list_physical_devices("GPU")]
        except Exception as error:
            payload["gpus"] = [f"unknown ({type(error).__name__})"]
    print("MARKER" + json.dumps(payload))

_gan_lessons_report_fetch()
del _gan_lessons_report_fetch
'''.replace("MARKER", RESULTS_MARKER)


def _short_error(error: BaseException, cell_index: int | None, limit: int = 300) -> str:
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    if isinstance(error, CellExecutionError):
        text = f"{error.ename}: {error.evalue}"
    elif isinstance(error, DeadKernelError):
        text = f"DeadKernelError: the kernel died ({error}); out of memory?"
    elif isinstance(error, CellTimeoutError):
        text = f"CellTimeoutError: {str(error).splitlines()[0] if str(error) else 'cell timed out'}"
    else:
        text = f"{type(error).__name__}: {error}"
    text = " ".join(text.split())
    where = f"cell {cell_index}: " if cell_index is not None else ""
    text = where + text
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _parse_fetch_output(cell: Any) -> dict[str, Any] | None:
    # A long line can arrive in several stream messages, so join them first.
    stdout = "".join(
        output.get("text", "") for output in cell.get("outputs", [])
        if output.get("output_type") == "stream" and output.get("name") == "stdout"
    )
    for line in stdout.splitlines():
        if line.startswith(RESULTS_MARKER):
            return json.loads(line[len(RESULTS_MARKER):])
    return None


# What TensorFlow's C++ runtime prints to stderr when it loads, whatever
# TF_CPP_MIN_LOG_LEVEL says (it logs before absl is initialised): noise in a lesson.
STARTUP_NOISE = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    r"|[IE]\d{4} \S+ +\d+ (port|cudart_stub|cuda_platform|cpu_feature_guard)\.cc:\d+\] .*"
    r"|To enable the following instructions: .* with the appropriate compiler flags\.)$"
)


def strip_startup_noise(notebook: Any) -> Any:
    """``notebook`` with TensorFlow's start-up lines removed from its stderr outputs
    (and a stderr output left empty removed); every other output is kept as it is."""
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                lines = [line for line in output["text"].splitlines(keepends=True)
                         if not STARTUP_NOISE.match(line.rstrip("\n"))]
                if not "".join(lines).strip():
                    continue
                output["text"] = "".join(lines)
            kept.append(output)
        cell["outputs"] = kept
    return notebook


def run_notebook(
    path: Path,
    profile: str,
    timeout: float = 1800.0,
    poll_interval: float = 0.1,
    save_dir: Path | None = None,
    startup_timeout: float = 120.0,
) -> NotebookRun:
    """Execute one notebook in a fresh kernel in ``profile`` and measure it.

    ``timeout`` is per cell, in seconds. The kernel runs in the notebook's folder,
    as Jupyter would start it. With ``save_dir`` the executed notebook (with its
    outputs, or with the error if it failed) is written there under the same name.
    """
    import nbformat
    from nbclient import NotebookClient

    check_profile(profile)
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"expected a notebook file, got {str(path)!r}")
    if not timeout > 0 or not poll_interval > 0:
        raise ValueError(f"timeout and poll_interval must be > 0, got {timeout} and {poll_interval}")
    notebook = nbformat.read(path, as_version=4)
    lesson_cells = len(notebook.cells)
    notebook.cells.append(nbformat.v4.new_code_cell(_FETCH_SOURCE))

    client = NotebookClient(
        notebook,
        timeout=int(math.ceil(timeout)),
        startup_timeout=int(math.ceil(startup_timeout)),
        # The environment's own "python3" kernel (installed with ipykernel): its command
        # is "python", which jupyter_client replaces by this interpreter, so the kernel
        # runs in the course environment even when it is not activated (as under make).
        kernel_name="python3",
        # No per-cell timestamps in the saved notebooks: they would change every
        # committed notebook on every run without changing what it shows.
        record_timing=False,
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    state: dict[str, Any] = {"pid": None, "cell": None, "last_lesson_cell_end": None}

    def on_notebook_start(**_: Any) -> None:
        provisioner = getattr(client.km, "provisioner", None)
        state["pid"] = getattr(provisioner, "pid", None)

    def on_cell_start(cell_index: int, **_: Any) -> None:
        state["cell"] = cell_index

    def on_cell_executed(cell_index: int, **_: Any) -> None:
        if cell_index < lesson_cells:
            state["last_lesson_cell_end"] = time.monotonic()

    client.on_notebook_start = on_notebook_start
    client.on_cell_start = on_cell_start
    client.on_cell_executed = on_cell_executed

    sampler = ProcessTreeSampler(lambda: state["pid"], interval=poll_interval)
    sampler.start()
    error_text = None
    start = time.monotonic()
    try:
        client.execute(env=kernel_environment(profile))
    except Exception as error:  # a failed notebook is a row of the report, not a crash
        failed_at = time.monotonic()
        cell_index = state["cell"]
        error_text = _short_error(error, cell_index if cell_index is not None and cell_index < lesson_cells else None)
        if cell_index is not None and cell_index >= lesson_cells:
            error_text = "fetching results failed: " + error_text
        state["last_lesson_cell_end"] = failed_at
    finally:
        sampler.stop()
    end = state["last_lesson_cell_end"] or time.monotonic()

    fetched = _parse_fetch_output(notebook.cells[-1]) if error_text is None else None
    notebook.cells.pop()
    if save_dir is not None:
        save_dir = Path(save_dir)
        save_dir.mkdir(parents=True, exist_ok=True)
        nbformat.write(strip_startup_noise(notebook), save_dir / path.name)

    run = NotebookRun(
        notebook=path.stem,
        status="failed" if error_text else "ok",
        wall_s=end - start,
        cpu_s=sampler.cpu_s,
        peak_mb=sampler.peak_mb,
        error=error_text,
    )
    if error_text:
        run.results_note = "not fetched: the notebook failed"
    elif fetched is None:
        run.results_note = "not fetched: the fetch cell printed nothing"
    else:
        run.gpus = fetched.get("gpus")
        if "results_error" in fetched:
            run.results_note = f"results could not be converted: {fetched['results_error']}"
        elif "results" not in fetched:
            run.results_note = "no variable named results in the notebook"
        else:
            run.results = fetched["results"]
            if fetched.get("results_type") != "dict":
                run.results_note = f"results is a {fetched.get('results_type')}, expected a dict"
    run.over_budget = check_budget(run, profile)
    return run


def describe_machine() -> dict[str, Any]:
    """Cores, memory, CPU model, GPUs (``nvidia-smi``), OS, versions and load, without importing TensorFlow."""
    cpu_model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    cpu_model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    gpus = "nvidia-smi not found"
    if shutil.which("nvidia-smi"):
        try:
            listing = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True, timeout=30)
            gpus = "; ".join(listing.stdout.split("\n")).strip("; ") or "none listed by nvidia-smi"
        except (OSError, subprocess.SubprocessError) as error:
            gpus = f"nvidia-smi failed: {error}"
    versions = {"python": platform.python_version()}
    for name in DISTRIBUTIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "cpu": cpu_model,
        "logical_cores": os.cpu_count(),
        "physical_cores": psutil.cpu_count(logical=False),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "gpus_nvidia_smi": gpus,
        "os": platform.platform(),
        "versions": versions,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
        "git_commit": _git_commit(),
    }


def _git_commit() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (head or "unknown") + (" (with uncommitted changes)" if dirty else "")


def _format_value(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        shown = ", ".join(_format_value(v) for v in value[:6])
        return f"[{shown}{', ...' if len(value) > 6 else ''}] ({len(value)} items)" if len(value) > 6 else f"[{shown}]"
    return str(value)


def _flatten(results: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(results, dict):
        rows = []
        for key, value in results.items():
            rows.extend(_flatten(value, f"{prefix}{key}." if isinstance(value, dict) else f"{prefix}{key}"))
        return rows
    return [(prefix.rstrip(".") or "results", _format_value(results))]


def _cell(text: Any) -> str:
    # A Markdown table cell: one line, pipes escaped (to_markdown leaves them as they are).
    return " ".join(str(text).split()).replace("|", "\\|")


def render_markdown(report: dict[str, Any]) -> str:
    """The Markdown report: the table of notebooks, their results, the machine."""
    profile = report["profile"]
    budget = BUDGETS[profile]
    limits = [f"wall <= {budget.wall_s:.0f} s" if budget.wall_s else None,
              f"peak <= {budget.peak_mb:.0f} MB" if budget.peak_mb else None]
    limits_text = ", ".join(x for x in limits if x) or "none"
    lines = [
        f"# Course report: profile `{profile}`",
        "",
        f"Written by `{report['command']}` on {report['date']} (commit {report['machine']['git_commit']}).",
        "",
        "Every numbered notebook ran top to bottom in a fresh kernel of the course environment, "
        f"with `GAN_LESSONS_PROFILE={profile}`. `wall_s`: from starting the kernel to the end of the last cell. "
        "`peak_mb`: the largest resident memory of the kernel and its child processes together, "
        f"sampled every {report['poll_s']} s. `cpu_s`: user + system CPU seconds of the same processes; "
        "on a machine shared with other work wall time grows with their load and CPU time much less, "
        "so compare the two (TensorFlow on an idle 2-core machine needs about wall = cpu_s / 1.6).",
        "",
        f"Budget of this profile per notebook: {limits_text}. Rows over it say so in `status`. "
        "In errors, cells are numbered from 0, Markdown cells included.",
        "",
        calibrate.describe(report["calibration"]) if report.get("calibration")
        else "No calibration in this run (`--no-calibration`, or it failed): no projection onto the reference machine.",
    ]
    if report.get("selection"):
        lines += ["", f"**Partial run**: only the notebooks matching `--only {' '.join(report['selection'])}`."]
    rows = []
    for run in report["notebooks"]:
        status = run["status"] + (f": {run['error']}" if run["error"] else "")
        if run["over_budget"]:
            status += " · OVER BUDGET: " + "; ".join(run["over_budget"])
        rows.append({"notebook": run["notebook"], "wall_s": run["wall_s"], "peak_mb": run["peak_mb"],
                     "status": _cell(status), "cpu_s": run["cpu_s"]})
    table = pd.DataFrame(rows, columns=["notebook", "wall_s", "peak_mb", "status", "cpu_s"])
    lines += ["", table.to_markdown(index=False, floatfmt=("", ".1f", ".0f", "", ".1f"))]
    summary = report["summary"]
    lines += [
        "",
        f"{summary['notebooks']} notebooks: {summary['ok']} ok, {summary['failed']} failed, "
        f"{summary['over_budget']} over budget; total wall {summary['total_wall_s']:.0f} s, "
        f"total CPU {summary['total_cpu_s']:.0f} s, largest peak {summary['max_peak_mb']:.0f} MB.",
        "",
        "## Results",
    ]
    for run in report["notebooks"]:
        lines += ["", f"### {run['notebook']}", ""]
        rows = _flatten(run["results"]) if run["results"] not in (None, {}) else []
        if run["results_note"]:
            lines.append(f"*{run['results_note']}*")
            if rows:
                lines.append("")
        if rows:
            lines.append(pd.DataFrame([(key, _cell(value)) for key, value in rows], columns=["key", "value"])
                         .to_markdown(index=False, disable_numparse=True))
        elif not run["results_note"]:
            lines.append("*results is empty*")
    machine = report["machine"]
    versions = ", ".join(f"{name} {version}" for name, version in machine["versions"].items())
    seen = sorted({gpu for run in report["notebooks"] for gpu in (run["gpus"] or [])})
    tf_gpus = ", ".join(seen) if seen else "none (in the notebooks that imported TensorFlow)"
    lines += [
        "",
        "## Machine",
        "",
        f"- CPU: {machine['cpu']}; {machine['logical_cores']} logical cores ({machine['physical_cores']} physical)",
        f"- memory: {machine['memory_gb']} GB",
        f"- GPUs seen by TensorFlow: {tf_gpus}; nvidia-smi: {machine['gpus_nvidia_smi']}",
        f"- OS: {machine['os']}",
        f"- versions: {versions}",
        f"- load average (1, 5, 15 min) at start: {machine['load_average_at_start']}, "
        f"at end: {machine.get('load_average_at_end')}; above the core count means other work shared the CPU",
        f"- date: {report['date']}",
        "",
    ]
    return "\n".join(lines)


def run_calibration() -> dict[str, Any] | None:
    """``tools/calibrate.py`` in a process of its own (this runner never imports TensorFlow);
    ``None``, with a printed reason, if it fails."""
    result = subprocess.run([sys.executable, str(Path(__file__).with_name("calibrate.py"))],
                            capture_output=True, text=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        print(f"report: calibration failed ({result.stderr.strip()[-300:]}); the report has no projection", file=sys.stderr)
        return None
    return json.loads(lines[-1])


def build_report(runs: list[NotebookRun], profile: str, command: str, machine: dict[str, Any],
                 poll_s: float, selection: Sequence[str] | None = None) -> dict[str, Any]:
    """The report as a JSON-ready dict (what ``reports/<profile>.json`` holds)."""
    return {
        "profile": check_profile(profile),
        "command": command,
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "poll_s": poll_s,
        "selection": list(selection) if selection else None,
        "budget": asdict(BUDGETS[profile]),
        "summary": {
            "notebooks": len(runs),
            "ok": sum(run.status == "ok" for run in runs),
            "failed": sum(run.status == "failed" for run in runs),
            "over_budget": sum(bool(run.over_budget) for run in runs),
            "total_wall_s": sum(run.wall_s for run in runs),
            "total_cpu_s": sum(run.cpu_s for run in runs),
            "max_peak_mb": max((run.peak_mb for run in runs), default=0.0),
        },
        "notebooks": [asdict(run) for run in runs],
        "machine": machine,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point; returns 0 if every notebook ran, 1 if one failed, 2 on bad usage."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", default="cpu", choices=PROFILES, help="profile to run in (default: cpu)")
    parser.add_argument("--notebooks", type=Path, default=REPO / "notebooks", help="folder of NN_*.ipynb")
    parser.add_argument("--out", type=Path, default=REPO / "reports", help="folder for <profile>.md/.json")
    parser.add_argument("--only", nargs="+", metavar="PREFIX", help="run only notebooks whose name starts so, e.g. 02 03")
    parser.add_argument("--save-executed", type=Path, metavar="DIR",
                        help="write the executed notebooks there (e.g. notebooks/ to commit cpu outputs)")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per cell before it fails")
    parser.add_argument("--poll", type=float, default=0.1, help="seconds between memory samples")
    parser.add_argument("--no-calibration", action="store_true",
                        help="skip timing the reference step first (tools/calibrate.py; about 30 s)")
    args = parser.parse_args(argv)
    try:
        notebooks = find_notebooks(args.notebooks, args.only)
    except ValueError as error:
        print(f"report: {error}", file=sys.stderr)
        return 2
    if not notebooks:
        print(f"report: no numbered notebooks (NN_*.ipynb) in {args.notebooks}", file=sys.stderr)
        return 2
    machine = describe_machine()
    calibration = None if args.no_calibration else run_calibration()
    if calibration is not None:
        print(calibrate.describe(calibration), flush=True)
    runs = []
    for path in notebooks:
        print(f"[{args.profile}] {path.name} ...", end=" ", flush=True)
        run = run_notebook(path, args.profile, timeout=args.timeout, poll_interval=args.poll,
                           save_dir=args.save_executed)
        flags = f" OVER BUDGET ({'; '.join(run.over_budget)})" if run.over_budget else ""
        print(f"{run.status} in {run.wall_s:.1f} s, cpu {run.cpu_s:.1f} s, peak {run.peak_mb:.0f} MB{flags}"
              + (f"\n    {run.error}" if run.error else ""), flush=True)
        runs.append(run)
    if hasattr(os, "getloadavg"):
        machine["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    command = "python tools/report.py " + " ".join(argv if argv is not None else sys.argv[1:])
    report = build_report(runs, args.profile, command.strip(), machine, args.poll, args.only)
    report["calibration"] = calibration
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{args.profile}.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (args.out / f"{args.profile}.md").write_text(render_markdown(report), encoding="utf-8")
    print(f"wrote {args.out / (args.profile + '.md')} and .json")
    return 1 if report["summary"]["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
