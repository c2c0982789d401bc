"""Seeded comparisons of training methods: train, score at checkpoints, summarise.

Lessons 04 and 05 compare losses and stabilisers over several seeds. The loop that
does it lives here once, so the notebooks change arguments (which GAN to build),
never code. A *method* is a function ``build(seed) -> GAN`` that returns a compiled
:class:`gan_lessons.training.GAN`; training goes through ``GAN.fit``.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from gan_lessons import runs
from gan_lessons._checks import positive_int
from gan_lessons.images.quality import ImageQuality, check_images
from gan_lessons.training import GAN

SCORE_NAMES = ("frechet_distance", "precision", "recall", "mmd", "smallest_class_share")


def train_and_score(
    build: Callable[[int], GAN],
    images: ArrayLike,
    quality: ImageQuality,
    seed: int,
    num_steps: int,
    num_checkpoints: int = 4,
    batch_size: int = 64,
) -> tuple[GAN, pd.DataFrame]:
    """Train ``build(seed)`` for ``num_steps`` generator steps on ``images`` and score it
    ``num_checkpoints`` times, evenly spaced (the last at the end).

    ``images``: (n, h, w, c) in [-1, 1]. Returns the GAN and a frame with one row per
    checkpoint: ``step``, ``cpu_seconds`` (process CPU time spent training so far)
    and the scores of :meth:`ImageQuality.score_generator` (samples drawn with
    ``seed``, so every method is scored on the same noise).
    """
    images_arr = check_images(images, "training images", image_shape=quality.image_shape)
    num_steps = positive_int(num_steps, "num_steps")
    num_checkpoints = positive_int(num_checkpoints, "num_checkpoints")
    if num_checkpoints > num_steps:
        raise ValueError(f"num_checkpoints must be at most num_steps ({num_steps}), got {num_checkpoints}")
    gan = build(seed)
    if not isinstance(gan, GAN):
        raise TypeError(f"build(seed) must return a gan_lessons.training.GAN, got {type(gan).__name__}")

    def score(trained: GAN, run_seed: int) -> dict[str, float]:
        scores = quality.score_generator(trained, seed=run_seed)
        return {name: scores[name] for name in SCORE_NAMES}

    # The training and checkpoint loop is runs.compare_methods's, for one run.
    history, _ = runs.compare_methods({"run": lambda _: gan}, images_arr, [seed], num_steps, score,
                                      num_checkpoints=num_checkpoints, batch_size=batch_size)
    return gan, history.drop(columns=["method", "seed"])


def compare_methods(
    methods: dict[str, Callable[[int], GAN]],
    images: ArrayLike,
    quality: ImageQuality,
    seeds: Sequence[int],
    num_steps: int,
    num_checkpoints: int = 4,
    batch_size: int = 64,
) -> tuple[pd.DataFrame, dict[tuple[str, int], GAN]]:
    """:func:`train_and_score` for every method and seed.

    Returns a long frame (columns ``method``, ``seed``, ``step``, ``cpu_seconds`` and
    the scores; one row per checkpoint) and the trained GANs keyed by (method, seed).
    """
    if not methods:
        raise ValueError("methods is empty; pass e.g. {'DCGAN': build_dcgan}")
    if len(seeds) == 0:
        raise ValueError("seeds is empty; pass at least one seed")
    frames, gans = [], {}
    for name, build in methods.items():
        for seed in seeds:
            gan, frame = train_and_score(build, images, quality, seed, num_steps, num_checkpoints, batch_size)
            frames.append(frame.assign(method=name, seed=seed))
            gans[(name, seed)] = gan
    history = pd.concat(frames, ignore_index=True)
    return history[["method", "seed", *[c for c in history.columns if c not in ("method", "seed")]]], gans


def summarise(history: pd.DataFrame, targets: dict[str, tuple[str, float]] | None = None) -> pd.DataFrame:
    """One row per method: mean and std over seeds of the final scores, plus stability.

    ``history``: the frame of :func:`compare_methods`. Final scores are those at the
    last checkpoint. ``fd_wobble`` is the std of the Fréchet distance over the second
    half of each run's checkpoints (how much quality swings late in training),
    averaged over seeds. ``targets``, e.g. {"precision": (">=", 0.7)}, adds
    ``seeds_on_target``: how many seeds meet every target.
    """
    missing = {"method", "seed", "step", *SCORE_NAMES} - set(history.columns)
    if missing:
        raise ValueError(f"history must have the columns of compare_methods; missing {sorted(missing)}")
    final = history.sort_values("step").groupby(["method", "seed"], sort=False).tail(1)
    late = history[history["step"] > history.groupby(["method", "seed"])["step"].transform("max") / 2]
    wobble = late.groupby(["method", "seed"])["frechet_distance"].std(ddof=0).groupby("method").mean()
    order = history["method"].drop_duplicates().tolist()  # methods in the order they were run
    summary = final.groupby("method")[list(SCORE_NAMES)].agg(["mean", "std"]).reindex(order)
    summary.columns = [f"{name}_{stat}" for name, stat in summary.columns]
    summary["fd_wobble"] = wobble
    if targets:
        on_target = np.ones(len(final), dtype=bool)
        for name, (relation, bound) in targets.items():
            if relation not in (">=", "<="):
                raise ValueError(f"target relations must be '>=' or '<=', got {relation!r} for {name}")
            values = final[name].to_numpy()
            on_target &= values >= bound if relation == ">=" else values <= bound
        summary["seeds_on_target"] = final.assign(ok=on_target).groupby("method")["ok"].sum()
        summary["num_seeds"] = final.groupby("method")["seed"].count()
    return summary


def mean_std_table(summary: pd.DataFrame, digits: int = 3) -> pd.DataFrame:
    """``summary`` with each ``name_mean`` / ``name_std`` pair shown as one "mean ± std" column."""
    table = pd.DataFrame(index=summary.index)
    for column in summary.columns:
        if column.endswith("_mean"):
            name = column[: -len("_mean")]
            std = summary[f"{name}_std"].fillna(0.0)
            table[name] = [f"{m:.{digits}f} ± {s:.{digits}f}" for m, s in zip(summary[column], std)]
        elif not column.endswith("_std"):
            table[column] = summary[column].round(digits)
    return table


def results_dict(summary: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """``summary`` as a plain dict {method: {column: float}} for a notebook's ``results``."""
    return {method: {key: float(value) for key, value in row.items()} for method, row in summary.iterrows()}
