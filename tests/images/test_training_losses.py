"""The GAN class with every loss pair on DCGAN image models, and the WGAN-GP penalty."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st

from gan_lessons import images, losses, training


@pytest.mark.parametrize(
    "loss", ["non_saturating", "minimax", "least_squares", "least_squares_pearson", "wasserstein"]
)
def test_one_train_step_per_loss_is_finite(loss):
    keras.utils.set_random_seed(0)
    real_images, _ = images.load_digits(size=8)
    wasserstein = loss == "wasserstein"
    generator = images.dcgan_generator((8, 8, 1), 8, filters=8)
    discriminator = (images.dcgan_critic if wasserstein else images.dcgan_discriminator)((8, 8, 1), filters=8)
    gan = training.GAN(
        generator, discriminator, loss=loss, d_steps=2 if wasserstein else 1,
        gradient_penalty_weight=10.0 if wasserstein else 0.0, seed=0,
    )
    gan.compile()
    logs = gan.train_step(tf.constant(real_images[:16]))
    assert np.isfinite(float(logs["d_loss"])) and np.isfinite(float(logs["g_loss"]))
    assert gan.sample(4, seed=1).shape == (4, 8, 8, 1)


def test_two_time_scale_learning_rates_move_each_network_at_its_own_rate():
    # Adam's first step moves every weight with a non-zero gradient by almost exactly the
    # learning rate (m_hat / sqrt(v_hat) = g / |g|), so one train_step shows which rate
    # reached which network: D's weights move by 4e-4, G's by 1e-4 (Heusel et al. 2017).
    generator = images.dcgan_generator((8, 8, 1), 8, filters=8)
    discriminator = images.dcgan_discriminator((8, 8, 1), filters=8)
    gan = training.GAN(generator, discriminator, seed=0)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(4e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.5),
    )
    before = {id(v): v.numpy().copy() for v in generator.trainable_variables + discriminator.trainable_variables}
    real_images, _ = images.load_digits(size=8)
    logs = gan.train_step(tf.constant(real_images[:16]))
    assert np.isfinite(float(logs["d_loss"]))

    def largest_move(network):
        return max(float(np.abs(v.numpy() - before[id(v)]).max()) for v in network.trainable_variables)

    assert largest_move(discriminator) == pytest.approx(4e-4, rel=0.01)
    assert largest_move(generator) == pytest.approx(1e-4, rel=0.01)


@settings(max_examples=20, deadline=None)
@given(
    weights=st.lists(st.floats(-3, 3), min_size=6, max_size=6),
    epsilon=st.lists(st.floats(0, 1), min_size=4, max_size=4),
    bias=st.floats(-5, 5),
)
def test_gradient_penalty_of_linear_critic_is_closed_form(weights, epsilon, bias):
    # f(x) = w . x + b has gradient w everywhere, so the penalty is
    # lambda (||w|| - 1)^2 whatever the interpolation weights (Gulrajani et al. 2017, eq. 3).
    w = tf.constant(np.reshape(weights, (6, 1)), tf.float32)

    def critic(x):
        return tf.matmul(tf.reshape(x, (-1, 6)), w) + bias

    rng = np.random.default_rng(0)
    real = rng.normal(size=(4, 2, 3, 1)).astype("float32")
    fake = rng.normal(size=(4, 2, 3, 1)).astype("float32")
    penalty = losses.gradient_penalty(critic, real, fake, weight=10.0, epsilon=np.array(epsilon))
    expected = 10.0 * (np.linalg.norm(weights) - 1.0) ** 2
    np.testing.assert_allclose(float(penalty), expected, rtol=1e-4, atol=1e-4)
