"""Image checks, latent checks and the classifier-based image scores."""

import numpy as np
import pytest

from gan_lessons import images


@pytest.fixture(scope="module")
def quality():
    real_images, labels = images.load_digits(size=8)
    return images.ImageQuality(real_images, labels, seed=0, epochs=10)


def test_classifier_learns_the_digits(quality):
    assert quality.classifier_accuracy > 0.9


def test_real_images_score_near_the_floor(quality):
    # The floor compares the real holdout with the reference; a bootstrap resample of the
    # holdout (real images, each drawn with replacement) is what a generator that copies
    # the real distribution would give, and must score close to it.
    assert quality.floor["precision"] > 0.7 and quality.floor["recall"] > 0.7
    assert quality.floor["smallest_class_share"] > 0.07
    holdout = quality.images[quality.holdout_index]
    resample = holdout[np.random.default_rng(1).integers(0, len(holdout), len(holdout))]
    scores = quality.score(resample)
    assert scores["frechet_distance"] < 3 * quality.floor["frechet_distance"] + 0.5
    assert scores["precision"] > quality.floor["precision"] - 0.1


def test_noise_images_score_badly(quality):
    noise = np.random.default_rng(0).uniform(-1, 1, size=(quality.num_samples, 8, 8, 1))
    scores = quality.score(noise)
    assert scores["frechet_distance"] > 10 * max(quality.floor["frechet_distance"], 1e-3)
    assert scores["recall"] < 0.1


def test_single_class_is_seen_in_class_shares(quality):
    ones = quality.images[quality.labels == 1]
    shares = quality.class_shares(ones)
    assert shares[1] > 0.9 and shares.sum() == pytest.approx(1.0)


@pytest.mark.parametrize(
    "real_images, match",
    [
        (np.full((4, 8, 8, 1), 255.0), "expected images in \\[-1, 1\\], got values in \\[255, 255\\]"),
        (np.zeros((4, 8, 8)), "expected images of rank 4 \\(n, height, width, channels\\), got shape \\(4, 8, 8\\)"),
        (np.zeros((4, 8, 8, 3)), "expected images with channels \\(8, 8, 1\\), got images of shape \\(8, 8, 3\\)"),
        (np.zeros((4, 16, 16, 1)), "expected images with image shape \\(8, 8, 1\\), got images of shape \\(16, 16, 1\\)"),
    ],
)
def test_bad_images_are_rejected(quality, real_images, match):
    with pytest.raises(ValueError, match=match):
        quality.features(real_images)


def test_too_few_generated_images_are_rejected(quality):
    with pytest.raises(ValueError, match=f"expected at least {quality.num_samples} generated images"):
        quality.score(quality.images[:10])


def test_latent_size_must_match_generator():
    generator = images.dcgan_generator((8, 8, 1), 16, filters=8)
    assert images.check_latent(np.zeros((3, 16)), generator).shape == (3, 16)
    with pytest.raises(ValueError, match="expected z of shape \\(n, 16\\) for generator 'dcgan_generator', got shape \\(3, 8\\)"):
        images.check_latent(np.zeros((3, 8)), generator)


def test_interpolation_runs_from_start_to_end():
    path = images.interpolate_latents(np.zeros(4), np.ones(4), 5)
    np.testing.assert_allclose(path[:, 0], [0, 0.25, 0.5, 0.75, 1.0])
    with pytest.raises(ValueError, match="4 features on its last axis, got shape \\(3,\\)"):
        images.interpolate_latents(np.zeros(4), np.ones(3), 5)
