"""Latent noise: the standard normal, and the truncation trick for sampling."""

from __future__ import annotations

import math
from typing import Any

import keras
import tensorflow as tf

from gan_lessons._checks import positive_float


def truncated_normal(shape: Any, truncation: float, seed: int | keras.random.SeedGenerator | None = None) -> Any:
    """Standard normal values restricted to [-t, t], float32, of the given ``shape``.

    The truncation trick (Marchesi 2017; Brock et al. 2019): the distribution one
    gets by redrawing each |z_i| > t until none is left. Drawn by inverting the
    normal CDF, |z| = -Phi^-1(Phi(-t) + w (1/2 - Phi(-t))) with w ~ U[0, 1) and a
    random sign. ``truncation`` t must be a finite number > 0.
    """
    t = positive_float(truncation, "truncation")
    lower_tail = 0.5 * math.erfc(t / math.sqrt(2.0))  # Phi(-t)
    # One uniform draw in (-1, 1) gives both the sign and w = |u|: two draws with the
    # same integer seed would not be independent.
    u = keras.random.uniform(shape, minval=-1.0, maxval=1.0, dtype="float64", seed=seed)
    magnitude = -tf.math.ndtri(lower_tail + tf.abs(u) * (0.5 - lower_tail))
    magnitude = tf.minimum(magnitude, t)  # round-off (or Phi(-t) = 0 for huge t) stays inside [-t, t]
    return tf.cast(tf.where(u < 0, -magnitude, magnitude), "float32")


def normal_noise(
    shape: Any, seed: int | keras.random.SeedGenerator | None = None, truncation: float | None = None
) -> Any:
    """Standard normal noise of ``shape``; truncated to [-t, t] when ``truncation`` is t
    (see :func:`truncated_normal`), untruncated when it is ``None``."""
    if truncation is None:
        return keras.random.normal(shape, seed=seed)
    return truncated_normal(shape, truncation, seed=seed)
