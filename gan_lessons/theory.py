"""Closed forms of the GAN game (Goodfellow et al. 2014, section 4), used in lesson 01.

All functions work on NumPy arrays. Distributions are either densities evaluated
on a grid (``optimal_discriminator``) or discrete probability vectors that sum to
one (``value_function``, ``jensen_shannon``, ``kl_divergence``,
``generator_criterion``, ``non_saturating_criterion``). Logarithms are natural, so
the minimum of C(G) is ``-log 4``. Ratios such as D* are taken in log space, so the
criteria stay finite when D* rounds to 0 or 1 in float64 (distributions far apart).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

_SUM_TOLERANCE = 1e-6


def _as_finite_nonnegative(values: ArrayLike, name: str) -> NDArray[np.float64]:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-D array, got shape {array.shape}"
        )
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got {np.sum(~np.isfinite(array))} NaN/inf values")
    if np.any(array < 0):
        raise ValueError(f"{name} must be non-negative, got minimum {array.min():.3g}")
    return array


def _as_distribution(values: ArrayLike, name: str) -> NDArray[np.float64]:
    array = _as_finite_nonnegative(values, name)
    total = array.sum()
    if abs(total - 1.0) > _SUM_TOLERANCE:
        raise ValueError(
            f"{name} must be a probability vector summing to 1, got sum {total:.6g}; "
            "normalise it first (for densities on a grid: p * dx / sum(p * dx))"
        )
    return array


def _same_shape(a: NDArray[np.float64], b: NDArray[np.float64], names: str) -> None:
    if a.shape != b.shape:
        raise ValueError(f"{names} must have the same shape, got {a.shape} and {b.shape}")


def optimal_discriminator(p_data: ArrayLike, p_model: ArrayLike) -> NDArray[np.float64]:
    """Optimal discriminator for a fixed generator (Goodfellow et al. 2014, Prop. 1).

    D*(x) = p_data(x) / (p_data(x) + p_g(x)), eq. (2) of lesson 01.

    ``p_data`` and ``p_model`` are densities (or probabilities) at the same points,
    1-D arrays of equal length, non-negative. D* is undefined where both are zero,
    so such points raise ``ValueError`` rather than returning NaN.
    """
    p_data_arr = _as_finite_nonnegative(p_data, "p_data")
    p_model_arr = _as_finite_nonnegative(p_model, "p_model")
    _same_shape(p_data_arr, p_model_arr, "p_data and p_model")
    total = p_data_arr + p_model_arr
    if np.any(total == 0):
        where = np.flatnonzero(total == 0)
        raise ValueError(
            "D* is undefined where p_data = p_model = 0; expected a positive sum at "
            f"every point, got zero at indices {where[:5].tolist()}"
            + (" ..." if where.size > 5 else "")
        )
    return p_data_arr / total


def value_function(
    p_data: ArrayLike, p_model: ArrayLike, discriminator: ArrayLike
) -> float:
    """The GAN value function on a discrete space (Goodfellow et al. 2014, eq. 1).

    V(D, G) = sum_x p_data(x) log D(x) + sum_x p_g(x) log(1 - D(x)).

    ``p_data``, ``p_model``: probability vectors (sum 1); ``discriminator``: D(x) in
    [0, 1] at the same points. Terms with zero probability count as 0 (0 log 0 = 0).
    """
    p = _as_distribution(p_data, "p_data")
    q = _as_distribution(p_model, "p_model")
    d = np.asarray(discriminator, dtype=np.float64)
    _same_shape(p, q, "p_data and p_model")
    _same_shape(p, d, "p_data and discriminator")
    if not np.all(np.isfinite(d)) or np.any((d < 0) | (d > 1)):
        raise ValueError(
            f"discriminator values must be probabilities in [0, 1], got range "
            f"[{np.nanmin(d):.3g}, {np.nanmax(d):.3g}]"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        real_term = np.where(p > 0, p * np.log(d), 0.0)
        fake_term = np.where(q > 0, q * np.log1p(-d), 0.0)
    return float(real_term.sum() + fake_term.sum())


def jensen_shannon(p: ArrayLike, q: ArrayLike) -> float:
    """Jensen-Shannon divergence of two discrete distributions, natural log.

    JSD(p || q) = 1/2 KL(p || m) + 1/2 KL(q || m) with m = (p + q) / 2. It lies in
    [0, log 2]: 0 for identical distributions, log 2 for disjoint supports.
    """
    p_arr = _as_distribution(p, "p")
    q_arr = _as_distribution(q, "q")
    _same_shape(p_arr, q_arr, "p and q")
    m = 0.5 * (p_arr + q_arr)

    def kl_to_m(a: NDArray[np.float64]) -> float:
        mask = a > 0
        return float(np.sum(a[mask] * np.log(a[mask] / m[mask])))

    return 0.5 * kl_to_m(p_arr) + 0.5 * kl_to_m(q_arr)


def _log(array: NDArray[np.float64]) -> NDArray[np.float64]:
    """Natural log with log 0 = -inf and no warning (callers mask the zeros)."""
    with np.errstate(divide="ignore"):
        return np.log(array)


def kl_divergence(p: ArrayLike, q: ArrayLike) -> float:
    """Kullback-Leibler divergence KL(p || q) = sum_x p(x) log(p(x) / q(x)), natural log.

    ``p``, ``q``: probability vectors on the same points. Terms with p(x) = 0 count
    as 0; the result is ``inf`` when p puts mass where q has none (KL is then
    infinite, not an error). Not symmetric: KL(p || q) punishes p for mass where q
    is small.
    """
    p_arr = _as_distribution(p, "p")
    q_arr = _as_distribution(q, "q")
    _same_shape(p_arr, q_arr, "p and q")
    mask = p_arr > 0
    if np.any(q_arr[mask] == 0):
        return float("inf")
    return float(np.sum(p_arr[mask] * (_log(p_arr[mask]) - _log(q_arr[mask]))))


def generator_criterion(p_data: ArrayLike, p_model: ArrayLike) -> float:
    """C(G) = max_D V(D, G) = -log 4 + 2 JSD(p_data || p_g) (Goodfellow et al. 2014, Thm. 1).

    Computed as V(D*, G) from the optimal discriminator, not from the JSD, so that
    comparing it with ``-log(4) + 2 * jensen_shannon(p, q)`` checks the theorem.
    log D* = log p - log(p + q) and log(1 - D*) = log q - log(p + q) are taken in log
    space (``np.logaddexp``), so the value is finite even where D* rounds to 1 or 0
    in float64; points where a distribution is 0 contribute nothing to its term.
    ``p_data``, ``p_model``: probability vectors on the same points.
    """
    p = _as_distribution(p_data, "p_data")
    q = _as_distribution(p_model, "p_model")
    _same_shape(p, q, "p_data and p_model")
    log_p, log_q = _log(p), _log(q)
    log_total = np.logaddexp(log_p, log_q)  # log(p + q); -inf only where both are 0
    real, fake = p > 0, q > 0
    real_term = np.sum(p[real] * (log_p[real] - log_total[real]))  # E_data[log D*]
    fake_term = np.sum(q[fake] * (log_q[fake] - log_total[fake]))  # E_g[log(1 - D*)]
    return float(real_term + fake_term)


def non_saturating_criterion(p_data: ArrayLike, p_model: ArrayLike) -> float:
    """KL(p_g || p_data) - 2 JSD(p_data || p_g): what the non-saturating generator
    descends against D* (Arjovsky & Bottou 2017, Thm. 2.5).

    With D* held fixed at the current generator, the gradient of the non-saturating
    loss E_{p_g}[-log D*(x)] with respect to the generator's parameters equals the
    gradient of this criterion (as the gradient of E_{p_g}[log(1 - D*)] equals that of
    C(G) = -log 4 + 2 JSD for the minimax loss). The equality is one of gradients, not
    of values: E_{p_g}[-log D*] itself equals this criterion + log 2 + KL(p_data || m),
    m = (p_data + p_g) / 2, which moves with p_g. It is 0 at p_g = p_data and ``inf``
    when p_g puts mass where p_data has none. ``p_data``, ``p_model``: probability
    vectors on the same points.
    """
    p = _as_distribution(p_data, "p_data")
    q = _as_distribution(p_model, "p_model")
    _same_shape(p, q, "p_data and p_model")
    return kl_divergence(q, p) - 2.0 * jensen_shannon(p, q)
