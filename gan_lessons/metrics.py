"""Measures of what a generator learned.

Mode metrics for toy mixtures (lesson 02), as used by VEEGAN (Srivastava et al.
2017) and PacGAN (Lin et al. 2018): a generated sample is *high quality* if it
lies within ``num_std`` standard deviations of some mixture centre; a mode is
*covered* if it receives at least ``min_share`` of the generated samples as
high-quality samples.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gan_lessons._checks import finite_array


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
