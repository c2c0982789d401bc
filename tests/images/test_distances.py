"""Fréchet distance, precision/recall and MMD on cases with known answers."""

import numpy as np
import pytest

from gan_lessons import images


def test_frechet_distance_of_identical_sets_is_zero():
    features = np.random.default_rng(0).normal(size=(500, 6))
    assert images.frechet_distance(features, features) == pytest.approx(0.0, abs=1e-6)


def test_frechet_distance_of_gaussians_matches_closed_form():
    # Diagonal covariances commute, so d^2 = |m_a - m_b|^2 + sum (sqrt(s_a) - sqrt(s_b))^2.
    mean_a, mean_b = np.array([0.0, 1.0, -2.0]), np.array([1.0, 1.0, 0.0])
    var_a, var_b = np.array([1.0, 4.0, 0.25]), np.array([9.0, 1.0, 0.25])
    expected = np.sum((mean_a - mean_b) ** 2) + np.sum((np.sqrt(var_a) - np.sqrt(var_b)) ** 2)
    exact = images.frechet_distance_gaussians(mean_a, np.diag(var_a), mean_b, np.diag(var_b))
    assert exact == pytest.approx(expected, rel=1e-9)
    rng = np.random.default_rng(1)
    sample_a = mean_a + np.sqrt(var_a) * rng.standard_normal((200_000, 3))
    sample_b = mean_b + np.sqrt(var_b) * rng.standard_normal((200_000, 3))
    assert images.frechet_distance(sample_a, sample_b) == pytest.approx(expected, rel=0.02)


def test_frechet_distance_with_full_covariances_matches_scalar_case():
    # In 1-D the formula reduces to (m_a - m_b)^2 + (s_a - s_b)^2.
    assert images.frechet_distance_gaussians([2.0], [[4.0]], [0.0], [[1.0]]) == pytest.approx(4.0 + 1.0)


def test_frechet_distance_accepts_a_singular_covariance_with_round_off():
    # Features that are always equal give a rank-1 covariance whose float32 eigenvalues
    # may come out a hair below zero: still a covariance.
    features = np.random.default_rng(0).normal(size=(500, 1)).astype(np.float32) * [[1.0, 1.0, 1.0]]
    assert images.frechet_distance(features, features) == pytest.approx(0.0, abs=1e-6)


def test_precision_recall_of_identical_sets_is_one():
    features = np.random.default_rng(0).normal(size=(300, 4))
    result = images.precision_recall(features, features, k=3)
    assert result == {"precision": 1.0, "recall": 1.0}


def test_precision_recall_of_disjoint_sets_is_zero():
    rng = np.random.default_rng(0)
    real, fake = rng.normal(size=(300, 4)), rng.normal(size=(300, 4)) + 100.0
    assert images.precision_recall(real, fake, k=3) == {"precision": 0.0, "recall": 0.0}


def test_precision_recall_see_a_dropped_mode_as_lost_recall_only():
    rng = np.random.default_rng(0)
    real = np.concatenate([rng.normal(size=(400, 2)), rng.normal(size=(400, 2)) + 50.0])
    fake = rng.normal(size=(400, 2))  # only the first of the two real clusters
    result = images.precision_recall(real, fake, k=3)
    assert result["precision"] > 0.9
    assert 0.4 < result["recall"] < 0.55


def test_mmd_is_near_zero_for_same_distribution_and_large_for_shifted():
    rng = np.random.default_rng(0)
    real = rng.normal(size=(400, 3))
    same = images.maximum_mean_discrepancy(real, rng.normal(size=(400, 3)))
    shifted = images.maximum_mean_discrepancy(real, rng.normal(size=(400, 3)) + 2.0)
    assert abs(same) < 0.01
    assert shifted > 0.2


def test_mmd_matches_a_direct_double_loop():
    rng = np.random.default_rng(0)
    x, y, h = rng.normal(size=(6, 2)), rng.normal(size=(5, 2)), 1.3

    def k(a, b):
        return np.exp(-np.sum((a - b) ** 2) / (2 * h * h))

    xx = np.mean([k(x[i], x[j]) for i in range(6) for j in range(6) if i != j])
    yy = np.mean([k(y[i], y[j]) for i in range(5) for j in range(5) if i != j])
    xy = np.mean([k(a, b) for a in x for b in y])
    assert images.maximum_mean_discrepancy(x, y, bandwidth=h) == pytest.approx(xx + yy - 2 * xy)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: images.frechet_distance(np.zeros((5, 3)), np.zeros((5, 4))), "4 features on its last axis, got shape \\(5, 3\\)|3 features on its last axis, got shape \\(5, 4\\)"),
        (lambda: images.frechet_distance(np.zeros(5), np.zeros(5)), "must have 2 dimensions, got shape \\(5,\\)"),
        (lambda: images.precision_recall(np.zeros((3, 2)), np.zeros((3, 2)), k=3), "at least 4 rows, got 3"),
        (lambda: images.maximum_mean_discrepancy(np.ones((5, 2)), np.ones((5, 2)) + [[np.nan, 0]]), "must be finite"),
        (lambda: images.maximum_mean_discrepancy(np.ones((5, 2)), np.ones((5, 2)), bandwidth=-1.0), "bandwidth must be a finite number > 0, got -1.0"),
        (lambda: images.frechet_distance_gaussians([0.0, 0.0], np.eye(3), [0.0, 0.0], np.eye(2)), "cov_a must have shape \\(2, 2\\), got \\(3, 3\\)"),
        (lambda: images.frechet_distance_gaussians([0.0, 0.0], -np.eye(2), [0.0, 0.0], np.eye(2)),
         "cov_a must be positive semi-definite \\(a covariance\\), got an eigenvalue of -1"),
        (lambda: images.frechet_distance_gaussians([0.0, 0.0], np.eye(2), [0.0, 0.0], [[1.0, 0.5], [0.0, 1.0]]),
         "cov_b must be a symmetric matrix \\(a covariance\\), got entries differing from their transpose by up to 0.5"),
    ],
)
def test_bad_inputs_are_rejected(call, match):
    with pytest.raises(ValueError, match=match):
        call()
