"""GAN.restart_from: one compiled GAN trained on several seeds gives each seed's numbers.

The comparisons run twice on one machine in one process, so they could be exact; a
tolerance is used all the same, far below the difference another seed makes.
"""

import keras
import numpy as np
import pytest

from gan_lessons import config, models, returns, training

X = np.random.default_rng(0).normal(size=(256, 2)).astype(np.float32)


def build(seed, jit_compile=False, hidden=16, d_steps=1, g_rate=1e-3):
    config.set_seed(seed)
    gan = training.GAN(models.mlp_generator(4, 2, (hidden,)), models.mlp_discriminator(2, (hidden,)),
                       d_steps=d_steps, ema_decay=0.9, seed=seed)
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
                g_optimizer=keras.optimizers.Adam(g_rate, beta_1=0.5, use_ema=True, ema_momentum=0.9),
                jit_compile=jit_compile)
    return gan


def train(gan, seed):
    gan.fit(training.make_dataset(X, 32, seed=seed), epochs=2, steps_per_epoch=5, verbose=0)
    return gan


def close(a, b):
    np.testing.assert_allclose(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("jit_compile", [False, True])
def test_a_restarted_gan_trains_as_a_new_gan_of_that_seed_would(jit_compile):
    expected = train(build(1, jit_compile), 1)
    gan = train(build(0, jit_compile), 0)
    compiled_step = gan.train_function
    other_seed_losses = list(gan.loss_history["d_loss"])
    assert gan.restart_from(build(1, jit_compile)) is gan
    assert gan.loss_history == {"d_loss": [], "g_loss": []} and int(gan.steps_trained) == 0
    assert int(gan.d_optimizer.iterations) == 0 and int(gan.g_optimizer.iterations) == 0
    train(gan, 1)
    assert gan.train_function is compiled_step  # nothing was compiled again
    close(gan.loss_history["d_loss"], expected.loss_history["d_loss"])
    close(gan.loss_history["g_loss"], expected.loss_history["g_loss"])
    assert not np.allclose(other_seed_losses, expected.loss_history["d_loss"])  # the seed matters
    for mine, theirs in zip(gan.get_weights(), expected.get_weights()):  # G, D, the weight average, RNG states
        close(mine, theirs)
    for role in ("d_optimizer", "g_optimizer"):  # moments, Adam's weight average, step counts
        for mine, theirs in zip(getattr(gan, role).variables, getattr(expected, role).variables):
            close(mine.numpy(), theirs.numpy())
    close(gan.sample(8), expected.sample(8))  # the noise stream continues where it would
    assert gan.get_config()["seed"] == 1


def test_restart_from_refuses_a_gan_it_cannot_take_the_state_of():
    gan = build(0)
    with pytest.raises(TypeError, match="fresh must be a GAN, got Sequential"):
        gan.restart_from(keras.Sequential())
    config.set_seed(0)
    generator = returns.tcn_generator(noise_channels=2, hidden_channels=4, dilations=(1, 2))
    sequence_gan = returns.SequenceGAN(generator, returns.tcn_discriminator(hidden_channels=4, dilations=(1, 2)),
                                       window_length=8, noise_padding=returns.tcn_receptive_field((1, 2)))
    sequence_gan.compile()
    with pytest.raises(TypeError, match="both GANs must be of one class, got GAN and SequenceGAN"):
        gan.restart_from(sequence_gan)
    with pytest.raises(ValueError, match="differ in their arguments.*'d_steps': 1.*'d_steps': 2"):
        gan.restart_from(build(1, d_steps=2))
    with pytest.raises(ValueError, match="differ in their compile settings"):
        gan.restart_from(build(1, g_rate=5e-4))
    with pytest.raises(ValueError, match="differ in their compile settings"):
        gan.restart_from(build(1, jit_compile=True))
    with pytest.raises(ValueError, match=r"model variables differ: this GAN has 14 of shapes .*\(4, 16\).*\(4, 8\)"):
        gan.restart_from(build(1, hidden=8))
    config.set_seed(1)
    uncompiled = training.GAN(models.mlp_generator(4, 2, (16,)), models.mlp_discriminator(2, (16,)), ema_decay=0.9)
    with pytest.raises(ValueError, match="both GANs must be compiled"):
        gan.restart_from(uncompiled)
    train(gan, 0)  # a refused restart changed nothing
    assert int(gan.steps_trained) == 10


def test_xla_is_on_by_default_for_the_sequence_gan_only():
    config.set_seed(0)
    generator = returns.tcn_generator(noise_channels=2, hidden_channels=4, dilations=(1, 2))
    sequence_gan = returns.SequenceGAN(generator, returns.tcn_discriminator(hidden_channels=4, dilations=(1, 2)),
                                       window_length=8, noise_padding=returns.tcn_receptive_field((1, 2)))
    sequence_gan.compile()
    assert sequence_gan.jit_compile is True
    sequence_gan.compile(jit_compile=False)
    assert sequence_gan.jit_compile is False
    assert build(0).jit_compile is False
