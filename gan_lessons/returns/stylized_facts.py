"""Stylised facts of financial returns and distances between two sets of returns.

The facts (Cont 2001, "Empirical properties of asset returns: stylized facts and
statistical issues") that lesson 06 asks a generator of daily returns to reproduce:

* heavy tails: excess kurtosis well above 0 (about 8 for the S&P 500 1999-2018);
* no linear autocorrelation: ACF of r_t near 0 at every lag;
* volatility clustering: ACF of |r_t| positive and slowly decaying;
* leverage effect: corr(r_t, r_{t+k}^2) < 0, falls are followed by high volatility;
* mild negative skewness.

Every function takes either one series, shape (days,), or several paths, shape
(paths, days); for paths each figure is computed per path and averaged, so a
20-path sample is compared with the one real series on the same footing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from gan_lessons._checks import finite_float64, positive_int

if TYPE_CHECKING:
    import pandas as pd


def as_paths(returns: ArrayLike, name: str = "returns", min_days: int = 2) -> NDArray[np.float64]:
    """Returns as a float64 array of shape (paths, days): 1-D input becomes one path.

    Rejects NaN/inf, ranks other than 1 and 2, and fewer than ``min_days`` days.
    """
    array = finite_float64(returns, name)
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim != 2:
        raise ValueError(f"{name} must be 1-D (days,) or 2-D (paths, days), got shape {array.shape}")
    if array.shape[1] < min_days:
        raise ValueError(
            f"{name} has too few observations: need at least {min_days} days, got {array.shape[1]}"
        )
    return array


def autocorrelation(returns: ArrayLike, max_lag: int = 20) -> NDArray[np.float64]:
    """Sample autocorrelation at lags 1..max_lag, shape (max_lag,), averaged over paths.

    rho(k) = sum_{t=1}^{n-k} (x_t - xbar)(x_{t+k} - xbar) / sum_{t=1}^{n} (x_t - xbar)^2,
    the usual estimator (Box & Jenkins; as in statsmodels' ``acf``). ``returns``:
    (days,) or (paths, days) with days > max_lag.
    """
    max_lag = positive_int(max_lag, "max_lag")
    paths = as_paths(returns, min_days=max_lag + 2)
    centred = paths - paths.mean(axis=1, keepdims=True)
    denominator = np.sum(centred**2, axis=1)
    if np.any(denominator == 0):
        raise ValueError("returns must not be constant along a path; the ACF is undefined")
    lags = np.array(
        [np.sum(centred[:, :-lag] * centred[:, lag:], axis=1) for lag in range(1, max_lag + 1)]
    )
    return (lags / denominator).mean(axis=1)


def leverage_effect(returns: ArrayLike, max_lag: int = 20) -> NDArray[np.float64]:
    """Leverage correlation corr(r_t, r_{t+k}^2) at k = 1..max_lag, shape (max_lag,).

    Pearson correlation of today's return with the squared return k days later
    (Cont 2001, section 5; Bouchaud et al. 2001 use the same lagged correlation).
    Negative values: falls raise later volatility more than rises. Averaged over paths.
    """
    max_lag = positive_int(max_lag, "max_lag")
    paths = as_paths(returns, min_days=max_lag + 2)
    values = np.empty((len(paths), max_lag))
    for lag in range(1, max_lag + 1):
        today = paths[:, :-lag] - paths[:, :-lag].mean(axis=1, keepdims=True)
        later = paths[:, lag:] ** 2
        later = later - later.mean(axis=1, keepdims=True)
        scale = np.sqrt(np.sum(today**2, axis=1) * np.sum(later**2, axis=1))
        if np.any(scale == 0):
            raise ValueError("returns must not be constant along a path; the correlation is undefined")
        values[:, lag - 1] = np.sum(today * later, axis=1) / scale
    return values.mean(axis=0)


def stylized_facts(returns: ArrayLike, max_lag: int = 20) -> dict[str, Any]:
    """The stylised facts of daily returns (Cont 2001) as a dict of named figures.

    ``returns``: (days,) or (paths, days) daily log returns, days > max_lag. For
    paths, each figure is the average of the per-path figures. Keys:

    * ``mean``, ``std``: daily mean and standard deviation;
    * ``excess_kurtosis``: E[(r - mu)^4] / sigma^4 - 3 (0 for a Gaussian);
    * ``skewness``: E[(r - mu)^3] / sigma^3;
    * ``acf_returns``, ``acf_abs_returns``: arrays (max_lag,) of :func:`autocorrelation`
      of r and |r| at lags 1..max_lag;
    * ``max_abs_acf_returns``: max_k |ACF of r at lag k| (small: no linear predictability);
    * ``mean_acf_abs_returns``: mean over lags of the ACF of |r| (volatility clustering);
    * ``leverage``: array (max_lag,) of :func:`leverage_effect`;
    * ``leverage_lag1``: corr(r_t, r_{t+1}^2); ``mean_leverage``: its mean over lags.
    """
    max_lag = positive_int(max_lag, "max_lag")
    paths = as_paths(returns, min_days=max_lag + 2)
    acf_returns = autocorrelation(paths, max_lag)
    acf_abs = autocorrelation(np.abs(paths), max_lag)
    leverage = leverage_effect(paths, max_lag)
    return {
        "mean": float(paths.mean(axis=1).mean()),
        "std": float(paths.std(axis=1).mean()),
        "excess_kurtosis": float(np.mean(stats.kurtosis(paths, axis=1))),
        "skewness": float(np.mean(stats.skew(paths, axis=1))),
        "acf_returns": acf_returns,
        "acf_abs_returns": acf_abs,
        "max_abs_acf_returns": float(np.max(np.abs(acf_returns))),
        "mean_acf_abs_returns": float(acf_abs.mean()),
        "leverage": leverage,
        "leverage_lag1": float(leverage[0]),
        "mean_leverage": float(leverage.mean()),
    }


def horizon_returns(returns: ArrayLike, horizon: int) -> NDArray[np.float64]:
    """Overlapping h-day log returns r_t + ... + r_{t+h-1}, shape (paths, days - h + 1).

    Log returns add over time, so the h-day return is the rolling sum of h daily
    ones. ``returns``: (days,) or (paths, days) with days >= horizon.
    """
    horizon = positive_int(horizon, "horizon")
    paths = as_paths(returns, min_days=horizon)
    cumulative = np.concatenate([np.zeros((len(paths), 1)), np.cumsum(paths, axis=1)], axis=1)
    return cumulative[:, horizon:] - cumulative[:, :-horizon]


def standardized_wasserstein(real: ArrayLike, generated: ArrayLike, horizon: int = 1) -> float:
    """Wasserstein-1 distance between the h-day returns of two samples, in units of
    the real h-day standard deviation.

    W1(P, Q) = integral |F_P(x) - F_Q(x)| dx (Villani 2009), computed by
    ``scipy.stats.wasserstein_distance`` on all (overlapping) h-day returns pooled
    over paths, after dividing both by the real h-day std so that horizons are
    comparable: 0 means identical distributions, 0.1 a shift of a tenth of a
    standard deviation. ``real``, ``generated``: (days,) or (paths, days).
    """
    real_h = horizon_returns(real, horizon).ravel()
    generated_h = horizon_returns(generated, horizon).ravel()
    scale = real_h.std()
    if scale == 0:
        raise ValueError("real returns must not be constant; their std is 0")
    return float(stats.wasserstein_distance(real_h / scale, generated_h / scale))


def wasserstein_distances(
    real: ArrayLike, generated: ArrayLike, horizons: Sequence[int] = (1, 5, 20)
) -> dict[str, float]:
    """:func:`standardized_wasserstein` at each horizon, keyed ``"w1_1d"``, ``"w1_5d"``, ..."""
    return {f"w1_{h}d": standardized_wasserstein(real, generated, h) for h in horizons}


def stylized_fact_distances(
    real: ArrayLike, generated: ArrayLike, max_lag: int = 20, horizons: Sequence[int] = (1, 5, 20)
) -> dict[str, float]:
    """How far ``generated`` is from ``real`` on the facts of :func:`stylized_facts`.

    ``acf_abs_l2``: ||ACF_|r|,gen - ACF_|r|,real||_2 over lags 1..max_lag (the
    volatility-clustering distance of Wiese et al. 2020, section 7), likewise
    ``acf_l2`` for r and ``leverage_l2`` for the leverage correlations, plus the
    standardised W1 distances of :func:`wasserstein_distances`.
    """
    real_facts = stylized_facts(real, max_lag)
    generated_facts = stylized_facts(generated, max_lag)

    def l2(key: str) -> float:
        return float(np.linalg.norm(generated_facts[key] - real_facts[key]))

    return {
        "acf_abs_l2": l2("acf_abs_returns"),
        "acf_l2": l2("acf_returns"),
        "leverage_l2": l2("leverage"),
        **wasserstein_distances(real, generated, horizons),
    }


def path_facts(returns: ArrayLike, max_lag: int = 20) -> "pd.DataFrame":
    """The scalar stylised facts of :func:`stylized_facts`, one row per path.

    ``returns``: (days,) or (paths, days). Report the median and the spread (e.g. the
    10th and 90th percentiles) of each column rather than the mean: a path with one
    extreme stretch can move the mean of kurtosis across 20 paths by a factor of two.
    Columns: ``std``, ``excess_kurtosis``, ``skewness``, ``max_abs_acf_returns``,
    ``mean_acf_abs_returns``, ``leverage_lag1``, ``mean_leverage``.
    """
    import pandas as pd

    max_lag = positive_int(max_lag, "max_lag")
    paths = as_paths(returns, min_days=max_lag + 2)
    keys = ("std", "excess_kurtosis", "skewness", "max_abs_acf_returns", "mean_acf_abs_returns",
            "leverage_lag1", "mean_leverage")
    rows = []
    for path in paths:
        facts = stylized_facts(path, max_lag)
        rows.append({key: facts[key] for key in keys})
    return pd.DataFrame(rows)


def window_facts(series: ArrayLike, length: int, max_lag: int = 20, stride: int | None = None) -> "pd.DataFrame":
    """:func:`path_facts` of windows of ``length`` days of one real series.

    The windows start every ``stride`` days (default ``length // 4``), so they overlap.
    Their spread is the real market's own variation over periods as long as a
    generated path: the band a generator's figures should fall in.
    """
    values = finite_float64(series, "series", ndim=1)
    length = positive_int(length, "length")
    stride = max(1, length // 4) if stride is None else positive_int(stride, "stride")
    if values.size < length:
        raise ValueError(f"series has {values.size} days, fewer than length={length}")
    starts = range(0, values.size - length + 1, stride)
    return path_facts(np.stack([values[s : s + length] for s in starts]), max_lag)


def acf_band(days: int) -> float:
    """2 / sqrt(days): under i.i.d. returns the sample ACF at each lag is about N(0, 1/days)
    (Bartlett), so about 95 % of lags fall inside +-acf_band(days)."""
    days = positive_int(days, "days")
    return 2.0 / float(np.sqrt(days))


def ljung_box(returns: ArrayLike, max_lag: int = 20) -> dict[str, NDArray[np.float64]]:
    """Ljung & Box (1978) portmanteau test of "no autocorrelation at lags 1..max_lag", per path.

    Q = n (n + 2) sum_{k=1}^{max_lag} rho(k)^2 / (n - k), chi-squared with max_lag degrees
    of freedom under i.i.d. returns (same as statsmodels' ``acorr_ljungbox``). Returns
    ``q`` and ``p_value`` (``scipy.stats.chi2.sf``), arrays of shape (paths,), and
    ``fraction_outside`` (paths,): the share of lags whose ACF lies outside
    +-:func:`acf_band`. Small p-values: the path has a linear pattern in its returns
    that real returns do not have, i.e. a pattern a trader could bet on.
    """
    max_lag = positive_int(max_lag, "max_lag")
    paths = as_paths(returns, min_days=max_lag + 2)
    days = paths.shape[1]
    rho = np.stack([np.atleast_1d(autocorrelation(path, max_lag)) for path in paths])
    q = days * (days + 2) * np.sum(rho**2 / (days - np.arange(1, max_lag + 1)), axis=1)
    outside = np.mean(np.abs(rho) > acf_band(days), axis=1)
    return {"q": q, "p_value": stats.chi2.sf(q, max_lag), "fraction_outside": outside}
