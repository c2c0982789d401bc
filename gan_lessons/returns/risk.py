"""Value at risk and expected shortfall of a sample of returns (lesson 06).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special, stats

from gan_lessons._checks import finite_float64, positive_float, positive_int, real_number
from gan_lessons.returns.stylized_facts import horizon_returns


def _level(level: float) -> float:
    level = real_number(level, "level")
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), e.g. 0.99, got {level}")
    return float(level)


def value_at_risk(returns: ArrayLike, level: float = 0.99) -> float:
    """Value at risk at ``level``, as a positive loss in return units.

    VaR_a = -q_{1-a}(r), minus the (1 - a)-quantile of the returns (McNeil, Frey &
    Embrechts 2015, def. 2.8): the loss exceeded with probability 1 - a.
    ``returns``: any shape, pooled (e.g. all generated scenarios).
    """
    values = finite_float64(returns, "returns").ravel()
    return float(-np.quantile(values, 1 - _level(level)))


def expected_shortfall(returns: ArrayLike, level: float = 0.99) -> float:
    """Expected shortfall at ``level``, as a positive loss in return units.

    ES_a = -E[r | r <= q_{1-a}(r)], the mean loss in the worst 1 - a of cases
    (Acerbi & Tasche 2002); always >= VaR_a. ``returns``: any shape, pooled.
    """
    values = finite_float64(returns, "returns").ravel()
    threshold = np.quantile(values, 1 - _level(level))
    return float(-values[values <= threshold].mean())


def risk_measures(
    returns: ArrayLike, levels: Sequence[float] = (0.95, 0.99), horizon: int = 1, simple: bool = False
) -> dict[str, float]:
    """VaR and ES at each level of the ``horizon``-day returns, keyed by the level in
    percent: ``"var_99"``, ``"es_95"``, ``"var_97.5"``, ``"es_99.5"``.

    ``returns``: daily log returns, (days,) or (paths, days); the h-day returns are
    the overlapping sums of :func:`horizon_returns`, pooled over paths. ``levels``:
    distinct numbers in (0, 1), at most 10 significant digits apart. ``simple``: the
    figures as losses of simple returns, exp(R) - 1, i.e. fractions of the
    portfolio's value (default: log-return units).
    """
    if not isinstance(simple, bool):
        raise TypeError(f"simple must be True or False, got {simple!r}")
    pooled = horizon_returns(returns, horizon)
    figures: dict[str, float] = {}
    for level in levels:
        tag = _percent_tag(_level(level))
        if f"var_{tag}" in figures:
            raise ValueError(f"levels must be distinct, got {tuple(levels)} ({tag}% twice)")
        if simple:
            # exp(R) - 1 is increasing, so the quantile maps through it; only the loss tail
            # enters the ES, where exp cannot overflow whatever the gains are.
            threshold = float(np.quantile(pooled, 1 - level))
            figures[f"var_{tag}"] = float(-np.expm1(threshold))
            figures[f"es_{tag}"] = float(-np.expm1(pooled[pooled <= threshold]).mean())
        else:
            figures[f"var_{tag}"] = value_at_risk(pooled, level)
            figures[f"es_{tag}"] = expected_shortfall(pooled, level)
    return figures


def _percent_tag(level: float) -> str:
    """The level in percent with as many decimals as it has: 0.99 -> "99", 0.975 -> "97.5"."""
    return np.format_float_positional(round(100 * level, 10), trim="-")


def kupiec_pof(exceedances: int, observations: int, level: float = 0.99) -> dict[str, float]:
    """Kupiec's (1995) proportion-of-failures test of a VaR's unconditional coverage.

    A VaR at ``level`` should be exceeded on a fraction p = 1 - level of days. With x
    exceedances in T days and the observed rate p_hat = x / T, the likelihood ratio

        LR = -2 log[(1 - p)^(T - x) p^x] + 2 log[(1 - p_hat)^(T - x) p_hat^x]

    is chi-squared with one degree of freedom under "the coverage is right" (0 log 0 = 0).
    Returns ``rate`` (p_hat), ``expected_rate`` (p), ``lr`` and ``p_value``
    (``scipy.stats.chi2.sf(lr, 1)``); a small p-value rejects the VaR's coverage.
    """
    if isinstance(exceedances, bool) or not isinstance(exceedances, (int, np.integer)):
        raise TypeError(f"exceedances must be an integer count, got {type(exceedances).__name__}")
    if isinstance(observations, bool) or not isinstance(observations, (int, np.integer)):
        raise TypeError(f"observations must be an integer count, got {type(observations).__name__}")
    if observations < 1:
        raise ValueError(f"observations must be >= 1, got {observations}")
    if not 0 <= exceedances <= observations:
        raise ValueError(f"exceedances must be in [0, observations={observations}], got {exceedances}")
    p = 1 - _level(level)
    x, t = int(exceedances), int(observations)
    rate = x / t
    null = special.xlogy(t - x, 1 - p) + special.xlogy(x, p)
    fitted = special.xlogy(t - x, 1 - rate) + special.xlogy(x, rate)
    lr = max(0.0, float(-2 * (null - fitted)))
    return {"rate": rate, "expected_rate": p, "lr": lr, "p_value": float(stats.chi2.sf(lr, 1))}


def var_backtest(realised: ArrayLike, var: float, level: float = 0.99, simple: bool = False) -> dict[str, float]:
    """Backtest of one VaR figure on realised daily log returns: :func:`kupiec_pof` of the
    days whose loss exceeds it, plus ``exceedances`` and ``days``.

    ``var``: a positive loss, in log-return units or, with ``simple``, as a fraction of
    the portfolio (as :func:`risk_measures` gives it). ``realised``: 1-D log returns of
    days the VaR was not fitted on.
    """
    values = finite_float64(realised, "realised", ndim=1)
    var = real_number(var, "var")
    losses = -np.expm1(values) if simple else -values
    exceedances = int(np.sum(losses > var))
    return {"exceedances": exceedances, "days": int(values.size), **kupiec_pof(exceedances, values.size, level)}


def risk_interval(
    returns: ArrayLike,
    measure: str = "var",
    level: float = 0.99,
    horizon: int = 1,
    simple: bool = False,
    num_resamples: int = 200,
    seed: int = 0,
    block_length: float = 20.0,
    coverage: float = 0.95,
) -> tuple[float, float]:
    """Percentile-bootstrap interval of a VaR or ES (``measure`` "var" or "es") from ``returns``.

    Several paths (paths, days): whole paths are resampled with replacement
    (``arch.bootstrap.IIDBootstrap``), so the interval says how much the figure
    depends on which scenarios were drawn. One series (days,): days are resampled
    in blocks of mean length ``block_length`` (``arch.bootstrap.StationaryBootstrap``,
    Politis & Romano 1994), which keeps the volatility clusters a VaR depends on.
    Units as :func:`risk_measures`.
    """
    from arch.bootstrap import IIDBootstrap, StationaryBootstrap

    from gan_lessons.returns.stylized_facts import as_paths

    if measure not in ("var", "es"):
        raise ValueError(f"measure must be 'var' or 'es', got {measure!r}")
    coverage = _level(coverage)
    num_resamples = positive_int(num_resamples, "num_resamples")
    paths = as_paths(returns, min_days=positive_int(horizon, "horizon"))
    key = f"{measure}_{_percent_tag(_level(level))}"

    def figure(sample: NDArray[np.float64]) -> float:
        return risk_measures(sample, levels=(level,), horizon=horizon, simple=simple)[key]

    if len(paths) > 1:
        bootstrap = IIDBootstrap(paths, seed=np.random.default_rng(seed))
        values = [figure(data[0][0]) for data in bootstrap.bootstrap(num_resamples)]
    else:
        bootstrap = StationaryBootstrap(positive_float(block_length, "block_length"), paths[0],
                                        seed=np.random.default_rng(seed))
        values = [figure(data[0][0]) for data in bootstrap.bootstrap(num_resamples)]
    low, high = np.quantile(values, [(1 - coverage) / 2, (1 + coverage) / 2])
    return float(low), float(high)
