"""Toy mixtures and their mode statistics."""

import numpy as np
import pytest

from gan_lessons import toy


def test_ring_of_gaussians_shape_centres_and_spread():
    ring = toy.ring_of_gaussians(20000, seed=0)
    assert ring.samples.shape == (20000, 2) and ring.samples.dtype == np.float32
    assert ring.centers.shape == (8, 2)
    np.testing.assert_allclose(np.linalg.norm(ring.centers, axis=1), 2.0, rtol=1e-6)
    residuals = ring.samples - ring.centers[ring.labels]
    assert residuals.std() == pytest.approx(0.02, rel=0.05)
    assert np.bincount(ring.labels).min() > 20000 / 8 * 0.9


def test_grid_of_gaussians_has_25_centres_on_the_lattice():
    grid = toy.grid_of_gaussians(1000, seed=1)
    assert grid.centers.shape == (25, 2)
    assert sorted(set(grid.centers[:, 0].tolist())) == [-4.0, -2.0, 0.0, 2.0, 4.0]


def test_gaussian_1d_moments_and_seed():
    sample = toy.gaussian_1d(50000, mean=4.0, std=1.25, seed=0)
    assert sample.samples.shape == (50000, 1)
    assert sample.samples.mean() == pytest.approx(4.0, abs=0.03)
    assert sample.samples.std() == pytest.approx(1.25, rel=0.02)
    np.testing.assert_array_equal(sample.samples, toy.gaussian_1d(50000, mean=4.0, std=1.25, seed=0).samples)
    assert not np.array_equal(sample.samples, toy.gaussian_1d(50000, mean=4.0, std=1.25, seed=1).samples)


@pytest.mark.parametrize("call, error, match", [
    (lambda: toy.ring_of_gaussians(0), ValueError, "n must be >= 1, got 0"),
    (lambda: toy.ring_of_gaussians(10, std=0.0), ValueError, "std must be a finite number > 0, got 0.0"),
    (lambda: toy.ring_of_gaussians(10, radius=np.nan), ValueError, "radius must be a finite number > 0"),
    (lambda: toy.gaussian_mixture(10, np.zeros(3), 1.0, seed=0), ValueError, r"centers must have shape \(num_modes, dim\), got \(3,\)"),
    (lambda: toy.grid_of_gaussians(10, size=2.5), TypeError, "size must be an int"),
])
def test_mixtures_refuse_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_real_ring_samples_score_perfectly():
    ring = toy.ring_of_gaussians(8000, seed=0)
    stats = toy.mode_statistics(ring.samples, ring.centers, ring.std)
    assert stats["modes_covered"] == 8
    # Within 3 std in 2-D: the chi distribution with 2 dof, P(r <= 3) = 1 - exp(-9/2).
    assert stats["high_quality_fraction"] == pytest.approx(1 - np.exp(-4.5), abs=0.005)
    assert stats["largest_mode_share"] == pytest.approx(1 / 8, abs=0.015)


def test_collapse_to_one_mode():
    ring = toy.ring_of_gaussians(1000, seed=0)
    collapsed = np.repeat(ring.centers[:1], 500, axis=0)
    stats = toy.mode_statistics(collapsed, ring.centers, ring.std)
    assert stats == {
        "modes_covered": 1, "num_modes": 8, "high_quality_fraction": 1.0,
        "largest_mode_share": 1.0, "mode_counts": [500, 0, 0, 0, 0, 0, 0, 0],
    }


def test_hand_worked_assignment_and_min_share():
    centers = np.array([[0.0, 0.0], [10.0, 0.0]])
    samples = np.array([[0.1, 0.0], [0.0, 0.2], [10.0, 0.35], [5.0, 5.0]])
    np.testing.assert_array_equal(toy.assign_to_modes(samples, centers, std=0.1), [0, 0, -1, -1])
    stats = toy.mode_statistics(samples, centers, std=0.1, min_share=0.25)
    assert stats["high_quality_fraction"] == 0.5
    assert stats["modes_covered"] == 1
    # No high-quality sample at all: the largest share is defined as 1, not NaN.
    assert toy.mode_statistics(np.full((3, 2), 50.0), centers, 0.1)["largest_mode_share"] == 1.0


@pytest.mark.parametrize("samples, match", [
    (np.zeros((4, 3)), r"samples must have 2 features on its last axis, got shape \(4, 3\)"),
    (np.zeros(4), r"samples must have 2 dimensions, got shape \(4,\)"),
    (np.array([[np.nan, 0.0]]), "samples must be finite"),
])
def test_mode_statistics_refuses_bad_samples(samples, match):
    centers = np.zeros((2, 2))
    with pytest.raises(ValueError, match=match):
        toy.mode_statistics(samples, centers, std=0.1)
    with pytest.raises(ValueError, match="std must be a finite number > 0"):
        toy.mode_statistics(np.zeros((2, 2)), centers, std=-1)
