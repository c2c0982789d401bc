import numpy as np
import pytest

from gan_lessons import data, metrics


def test_real_ring_samples_score_perfectly():
    ring = data.ring_of_gaussians(8000, seed=0)
    stats = metrics.mode_statistics(ring.samples, ring.centers, ring.std)
    assert stats["modes_covered"] == 8
    # Within 3 std in 2-D: the chi distribution with 2 dof, P(r <= 3) = 1 - exp(-9/2).
    assert stats["high_quality_fraction"] == pytest.approx(1 - np.exp(-4.5), abs=0.005)
    assert stats["largest_mode_share"] == pytest.approx(1 / 8, abs=0.015)


def test_collapse_to_one_mode():
    ring = data.ring_of_gaussians(1000, seed=0)
    collapsed = np.repeat(ring.centers[:1], 500, axis=0)
    stats = metrics.mode_statistics(collapsed, ring.centers, ring.std)
    assert stats == {
        "modes_covered": 1, "num_modes": 8, "high_quality_fraction": 1.0,
        "largest_mode_share": 1.0, "mode_counts": [500, 0, 0, 0, 0, 0, 0, 0],
    }


def test_hand_worked_assignment_and_min_share():
    centers = np.array([[0.0, 0.0], [10.0, 0.0]])
    samples = np.array([[0.1, 0.0], [0.0, 0.2], [10.0, 0.35], [5.0, 5.0]])
    np.testing.assert_array_equal(metrics.assign_to_modes(samples, centers, std=0.1), [0, 0, -1, -1])
    stats = metrics.mode_statistics(samples, centers, std=0.1, min_share=0.25)
    assert stats["high_quality_fraction"] == 0.5
    assert stats["modes_covered"] == 1
    # No high-quality sample at all: the largest share is defined as 1, not NaN.
    assert metrics.mode_statistics(np.full((3, 2), 50.0), centers, 0.1)["largest_mode_share"] == 1.0


@pytest.mark.parametrize("samples, match", [
    (np.zeros((4, 3)), r"samples must have 2 features on its last axis, got shape \(4, 3\)"),
    (np.zeros(4), r"samples must have 2 dimensions, got shape \(4,\)"),
    (np.array([[np.nan, 0.0]]), "samples must be finite"),
])
def test_clear_errors(samples, match):
    centers = np.zeros((2, 2))
    with pytest.raises(ValueError, match=match):
        metrics.mode_statistics(samples, centers, std=0.1)
    with pytest.raises(ValueError, match="std must be a finite number > 0"):
        metrics.mode_statistics(np.zeros((2, 2)), centers, std=-1)
