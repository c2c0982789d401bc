"""Tests of gan_lessons.sanity: each check passes on healthy input with the right
figure and fails on the bug it is meant to catch."""

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


def test_check_gradients_catches_softmax_over_one_logit() -> None:
    model = _linear_model()
    x = np.random.default_rng(0).normal(size=(8, 3)).astype(np.float32)

    def loss() -> tf.Tensor:
        probability = tf.nn.softmax(model(x))  # always exactly 1 for a single logit
        return -tf.reduce_mean(tf.math.log(1 - probability + 1e-8))

    norms = sanity.gradient_norms(loss, model.trainable_variables)
    assert list(norms.values()) == [0.0, 0.0]
    with pytest.raises(ValueError, match="zero gradient for 2 of 2 variables"):
        sanity.check_gradients(loss, model.trainable_variables, name="d_loss")


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
