"""Classical generators of return paths, the yardsticks a return GAN is judged against.

* GARCH(1,1) with Student-t innovations (Bollerslev 1986, 1987), fitted and simulated
  with the ``arch`` package; with ``asymmetric=True`` the GJR-GARCH(1,1,1) of Glosten,
  Jagannathan & Runkle (1993), whose extra term lets falls raise volatility more
  than rises (the leverage effect).
* The i.i.d. bootstrap: days drawn with replacement from the real returns. It
  matches the histogram exactly and destroys every dependence between days, which
  is the point of showing it.

A module of its own (not ``metrics`` or ``data``) because these are models that
generate scenarios, the same role the GAN plays.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gan_lessons._checks import finite_float64, positive_int

# arch fits better on returns in percent (values near 1, not 0.01); the paths
# are divided back before they are returned.
_PERCENT = 100.0


def _garch_model(returns: ArrayLike, asymmetric: bool, seed: int | None) -> Any:
    from arch.univariate import GARCH, ConstantMean, StudentsT

    values = finite_float64(returns, "returns", ndim=1)
    if values.size < 100:
        raise ValueError(
            f"too few observations to fit a GARCH model: need at least 100 returns, got {values.size}"
        )
    return ConstantMean(
        _PERCENT * values,
        volatility=GARCH(p=1, o=int(bool(asymmetric)), q=1),
        distribution=StudentsT(seed=np.random.default_rng(seed)),
        rescale=False,
    )


def fit_garch_t(returns: ArrayLike, asymmetric: bool = False) -> Any:
    """Fit GARCH(1,1)-t (or GJR-GARCH(1,1,1)-t) by maximum likelihood with ``arch``.

    r_t = mu + sigma_t e_t,  e_t ~ standardised Student-t(nu),
    sigma_t^2 = omega + (alpha + gamma 1[r_{t-1} < mu]) (r_{t-1} - mu)^2 + beta sigma_{t-1}^2,
    with gamma = 0 unless ``asymmetric``. ``returns``: (days,) daily log returns,
    at least 100. Returns arch's ``ARCHModelResult`` for returns in percent
    (``.params``, ``.summary()``).
    """
    return _garch_model(returns, asymmetric, seed=None).fit(disp="off")


def garch_diagnostics(params: Any, asymmetric: bool | None = None) -> dict[str, float | bool]:
    """Stationarity, volatility half-life and the fourth-moment condition of a fitted GARCH-t.

    ``params``: the ``.params`` of :func:`fit_garch_t` (or the fit result itself), with
    ``alpha[1]``, ``beta[1]``, ``nu`` and, for GJR, ``gamma[1]``. With standardised
    innovations e_t of kurtosis kappa = E[e^4] = 3 (nu - 2) / (nu - 4) (infinite for
    nu <= 4) and a symmetric e_t (so E[1(e<0) e^2] = 1/2):

    * ``persistence`` = alpha + gamma / 2 + beta: sigma^2 mean-reverts at this rate per
      day; ``stationary`` is persistence < 1 (a finite unconditional variance
      omega / (1 - persistence), Bollerslev 1986);
    * ``half_life`` = log(1/2) / log(persistence) days: how long a shock to the variance
      takes to halve (infinite when not stationary);
    * ``fourth_moment`` = E[(beta + (alpha + gamma 1(e<0)) e^2)^2]
      = beta^2 + 2 beta (alpha + gamma/2) + kappa (alpha^2 + alpha gamma + gamma^2 / 2);
      ``finite_kurtosis`` is fourth_moment < 1, the condition for the returns to have a
      finite fourth moment (He & Teräsvirta 1999; for GARCH(1,1): beta^2 + 2 alpha beta
      + kappa alpha^2 < 1). When it fails, the model's kurtosis is infinite and the
      sample kurtosis of a simulated path never settles: it grows with the path length.
    """
    values = getattr(params, "params", params)
    try:
        alpha, beta, nu = float(values["alpha[1]"]), float(values["beta[1]"]), float(values["nu"])
    except (KeyError, TypeError, IndexError) as error:
        raise ValueError(
            "params must be the .params of fit_garch_t (with alpha[1], beta[1] and nu), "
            f"got {type(values).__name__}"
        ) from error
    gamma = float(values["gamma[1]"]) if "gamma[1]" in getattr(values, "index", ()) else 0.0
    if asymmetric is False:
        gamma = 0.0
    kappa = 3.0 * (nu - 2.0) / (nu - 4.0) if nu > 4 else float("inf")
    persistence = alpha + 0.5 * gamma + beta
    half_life = float(np.log(0.5) / np.log(persistence)) if 0 < persistence < 1 else float("inf")
    fourth = beta**2 + 2 * beta * (alpha + 0.5 * gamma) + kappa * (alpha**2 + alpha * gamma + 0.5 * gamma**2)
    return {
        "persistence": persistence,
        "stationary": bool(persistence < 1),
        "half_life": half_life,
        "innovation_kurtosis": kappa,
        "fourth_moment": float(fourth),
        "finite_kurtosis": bool(fourth < 1),
    }


def garch_start_variance(result: Any, start: int | None = None) -> float:
    """The fitted conditional variance (returns in percent, squared) that starts the paths.

    ``start=None``: the one-day-ahead forecast for the day after the last observation,
    omega + alpha (r_T - mu)^2 + beta sigma_T^2 (plus gamma's term for GJR), arch's
    ``forecast(horizon=1)``. ``start=k``: the fitted sigma_k^2 of the k-th observed day.
    """
    if start is None:
        return float(result.forecast(horizon=1, reindex=False).variance.to_numpy()[-1, 0])
    volatility = np.asarray(result.conditional_volatility, dtype=np.float64)
    if not isinstance(start, (int, np.integer)) or isinstance(start, bool) or not 0 <= start < volatility.size:
        raise ValueError(f"start must be None or a day index in [0, {volatility.size}), got {start!r}")
    return float(volatility[start] ** 2)


def garch_paths(
    returns: ArrayLike,
    num_paths: int,
    length: int,
    seed: int,
    asymmetric: bool = False,
    start: int | None = None,
) -> NDArray[np.float64]:
    """Paths simulated from GARCH(1,1)-t fitted to ``returns``, shape (num_paths, length).

    Fits :func:`fit_garch_t`, then simulates each path with ``arch``'s ``simulate``
    with no burn-in, its first day's variance set to the fitted conditional variance
    at a real date (:func:`garch_start_variance`): by default the day after the last
    of ``returns``, so that paths continue the observed series as a forecast would
    (fit on 1999-2014, simulate 2015 onwards); ``start=0`` starts from the fitted
    variance of the first observed day. Same units as ``returns``.
    """
    num_paths = positive_int(num_paths, "num_paths")
    length = positive_int(length, "length")
    model = _garch_model(returns, asymmetric, seed)
    result = model.fit(disp="off")
    variance = garch_start_variance(result, start)
    paths = [
        model.simulate(result.params, length, burn=0, initial_value_vol=variance)["data"].to_numpy()
        for _ in range(num_paths)
    ]
    return np.stack(paths) / _PERCENT


def bootstrap_paths(returns: ArrayLike, num_paths: int, length: int, seed: int) -> NDArray[np.float64]:
    """Paths of days drawn i.i.d. with replacement from ``returns``, shape (num_paths, length).

    Each simulated r_t is an independent draw from the empirical distribution of
    the real returns (Efron 1979): same histogram, no time structure.
    """
    values = finite_float64(returns, "returns", ndim=1)
    rng = np.random.default_rng(seed)
    picks = rng.integers(values.size, size=(positive_int(num_paths, "num_paths"), positive_int(length, "length")))
    return values[picks]
