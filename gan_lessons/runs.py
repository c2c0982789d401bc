"""Every trained run recorded, and a comparison judged over seeds.

A lesson's ``results["runs"]`` is a list with one dict per trained run: ``method``,
``seed`` and each metric, so a reader can recompute any table. Its
``results["headline"]`` names the main comparison (STYLE.md, "Experiments a learner
can trust"). This module builds both from the runs, so no lesson counts wins or
bootstraps an interval by hand. :func:`compare_methods` trains the arms of a comparison
(any data, any score) on the same seeds and records checkpoints:

>>> runs = [{"method": "A", "seed": s, "fd": 2.0 + s} for s in range(5)]
>>> runs += [{"method": "B", "seed": s, "fd": 1.5 + s} for s in range(5)]
>>> headline(runs, "B beats A", "fd", lower_is_better=True, baseline="A", method="B")["method_wins"]
5
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from gan_lessons._checks import positive_int
from gan_lessons.config import stream_seed

if TYPE_CHECKING:
    from gan_lessons.training import GAN


def check_runs(runs: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``runs`` as a list of plain dicts, each with ``method`` (str) and ``seed`` (int).

    Raises ValueError for an empty list, a missing key or a (method, seed) pair that
    appears twice; TypeError for a run that is not a mapping.
    """
    checked: list[dict[str, Any]] = []
    seen: set[tuple[str, int]] = set()
    for index, run in enumerate(runs):
        if not isinstance(run, Mapping):
            raise TypeError(f"runs[{index}] must be a dict with 'method' and 'seed', got {type(run).__name__}")
        missing = {"method", "seed"} - set(run)
        if missing:
            raise ValueError(f"runs[{index}] lacks {sorted(missing)}; every run needs 'method' and 'seed'")
        key = (str(run["method"]), int(run["seed"]))
        if key in seen:
            raise ValueError(f"runs holds method {key[0]!r} with seed {key[1]} twice")
        seen.add(key)
        checked.append({**run, "method": key[0], "seed": key[1]})
    if not checked:
        raise ValueError("runs is empty; record at least one trained run")
    return checked


def runs_from_frame(frame: pd.DataFrame, metrics: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """A frame with one row per run (columns ``method``, ``seed`` and metrics) as runs.

    For a frame with one row per checkpoint (a ``step`` column, as
    :func:`gan_lessons.images.compare_methods` returns), the last checkpoint of each
    run is taken. Values become plain Python numbers.
    """
    missing = {"method", "seed"} - set(frame.columns)
    if missing:
        raise ValueError(f"frame needs the columns 'method' and 'seed'; missing {sorted(missing)}")
    if "step" in frame.columns:
        frame = frame.sort_values("step", kind="stable").groupby(["method", "seed"], sort=False).tail(1)
    columns = list(metrics) if metrics is not None else [c for c in frame.columns if c not in ("method", "seed")]
    unknown = set(columns) - set(frame.columns)
    if unknown:
        raise ValueError(f"metrics {sorted(unknown)} are not columns of the frame")
    runs = []
    for _, row in frame.iterrows():
        run: dict[str, Any] = {"method": str(row["method"]), "seed": int(row["seed"])}
        for column in columns:
            value = row[column]
            run[column] = value.item() if isinstance(value, np.generic) else value
        runs.append(run)
    return check_runs(runs)


def _metric_by_seed(runs: list[dict[str, Any]], method: str, metric: str) -> dict[int, float]:
    values = {}
    for run in runs:
        if run["method"] != method:
            continue
        if metric not in run:
            raise ValueError(f"the run of {method!r} with seed {run['seed']} has no metric {metric!r}")
        value = float(run[metric])
        if not math.isfinite(value):
            raise ValueError(f"the run of {method!r} with seed {run['seed']} has {metric} = {value}; expected a finite number")
        values[run["seed"]] = value
    if not values:
        methods = sorted({run["method"] for run in runs})
        raise ValueError(f"no run of method {method!r}; the runs hold {methods}")
    return values


def paired_comparison(
    runs: Iterable[Mapping[str, Any]],
    metric: str,
    baseline: str,
    method: str,
    lower_is_better: bool,
    num_resamples: int = 2000,
    seed: int = 0,
) -> dict[str, Any]:
    """``method`` against ``baseline`` on ``metric``, paired by seed.

    Only seeds that both arms ran are compared. Returns the mean and standard
    deviation (ddof=1; 0 for one seed) of each arm, the mean paired difference
    (method − baseline), its 95 % percentile-bootstrap interval over seeds, the number
    of seeds and ``method_wins``: seeds on which the method is strictly better.
    """
    if not isinstance(lower_is_better, bool):
        raise TypeError(f"lower_is_better must be True or False, got {lower_is_better!r}")
    num_resamples = positive_int(num_resamples, "num_resamples")
    checked = check_runs(runs)
    ours = _metric_by_seed(checked, method, metric)
    theirs = _metric_by_seed(checked, baseline, metric)
    seeds = sorted(set(ours) & set(theirs))
    if not seeds:
        raise ValueError(f"{method!r} ran seeds {sorted(ours)} and {baseline!r} ran {sorted(theirs)}: no seed in common")
    a = np.array([theirs[s] for s in seeds])
    b = np.array([ours[s] for s in seeds])
    differences = b - a
    better = differences < 0 if lower_is_better else differences > 0
    rng = np.random.default_rng(stream_seed(seed, "paired bootstrap"))
    resampled = differences[rng.integers(0, len(seeds), size=(num_resamples, len(seeds)))].mean(axis=1)
    low, high = np.percentile(resampled, [2.5, 97.5])
    spread = (lambda x: float(x.std(ddof=1)) if len(x) > 1 else 0.0)
    return {
        "metric": metric,
        "lower_is_better": lower_is_better,
        "baseline": baseline,
        "method": method,
        "seeds": len(seeds),
        "baseline_mean": float(a.mean()),
        "baseline_std": spread(a),
        "method_mean": float(b.mean()),
        "method_std": spread(b),
        "mean_difference": float(differences.mean()),
        "interval_95": [float(low), float(high)],
        "method_wins": int(better.sum()),
    }


def headline(
    runs: Iterable[Mapping[str, Any]],
    claim: str,
    metric: str,
    lower_is_better: bool,
    baseline: str,
    method: str,
    **kwargs: Any,
) -> dict[str, Any]:
    """The lesson's main comparison for ``results["headline"]``: the claim it tests and
    :func:`paired_comparison` of ``method`` against ``baseline`` on ``metric``."""
    if not isinstance(claim, str) or not claim.strip():
        raise ValueError(f"claim must be a sentence saying what the comparison tests, got {claim!r}")
    return {"claim": claim, **paired_comparison(runs, metric, baseline, method, lower_is_better, **kwargs)}


def describe(comparison: Mapping[str, Any], digits: int = 3) -> str:
    """A printed sentence for a :func:`paired_comparison` or :func:`headline`, so the
    lesson's text never types the figures."""
    low, high = comparison["interval_95"]
    direction = "lower" if comparison["lower_is_better"] else "higher"
    return (
        f"{comparison['method']} vs {comparison['baseline']} on {comparison['metric']} ({direction} is better), "
        f"{comparison['seeds']} paired seeds: {comparison['method_mean']:.{digits}f} ± {comparison['method_std']:.{digits}f} "
        f"against {comparison['baseline_mean']:.{digits}f} ± {comparison['baseline_std']:.{digits}f}; "
        f"mean difference {comparison['mean_difference']:+.{digits}f} (95 % bootstrap interval "
        f"{low:+.{digits}f} to {high:+.{digits}f}); {comparison['method']} better on "
        f"{comparison['method_wins']} of {comparison['seeds']} seeds."
    )


def summary_table(runs: Iterable[Mapping[str, Any]], metrics: Sequence[str], digits: int = 3) -> pd.DataFrame:
    """One row per method: each metric as "mean ± std" over its seeds, and the seed count."""
    checked = check_runs(runs)
    frame = pd.DataFrame(checked)
    unknown = set(metrics) - set(frame.columns)
    if unknown:
        raise ValueError(f"metrics {sorted(unknown)} are in no run")
    order = list(dict.fromkeys(frame["method"]))
    table = pd.DataFrame(index=pd.Index(order, name="method"))
    for metric in metrics:
        grouped = frame.groupby("method")[metric]
        means, stds = grouped.mean(), grouped.std(ddof=1).fillna(0.0)
        table[metric] = [f"{means[m]:.{digits}f} ± {stds[m]:.{digits}f}" for m in order]
    table["seeds"] = frame.groupby("method")["seed"].count().reindex(order)
    return table


def compare_methods(
    methods: Mapping[str, Callable[[int], "GAN"]],
    data: Any,
    seeds: Sequence[int],
    num_steps: int,
    score: Callable[["GAN", int], Mapping[str, float]],
    num_checkpoints: int = 4,
    batch_size: int = 64,
) -> tuple[pd.DataFrame, dict[tuple[str, int], "GAN"]]:
    """Train every method on every seed and score it at evenly spaced checkpoints.

    ``methods``: {name: build}, where ``build(seed)`` returns a compiled
    :class:`gan_lessons.training.GAN` (the arms should differ in one thing only).
    ``data``: the training array, batched by :func:`gan_lessons.pipeline.make_dataset`
    with the run's seed, so every arm sees the same batches in the same order.
    ``score(gan, seed)``: a dict of metrics, called at each of ``num_checkpoints``
    checkpoints (the last at ``num_steps``). Returns a long frame (``method``,
    ``seed``, ``step``, ``cpu_seconds`` of training so far, and the metrics) and the
    trained GANs keyed by (method, seed). ``runs_from_frame(history)`` then gives
    the final checkpoint of each run as ``results["runs"]``.
    """
    from gan_lessons.pipeline import make_dataset
    from gan_lessons.training import GAN

    if not methods:
        raise ValueError("methods is empty; pass e.g. {'baseline': build_baseline, 'method': build_method}")
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds is empty; pass at least one seed (five or more for a claim)")
    num_steps = positive_int(num_steps, "num_steps")
    num_checkpoints = positive_int(num_checkpoints, "num_checkpoints")
    if num_checkpoints > num_steps:
        raise ValueError(f"num_checkpoints must be at most num_steps ({num_steps}), got {num_checkpoints}")
    if not callable(score):
        raise TypeError(f"score must be a function (gan, seed) -> dict of metrics, got {type(score).__name__}")
    bounds = np.linspace(0, num_steps, num_checkpoints + 1).round().astype(int)
    rows, gans = [], {}
    for name, build in methods.items():
        for seed in seeds:
            gan = build(seed)
            if not isinstance(gan, GAN):
                raise TypeError(f"methods[{name!r}](seed) must return a gan_lessons.training.GAN, got {type(gan).__name__}")
            dataset = make_dataset(data, batch_size, seed=seed)
            cpu_seconds = 0.0
            for start, stop in zip(bounds[:-1], bounds[1:]):
                began = time.process_time()
                gan.fit(dataset, epochs=1, steps_per_epoch=int(stop - start), verbose=0)
                cpu_seconds += time.process_time() - began
                scores = dict(score(gan, seed))
                clash = {"method", "seed", "step", "cpu_seconds"} & set(scores)
                if clash:
                    raise ValueError(f"score returned reserved names {sorted(clash)}")
                rows.append({"method": name, "seed": seed, "step": int(stop), "cpu_seconds": cpu_seconds, **scores})
            gans[(name, seed)] = gan
    return pd.DataFrame(rows), gans
