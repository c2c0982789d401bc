"""Images of lessons 03-05: scikit-learn's digits (offline) and MNIST (optional download).

Both come scaled to [-1, 1], the range of a tanh generator, with shape
(n, size, size, 1).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from gan_lessons._checks import positive_int


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
