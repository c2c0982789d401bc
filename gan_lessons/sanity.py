"""Sanity checks for GAN code: cheap tests that catch the bugs which do not crash.

A GAN with a constant loss, data on the wrong scale or a plot that shows a quarter
of the batch runs without an error and just learns nothing (or shows the wrong
thing). Each check here turns one such bug into a ``ValueError`` that says what was
expected and what was found; when the check passes it returns the figure it
measured, so a notebook can print it. Lesson 10 finds its bugs with them.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

import numpy as np
import tensorflow as tf
from numpy.typing import ArrayLike

from gan_lessons._checks import finite_array, positive_int

# Values computed in float32 (a tanh output, a rescaled pixel) may overshoot a bound
# by a rounding error; that is not a bug.
_RANGE_TOLERANCE = 1e-4


def value_range(values: ArrayLike, low: float = -1.0, high: float = 1.0, name: str = "values") -> tuple[float, float]:
    """``(min, max)`` of ``values`` if all lie in ``[low, high]``, else ``ValueError``.

    The default ``[-1, 1]`` is the range of a tanh generator: real data fed to its
    discriminator must live there too, or the discriminator tells real from fake by
    the scale alone. Any shape; NaN or inf also raise.
    """
    if not low < high:
        raise ValueError(f"low must be below high, got low={low} and high={high}")
    array = finite_array(values, name)
    found = (float(array.min()), float(array.max()))
    if found[0] < low - _RANGE_TOLERANCE or found[1] > high + _RANGE_TOLERANCE:
        hint = " (0..255 pixels: use x / 127.5 - 1)" if found[1] > 2 and (low, high) == (-1.0, 1.0) else ""
        raise ValueError(
            f"expected {name} in [{low:g}, {high:g}], got values in [{found[0]:.4g}, {found[1]:.4g}]{hint}"
        )
    return found


def _variable_name(variable: Any) -> str:
    return str(getattr(variable, "path", None) or getattr(variable, "name", "variable"))


def gradient_norms(loss_fn: Callable[[], Any], variables: Sequence[Any]) -> dict[str, float]:
    """Euclidean norm of d loss / d variable for each variable, by variable path.

    ``loss_fn()`` computes a scalar loss (it is called once, under a
    ``tf.GradientTape``). A variable the loss does not depend on at all has no
    gradient (TensorFlow returns ``None``); its norm is reported as NaN.
    """
    variables = list(variables)
    if not variables:
        raise ValueError("expected at least one variable, got an empty list")
    with tf.GradientTape() as tape:
        loss = loss_fn()
    gradients = tape.gradient(loss, variables)
    return {
        _variable_name(variable): float("nan") if gradient is None else float(tf.norm(gradient))
        for variable, gradient in zip(variables, gradients)
    }


def check_gradients(loss_fn: Callable[[], Any], variables: Sequence[Any], name: str = "loss") -> dict[str, float]:
    """:func:`gradient_norms` if every norm is finite and > 0, else ``ValueError``.

    A zero norm for every variable means a loss that does not change with the
    weights (a softmax over one logit is always 1); ``None`` means a broken graph
    (a NumPy round trip, a variable the loss never uses); NaN or inf mean
    overflow, e.g. log(0).
    """
    norms = gradient_norms(loss_fn, variables)
    zero = [key for key, norm in norms.items() if norm == 0]
    missing = [key for key, norm in norms.items() if np.isnan(norm)]
    infinite = [key for key, norm in norms.items() if np.isinf(norm)]
    problems = [
        f"{label} for {len(keys)} of {len(norms)} variables ({', '.join(keys[:3])}{', ...' if len(keys) > 3 else ''})"
        for label, keys in (("zero gradient", zero), ("no gradient (None) or NaN", missing), ("infinite gradient", infinite))
        if keys
    ]
    if problems:
        raise ValueError(f"expected a finite, non-zero gradient of {name} for every variable, got " + "; ".join(problems))
    return norms


def check_grid(num_images: int, num_rows: int, num_columns: int) -> int:
    """``num_images`` if a ``num_rows`` x ``num_columns`` grid holds exactly that many, else ``ValueError``.

    A grid with fewer cells than images drops the rest without a word (``zip`` stops
    at the shorter list); one with more cells leaves panels empty.
    """
    num_images = positive_int(num_images, "num_images")
    cells = positive_int(num_rows, "num_rows") * positive_int(num_columns, "num_columns")
    if cells != num_images:
        raise ValueError(
            f"expected a grid with one cell per image ({num_images}), got {num_rows} x {num_columns} = {cells} cells"
        )
    return num_images


def check_finite_losses(history: Mapping[str, Sequence[float]]) -> dict[str, float]:
    """The last value of each loss if every recorded value is finite, else ``ValueError``.

    ``history``: e.g. ``GAN.loss_history``, a dict of lists of per-step losses.
    """
    if not isinstance(history, Mapping) or not history:
        raise TypeError(f"expected a non-empty dict of loss lists, got {type(history).__name__}")
    last = {}
    for key, values in history.items():
        array = np.asarray(values, dtype=np.float64)
        if array.ndim != 1 or array.size == 0:
            raise ValueError(f"expected {key!r} to be a non-empty list of numbers, got shape {array.shape}")
        bad = np.flatnonzero(~np.isfinite(array))
        if bad.size:
            raise ValueError(
                f"expected finite values of {key!r}, got {bad.size} NaN or infinite (first at step {bad[0]})"
            )
        last[key] = float(array[-1])
    return last
