"""Toy data of lessons 01, 02, 05 and 10: Gaussian mixtures and their mode statistics.

Each mixture is generated from a ``seed`` and returned as a :class:`ToyData` holding
the samples and the mixture's own description (centres, standard deviation), which
the mode statistics need.

Mode statistics as used by VEEGAN (Srivastava et al. 2017) and PacGAN (Lin et al.
2018): a generated sample is *high quality* if it lies within ``num_std`` standard
deviations of some mixture centre; a mode is *covered* if it receives at least
``min_share`` of the generated samples as high-quality samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gan_lessons._checks import finite_array, positive_float, positive_int


@dataclass(frozen=True)
class ToyData:
    """Samples from a Gaussian mixture with equal weights and a shared std.

    ``samples``: (n, dim) float32; ``centers``: (num_modes, dim) float32 means of
    the components; ``std``: their common standard deviation; ``labels``: (n,)
    index of the component each sample came from.
    """

    samples: NDArray[np.float32]
    centers: NDArray[np.float32]
    std: float
    labels: NDArray[np.int64]


def gaussian_mixture(n: int, centers: NDArray[np.floating], std: float, seed: int) -> ToyData:
    """``n`` samples from an equal-weight mixture of isotropic Gaussians.

    ``centers``: (num_modes, dim) means; ``std`` > 0 the common standard deviation.
    """
    n = positive_int(n, "n")
    centers = np.asarray(centers, dtype=np.float64)
    if centers.ndim != 2 or len(centers) == 0:
        raise ValueError(f"centers must have shape (num_modes, dim), got {centers.shape}")
    std = positive_float(std, "std")
    rng = np.random.default_rng(seed)
    labels = rng.integers(len(centers), size=n)
    samples = centers[labels] + std * rng.standard_normal((n, centers.shape[1]))
    return ToyData(samples.astype(np.float32), centers.astype(np.float32), std, labels)


def gaussian_1d(n: int, mean: float = 4.0, std: float = 1.25, seed: int = 0) -> ToyData:
    """``n`` samples of a 1-D Gaussian N(mean, std^2), shape (n, 1)."""
    return gaussian_mixture(n, np.array([[mean]]), std, seed)


def ring_centers(num_modes: int = 8, radius: float = 2.0) -> NDArray[np.float32]:
    """Centres of ``num_modes`` Gaussians evenly spaced on a circle, shape (num_modes, 2)."""
    num_modes = positive_int(num_modes, "num_modes")
    radius = positive_float(radius, "radius")
    angles = 2 * np.pi * np.arange(num_modes) / num_modes
    return (radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)).astype(np.float32)


def ring_of_gaussians(
    n: int, num_modes: int = 8, radius: float = 2.0, std: float = 0.02, seed: int = 0
) -> ToyData:
    """The ring of 8 Gaussians of Metz et al. (2017): radius 2, std 0.02, shape (n, 2)."""
    return gaussian_mixture(n, ring_centers(num_modes, radius), std, seed)


def grid_of_gaussians(
    n: int, size: int = 5, spacing: float = 2.0, std: float = 0.05, seed: int = 0
) -> ToyData:
    """A ``size`` x ``size`` grid of Gaussians (VEEGAN, PacGAN): centres at
    {-4, -2, 0, 2, 4}^2 for the default 5 x 5 grid, std 0.05, shape (n, 2)."""
    size = positive_int(size, "size")
    spacing = positive_float(spacing, "spacing")
    axis = spacing * (np.arange(size) - (size - 1) / 2)
    centers = np.array([(x, y) for x in axis for y in axis])
    return gaussian_mixture(n, centers, std, seed)


def assign_to_modes(
    samples: ArrayLike, centers: ArrayLike, std: float, num_std: float = 3.0
) -> NDArray[np.int64]:
    """Index of the nearest centre for each sample, or -1 if it is farther than
    ``num_std * std`` from every centre. ``samples``: (n, dim); ``centers``: (k, dim)."""
    centers_arr = finite_array(centers, "centers", ndim=2)
    samples_arr = finite_array(samples, "samples", ndim=2, last_dim=centers_arr.shape[1])
    std = positive_float(std, "std")
    num_std = positive_float(num_std, "num_std")
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
