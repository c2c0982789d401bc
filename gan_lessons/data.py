"""Data sets of the course.

Toy mixtures (lessons 01, 02, 05, 10) are generated here from a ``seed``; each
returns a :class:`ToyData` with the samples and the mixture's own description
(centres and standard deviation), which the mode metrics in
:mod:`gan_lessons.metrics` need.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from gan_lessons._checks import positive_int


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


def _positive_float(value: float, name: str) -> float:
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value}")
    return float(value)


def gaussian_mixture(n: int, centers: NDArray[np.floating], std: float, seed: int) -> ToyData:
    """``n`` samples from an equal-weight mixture of isotropic Gaussians.

    ``centers``: (num_modes, dim) means; ``std`` > 0 the common standard deviation.
    """
    n = positive_int(n, "n")
    centers = np.asarray(centers, dtype=np.float64)
    if centers.ndim != 2 or len(centers) == 0:
        raise ValueError(f"centers must have shape (num_modes, dim), got {centers.shape}")
    std = _positive_float(std, "std")
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
    radius = _positive_float(radius, "radius")
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
    spacing = _positive_float(spacing, "spacing")
    axis = spacing * (np.arange(size) - (size - 1) / 2)
    centers = np.array([(x, y) for x in axis for y in axis])
    return gaussian_mixture(n, centers, std, seed)
