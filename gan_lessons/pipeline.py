"""The input pipeline of the course: shuffled, repeating batches of real data for ``GAN.fit``."""

from __future__ import annotations

from typing import Any

import tensorflow as tf
from numpy.typing import ArrayLike

from gan_lessons._checks import finite_array, positive_int


def make_dataset(
    x: ArrayLike,
    batch_size: int,
    seed: int,
    conditions: ArrayLike | None = None,
) -> tf.data.Dataset:
    """A shuffled, repeating ``tf.data.Dataset`` of batches of ``x`` (and conditions).

    Batches have exactly ``batch_size`` rows (the last partial batch of each pass
    is dropped), so pass ``steps_per_epoch`` to ``fit``. ``x`` is checked for
    NaN/inf; ``batch_size`` may not exceed the number of rows.
    """
    x = finite_array(x, "x")
    batch_size = positive_int(batch_size, "batch_size")
    if x.ndim < 2:
        raise ValueError(f"x must have shape (n, ...features), got shape {x.shape}; use x[:, None]")
    if batch_size > len(x):
        raise ValueError(f"batch_size must be at most the number of rows ({len(x)}), got {batch_size}")
    tensors: Any = x
    if conditions is not None:
        conditions = finite_array(conditions, "conditions", ndim=2)
        if len(conditions) != len(x):
            raise ValueError(
                f"conditions must have one row per sample ({len(x)}), got {len(conditions)}"
            )
        tensors = (x, conditions)
    dataset = tf.data.Dataset.from_tensor_slices(tensors)
    dataset = dataset.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    return dataset.repeat().batch(batch_size, drop_remainder=True).prefetch(tf.data.AUTOTUNE)
