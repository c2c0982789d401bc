"""Daily returns of the S&P 500 (lesson 06), and their standardisation and windows.

The prices ship inside the ``arch`` package (``arch.data.sp500``), so no download is
needed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from gan_lessons._checks import (
    finite_array,
    finite_float64,
    positive_float,
    positive_int,
)


def load_sp500_prices() -> pd.Series:
    """Daily adjusted closing prices of the S&P 500, 1999-01-04 to 2018-12-31 (5,031 days).

    Read from the copy shipped inside ``arch`` (``arch.data.sp500.load()``; source:
    Yahoo! Finance), so it works offline. Returns a Series indexed by date.
    """
    from arch.data import sp500

    return sp500.load()["Adj Close"].rename("sp500")


def log_returns(prices: pd.Series | ArrayLike, max_gap_days: int = 7) -> NDArray[np.float64]:
    """Daily log returns r_t = log P_t - log P_{t-1} of a price series, shape (n - 1,).

    ``prices``: 1-D, finite and > 0, at least 2 values. If ``prices`` is a Series
    with a DatetimeIndex, its dates must increase with no gap longer than
    ``max_gap_days`` calendar days (a week covers weekends and holidays; a longer
    gap would turn weeks of moves into one "daily" return). Every failure names
    the first offending position (and date).
    """
    max_gap_days = positive_int(max_gap_days, "max_gap_days")
    dates = prices.index if isinstance(prices, pd.Series) else None
    try:
        values = np.asarray(prices, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(f"prices must be numeric, got {type(prices).__name__}") from error
    if values.ndim != 1:
        raise ValueError(f"prices must be 1-D (one price per day), got shape {values.shape}")
    if values.size < 2:
        raise ValueError(f"prices must hold at least 2 values to give a return, got {values.size}")

    def where(position: int) -> str:
        if isinstance(dates, pd.DatetimeIndex):
            return f"position {position} ({dates[position].date()})"
        return f"position {position}"

    missing = np.flatnonzero(~np.isfinite(values))
    if missing.size:
        raise ValueError(
            f"prices must be finite, got {missing.size} NaN or infinite values, first at {where(missing[0])}"
        )
    non_positive = np.flatnonzero(values <= 0)
    if non_positive.size:
        position = non_positive[0]
        raise ValueError(
            f"prices must be > 0 to take logs, got {values[position]} at {where(position)}"
        )
    if isinstance(dates, pd.DatetimeIndex):
        steps = np.diff(dates.values).astype("timedelta64[D]").astype(np.int64)
        backwards = np.flatnonzero(steps <= 0)
        if backwards.size:
            raise ValueError(
                f"price dates must increase, got a repeated or earlier date at {where(backwards[0] + 1)}"
            )
        gaps = np.flatnonzero(steps > max_gap_days)
        if gaps.size:
            position = gaps[0] + 1
            raise ValueError(
                f"prices have a gap of {steps[gaps[0]]} days (more than max_gap_days={max_gap_days}) "
                f"before {where(position)}; fill or split the series there"
            )
    return np.diff(np.log(values))


def sp500_log_returns() -> NDArray[np.float64]:
    """Daily log returns of the S&P 500, 1999-01-05 to 2018-12-31, shape (5030,).

    :func:`log_returns` of :func:`load_sp500_prices`, so the same checks apply.
    """
    return log_returns(load_sp500_prices())


def standardize(values: ArrayLike) -> tuple[NDArray[np.float64], float, float]:
    """(values - mean) / std with the sample's own mean and std (ddof 0).

    Returns ``(standardized, mean, std)``; :func:`unstandardize` undoes it.
    ``values``: any shape, finite, not constant.
    """
    array = finite_float64(values, "values")
    mean, std = float(array.mean()), float(array.std())
    if std == 0:
        raise ValueError("values must not be constant (std 0), so they cannot be standardised")
    return (array - mean) / std, mean, std


def unstandardize(standardized: ArrayLike, mean: float, std: float) -> NDArray[np.float64]:
    """Inverse of :func:`standardize`: standardized * std + mean, same shape."""
    std = positive_float(std, "std")
    return finite_float64(standardized, "standardized") * std + mean


def rolling_windows(values: ArrayLike, window: int, stride: int = 1) -> NDArray[np.float32]:
    """Overlapping windows of a 1-D series, shape (num_windows, window, 1).

    Window k holds values[k * stride : k * stride + window]; num_windows =
    (n - window) // stride + 1. The trailing axis is the one feature a sequence
    model reads.
    """
    array = finite_array(values, "values", ndim=1)
    window = positive_int(window, "window")
    stride = positive_int(stride, "stride")
    if array.size < window:
        raise ValueError(
            f"too few observations for the window: need at least window={window} values, got {array.size}"
        )
    windows = np.lib.stride_tricks.sliding_window_view(array, window)[::stride]
    return np.ascontiguousarray(windows[..., None])
