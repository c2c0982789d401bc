"""Input checks shared by the package: each raises a message naming what was
expected and what arrived."""

from __future__ import annotations

import numbers
from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray


def _int_at_least(value: object, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}: {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def positive_int(value: object, name: str) -> int:
    """``value`` as an int >= 1, else ``TypeError`` / ``ValueError``."""
    return _int_at_least(value, name, 1)


def non_negative_int(value: object, name: str) -> int:
    """``value`` as an int >= 0, else ``TypeError`` / ``ValueError``."""
    return _int_at_least(value, name, 0)


def real_number(value: object, name: str) -> float:
    """``value`` as a float if it is a real number (not a bool, a string or an array), else ``TypeError``."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}: {value!r}")
    return float(value)


def positive_float(value: object, name: str) -> float:
    """``value`` as a float that is finite and > 0, else ``TypeError`` / ``ValueError``."""
    number = real_number(value, name)
    if not np.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value}")
    return number


def non_negative_float(value: object, name: str) -> float:
    """``value`` as a float that is finite and >= 0, else ``TypeError`` / ``ValueError``."""
    number = real_number(value, name)
    if not np.isfinite(number) or number < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value}")
    return number


def positive_ints(values: object, name: str, example: str, entry: str) -> list[int]:
    """``values`` as a non-empty list of ints >= 1 (layer widths, dilations), else ``TypeError`` / ``ValueError``.

    ``example`` shows a valid value in the message; ``entry`` names one item (``"layer width"``).
    """
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise TypeError(f"{name} must be a sequence of ints such as {example}, got {type(values).__name__}: {values!r}")
    if len(values) == 0:
        raise ValueError(f"{name} must name at least one {entry}, got an empty sequence")
    return [_int_at_least(value, f"each entry of {name}", 1) for value in values]


def finite_array(
    values: ArrayLike, name: str, ndim: int | None = None, last_dim: int | None = None
) -> NDArray[np.float32]:
    """``values`` as a float32 array, checked for rank, last dimension and NaN/inf."""
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be a numeric array, got {type(values).__name__}")
    try:
        array = np.asarray(values, dtype=np.float32)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be a numeric array, got {type(values).__name__}") from error
    if ndim is not None and array.ndim != ndim:
        raise ValueError(
            f"{name} must have {ndim} dimensions, got shape {array.shape}"
            + (" (add a feature axis with x[:, None])" if ndim == 2 and array.ndim == 1 else "")
        )
    if last_dim is not None and (array.ndim == 0 or array.shape[-1] != last_dim):
        raise ValueError(
            f"{name} must have {last_dim} features on its last axis, got shape {array.shape}"
        )
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    bad = ~np.isfinite(array)
    if bad.any():
        first = np.argwhere(bad)[0].tolist()
        raise ValueError(
            f"{name} must be finite, got {int(bad.sum())} NaN or infinite values "
            f"(first at index {first})"
        )
    return array


def finite_float64(values: ArrayLike, name: str, ndim: int | None = None) -> NDArray[np.float64]:
    """Like :func:`finite_array` (same checks and messages) but float64, for data such
    as daily returns where float32's 7 digits would blur small differences."""
    finite_array(values, name, ndim=ndim)
    array = np.asarray(values, dtype=np.float64)
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must be finite in float64, got values too large for float32 checks")
    return array


def dropout_rate(dropout: object) -> float:
    """``dropout`` as a rate in [0, 1), else ``ValueError``."""
    if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0 <= dropout < 1:
        raise ValueError(f"dropout must be a number in [0, 1), got {dropout!r}")
    return float(dropout)


def plotting_on_first_use(package: str):  # type: ignore[no-untyped-def]
    """A module ``__getattr__`` for a subpackage: ``package.plotting`` is imported when first
    used, so importing the subpackage does not load matplotlib."""
    import importlib

    def __getattr__(name: str) -> object:
        if name == "plotting":
            return importlib.import_module(f"{package}.plotting")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
