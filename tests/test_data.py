import numpy as np
import pytest

from gan_lessons import data


def test_ring_of_gaussians_shape_centres_and_spread():
    ring = data.ring_of_gaussians(20000, seed=0)
    assert ring.samples.shape == (20000, 2) and ring.samples.dtype == np.float32
    assert ring.centers.shape == (8, 2)
    np.testing.assert_allclose(np.linalg.norm(ring.centers, axis=1), 2.0, rtol=1e-6)
    residuals = ring.samples - ring.centers[ring.labels]
    assert residuals.std() == pytest.approx(0.02, rel=0.05)
    assert np.bincount(ring.labels).min() > 20000 / 8 * 0.9


def test_grid_of_gaussians_has_25_centres_on_the_lattice():
    grid = data.grid_of_gaussians(1000, seed=1)
    assert grid.centers.shape == (25, 2)
    assert sorted(set(grid.centers[:, 0].tolist())) == [-4.0, -2.0, 0.0, 2.0, 4.0]


def test_gaussian_1d_moments_and_seed():
    sample = data.gaussian_1d(50000, mean=4.0, std=1.25, seed=0)
    assert sample.samples.shape == (50000, 1)
    assert sample.samples.mean() == pytest.approx(4.0, abs=0.03)
    assert sample.samples.std() == pytest.approx(1.25, rel=0.02)
    np.testing.assert_array_equal(sample.samples, data.gaussian_1d(50000, mean=4.0, std=1.25, seed=0).samples)
    assert not np.array_equal(sample.samples, data.gaussian_1d(50000, mean=4.0, std=1.25, seed=1).samples)


@pytest.mark.parametrize("call, error, match", [
    (lambda: data.ring_of_gaussians(0), ValueError, "n must be >= 1, got 0"),
    (lambda: data.ring_of_gaussians(10, std=0.0), ValueError, "std must be a finite number > 0, got 0.0"),
    (lambda: data.ring_of_gaussians(10, radius=np.nan), ValueError, "radius must be a finite number > 0"),
    (lambda: data.gaussian_mixture(10, np.zeros(3), 1.0, seed=0), ValueError, r"centers must have shape \(num_modes, dim\), got \(3,\)"),
    (lambda: data.grid_of_gaussians(10, size=2.5), TypeError, "size must be an int"),
])
def test_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
