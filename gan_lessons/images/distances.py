"""Distances between two sets of feature vectors: Frechet distance, precision/recall, MMD.

They work on any features; :class:`gan_lessons.images.ImageQuality` feeds them the
penultimate features of a classifier trained on the real images.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gan_lessons._checks import finite_array, positive_int


def _two_feature_sets(
    real_features: ArrayLike, fake_features: ArrayLike, min_rows: int = 2
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    real = finite_array(real_features, "real_features", ndim=2).astype(np.float64)
    fake = finite_array(fake_features, "fake_features", ndim=2, last_dim=real.shape[1]).astype(np.float64)
    for name, array in (("real_features", real), ("fake_features", fake)):
        if len(array) < min_rows:
            raise ValueError(f"{name} must have at least {min_rows} rows, got {len(array)}")
    return real, fake


def _psd_sqrt(matrix: NDArray[np.float64]) -> NDArray[np.float64]:
    from scipy import linalg

    values, vectors = linalg.eigh((matrix + matrix.T) / 2)
    return (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T


def _check_covariance(cov: NDArray[np.float64], name: str) -> None:
    """``ValueError`` unless ``cov`` is symmetric positive semi-definite up to round-off
    (relative 1e-6 of its largest entry: the float32 round-off of a covariance of features)."""
    scale = max(float(np.abs(cov).max()), np.finfo(np.float64).tiny)
    asymmetry = float(np.abs(cov - cov.T).max())
    if asymmetry > 1e-6 * scale:
        raise ValueError(f"{name} must be a symmetric matrix (a covariance), got entries differing from their "
                         f"transpose by up to {asymmetry:.3g}")
    smallest = float(np.linalg.eigvalsh((cov + cov.T) / 2).min())
    if smallest < -1e-6 * scale:
        raise ValueError(f"{name} must be positive semi-definite (a covariance), got an eigenvalue of {smallest:.3g}")


def frechet_distance_gaussians(
    mean_a: ArrayLike, cov_a: ArrayLike, mean_b: ArrayLike, cov_b: ArrayLike
) -> float:
    """Fréchet (2-Wasserstein squared) distance of two Gaussians (Dowson & Landau 1982).

    d^2 = ||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2)); means (dim,),
    covariances (dim, dim) symmetric positive semi-definite.
    """
    from scipy import linalg

    mean_a = finite_array(mean_a, "mean_a", ndim=1).astype(np.float64)
    mean_b = finite_array(mean_b, "mean_b", ndim=1, last_dim=len(mean_a)).astype(np.float64)
    cov_a = finite_array(cov_a, "cov_a", ndim=2).astype(np.float64)
    cov_b = finite_array(cov_b, "cov_b", ndim=2).astype(np.float64)
    for name, cov in (("cov_a", cov_a), ("cov_b", cov_b)):
        if cov.shape != (len(mean_a), len(mean_a)):
            raise ValueError(f"{name} must have shape {(len(mean_a), len(mean_a))}, got {cov.shape}")
        _check_covariance(cov, name)
    # Tr((S_a S_b)^(1/2)) = Tr((S_a^(1/2) S_b S_a^(1/2))^(1/2)), and the matrix on
    # the right is symmetric positive semi-definite, so its eigenvalues are real and
    # >= 0 up to round-off. This stays accurate when a covariance is singular (e.g.
    # a ReLU feature that is always 0), where scipy.linalg.sqrtm(S_a @ S_b) is not.
    sqrt_a = _psd_sqrt(cov_a)
    middle = sqrt_a @ cov_b @ sqrt_a
    trace_covmean = np.sum(np.sqrt(np.clip(linalg.eigvalsh((middle + middle.T) / 2), 0.0, None)))
    distance = np.sum((mean_a - mean_b) ** 2) + np.trace(cov_a) + np.trace(cov_b) - 2.0 * trace_covmean
    return float(max(distance, 0.0))


def frechet_distance(real_features: ArrayLike, fake_features: ArrayLike) -> float:
    """Fréchet distance between Gaussians fitted to two feature sets (Heusel et al. 2017, eq. 6).

    The FID recipe with any feature extractor: fit a mean and covariance to each
    set, (n_real, dim) and (n_fake, dim), and apply :func:`frechet_distance_gaussians`.
    The estimate is biased upwards for finite n, so compare it with the distance
    between two real sets of the same size (the floor).
    """
    real, fake = _two_feature_sets(real_features, fake_features)
    return frechet_distance_gaussians(
        real.mean(axis=0), np.cov(real, rowvar=False).reshape(real.shape[1], -1),
        fake.mean(axis=0), np.cov(fake, rowvar=False).reshape(fake.shape[1], -1),
    )


def _kth_neighbour_radii(features: NDArray[np.float64], k: int) -> NDArray[np.float64]:
    from scipy.spatial.distance import cdist

    distances = cdist(features, features)
    # Column 0 of each sorted row is the point itself (distance 0), so the k-th
    # neighbour is column k.
    return np.sort(distances, axis=1)[:, k]


def precision_recall(real_features: ArrayLike, fake_features: ArrayLike, k: int = 3) -> dict[str, float]:
    """Improved precision and recall for generative models (Kynkäänniemi et al. 2019, eqs. 1-3).

    Each set's manifold is the union of balls around its points, with radius the
    distance to the point's k-th nearest neighbour in its own set. precision = share
    of fake points inside the real manifold (quality); recall = share of real points
    inside the fake manifold (coverage). Features (n_real, dim), (n_fake, dim).
    """
    from scipy.spatial.distance import cdist

    k = positive_int(k, "k")
    real, fake = _two_feature_sets(real_features, fake_features, min_rows=k + 1)
    real_radii = _kth_neighbour_radii(real, k)
    fake_radii = _kth_neighbour_radii(fake, k)
    cross = cdist(fake, real)  # (n_fake, n_real)
    precision = np.mean(np.any(cross <= real_radii[None, :], axis=1))
    recall = np.mean(np.any(cross.T <= fake_radii[None, :], axis=1))
    return {"precision": float(precision), "recall": float(recall)}


def median_bandwidth(features: ArrayLike) -> float:
    """Median of the pairwise Euclidean distances within one set (the median heuristic,
    Gretton et al. 2012, section 8). ``features``: (n, dim), n >= 2."""
    from scipy.spatial.distance import pdist

    array = finite_array(features, "features", ndim=2).astype(np.float64)
    if len(array) < 2:
        raise ValueError(f"features must have at least 2 rows, got {len(array)}")
    bandwidth = float(np.median(pdist(array)))
    if bandwidth <= 0:
        raise ValueError("features must not all be identical (median pairwise distance is 0)")
    return bandwidth


def maximum_mean_discrepancy(
    real_features: ArrayLike, fake_features: ArrayLike, bandwidth: float | None = None
) -> float:
    """Unbiased squared MMD with a Gaussian kernel (Gretton et al. 2012, eq. 3).

    MMD^2 = E[k(x, x')] + E[k(y, y')] - 2 E[k(x, y)], k(x, y) = exp(-||x - y||^2 / (2 h^2)),
    diagonal terms left out of the within-set means. ``bandwidth`` h defaults to
    :func:`median_bandwidth` of the real features, so two calls against the same
    real set use the same kernel. Can be slightly negative when the sets match.
    """
    from scipy.spatial.distance import cdist

    real, fake = _two_feature_sets(real_features, fake_features)
    h = median_bandwidth(real) if bandwidth is None else float(bandwidth)
    if not np.isfinite(h) or h <= 0:
        raise ValueError(f"bandwidth must be a finite number > 0, got {bandwidth}")

    def kernel(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.exp(-cdist(a, b, "sqeuclidean") / (2.0 * h * h))

    def within(a: NDArray[np.float64]) -> float:
        values = kernel(a, a)
        return float((values.sum() - np.trace(values)) / (len(a) * (len(a) - 1)))

    return within(real) + within(fake) - 2.0 * float(kernel(real, fake).mean())
