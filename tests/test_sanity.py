"""Tests of gan_lessons.sanity: each check passes on healthy input with the right
figure and fails on the bug it is meant to catch."""

from collections.abc import Callable
from typing import Any

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_lessons import sanity


def test_value_range_returns_min_and_max() -> None:
    low, high = sanity.value_range(np.array([[-1.0, 0.25], [0.5, 1.0]]))
    assert (low, high) == (-1.0, 1.0)


def test_value_range_rejects_bytes_and_says_how_to_scale() -> None:
    pixels = np.array([0, 17, 255], dtype=np.uint8)
    with pytest.raises(ValueError, match=r"expected pixels in \[-1, 1\], got values in \[0, 255\].*x / 127.5 - 1"):
        sanity.value_range(pixels, name="pixels")
    low, high = sanity.value_range(pixels / 127.5 - 1)
    assert low == -1.0 and high == pytest.approx(1.0)


def test_value_range_allows_round_off_but_not_more() -> None:
    sanity.value_range(np.array([1.00001]))
    with pytest.raises(ValueError, match=r"got values in \[1.001, 1.001\]"):
        sanity.value_range(np.array([1.001]))


def test_value_range_other_bounds_and_bad_input() -> None:
    assert sanity.value_range([0.0, 0.5], low=0.0, high=1.0) == (0.0, 0.5)
    with pytest.raises(ValueError, match=r"expected values in \[0, 1\], got values in \[-0.5, 0.5\]$"):
        sanity.value_range([-0.5, 0.5], low=0.0, high=1.0)
    with pytest.raises(ValueError, match="low must be below high"):
        sanity.value_range([0.0], low=1.0, high=1.0)
    with pytest.raises(ValueError, match="must be finite, got 1 NaN"):
        sanity.value_range([0.0, np.nan])


def _linear_model() -> keras.Model:
    inputs = keras.Input((3,))
    return keras.Model(inputs, keras.layers.Dense(1, kernel_initializer="ones", bias_initializer="zeros")(inputs))


def test_gradient_norms_match_hand_computed_values() -> None:
    model = _linear_model()
    x = np.array([[1.0, 2.0, 2.0]], dtype=np.float32)
    # loss = w . x + b, so d loss / d w = x (norm 3) and d loss / d b = 1.
    norms = sanity.check_gradients(lambda: tf.reduce_sum(model(x)), model.trainable_variables)
    assert list(norms.values()) == pytest.approx([3.0, 1.0])
    assert all(key.endswith(("kernel", "bias")) for key in norms)


# What a softmax over one logit returns on CPUs that round it below 1: 1 - 2**-24.
BELOW_ONE = np.float32(1) - np.float32(2.0**-24)


@tf.custom_gradient
def softmax_rounded_below_one(logits: tf.Tensor) -> tf.Tensor:
    """A softmax over one logit as some CPUs compute it: 0.99999994 instead of 1 for every input.

    The backward pass is TensorFlow's own softmax gradient, (g - sum(g * s)) * s, evaluated at
    that output (test_softmax_gradient_rule_is_tensorflows checks the rule), so it reproduces
    the round-off gradient that such a CPU produces.
    """
    probabilities = tf.ones_like(logits) * BELOW_ONE

    def gradient(upstream: tf.Tensor) -> tf.Tensor:
        return (upstream - tf.reduce_sum(upstream * probabilities, axis=-1, keepdims=True)) * probabilities

    return probabilities, gradient


def test_softmax_gradient_rule_is_tensorflows() -> None:
    rng = np.random.default_rng(1)
    logits, upstream = tf.constant(rng.normal(size=(4, 3))), tf.constant(rng.normal(size=(4, 3)))
    with tf.GradientTape() as tape:
        tape.watch(logits)
        probabilities = tf.nn.softmax(logits)
    expected = (upstream - tf.reduce_sum(upstream * probabilities, axis=-1, keepdims=True)) * probabilities
    np.testing.assert_allclose(tape.gradient(probabilities, logits, output_gradients=upstream), expected, rtol=1e-12)
    rounded = softmax_rounded_below_one(tf.constant([[-3.0], [5.0]])).numpy()
    assert rounded.tolist() == [[BELOW_ONE], [BELOW_ONE]] and BELOW_ONE < 1


# Constant "losses" built on a softmax over one logit, as in lesson 10's blog script: its
# generator loss (and real-image term) and its fake-image term, and a plain multiple.
CONSTANT_LOSSES = {
    "3 p": lambda p: 3 * tf.reduce_mean(p),
    "-log(p + 1e-8)": lambda p: -tf.reduce_mean(tf.math.log(p + 1e-8)),
    "-log(1 - p + 1e-8)": lambda p: -tf.reduce_mean(tf.math.log(1 - p + 1e-8)),
}


@pytest.mark.parametrize("form", CONSTANT_LOSSES)
def test_check_gradients_catches_softmax_over_one_logit(form: str) -> None:
    model = _linear_model()
    x = np.random.default_rng(0).normal(size=(8, 3)).astype(np.float32)
    # Exactly 1 on most CPUs (every gradient 0), 0.99999994 on some (see the next test).
    loss = lambda: CONSTANT_LOSSES[form](tf.nn.softmax(model(x)))
    with pytest.raises(ValueError, match=r"non-zero gradient of d_loss for every variable, got .* for 2 of 2 variables"):
        sanity.check_gradients(loss, model.trainable_variables, name="d_loss")


@pytest.mark.parametrize(
    "form, caught_as",
    [("3 p", "vanishing gradient"), ("-log(p + 1e-8)", "without effect on the loss"), ("-log(1 - p + 1e-8)", "without effect on the loss")],
)
def test_check_gradients_catches_softmax_rounded_below_one(form: str, caught_as: str) -> None:
    model = _linear_model()
    x = np.random.default_rng(0).normal(size=(8, 3)).astype(np.float32)
    loss = lambda: CONSTANT_LOSSES[form](softmax_rounded_below_one(model(x)))
    norms = sanity.gradient_norms(loss, model.trainable_variables)
    assert all(norm > 0 for norm in norms.values())  # round-off, not zero: the old check passed it
    with pytest.raises(ValueError, match=rf"{caught_as}.* for 2 of 2 variables"):
        sanity.check_gradients(loss, model.trainable_variables, name="d_loss")


def test_the_probe_is_what_catches_a_round_off_gradient_of_ordinary_size() -> None:
    model = _linear_model()
    x = np.random.default_rng(0).normal(size=(8, 3)).astype(np.float32)
    loss = lambda: CONSTANT_LOSSES["-log(1 - p + 1e-8)"](softmax_rounded_below_one(model(x)))
    # d/dp of -log(1 - p + 1e-8) is about 1.4e7, which multiplies s(1 - s) = 6e-8 back to
    # about 0.9 per example: by its norm this gradient looks like any other.
    norms = sanity.check_gradients(loss, model.trainable_variables, probe=False)
    assert norms[model.trainable_variables[1].path] == pytest.approx(1.0, rel=0.2)
    with pytest.raises(ValueError, match="without effect on the loss"):
        sanity.check_gradients(loss, model.trainable_variables)
    # The probe needs no tolerance for a loss that is constant to the last bit.
    with pytest.raises(ValueError, match="without effect on the loss"):
        sanity.check_gradients(loss, model.trainable_variables, tol=0)


def test_the_probe_counts_a_change_within_tol_of_the_loss_as_none() -> None:
    # A gradient claiming a slope of 1 for a loss that moves by about 1e-9 of its value, as
    # round-off amplified by the chain rule can: within tol (1e-6 of the loss) that is no
    # change. With tol=0 any change at all counts, and the gradient passes.
    weights = tf.Variable([1.0, 2.0], dtype=tf.float64)

    @tf.custom_gradient
    def claimed_slope(values: tf.Tensor) -> tf.Tensor:
        return 1 + 1e-9 * tf.reduce_sum(values), lambda upstream: upstream * tf.ones_like(values)

    with pytest.raises(ValueError, match="without effect on the loss .* for 1 of 1 variables"):
        sanity.check_gradients(lambda: claimed_slope(weights), [weights])
    assert list(sanity.check_gradients(lambda: claimed_slope(weights), [weights], tol=0).values()) == [pytest.approx(2**0.5)]


def _blog_networks(activation: Any) -> tuple[keras.Model, keras.Model]:
    """Small versions of lesson 10's networks: G with tanh output, D with a one-unit softmax (or none)."""
    z = keras.Input((4,))
    generator = keras.Model(z, keras.layers.Dense(6, activation="tanh")(keras.layers.Dense(8, activation="relu")(z)))
    x = keras.Input((6,))
    hidden = keras.layers.Dense(8, activation="leaky_relu")(x)
    discriminator = keras.Model(x, keras.layers.Dense(1, activation=activation)(hidden))
    return generator, discriminator


@pytest.mark.filterwarnings("ignore:You are using a softmax over axis -1:UserWarning")  # Keras's own warning, the clue of lesson 10
@pytest.mark.parametrize("softmax", ["softmax", softmax_rounded_below_one], ids=["softmax", "softmax_rounded_below_one"])
def test_check_gradients_catches_the_blog_scripts_constant_losses(softmax: Any) -> None:
    keras.utils.set_random_seed(0)
    generator, discriminator = _blog_networks(softmax)
    rng = np.random.default_rng(0)
    real, z = rng.uniform(-1, 1, size=(16, 6)).astype(np.float32), rng.normal(size=(16, 4)).astype(np.float32)

    def d_loss() -> tf.Tensor:  # the blog script's losses, verbatim
        p_real, p_fake = discriminator(real), discriminator(generator(z))
        return -tf.reduce_mean(tf.math.log(p_real + 1e-8) + tf.math.log(1 - p_fake + 1e-8))

    def g_loss() -> tf.Tensor:
        return -tf.reduce_mean(tf.math.log(discriminator(generator(z)) + 1e-8))

    with pytest.raises(ValueError, match="gradient of d_loss for every variable, got .* for 4 of 4 variables"):
        sanity.check_gradients(d_loss, discriminator.trainable_variables, "d_loss")
    with pytest.raises(ValueError, match="gradient of g_loss for every variable, got .* for 4 of 4 variables"):
        sanity.check_gradients(g_loss, generator.trainable_variables, "g_loss")


def _fixed_blog_gan() -> tuple[keras.Model, keras.Model, Callable[..., tf.Tensor], Callable[..., tf.Tensor]]:
    """Lesson 10's repaired networks and losses (one logit, softplus cross-entropies); each loss takes a ``scale``."""
    keras.utils.set_random_seed(0)
    generator, discriminator = _blog_networks(None)
    rng = np.random.default_rng(0)
    real, z = rng.uniform(-1, 1, size=(16, 6)).astype(np.float32), rng.normal(size=(16, 4)).astype(np.float32)

    def d_loss(scale: float = 1.0) -> tf.Tensor:
        fake = generator(z)
        return scale * (tf.reduce_mean(tf.nn.softplus(-discriminator(real))) + tf.reduce_mean(tf.nn.softplus(discriminator(fake))))

    def g_loss(scale: float = 1.0) -> tf.Tensor:
        return scale * tf.reduce_mean(tf.nn.softplus(-discriminator(generator(z))))

    return generator, discriminator, d_loss, g_loss


def test_check_gradients_passes_an_ordinary_loss_and_leaves_the_weights_as_they_were() -> None:
    generator, discriminator, d_loss, g_loss = _fixed_blog_gan()
    variables = discriminator.trainable_variables + generator.trainable_variables
    before = [np.array(variable) for variable in variables]
    d_norms = sanity.check_gradients(d_loss, discriminator.trainable_variables, "d_loss")
    g_norms = sanity.check_gradients(g_loss, generator.trainable_variables, "g_loss")
    assert d_norms == sanity.gradient_norms(d_loss, discriminator.trainable_variables)
    assert min(d_norms.values()) > 1e-3 and min(g_norms.values()) > 1e-4
    for old, variable in zip(before, variables):
        np.testing.assert_array_equal(old, np.array(variable))  # the probe restores each variable exactly


@pytest.mark.parametrize("scale", [1e-4, 1e-8])
def test_check_gradients_passes_a_small_real_gradient_of_a_small_loss(scale: float) -> None:
    # The same losses times a small factor: every gradient shrinks by that factor, and the
    # verdict stays the same, because a gradient is judged against the size of its own loss.
    # At 1e-8 every gradient is below 1e-6 * max(1, |variable|), so a bound on the norm
    # alone (at 8 float32 rounding units) would have flagged them all.
    generator, discriminator, d_loss, g_loss = _fixed_blog_gan()
    for loss, variables in [(d_loss, discriminator.trainable_variables), (g_loss, generator.trainable_variables)]:
        small_norms = sanity.check_gradients(lambda loss=loss: loss(scale), variables)
        expected = {key: scale * norm for key, norm in sanity.gradient_norms(loss, variables).items()}
        assert small_norms == pytest.approx(expected, rel=1e-4)
        norm_bounds = [1e-6 * max(1.0, float(np.linalg.norm(variable))) for variable in variables]
        below_norm_bound = [norm < bound for norm, bound in zip(small_norms.values(), norm_bounds)]
        assert below_norm_bound == [scale == 1e-8] * len(variables)


def test_a_minute_slope_on_a_large_offset_is_flagged_as_documented() -> None:
    # The price of judging a gradient against its loss: 100 + 1e-9 * (w . x + b) has an
    # exact gradient, but no step of the weights shows in the float32 value of the loss.
    model = _linear_model()
    x = np.array([[1.0, 2.0, 2.0]], dtype=np.float32)
    with pytest.raises(ValueError, match=r"vanishing gradient \(changes the loss by <= 1e-06 of its value\) for 2 of 2"):
        sanity.check_gradients(lambda: 100 + 1e-9 * tf.reduce_sum(model(x)), model.trainable_variables)
    # Without the offset the same slope passes.
    assert sanity.check_gradients(lambda: 1e-9 * tf.reduce_sum(model(x)), model.trainable_variables)


def test_check_gradients_calls_the_loss_once_without_the_probe_and_restores_the_weights_on_error() -> None:
    model = _linear_model()
    x = np.ones((2, 3), dtype=np.float32)
    calls = []

    def loss() -> tf.Tensor:
        calls.append(1)
        if len(calls) == 3:  # the second call of the probe, with the first variable moved
            raise RuntimeError("loss failed during the probe")
        return tf.reduce_sum(model(x))

    sanity.check_gradients(loss, model.trainable_variables, probe=False)
    assert len(calls) == 1
    calls.clear()
    before = [np.array(v) for v in model.trainable_variables]
    with pytest.raises(RuntimeError, match="during the probe"):
        sanity.check_gradients(loss, model.trainable_variables)
    for old, variable in zip(before, model.trainable_variables):
        np.testing.assert_array_equal(old, np.array(variable))
    with pytest.raises(ValueError, match="tol must be a finite number >= 0"):
        sanity.check_gradients(loss, model.trainable_variables, tol=-1e-6)


def test_check_gradients_reports_unconnected_variables_as_missing() -> None:
    used, unused = _linear_model(), _linear_model()
    x = np.ones((2, 3), dtype=np.float32)
    variables = used.trainable_variables + unused.trainable_variables
    norms = sanity.gradient_norms(lambda: tf.reduce_sum(used(x)), variables)
    assert np.isnan(list(norms.values())[2:]).all()
    with pytest.raises(ValueError, match=r"no gradient \(None\) or NaN for 2 of 4 variables"):
        sanity.check_gradients(lambda: tf.reduce_sum(used(x)), variables)
    with pytest.raises(ValueError, match="expected at least one variable"):
        sanity.gradient_norms(lambda: tf.constant(0.0), [])


def test_check_grid() -> None:
    assert sanity.check_grid(64, 8, 8) == 64
    with pytest.raises(ValueError, match=r"one cell per image \(64\), got 4 x 4 = 16 cells"):
        sanity.check_grid(64, 4, 4)
    with pytest.raises(ValueError, match=r"got 3 x 4 = 12 cells"):
        sanity.check_grid(10, 3, 4)
    with pytest.raises(TypeError, match="num_rows must be an int"):
        sanity.check_grid(4, 2.0, 2)


def test_check_finite_losses() -> None:
    assert sanity.check_finite_losses({"d_loss": [1.4, 1.38], "g_loss": [0.7, 0.69]}) == {"d_loss": 1.38, "g_loss": 0.69}
    with pytest.raises(ValueError, match=r"finite values of 'g_loss', got 2 NaN or infinite \(first at step 1\)"):
        sanity.check_finite_losses({"d_loss": [1.0, 1.0, 1.0], "g_loss": [0.7, np.inf, np.nan]})
    with pytest.raises(ValueError, match="non-empty list"):
        sanity.check_finite_losses({"d_loss": []})
    with pytest.raises(TypeError, match="non-empty dict"):
        sanity.check_finite_losses([1.0, 2.0])


def test_interpolate_gradient_norms_of_a_linear_critic_is_its_weight_norm() -> None:
    # f(x) = w.x + b has gradient w everywhere, so every interpolate has norm |w|.
    w = tf.constant([[3.0], [-4.0]])
    rng = np.random.default_rng(0)
    real, fake = rng.normal(size=(2, 7, 2))
    norms = sanity.interpolate_gradient_norms(lambda x: tf.matmul(x, w) + 1.0, real, fake, seed=1)
    assert norms.shape == (7,)
    np.testing.assert_allclose(norms, 5.0, rtol=1e-6)


def test_interpolate_gradient_norms_of_a_quadratic_critic_matches_the_closed_form() -> None:
    # f(x) = |x|^2 / 2 has gradient x: the norm at x_hat is |x_hat|, with the same eps draws.
    real = np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 4.0]])
    fake = np.zeros_like(real)
    critic = lambda x: 0.5 * tf.reduce_sum(tf.square(x), axis=1, keepdims=True)  # noqa: E731
    norms = sanity.interpolate_gradient_norms(critic, real, fake, seed=3)
    epsilon = np.random.default_rng(3).uniform(size=(3, 1))
    np.testing.assert_allclose(norms, np.linalg.norm(epsilon * real, axis=1), rtol=1e-5)


def test_interpolate_gradient_norms_takes_a_keras_model_and_images() -> None:
    model = keras.Sequential([keras.Input((2, 2, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    real, fake = np.random.default_rng(0).normal(size=(2, 4, 2, 2, 1))
    norms = sanity.interpolate_gradient_norms(model, real, fake)
    np.testing.assert_allclose(norms, np.linalg.norm(np.asarray(model.layers[-1].kernel)), rtol=1e-5)


def test_interpolate_gradient_norms_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match=r"same shape \(n, \.\.\.\) with n >= 1, got \(3, 2\) and \(4, 2\)"):
        sanity.interpolate_gradient_norms(lambda x: x[:, :1], np.zeros((3, 2)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="fake must be finite"):
        sanity.interpolate_gradient_norms(lambda x: x[:, :1], np.zeros((3, 2)), np.full((3, 2), np.nan))
    with pytest.raises(ValueError, match="depend on its input"):
        sanity.interpolate_gradient_norms(lambda x: tf.ones((3, 1)), np.zeros((3, 2)), np.ones((3, 2)))


def test_largest_singular_values_against_a_known_kernel() -> None:
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="first"), keras.layers.ReLU(),
                              keras.layers.Dense(1, name="last")])
    model.get_layer("first").kernel.assign(np.array([[3.0, 0.0], [0.0, 2.0], [0.0, 0.0]]))
    model.get_layer("last").kernel.assign(np.array([[3.0], [4.0]]))
    values = sanity.largest_singular_values(model)
    assert list(values) == ["first", "last"]
    np.testing.assert_allclose([values["first"], values["last"]], [3.0, 5.0], rtol=1e-6)


def test_largest_singular_values_near_one_after_spectral_normalisation_trains() -> None:
    keras.utils.set_random_seed(0)
    inputs = keras.Input((4,))
    hidden = keras.layers.SpectralNormalization(keras.layers.Dense(8, name="hidden"))(inputs)
    model = keras.Model(inputs, keras.layers.SpectralNormalization(keras.layers.Dense(1, name="score"))(hidden))
    model.get_layer(index=1).layer.kernel.assign(5.0 * np.asarray(model.get_layer(index=1).layer.kernel))
    before = sanity.largest_singular_values(model)
    x = tf.constant(np.random.default_rng(0).normal(size=(16, 4)), tf.float32)
    for _ in range(30):  # power iterations converge over repeated training calls
        model(x, training=True)
    after = sanity.largest_singular_values(model)
    assert set(after) == {"hidden", "score"}
    assert before["hidden"] > 2.0
    np.testing.assert_allclose(list(after.values()), 1.0, atol=0.05)


def test_largest_singular_values_refuses_what_has_no_kernel() -> None:
    with pytest.raises(TypeError, match="expected a Keras model, got ndarray"):
        sanity.largest_singular_values(np.eye(2))
    with pytest.raises(ValueError, match="at least one kernel"):
        sanity.largest_singular_values(keras.Sequential([keras.Input((2,)), keras.layers.ReLU()], name="plain"))
