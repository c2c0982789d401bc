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


def garch_paths(
    returns: ArrayLike,
    num_paths: int,
    length: int,
    seed: int,
    asymmetric: bool = False,
    burn: int = 500,
) -> NDArray[np.float64]:
    """Paths simulated from GARCH(1,1)-t fitted to ``returns``, shape (num_paths, length).

    Fits :func:`fit_garch_t`, then simulates each path with ``arch``'s
    ``simulate`` after ``burn`` discarded days (so each path starts from the
    stationary distribution, not from a chosen volatility). Same units as ``returns``.
    """
    num_paths = positive_int(num_paths, "num_paths")
    length = positive_int(length, "length")
    burn = positive_int(burn, "burn")
    model = _garch_model(returns, asymmetric, seed)
    params = model.fit(disp="off").params
    paths = [model.simulate(params, length, burn=burn)["data"].to_numpy() for _ in range(num_paths)]
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
