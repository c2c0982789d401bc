"""What :class:`gan_lessons.training.GAN` refuses before it trains.

A new module rather than more of ``training``: the checks are a concept of their
own (networks that fit together, data that can be trained on), and ``training``
stays about the training loop.

* At ``GAN(...)``: a generator whose samples the discriminator cannot read, a
  discriminator with more than one output per example, and a gradient penalty on a
  discriminator with batch normalisation (the penalty is taken per example,
  Gulrajani et al. 2017, section 4: use the critic).
* At ``fit``: arrays and tensors that are empty, not finite, or outside the range
  of the generator's output activation (tanh: [-1, 1]); a dataset known to be empty.
* On every batch of a ``tf.data.Dataset`` as the pipeline produces it
  (:func:`check_batches`): NaN or infinite values, values outside that range.
  ``fit`` stops at the first such batch, before any step trains on it, with a
  ``ValueError`` saying which batch and why. The check runs on the data threads,
  in parallel with training; the training step only waits for its batch before
  anything else (``GAN.train_step``), so a refused batch leaves no trace.
  Python generators and ``PyDataset`` inputs are not checked batch by batch.
"""

from __future__ import annotations

import re
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from gan_lessons._checks import real_number
from gan_lessons.pipeline import stream_from

# Activations whose output range the real data must share; any other: no range check.
OUTPUT_RANGES = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}
# Data within this distance of the range still passes (float32 round-off of x / 127.5 - 1).
RANGE_SLACK = 1e-5


def find_layers(model: keras.layers.Layer, kind: type) -> list[keras.layers.Layer]:
    """Every layer of type ``kind`` in ``model``, looking inside nested models and
    wrappers (``SpectralNormalization``, ``TimeDistributed``)."""
    found, stack = [], [model]
    while stack:
        layer = stack.pop()
        if isinstance(layer, kind):
            found.append(layer)
        stack.extend(getattr(layer, "layers", []) or [])
        inner = getattr(layer, "layer", None)
        if isinstance(inner, keras.layers.Layer):
            stack.append(inner)
    return found


# Layers that move values around without changing them, looked through to find the output activation.
_SHAPE_ONLY = (keras.layers.Reshape, keras.layers.Flatten, keras.layers.Permute, keras.layers.Identity,
               keras.layers.Cropping1D, keras.layers.Cropping2D, keras.layers.InputLayer)


def output_range(generator: keras.Model) -> tuple[float, float] | None:
    """The range of the generator's output activation (tanh: (-1, 1)), or ``None`` if it
    has none we know. Read from its last layer that changes values, looking through
    reshapes and into a nested model that ends the generator."""
    layer: Any = generator
    while isinstance(getattr(layer, "layers", None), list):
        changing = [inner for inner in layer.layers if not isinstance(inner, _SHAPE_ONLY)]
        if not changing:
            return None
        layer = changing[-1]
    name = getattr(getattr(layer, "activation", None), "__name__", None)
    return OUTPUT_RANGES.get(name)


def data_range(value: Any, generator: keras.Model) -> tuple[float, float] | None:
    """The ``(low, high)`` range real data must lie in: ``"auto"`` gives :func:`output_range`
    of the generator, ``None`` no check, a pair itself."""
    if isinstance(value, str) and value == "auto":
        return output_range(generator)
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(f"data_range must be 'auto', None or (low, high), got {type(value).__name__}: {value!r}")
    low, high = (real_number(bound, "each bound of data_range") for bound in value)
    if not low < high:
        raise ValueError(f"data_range must be (low, high) with low < high, got {tuple(value)}")
    return low, high


def _shapes_fit(produced: Any, expected: Any) -> bool:
    """Same rank and equal sizes wherever both are known (``None`` matches any size)."""
    produced, expected = tuple(produced), tuple(expected)
    return len(produced) == len(expected) and all(a is None or b is None or a == b for a, b in zip(produced, expected))


def check_networks(generator: keras.Model, discriminator: keras.Model, gradient_penalty_weight: float) -> None:
    """``TypeError`` unless both are Keras models; ``ValueError`` unless D reads what G
    writes (and the same condition, or none), D gives one output per example, and a
    gradient penalty comes with a D free of batch normalisation."""
    for role, model in (("generator", generator), ("discriminator", discriminator)):
        if not isinstance(model, keras.Model):
            raise TypeError(f"{role} must be a keras.Model, got {type(model).__name__}")
    if len(discriminator.inputs) != len(generator.inputs):
        raise ValueError(
            "generator and discriminator must both take a condition or both not; got "
            f"{len(generator.inputs)} generator input(s) and {len(discriminator.inputs)} discriminator input(s)"
        )
    sample_shape = tuple(generator.outputs[0].shape[1:])
    read_shape = tuple(discriminator.inputs[0].shape[1:])
    if not _shapes_fit(sample_shape, read_shape):
        raise ValueError(
            f"the discriminator must read what the generator writes: the generator's samples have shape "
            f"(batch, {', '.join(map(str, sample_shape))}), the discriminator expects "
            f"(batch, {', '.join(map(str, read_shape))})"
        )
    if len(generator.inputs) == 2 and not _shapes_fit(generator.inputs[1].shape[1:], discriminator.inputs[1].shape[1:]):
        raise ValueError(
            "generator and discriminator must take the same condition; got condition shapes "
            f"{tuple(generator.inputs[1].shape[1:])} and {tuple(discriminator.inputs[1].shape[1:])}"
        )
    scores = tuple(discriminator.outputs[0].shape[1:])
    if scores not in ((), (1,), (None,)):
        raise ValueError(f"the discriminator must give one output per example, shape (batch, 1); got (batch, {scores})")
    norms = find_layers(discriminator, keras.layers.BatchNormalization)
    if gradient_penalty_weight > 0 and norms:
        raise ValueError(
            "a gradient penalty needs a discriminator without batch normalisation (the penalty is "
            "taken per example, Gulrajani et al. 2017, section 4): use gan_lessons.images.dcgan_critic "
            f"or build D without it; got BatchNormalization layer {norms[0].name!r}"
        )


def unpack_batch(data: Any, conditional: bool, value_range: tuple[float, float] | None) -> tuple[Any, Any]:
    """``(real, condition)`` from a batch ``x``, ``(x,)`` or ``(x, condition)``; ``ValueError``
    if it does not match a ``conditional`` (or unconditional) GAN. Called eagerly (a
    ``train_step`` called by hand, or ``run_eagerly``), it also checks the values at
    once, as :func:`check_batches` does in a pipeline."""
    if tf.executing_eagerly():
        check_batch_now(data, value_range)
    if isinstance(data, (tuple, list)):
        if len(data) == 1:
            data = data[0]
        elif len(data) == 2:
            if not conditional:
                raise ValueError("this GAN is unconditional, so batches must be x alone; got (x, condition)")
            return data[0], data[1]
        else:
            raise ValueError(f"expected a batch x or (x, condition), got {len(data)} items")
    if conditional:
        raise ValueError("this GAN is conditional, so batches must be (x, condition); got x alone")
    return data, None


def _range_message(value_range: tuple[float, float], low: float, high: float, where: str, rank: int) -> str:
    what = "images" if rank == 4 else "training data"
    advice = " (bytes 0..255: x / 127.5 - 1)" if value_range == (-1.0, 1.0) and high > 2 else ""
    return (
        f"expected {what} in [{value_range[0]:g}, {value_range[1]:g}], the GAN's data_range (by default the "
        f"range of the generator's output activation); got values from {low:g} to {high:g} {where}{advice}. "
        "Build the GAN with data_range=None to train on such data anyway"
    )


def check_data(x: Any, value_range: tuple[float, float] | None) -> None:
    """Checks of ``fit``'s data that need no training: arrays and tensors (or a tuple of
    them) non-empty, finite and inside ``value_range``; a dataset not known to be empty."""
    if isinstance(x, tf.data.Dataset):
        if int(x.cardinality()) == 0:
            raise ValueError("the training data is empty: expected a dataset with at least one batch, got 0 batches")
        return
    parts = x if isinstance(x, (tuple, list)) else [x]
    if not all(isinstance(part, (np.ndarray, tf.Tensor)) for part in parts) or not parts:
        return  # a generator or a PyDataset: its batches are only checked when run eagerly
    for index, part in enumerate(parts):
        name = "training data" if index == 0 else "conditions"
        array = np.asarray(part, dtype=np.float32)
        if array.size == 0:
            raise ValueError(f"the {name} is empty: expected at least one row, got shape {array.shape}")
        bad = ~np.isfinite(array)
        if bad.any():
            raise ValueError(
                f"{name} must be finite, got {int(bad.sum())} NaN or infinite values "
                f"(first at index {np.argwhere(bad)[0].tolist()})"
            )
        if index == 0 and value_range is not None:
            low, high = float(array.min()), float(array.max())
            if low < value_range[0] - RANGE_SLACK or high > value_range[1] + RANGE_SLACK:
                raise ValueError(_range_message(value_range, low, high, "in the data", array.ndim))


_REFUSED = "gan_lessons refused batch"
_REFUSAL = re.compile(re.escape(f"[{_REFUSED}]") + r" \[(\d+)\] \[(\d+)\] \[(\d+)\] \[([^\]]+)\] \[([^\]]+)\]")


def _batch_problem(batch: Any, value_range: tuple[float, float] | None) -> tuple[Any, Any, Any, Any]:
    """(reason, non-finite count, low, high) of a batch: reason 0 fine, 1 not finite,
    2 outside ``value_range`` (checked on the first tensor, the real samples)."""
    tensors = [tf.cast(tensor, tf.float32) for tensor in tf.nest.flatten(batch)]
    not_finite = tf.add_n([tf.reduce_sum(tf.cast(~tf.math.is_finite(tensor), tf.int64)) for tensor in tensors])
    real = tensors[0]
    finite = tf.math.is_finite(real)
    # The range of the finite values only, so that a NaN is reported as a NaN.
    low = tf.reduce_min(tf.where(finite, real, tf.constant(np.inf, tf.float32)))
    high = tf.reduce_max(tf.where(finite, real, tf.constant(-np.inf, tf.float32)))
    reason = tf.where(not_finite > 0, 1, 0)
    if value_range is not None:
        outside = (low < value_range[0] - RANGE_SLACK) | (high > value_range[1] + RANGE_SLACK)
        reason = tf.where((reason == 0) & outside, 2, reason)
    return reason, not_finite, low, high


# tf.data's autotuner off for the pipelines GAN.fit reads. On the course's 2-core CPU
# with it on, runs of the same DCGAN step fell now and then to about two thirds of
# their speed; with it off they did not (tools/bench_levers.py, row tfdata_autotune).
# AUTOTUNE values in a pipeline then mean tf.data's defaults. A dataset whose options
# set ``autotune.enabled`` keeps that setting.
_NOT_AUTOTUNED = tf.data.Options()
_NOT_AUTOTUNED.autotune.enabled = False


def check_batches(dataset: tf.data.Dataset, value_range: tuple[float, float] | None) -> tf.data.Dataset:
    """``dataset`` with every batch checked as it is produced: a batch with NaN or
    infinite values, or real samples outside ``value_range``, stops the pipeline with
    an error at that batch, so the training step that would use it never runs
    (:func:`refusal_message` turns the error into a ``ValueError``).

    The check runs in the input pipeline, in parallel with training, not in the
    compiled training step: it costs the step nothing (one pass over each batch on
    the data threads) and works the same with XLA.
    """

    def checked(index: Any, batch: Any) -> Any:
        reason, count, low, high = _batch_problem(batch, value_range)
        assertion = tf.debugging.Assert(tf.equal(reason, 0), [_REFUSED, reason, index, count, low, high])
        with tf.control_dependencies([assertion]):
            return tf.nest.map_structure(tf.identity, batch)

    checked_batches = dataset.enumerate().map(checked, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)
    if dataset.options().autotune.enabled is None:  # a pipeline that sets it keeps its own choice
        checked_batches = checked_batches.with_options(_NOT_AUTOTUNED)
    return checked_batches


def refusal_message(error: Exception, value_range: tuple[float, float] | None, rank: int) -> str | None:
    """The ``ValueError`` message for an error raised by :func:`check_batches`, or ``None``
    for any other error."""
    found = _REFUSAL.search(str(error))
    if found is None:
        return None
    reason, index, count = (int(found.group(number)) for number in (1, 2, 3))
    low, high = float(found.group(4)), float(found.group(5))
    where = f"in batch {index} of this fit call (counting from 0; no step trained on it or on any later batch)"
    if reason == 1:
        return f"training data must be finite, got {count} NaN or infinite values {where}"
    return _range_message(value_range, low, high, where, rank)


def check_batch_now(batch: Any, value_range: tuple[float, float] | None) -> None:
    """The check of :func:`check_batches` on one batch, at once (for an eager ``train_step``)."""
    reason, count, low, high = (value.numpy() for value in _batch_problem(batch, value_range))
    if reason == 1:
        raise ValueError(f"training data must be finite, got {int(count)} NaN or infinite values in this batch")
    if reason == 2:
        rank = len(tf.nest.flatten(batch)[0].shape)
        raise ValueError(_range_message(value_range, float(low), float(high), "in this batch", rank))


class CheckedData:
    """The checked stream ``fit`` trains on, built once per dataset and reused by later
    ``fit`` calls on the same dataset (building one traces the check, about 70 ms).

    A plain object, not a Keras one, so that the GAN does not save the datasets it holds.
    """

    def __init__(self, value_range: tuple[float, float] | None) -> None:
        self.value_range = value_range
        self._source: tf.data.Dataset | None = None
        self._checked: tf.data.Dataset | None = None

    def stream(self, dataset: tf.data.Dataset, start: Any) -> tf.data.Dataset:
        """``dataset`` (a :func:`~gan_lessons.pipeline.make_dataset` stream started at
        ``start``) with every batch checked by :func:`check_batches`."""
        if dataset is not self._source:
            self._source, self._checked = dataset, check_batches(stream_from(dataset, start), self.value_range)
        return self._checked


class EmptyEpochCheck(keras.callbacks.Callback):
    """Refuses an epoch that got no batch at all: the data is empty or ran out."""

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._batches = 0

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._batches += 1

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        if self._batches == 0:
            raise ValueError(
                f"the training data is empty or ran out: expected at least one batch in epoch {epoch}, got none "
                "(a dataset of repeating batches, such as make_dataset's, never runs out)"
            )
