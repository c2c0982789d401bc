"""The input pipeline of the course: shuffled, repeating batches of real data for ``GAN.fit``.

Batch k of the stream is a pure function of ``(seed, k)``: pass p over the data is
the permutation ``stateless_shuffle(range(n), seed=(seed, p))``, cut into
``n // batch_size`` batches. So the stream can start at any step, and
:class:`gan_lessons.training.GAN` starts it at the number of steps it has already
trained: a run resumed from a backup sees the batches the uninterrupted run saw.
"""

from __future__ import annotations

from typing import Any, Callable

import tensorflow as tf
from numpy.typing import ArrayLike

from gan_lessons._checks import finite_array, non_negative_int, positive_int

# The attribute of a make_dataset dataset holding its stream from a given step.
FROM_STEP = "_gan_lessons_batches_from_step"


def _batches_from_step(
    tensors: Any, num_rows: int, batch_size: int, seed: int
) -> Callable[[Any], tf.data.Dataset]:
    """``from_step(start)``: the stream of batches from step ``start`` on (an int or a
    variable, read when an iterator over the dataset is created)."""
    per_pass = num_rows // batch_size

    def one_pass(pass_index: Any) -> tf.data.Dataset:
        order = tf.random.experimental.stateless_shuffle(
            tf.range(num_rows, dtype=tf.int64), seed=tf.stack([tf.constant(seed, tf.int64), pass_index])
        )
        return tf.data.Dataset.from_tensor_slices(tf.reshape(order[: per_pass * batch_size], [per_pass, batch_size]))

    def rows_from(start: Any) -> tf.data.Dataset:
        passes = tf.data.Dataset.range(start // per_pass, tf.int64.max)
        return passes.flat_map(one_pass).skip(start % per_pass)

    def from_step(start: Any) -> tf.data.Dataset:
        # The start is read inside the pipeline, so a variable is read when the
        # iterator starts (after a backup has been restored), not when this is built.
        starts = tf.data.Dataset.from_tensors(tf.constant(0, tf.int64))
        rows = starts.map(lambda _: tf.cast(tf.convert_to_tensor(start), tf.int64)).flat_map(rows_from)
        batches = rows.map(lambda index: tf.nest.map_structure(lambda t: tf.gather(t, index), tensors))
        batches = batches.apply(tf.data.experimental.assert_cardinality(tf.data.INFINITE_CARDINALITY))
        return batches.prefetch(tf.data.AUTOTUNE)

    return from_step


def make_dataset(
    x: ArrayLike,
    batch_size: int,
    seed: int,
    conditions: ArrayLike | None = None,
) -> tf.data.Dataset:
    """A shuffled, repeating ``tf.data.Dataset`` of batches of ``x`` (and conditions).

    Each pass over the rows is a fresh permutation drawn from ``(seed, pass number)``;
    batches have exactly ``batch_size`` rows (the rows left over by each pass's last
    partial batch are skipped in that pass), so pass ``steps_per_epoch`` to ``fit``.
    ``GAN.fit`` starts the stream at the GAN's ``steps_trained``, so that training
    continued or resumed later sees new batches in the same order as one long run;
    iterated directly, the stream starts at step 0. ``x`` is checked for NaN/inf;
    ``batch_size`` may not exceed the number of rows; ``seed`` is an int >= 0.
    """
    x = finite_array(x, "x")
    batch_size = positive_int(batch_size, "batch_size")
    seed = non_negative_int(seed, "seed")
    if x.ndim < 2:
        raise ValueError(f"x must have shape (n, ...features), got shape {x.shape}; use x[:, None]")
    if batch_size > len(x):
        raise ValueError(f"batch_size must be at most the number of rows ({len(x)}), got {batch_size}")
    tensors: Any = tf.constant(x)
    if conditions is not None:
        conditions = finite_array(conditions, "conditions", ndim=2)
        if len(conditions) != len(x):
            raise ValueError(
                f"conditions must have one row per sample ({len(x)}), got {len(conditions)}"
            )
        tensors = (tf.constant(x), tf.constant(conditions))
    from_step = _batches_from_step(tensors, len(x), batch_size, seed)
    dataset = from_step(0)
    setattr(dataset, FROM_STEP, from_step)
    return dataset


def stream_from(dataset: tf.data.Dataset, start: Any) -> tf.data.Dataset:
    """A :func:`make_dataset` stream started at step ``start`` (an int, or a variable
    read when iteration begins); any other dataset as it is."""
    from_step = getattr(dataset, FROM_STEP, None)
    return dataset if from_step is None else from_step(start)
