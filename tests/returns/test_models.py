"""Temporal-convolution generator and discriminator, and the SequenceGAN around them."""

import numpy as np
import pytest

from gan_lessons import models, returns, training


def test_receptive_field():
    assert returns.tcn_receptive_field((1, 2, 4, 8, 16, 32), kernel_size=2) == 64
    assert returns.tcn_receptive_field((1, 2), kernel_size=3) == 7


@pytest.mark.parametrize("length", [1, 7, 100, 1000])
def test_generator_produces_any_length(length):
    generator = returns.tcn_generator(noise_channels=2, hidden_channels=8, dilations=(1, 2, 4))
    receptive_field = returns.tcn_receptive_field((1, 2, 4))
    noise = np.random.default_rng(0).standard_normal((3, length + receptive_field, 2)).astype("float32")
    assert generator(noise).shape == (3, length, 1)


def test_generator_is_causal_in_its_noise():
    generator = returns.tcn_generator(noise_channels=1, hidden_channels=8, dilations=(1, 2))
    noise = np.random.default_rng(1).standard_normal((1, 50, 1)).astype("float32")
    changed = noise.copy()
    changed[0, 30, 0] += 5.0
    before, after = np.asarray(generator(noise)), np.asarray(generator(changed))
    # Output j reads noise up to position j + RF (RF = 4): outputs before 26 are untouched.
    np.testing.assert_array_equal(before[0, :26], after[0, :26])
    assert not np.allclose(before[0, 26:], after[0, 26:])


def test_discriminator_scores_windows():
    discriminator = returns.tcn_discriminator(hidden_channels=8, dilations=(1, 2, 4))
    assert discriminator(np.zeros((5, 64, 1), "float32")).shape == (5, 1)


def test_tcn_builders_reject_bad_arguments():
    with pytest.raises(ValueError, match="dilations must name at least one layer"):
        returns.tcn_generator(dilations=())
    with pytest.raises(ValueError, match="each entry of dilations must be >= 1, got 0"):
        returns.tcn_discriminator(dilations=(1, 0))


@pytest.fixture()
def sequence_gan():
    generator = returns.tcn_generator(noise_channels=2, hidden_channels=8, dilations=(1, 2, 4))
    discriminator = returns.tcn_discriminator(hidden_channels=8, dilations=(1, 2))
    padding = returns.tcn_receptive_field((1, 2, 4))
    return returns.SequenceGAN(generator, discriminator, window_length=16, noise_padding=padding, seed=0)


def test_sequence_gan_noise_follows_the_length(sequence_gan):
    assert sequence_gan.noise_padding == 8
    assert tuple(sequence_gan.noise(4).shape) == (4, 24, 2)
    assert tuple(sequence_gan.noise(2, length=100).shape) == (2, 108, 2)


def test_sequence_gan_trains_and_samples_any_length(sequence_gan):
    windows = np.random.default_rng(0).standard_normal((64, 16, 1)).astype("float32")
    sequence_gan.compile()
    sequence_gan.fit(training.make_dataset(windows, 8, seed=0), epochs=1, steps_per_epoch=3, verbose=0)
    assert len(sequence_gan.loss_history["d_loss"]) == 3
    assert np.isfinite(sequence_gan.loss_history["g_loss"]).all()
    paths = sequence_gan.sample(3, length=500, seed=7)
    assert paths.shape == (3, 500, 1)
    np.testing.assert_array_equal(paths, sequence_gan.sample(3, length=500, seed=7))
    assert sequence_gan.sample(2).shape == (2, 16, 1)


def test_sequence_gan_samples_long_paths_in_batches_that_do_not_change_them(sequence_gan):
    # 5 paths of 4,000 days hold about 20,000 noise steps: more than one default batch.
    assert sequence_gan.SAMPLE_STEPS_PER_BATCH // (4000 + sequence_gan.noise_padding) == 4
    by_default = sequence_gan.sample(5, length=4000, seed=3)
    for batch_size in (1, 2, 5):
        np.testing.assert_allclose(sequence_gan.sample(5, length=4000, seed=3, batch_size=batch_size), by_default,
                                   rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="batch_size must be >= 1, got 0"):
        sequence_gan.sample(2, batch_size=0)


def test_sequence_gan_rejects_bad_input(sequence_gan):
    with pytest.raises(ValueError, match="length must be >= 1, got 0"):
        sequence_gan.noise(2, length=0)
    with pytest.raises(TypeError, match="conditions"):
        sequence_gan.sample(2, conditions=np.ones((2, 1)))
    flat = models.mlp_generator(4, 16)
    with pytest.raises(ValueError, match=r"noise of shape \(batch, time, channels\)"):
        returns.SequenceGAN(flat, returns.tcn_discriminator(), window_length=16, noise_padding=0)


def test_sequence_gan_refuses_a_wrong_padding_and_a_window_shorter_than_the_discriminator_sees():
    generator = returns.tcn_generator(noise_channels=2, hidden_channels=8, dilations=(1, 2, 4))
    discriminator = returns.tcn_discriminator(hidden_channels=8, dilations=(1, 2, 4, 8))  # receptive field 16
    with pytest.raises(ValueError, match="into 19 outputs, expected window_length = 24; noise_padding must be its "
                                         "receptive field, 8 for this generator"):
        returns.SequenceGAN(generator, discriminator, window_length=24, noise_padding=3)
    with pytest.raises(ValueError, match="cannot read windows of window_length = 4 steps"):
        returns.SequenceGAN(generator, discriminator, window_length=4, noise_padding=8)
    returns.SequenceGAN(generator, discriminator, window_length=16, noise_padding=8)  # the smallest window that fits


def test_sequence_gan_samples_truncated_noise(sequence_gan):
    z = np.asarray(sequence_gan.noise(3, seed=1, length=10, truncation=0.5))
    assert z.shape == (3, 18, 2) and np.abs(z).max() <= 0.5
