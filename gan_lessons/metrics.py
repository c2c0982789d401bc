"""Measures of what a generator learned.

Mode metrics for toy mixtures (lesson 02), as used by VEEGAN (Srivastava et al.
2017) and PacGAN (Lin et al. 2018): a generated sample is *high quality* if it
lies within ``num_std`` standard deviations of some mixture centre; a mode is
*covered* if it receives at least ``min_share`` of the generated samples as
high-quality samples.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gan_lessons._checks import finite_array, finite_float64


def assign_to_modes(
    samples: ArrayLike, centers: ArrayLike, std: float, num_std: float = 3.0
) -> NDArray[np.int64]:
    """Index of the nearest centre for each sample, or -1 if it is farther than
    ``num_std * std`` from every centre. ``samples``: (n, dim); ``centers``: (k, dim)."""
    centers_arr = finite_array(centers, "centers", ndim=2)
    samples_arr = finite_array(samples, "samples", ndim=2, last_dim=centers_arr.shape[1])
    if not np.isfinite(std) or std <= 0:
        raise ValueError(f"std must be a finite number > 0, got {std}")
    if not np.isfinite(num_std) or num_std <= 0:
        raise ValueError(f"num_std must be a finite number > 0, got {num_std}")
    distances = np.linalg.norm(samples_arr[:, None, :] - centers_arr[None, :, :], axis=-1)
    nearest = distances.argmin(axis=1)
    within = distances[np.arange(len(samples_arr)), nearest] <= num_std * std
    return np.where(within, nearest, -1).astype(np.int64)


def mode_statistics(
    samples: ArrayLike,
    centers: ArrayLike,
    std: float,
    num_std: float = 3.0,
    min_share: float = 0.01,
) -> dict[str, Any]:
    """Modes covered, share of high-quality samples and evenness of the modes.

    Returns a dict with
    ``modes_covered`` (int): modes holding at least ``min_share`` of all samples
    as high-quality samples;
    ``num_modes`` (int);
    ``high_quality_fraction`` (float in [0, 1]): samples within ``num_std`` std of a centre;
    ``largest_mode_share`` (float): the largest mode's share of the high-quality
    samples (1/num_modes when perfectly even, 1 under total collapse; NaN-free: 1.0
    when there are no high-quality samples at all);
    ``mode_counts`` (list of int): high-quality samples per mode.
    """
    if not 0 <= min_share < 1:
        raise ValueError(f"min_share must be in [0, 1), got {min_share}")
    assignment = assign_to_modes(samples, centers, std, num_std)
    num_modes = len(np.asarray(centers))
    counts = np.bincount(assignment[assignment >= 0], minlength=num_modes)
    high_quality = int(counts.sum())
    n = len(assignment)
    return {
        "modes_covered": int(np.sum(counts >= max(1, min_share * n))),
        "num_modes": num_modes,
        "high_quality_fraction": high_quality / n,
        "largest_mode_share": float(counts.max() / high_quality) if high_quality else 1.0,
        "mode_counts": counts.tolist(),
    }


# --- Returns: stylised facts (lesson 06) ----------------------------------------------
# The facts live in their own concept module; re-exported so that
# ``gan_lessons.metrics.stylized_facts`` is the name the lessons use.

from gan_lessons.stylized_facts import (  # noqa: E402
    autocorrelation,
    horizon_returns,
    leverage_effect,
    standardized_wasserstein,
    stylized_fact_distances,
    stylized_facts,
    wasserstein_distances,
)

__all__ = [
    "assign_to_modes",
    "mode_statistics",
    "autocorrelation",
    "horizon_returns",
    "leverage_effect",
    "standardized_wasserstein",
    "stylized_fact_distances",
    "stylized_facts",
    "wasserstein_distances",
    "value_at_risk",
    "expected_shortfall",
    "risk_measures",
]


# --- Risk: value at risk and expected shortfall (lesson 06) ---------------------------


def _level(level: float) -> float:
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), e.g. 0.99, got {level}")
    return float(level)


def value_at_risk(returns: ArrayLike, level: float = 0.99) -> float:
    """Value at risk at ``level``, as a positive loss in return units.

    VaR_a = -q_{1-a}(r), minus the (1 - a)-quantile of the returns (McNeil, Frey &
    Embrechts 2015, def. 2.8): the loss exceeded with probability 1 - a.
    ``returns``: any shape, pooled (e.g. all generated scenarios).
    """
    values = finite_float64(returns, "returns").ravel()
    return float(-np.quantile(values, 1 - _level(level)))


def expected_shortfall(returns: ArrayLike, level: float = 0.99) -> float:
    """Expected shortfall at ``level``, as a positive loss in return units.

    ES_a = -E[r | r <= q_{1-a}(r)], the mean loss in the worst 1 - a of cases
    (Acerbi & Tasche 2002); always >= VaR_a. ``returns``: any shape, pooled.
    """
    values = finite_float64(returns, "returns").ravel()
    threshold = np.quantile(values, 1 - _level(level))
    return float(-values[values <= threshold].mean())


def risk_measures(
    returns: ArrayLike, levels: Sequence[float] = (0.95, 0.99), horizon: int = 1
) -> dict[str, float]:
    """VaR and ES at each level of the ``horizon``-day returns, keyed e.g. ``"var_99"``, ``"es_95"``.

    ``returns``: daily log returns, (days,) or (paths, days); the h-day returns are
    the overlapping sums of :func:`horizon_returns`, pooled over paths.
    """
    pooled = horizon_returns(returns, horizon)
    figures: dict[str, float] = {}
    for level in levels:
        tag = f"{round(100 * _level(level)):d}"
        figures[f"var_{tag}"] = value_at_risk(pooled, level)
        figures[f"es_{tag}"] = expected_shortfall(pooled, level)
    return figures
