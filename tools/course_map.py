"""Write the README's course map from the course report (reports/cpu.json, reports/fast.json).

Run after ``make report PROFILE=cpu`` and ``make report PROFILE=fast`` (and, for the
solutions, ``python tools/report.py --profile cpu --notebooks notebooks/solutions --out
reports/solutions --no-calibration``):

    python tools/course_map.py

It replaces the text between the ``course-map`` markers in README.md, the run-time
sentence at the top of each lesson and, where reports/solutions/cpu.json exists, the
run-time sentence at the top of each solutions notebook, so the run times and key
results there are always the measured ones.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from repository import read_address  # noqa: E402  (tools/ is on the path above)

START, END = "<!-- course-map:start -->", "<!-- course-map:end -->"
COLAB = "https://colab.research.google.com/github/{address}/blob/main/notebooks/{name}"

TEACHES = {
    "00": "running the course (local, Binder, Colab, GPU), the three profiles, a tour of `gan_lessons`",
    "01": "value function, optimal discriminator checked numerically, C(G) = −log 4 + 2·JSD, what each generator loss descends against D* (2·JSD vs KL − 2·JSD)",
    "02": "the alternating loop with `tf.GradientTape`, the `GAN` class, mode hopping induced and measured on a ring of 8 Gaussians",
    "03": "DCGAN guidelines, a deeper DCGAN (one extra convolution per resolution), fixed-noise grids, latent interpolation, Fréchet distance / precision / recall with real-vs-real floors",
    "04": "least-squares GAN: a–b–c codings, Pearson χ², gradients far from the boundary, LS vs non-saturating on a ring of 8 Gaussians over 5 paired seeds",
    "05": "metrics on known cases, failure modes, WGAN-GP, spectral normalisation and two time-scale rates against a baseline whose G outruns D, 5 paired seeds, each mechanism measured",
    "06": "stylised facts of S&P 500 returns in and out of sample, a temporal-convolution GAN vs GARCH-t, GJR-GARCH-t and a bootstrap, VaR / ES with intervals, Kupiec backtests",
    "07": "mixed-type tabular data, mode-specific encoding with sampled modes, training-by-sampling, a conditional GAN vs independent marginals and a Gaussian copula over 5 seeds",
    "08": "rare positives: every arm tuned inside cross-validation, SMOTE-NC and conditional-GAN oversampling in imbalanced-learn pipelines, 10 paired seeds",
    "09": "synthetic data is not automatically private: DCR, exact copies, membership inference (AUC, TPR at 1 % FPR), DP-SGD and its ε, arms that differ only in clipping and noise",
    "10": "a bug hunt in a broken GAN script: each bug found by a check that fails before the fix and passes after; a sanity checklist",
}

# The figures of each notebook's ``results`` shown in the map: (key, label, format), where
# a key is a name in ``results`` or a tuple of names into nested dicts.
KEY_RESULTS = {
    "01": [("d_star_max_abs_error", "max abs error of trained D vs D*", "{:.3f}")],
    "02": [("modes_covered", "modes", "{}/8"), ("high_quality_fraction", "high quality", "{:.1%}"),
           ("largest_mode_share", "largest mode", "{:.1%}")],
    "03": [("frechet_distance", "FD", "{:.2f}"), ("frechet_floor", "floor", "{:.2f}"), ("precision", "precision", "{:.2f}"),
           ("recall", "recall", "{:.2f}"), ("smallest_class_share", "smallest class", "{:.1%}")],
    "07": [("tstr_over_trtr", "TSTR/TRTR", "{:.3f}"), ("exact_copies", "exact copies", "{}"),
           ("closer_to_train_share", "closer to train", "{:.1%}")],
    "09": [("member_rows", "member rows", "{}"), ("exact_copies", "exact copies", "{}"),
           ("closer_to_train_share", "closer to train", "{:.1%}"),
           ("mia_auc_nonprivate", "non-private attack AUC", "{:.2f}"), ("mia_auc", "attack AUC at ε 10", "{:.2f}"),
           ("epsilon", "private run ε", "{:g}"), (("tstr", "non-private"), "TSTR non-private", "{:.3f}"),
           (("tstr", "DP eps=10"), "TSTR at ε 10", "{:.3f}")],
    "10": [("checks_failing_before_fix", "checks failing before fix", "{}/5"),
           ("checks_passing_after_fix", "passing after", "{}/5"), ("clean_share", "clean bars", "{:.0%}"),
           ("bars_covered", "bars covered", "{}/16")],
}


def _lookup(results: dict, key: str | tuple[str, ...]):
    for name in (key if isinstance(key, tuple) else (key,)):
        if not isinstance(results, dict) or name not in results:
            return None
        results = results[name]
    return results


def _load(profile: str) -> dict:
    path = REPO / "reports" / f"{profile}.json"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `make report PROFILE={profile}` first")
    return json.loads(path.read_text(encoding="utf-8"))


def _by_number(report: dict) -> dict[str, dict]:
    return {run["notebook"][:2]: run for run in report["notebooks"]}


def _headline(headline: dict) -> str:
    """A lesson's main comparison (``results["headline"]``, see gan_lessons.runs) in a few words."""
    try:
        return (f"{headline['method']} vs {headline['baseline']}, {headline['metric']}: "
                f"{headline['method_mean']:.3g} vs {headline['baseline_mean']:.3g}, "
                f"better on {headline['method_wins']}/{headline['seeds']} seeds")
    except (KeyError, TypeError, ValueError):
        return "headline incomplete"


def _key_results(number: str, run: dict) -> str:
    """The headline comparison if the lesson has one, then the figures of KEY_RESULTS it holds."""
    results = run.get("results") or {}
    parts = [_headline(results["headline"])] if isinstance(results.get("headline"), dict) else []
    for key, label, fmt in KEY_RESULTS.get(number, []):
        value = _lookup(results, key)
        if value is not None:
            parts.append(f"{label} {fmt.format(value)}")
    return "; ".join(parts) if parts else "–"


def course_map() -> str:
    """The Markdown table of the course map, and a line saying where its times come from."""
    cpu_report = _load("cpu")
    cpu, fast = _by_number(cpu_report), _by_number(_load("fast"))
    calibration = cpu_report.get("calibration")
    factor = calibration["projection_factor"] if calibration else None
    address = read_address(REPO)
    lines = [
        "| # | notebook | teaches | key results (cpu) | fast s | cpu s here | cpu s on the reference machine | cpu peak MB |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for number in sorted(cpu):
        run = cpu[number]
        name = run["notebook"] if run["notebook"].endswith(".ipynb") else run["notebook"] + ".ipynb"
        fast_s = f"{fast[number]['wall_s']:.0f}" if number in fast else "–"
        status = "" if run["status"] == "ok" else f" (**{run['status']}**)"
        projected = f"~{run['wall_s'] * factor:.0f}" if factor else "–"
        lines.append(
            f"| {number} | [{name}](notebooks/{name}) [![Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
            f"({COLAB.format(address=address, name=name)}) | {TEACHES.get(number, '')} | {_key_results(number, run)} | "
            f"{fast_s} | {run['wall_s']:.0f}{status} | {projected} | {run['peak_mb']:.0f} |"
        )
    total = sum(run["wall_s"] for run in cpu.values())
    machine = cpu_report["machine"]
    if calibration:
        lines += ["", (
            f"*cpu s here*: measured by the course report on {machine['cpu']} ({machine['logical_cores']} cores), "
            f"where the reference training step runs at {calibration['steps_per_s']:.1f} steps/s. "
            f"*On the reference machine*: projected onto a {calibration['reference_machine']}, which runs it at "
            f"{calibration['reference_steps_per_s']:.0f} steps/s (time here x {factor:.2f}). "
            f"Whole course in the cpu profile: {total / 60:.0f} min here, about {total * factor / 60:.0f} min projected."
        )]
    return "\n".join(lines)


RUN_TIME = re.compile(
    r"about \d+ s in the `fast` profile, about \d+ s in the `cpu` profile"
    r"(?: \(about \d+ s projected onto the reference machine of the README\))?, peak memory [\d.]+ GB"
)


def update_run_times() -> list[str]:
    """Each lesson's run-time sentence (first Markdown cell) rewritten from the report; the
    names of the notebooks whose sentence was not found."""
    import nbformat

    cpu_report = _load("cpu")
    cpu, fast = _by_number(cpu_report), _by_number(_load("fast"))
    calibration = cpu_report.get("calibration")
    missing = []
    for number, run in sorted(cpu.items()):
        path = REPO / "notebooks" / (run["notebook"] + ".ipynb")
        notebook = nbformat.read(path, as_version=4)
        cell = next(c for c in notebook.cells if c.cell_type == "markdown")
        projected = (f" (about {run['wall_s'] * calibration['projection_factor']:.0f} s projected onto the reference "
                     "machine of the README)") if calibration else ""
        sentence = (f"about {fast[number]['wall_s']:.0f} s in the `fast` profile, about {run['wall_s']:.0f} s in the "
                    f"`cpu` profile{projected}, peak memory {run['peak_mb'] / 1024:.1f} GB")
        if not RUN_TIME.search(cell.source):
            missing.append(path.name)
            continue
        new_source = RUN_TIME.sub(sentence, cell.source)
        if new_source != cell.source:
            cell.source = new_source
            nbformat.write(notebook, path)
    return missing


SOLUTION_RUN_TIME = re.compile(
    r"Run time: about \d+ s in the `cpu` profile"
    r"(?: \(about \d+ s projected onto the reference machine of the README\))?, peak memory [\d.]+ GB"
)


def solution_sentence(run: dict, projection_factor: float | None) -> str:
    """The run-time sentence of a solutions notebook, from its row of the solutions report."""
    projected = (f" (about {run['wall_s'] * projection_factor:.0f} s projected onto the reference machine of the "
                 "README)") if projection_factor else ""
    return f"Run time: about {run['wall_s']:.0f} s in the `cpu` profile{projected}, peak memory {run['peak_mb'] / 1024:.1f} GB"


def update_solution_run_times() -> list[str]:
    """Each solutions notebook's run-time sentence rewritten from reports/solutions/cpu.json
    (the projection factor is the lessons' cpu report's: same machine, same run); the
    names of the notebooks whose sentence was not found. Nothing if that report is missing."""
    import nbformat

    path = REPO / "reports" / "solutions" / "cpu.json"
    if not path.exists():
        return []
    report = json.loads(path.read_text(encoding="utf-8"))
    calibration = _load("cpu").get("calibration")
    factor = calibration["projection_factor"] if calibration else None
    missing = []
    for run in report["notebooks"]:
        notebook_path = REPO / "notebooks" / "solutions" / (run["notebook"] + ".ipynb")
        notebook = nbformat.read(notebook_path, as_version=4)
        cell = next(c for c in notebook.cells if c.cell_type == "markdown")
        if not SOLUTION_RUN_TIME.search(cell.source):
            missing.append(notebook_path.name)
            continue
        new_source = SOLUTION_RUN_TIME.sub(solution_sentence(run, factor), cell.source)
        if new_source != cell.source:
            cell.source = new_source
            nbformat.write(notebook, notebook_path)
    return missing


def main() -> int:
    missing = update_run_times() + update_solution_run_times()
    if missing:
        print(f"no run-time sentence found in {', '.join(missing)}", file=sys.stderr)
    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        print(f"README.md has no {START} ... {END} markers", file=sys.stderr)
        return 2
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{START}\n{course_map()}\n{END}{tail}", encoding="utf-8")
    print("course map updated in README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
