"""Conditional sampling through GAN.sample (the fix for mixed tensor / NumPy inputs)."""

import numpy as np
import pytest

from gan_lessons import models, training


def _conditional_gan():
    generator = models.mlp_generator(4, 3, hidden_units=(8,), condition_dim=2)
    discriminator = models.mlp_discriminator(3, hidden_units=(8,), condition_dim=2)
    return training.GAN(generator, discriminator, seed=0)


def test_conditional_sample_returns_numpy_with_one_row_per_condition():
    gan = _conditional_gan()
    conditions = np.tile(np.eye(2, dtype=np.float32), (5, 1))
    samples = gan.sample(10, seed=3, conditions=conditions, batch_size=4)
    assert isinstance(samples, np.ndarray) and samples.shape == (10, 3)
    np.testing.assert_array_equal(samples, gan.sample(10, seed=3, conditions=conditions, batch_size=4))


def test_conditional_sample_needs_conditions_with_n_rows():
    gan = _conditional_gan()
    with pytest.raises(ValueError, match="this GAN is conditional: pass conditions with n rows"):
        gan.sample(3)
    with pytest.raises(ValueError, match="conditions must have n=3 rows, got 2"):
        gan.sample(3, conditions=np.eye(2))
