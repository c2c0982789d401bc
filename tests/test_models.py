import keras
import numpy as np
import pytest

from gan_lessons import models


def test_mlp_generator_and_discriminator_shapes():
    generator = models.mlp_generator(latent_dim=3, output_dim=2, hidden_units=(8, 8))
    discriminator = models.mlp_discriminator(input_dim=2, hidden_units=(8,))
    samples = generator(np.zeros((5, 3), np.float32))
    assert samples.shape == (5, 2)
    assert discriminator(samples).shape == (5, 1)


def test_output_activation_bounds_the_samples():
    generator = models.mlp_generator(2, 4, output_activation="tanh")
    samples = np.asarray(generator(np.random.default_rng(0).normal(size=(64, 2)).astype(np.float32) * 100))
    assert np.all(np.abs(samples) <= 1)


def test_conditional_builders_take_two_inputs():
    generator = models.mlp_generator(3, 2, (8,), condition_dim=4)
    discriminator = models.mlp_discriminator(2, (8,), condition_dim=4)
    condition = np.eye(4, dtype=np.float32)
    samples = generator([np.zeros((4, 3), np.float32), condition])
    assert samples.shape == (4, 2)
    assert discriminator([samples, keras.ops.convert_to_tensor(condition)]).shape == (4, 1)


@pytest.mark.parametrize("call, error, match", [
    (lambda: models.mlp_generator(0, 2), ValueError, "latent_dim must be >= 1, got 0"),
    (lambda: models.mlp_generator(2.5, 2), TypeError, "latent_dim must be an int, got float"),
    (lambda: models.mlp_discriminator(2, hidden_units=()), ValueError, "at least one layer width"),
    (lambda: models.mlp_discriminator(2, hidden_units=(8, -1)), ValueError, "hidden_units must be >= 1, got -1"),
    (lambda: models.mlp_generator(2, 2, condition_dim=-1), ValueError, "condition_dim must be >= 0"),
    (lambda: models.mlp_generator(2, 2, condition_dim=True), TypeError, "condition_dim must be an int, got bool: True"),
    (lambda: models.mlp_discriminator(2, hidden_units=16), TypeError,
     r"hidden_units must be a sequence of ints such as \(128, 128\), got int: 16"),
    (lambda: models.mlp_discriminator(2, hidden_units="16"), TypeError, "hidden_units must be a sequence of ints"),
])
def test_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_spectral_normalization_wraps_every_dense_layer_of_the_discriminator():
    plain = models.mlp_discriminator(2, (8, 8))
    wrapped = models.mlp_discriminator(2, (8, 8), spectral_normalization=True)
    spectral = [layer for layer in wrapped.layers if isinstance(layer, keras.layers.SpectralNormalization)]
    assert len(spectral) == 3
    assert not any(isinstance(layer, keras.layers.SpectralNormalization) for layer in plain.layers)
    x = np.random.default_rng(0).normal(size=(5, 2)).astype(np.float32)
    assert wrapped(x).shape == (5, 1)
    # A training call divides each kernel by its (estimated) largest singular value.
    for _ in range(20):
        wrapped(x, training=True)
    for layer in spectral:
        kernel = np.asarray(layer.layer.kernel)
        assert np.linalg.svd(kernel, compute_uv=False)[0] == pytest.approx(1.0, abs=0.05)


def test_spectral_normalization_must_be_a_bool():
    with pytest.raises(TypeError, match="spectral_normalization must be True or False, got 'yes'"):
        models.mlp_discriminator(2, spectral_normalization="yes")
