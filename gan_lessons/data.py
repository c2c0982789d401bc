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


# --- Images: scikit-learn digits (offline) and MNIST (optional download) -----------------


class DatasetUnavailableError(OSError):
    """A data set that must be downloaded could not be (offline, or the server failed)."""


def _scale_to_unit_interval(pixels: NDArray[np.floating], max_value: float) -> NDArray[np.float32]:
    # A tanh generator outputs values in [-1, 1], so the real images must live there too.
    return (np.asarray(pixels, dtype=np.float32) / max_value * 2.0 - 1.0).astype(np.float32)


def _resize(images: NDArray[np.float32], size: int) -> NDArray[np.float32]:
    import keras

    resized = keras.ops.convert_to_numpy(
        keras.ops.image.resize(images, (size, size), interpolation="bilinear", antialias=True)
    )
    # Bilinear interpolation of values in [-1, 1] stays in [-1, 1] up to round-off.
    return np.clip(resized, -1.0, 1.0).astype(np.float32)


def load_digits(size: int = 16) -> tuple[NDArray[np.float32], NDArray[np.int64]]:
    """scikit-learn's 1,797 handwritten digits (UCI optdigits), scaled to [-1, 1].

    Returns ``images`` of shape (1797, size, size, 1), float32 in [-1, 1]
    (pixel counts 0..16 mapped by x / 8 - 1), and ``labels`` (1797,) in 0..9.
    ``size=8`` keeps the native 8 x 8 grid. The default ``size=16`` upsamples
    bilinearly: a DCGAN halves the resolution with each stride-2 convolution, and
    two of them (16 -> 8 -> 4) give the discriminator a usable depth, which an
    8 x 8 image (8 -> 4 -> 2) barely allows. Upsampling adds no information; it
    only gives the networks room. Loaded from scikit-learn, so it works offline.
    """
    from sklearn.datasets import load_digits as sklearn_digits

    size = positive_int(size, "size")
    if size < 8:
        raise ValueError(f"size must be >= 8 (the native digits are 8 x 8), got {size}")
    bunch = sklearn_digits()
    images = _scale_to_unit_interval(bunch.images[..., None], 16.0)
    if size != 8:
        images = _resize(images, size)
    return images, bunch.target.astype(np.int64)


def load_mnist(size: int = 28, max_images: int | None = None) -> tuple[NDArray[np.float32], NDArray[np.int64]]:
    """MNIST training images (LeCun et al. 1998) through ``keras.datasets``, in [-1, 1].

    Returns ``images`` (n, size, size, 1) float32 in [-1, 1] (x / 127.5 - 1) and
    ``labels`` (n,). The first call downloads about 11 MB into ``~/.keras/datasets``;
    later calls read that cache. ``max_images`` keeps the first n images.
    Raises :class:`DatasetUnavailableError` when the file can be neither read from
    the cache nor downloaded, so a notebook can fall back to :func:`load_digits`
    and say so.
    """
    import keras

    size = positive_int(size, "size")
    try:
        (images, labels), _ = keras.datasets.mnist.load_data()
    except Exception as error:  # any network or file error means: not available here
        raise DatasetUnavailableError(
            f"expected MNIST in the Keras cache or downloadable, got {type(error).__name__}: {error}"
        ) from error
    if max_images is not None:
        max_images = positive_int(max_images, "max_images")
        images, labels = images[:max_images], labels[:max_images]
    images = _scale_to_unit_interval(images[..., None], 255.0)
    if size != 28:
        images = _resize(images, size)
    return images, np.asarray(labels, dtype=np.int64)
