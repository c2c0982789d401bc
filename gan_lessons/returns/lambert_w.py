"""The Lambert W x Gaussian transform (Goerg 2011, 2015): heavy tails in and out.

Lesson 06 makes standardised returns closer to Gaussian before training
(:class:`LambertWGaussianizer`) and maps generated values back through the inverse.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, special, stats

from gan_lessons._checks import finite_float64, non_negative_float, positive_int


def lambert_w_heavy_tail(u: ArrayLike, delta: float) -> NDArray[np.float64]:
    """Goerg's (2015) heavy-tail Lambert W transform y = u * exp(delta * u^2 / 2).

    Turns Gaussian u into a heavy-tailed y for delta > 0 (delta = 0: y = u). Used
    by Quant GANs (Wiese et al. 2020, section 6.1) to re-apply the tails of the
    returns to generated, light-tailed values. ``u``: any shape; delta >= 0.
    """
    delta = non_negative_float(delta, "delta")
    array = finite_float64(u, "u")
    return array * np.exp(0.5 * delta * array**2)


def inverse_lambert_w_heavy_tail(y: ArrayLike, delta: float) -> NDArray[np.float64]:
    """Inverse of :func:`lambert_w_heavy_tail`: u = sign(y) * sqrt(W_0(delta * y^2) / delta).

    W_0 is the principal branch of the Lambert W function (w e^w = x); Goerg
    (2015, eq. 9). Gaussianises heavy-tailed y. ``y``: any shape; delta >= 0.
    """
    delta = non_negative_float(delta, "delta")
    array = finite_float64(y, "y")
    if delta == 0:
        return array
    return np.sign(array) * np.sqrt(np.real(special.lambertw(delta * array**2)) / delta)


def fit_lambert_w_delta(standardized: ArrayLike, max_delta: float = 1.0) -> float:
    """The tail parameter delta whose inverse transform leaves zero excess kurtosis.

    The moment step of Goerg's (2011) IGMM: delta solves
    kurtosis(inverse_lambert_w_heavy_tail(z, delta)) = 3 for the given z (already
    centred and scaled), searched in [0, max_delta]. Returns 0 when z has no
    excess kurtosis. :func:`fit_lambert_w` wraps it in the scale iteration.
    """
    array = finite_float64(standardized, "standardized").ravel()
    if stats.kurtosis(array) <= 0:
        return 0.0

    def excess_kurtosis(delta: float) -> float:
        return float(stats.kurtosis(inverse_lambert_w_heavy_tail(array, delta)))

    if excess_kurtosis(max_delta) > 0:
        raise ValueError(
            f"tails too heavy for delta <= max_delta={max_delta}; pass a larger max_delta"
        )
    return float(optimize.brentq(excess_kurtosis, 0.0, max_delta, xtol=1e-8))


def fit_lambert_w(values: ArrayLike, tol: float = 1e-7, max_iter: int = 200) -> tuple[float, float, float]:
    """Location mu, scale sigma and tail delta of a Lambert W x Gaussian sample (IGMM).

    Model (Goerg 2011, eq. 2): y = mu + sigma * u * exp(delta * u^2 / 2), u ~ N(0, 1).
    Iterative generalised method of moments (Goerg 2011, section 4.2): with the
    current (mu, sigma), delta from :func:`fit_lambert_w_delta` on z = (y - mu) / sigma;
    back-transform x = mu + sigma * W_delta^{-1}(z); set (mu, sigma) to the mean and
    std of x; repeat until sigma changes by less than ``tol`` (relative).
    ``values``: 1-D, at least 10 values. Returns ``(mu, sigma, delta)``.
    """
    array = finite_float64(values, "values", ndim=1)
    if array.size < 10:
        raise ValueError(f"too few observations to fit the tails: need at least 10, got {array.size}")
    mu, sigma = float(np.median(array)), float(array.std())
    if sigma == 0:
        raise ValueError("values must not be constant (std 0)")
    delta = 0.0
    for _ in range(positive_int(max_iter, "max_iter")):
        delta = fit_lambert_w_delta((array - mu) / sigma)
        gaussian = mu + sigma * inverse_lambert_w_heavy_tail((array - mu) / sigma, delta)
        new_mu, new_sigma = float(gaussian.mean()), float(gaussian.std())
        converged = abs(new_sigma - sigma) <= tol * sigma
        mu, sigma = new_mu, new_sigma
        if converged:
            break
    return mu, sigma, delta


@dataclass(frozen=True)
class LambertWGaussianizer:
    """The Quant GAN preprocessing of returns (Wiese et al. 2020, section 6.1), fitted.

    transform:  r -> z = (r - mu) / sigma -> u = W_delta^{-1}(z) -> (u - u_mean) / u_std
    with (mu, sigma, delta) from :func:`fit_lambert_w`; ``inverse_transform``
    undoes each step in reverse order, so values drawn on the Gaussian-like scale
    come back as returns with the fitted heavy tails.
    """

    location: float
    scale: float
    delta: float
    gaussian_mean: float
    gaussian_std: float

    @classmethod
    def fit(cls, returns: ArrayLike) -> "LambertWGaussianizer":
        """Fit (mu, sigma, delta) by IGMM (:func:`fit_lambert_w`) and the final scale to 1-D returns."""
        location, scale, delta = fit_lambert_w(returns)
        gaussian = inverse_lambert_w_heavy_tail((finite_float64(returns, "returns") - location) / scale, delta)
        return cls(location, scale, delta, float(gaussian.mean()), float(gaussian.std()))

    def transform(self, returns: ArrayLike) -> NDArray[np.float64]:
        """Returns (any shape) to the Gaussian-like scale the generator learns."""
        standardized = (finite_float64(returns, "returns") - self.location) / self.scale
        gaussian = inverse_lambert_w_heavy_tail(standardized, self.delta)
        return (gaussian - self.gaussian_mean) / self.gaussian_std

    def inverse_transform(self, values: ArrayLike) -> NDArray[np.float64]:
        """Generated values (any shape) back to returns: the exact inverse of :meth:`transform`."""
        gaussian = finite_float64(values, "values") * self.gaussian_std + self.gaussian_mean
        return lambert_w_heavy_tail(gaussian, self.delta) * self.scale + self.location
