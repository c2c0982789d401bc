"""Sanity checks for GAN code: cheap tests that catch the bugs which do not crash.

A GAN with a constant loss, data on the wrong scale or a plot that shows a quarter
of the batch runs without an error and just learns nothing (or shows the wrong
thing). Each check here turns one such bug into a ``ValueError`` that says what was
expected and what was found; when the check passes it returns the figure it
measured, so a notebook can print it. Lesson 10 finds its bugs with them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import tensorflow as tf
from numpy.typing import ArrayLike

from gan_lessons._checks import finite_array, non_negative_float, positive_int

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


def _loss_and_gradients(loss_fn: Callable[[], Any], variables: list[Any]) -> tuple[float, list[Any]]:
    if not variables:
        raise ValueError("expected at least one variable, got an empty list")
    with tf.GradientTape() as tape:
        loss = loss_fn()
    return _total(loss), tape.gradient(loss, variables)


def _total(loss: Any) -> float:
    # The tape differentiates the sum of a non-scalar loss, so the probe compares sums too.
    return float(tf.reduce_sum(tf.cast(loss, tf.float64)))


def gradient_norms(loss_fn: Callable[[], Any], variables: Sequence[Any]) -> dict[str, float]:
    """Euclidean norm of d loss / d variable for each variable, by variable path.

    ``loss_fn()`` computes a scalar loss (it is called once, under a
    ``tf.GradientTape``). A variable the loss does not depend on at all has no
    gradient (TensorFlow returns ``None``); its norm is reported as NaN.
    """
    variables = list(variables)
    _, gradients = _loss_and_gradients(loss_fn, variables)
    return {
        _variable_name(variable): float("nan") if gradient is None else float(tf.norm(gradient))
        for variable, gradient in zip(variables, gradients)
    }


# Steps of the probe in check_gradients, as fractions of max(1, |variable|): from a small
# step, where the loss is close to linear, up to a tenth of the variable's size.
_PROBE_STEPS = (1e-3, 1e-2, 1e-1)


def _loss_changes(
    loss_fn: Callable[[], Any], variable: Any, gradient: Any, scale: float, resolution: float
) -> bool:
    """True as soon as moving ``variable`` against and along its gradient, by one of the
    :data:`_PROBE_STEPS` times ``scale``, changes the loss by more than ``resolution``;
    False if no step does. The variable is restored exactly, also if ``loss_fn`` raises."""
    original = np.array(variable, copy=True)
    unit = np.asarray(gradient, dtype=np.float64)
    unit = unit / np.linalg.norm(unit)
    try:
        for step in _PROBE_STEPS:
            variable.assign((original - step * scale * unit).astype(original.dtype))
            lower = _total(loss_fn())
            variable.assign((original + step * scale * unit).astype(original.dtype))
            higher = _total(loss_fn())
            if abs(higher - lower) > resolution:
                return True
        return False
    finally:
        variable.assign(original)


def check_gradients(
    loss_fn: Callable[[], Any],
    variables: Sequence[Any],
    name: str = "loss",
    *,
    tol: float = 1e-6,
    probe: bool = True,
) -> dict[str, float]:
    """:func:`gradient_norms` if every gradient is finite and moves the loss, else ``ValueError``.

    The bug this catches is a loss that does not change with the weights (a softmax over
    one logit is always 1, so a "probability" made with it is a constant). Exactly, such a
    loss has gradient zero; in float32 it need not: on some CPUs the softmax returns
    0.99999994 instead of 1, and the chain rule through its derivative s(1 - s) ~ 6e-8
    turns that round-off into a gradient, tiny (``3 * p`` or ``-log(p)`` of it) or of
    ordinary size (``-log(1 - p + 1e-8)`` has derivative 1 / 7e-8 in p, which multiplies
    6e-8 back to about 1). No bound on the gradient's norm alone separates those from real
    gradients of a loss that happens to be small. So a gradient is judged by what it does
    to its own loss, relative to the loss's size, which makes the verdict independent of
    the loss's scale (a loss times 1e-8 gets the same verdict). With
    ``h = max(1, |variable|)`` (``max`` for variables that start at zero, e.g. biases) and
    ``L`` the loss, a variable has

    * a **zero** gradient: norm exactly 0;
    * a **vanishing** gradient: ``0.2 h |gradient| <= tol |L|``, i.e. by the gradient's own
      account, moving the variable by a tenth of its size (both ways) changes the loss by
      no more than round-off;
    * a gradient **without effect on the loss**: the variable is moved against and along
      its gradient by 0.001 h, 0.01 h and 0.1 h, and at none of these steps does the loss
      change by more than ``tol |L|`` (with ``probe=False`` this is skipped, and ``loss_fn``
      is called once).

    ``tol = 1e-6`` is about 8 float32 rounding units (eps = 1.2e-7) of the loss: a change
    below it is round-off, one above it is real. ``tol=0`` flags only losses whose value
    does not change at all. The price of judging against the loss: a real but minute slope
    on a loss with a large constant offset (``100 + 1e-9 * w``) is flagged as vanishing,
    since float32 cannot show it in the loss's value either. ``None`` means a broken graph
    (a NumPy round trip, a variable the loss never uses); NaN or inf mean overflow, e.g. log(0).

    The probe calls ``loss_fn`` twice per step for each variable it moves (usually one step)
    and must get the same loss for the same weights (a fixed batch and noise; with a fresh
    noise draw per call the loss changes anyway, so the probe never objects). It restores
    every variable exactly, also if ``loss_fn`` raises.
    """
    tol = non_negative_float(tol, "tol")
    variables = list(variables)
    loss, gradients = _loss_and_gradients(loss_fn, variables)
    resolution = tol * abs(loss)
    norms: dict[str, float] = {}
    found: dict[str, list[str]] = {"zero": [], "missing": [], "infinite": [], "vanishing": [], "no_effect": []}
    for variable, gradient in zip(variables, gradients):
        key = _variable_name(variable)
        norm = norms[key] = float("nan") if gradient is None else float(tf.norm(gradient))
        scale = max(1.0, float(tf.norm(tf.cast(variable, tf.float64))))
        if np.isnan(norm):
            found["missing"].append(key)
        elif np.isinf(norm):
            found["infinite"].append(key)
        elif norm == 0:
            found["zero"].append(key)
        elif 2 * _PROBE_STEPS[-1] * scale * norm <= resolution:
            found["vanishing"].append(key)
        elif probe and not _loss_changes(loss_fn, variable, gradient, scale, resolution):
            found["no_effect"].append(key)
    labels = {
        "zero": "zero gradient",
        "missing": "no gradient (None) or NaN",
        "infinite": "infinite gradient",
        "vanishing": f"vanishing gradient (changes the loss by <= {tol:g} of its value)",
        "no_effect": "gradient without effect on the loss (moving the variable along it leaves the loss unchanged)",
    }
    problems = [
        f"{labels[kind]} for {len(keys)} of {len(norms)} variables ({', '.join(keys[:3])}{', ...' if len(keys) > 3 else ''})"
        for kind, keys in found.items()
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


def interpolate_gradient_norms(
    discriminator: Callable[[Any], Any], real: ArrayLike, fake: ArrayLike, seed: int = 0
) -> np.ndarray:
    """``||grad_x D(x_hat)||_2`` for each x_hat = eps * x + (1 - eps) * x_fake, eps ~ U[0, 1].

    The points where WGAN-GP takes its penalty (Gulrajani et al. 2017, eq. 3): a
    critic trained with it should have norms near 1 there, an unconstrained
    discriminator whatever its training made them. ``real`` and ``fake``: arrays of
    the same shape (n, ...), n >= 1; ``discriminator`` maps a batch to (n, 1)
    outputs (called with ``training=False`` when it is a Keras model). Returns
    shape (n,); ``seed`` fixes the draws of eps.
    """
    real_arr = finite_array(real, "real")
    fake_arr = finite_array(fake, "fake")
    if real_arr.shape != fake_arr.shape or real_arr.ndim < 2 or len(real_arr) == 0:
        raise ValueError(
            f"expected real and fake of the same shape (n, ...) with n >= 1, got {real_arr.shape} and {fake_arr.shape}"
        )
    epsilon = np.random.default_rng(seed).uniform(size=(len(real_arr),) + (1,) * (real_arr.ndim - 1))
    points = tf.convert_to_tensor((epsilon * real_arr + (1 - epsilon) * fake_arr).astype(np.float32))
    with tf.GradientTape() as tape:
        tape.watch(points)
        scores = discriminator(points, training=False) if hasattr(discriminator, "layers") else discriminator(points)
    gradients = tape.gradient(scores, points)
    if gradients is None:
        raise ValueError("expected the discriminator's output to depend on its input, got no gradient")
    return np.sqrt(np.sum(np.square(np.asarray(gradients, np.float64)).reshape(len(real_arr), -1), axis=1))


def largest_singular_values(model: Any) -> dict[str, float]:
    """The largest singular value sigma(W) of each kernel of ``model``, by layer name.

    Each kernel is reshaped to (-1, output units) first, as spectral normalisation
    does (Miyato et al. 2018, eq. 8); a layer wrapped in
    ``keras.layers.SpectralNormalization`` is reported under the wrapped layer's name.
    Keras stores the normalised kernel W / sigma(W) at every training call, so a
    trained spectral-norm layer reports about 1 (one power iteration per step
    estimates sigma). Layers without a kernel are skipped; a model with none raises.
    """
    import keras

    if not hasattr(model, "layers"):
        raise TypeError(f"expected a Keras model, got {type(model).__name__}")
    values = {}
    for layer in model.layers:
        inner = layer.layer if isinstance(layer, keras.layers.SpectralNormalization) else layer
        kernel = getattr(inner, "kernel", None)
        if kernel is None:
            continue
        matrix = np.asarray(kernel, dtype=np.float64)
        values[inner.name] = float(np.linalg.svd(matrix.reshape(-1, matrix.shape[-1]), compute_uv=False)[0])
    if not values:
        raise ValueError(f"expected a model with at least one kernel (Dense, Conv), got none in {model.name!r}")
    return values
