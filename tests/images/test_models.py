"""DCGAN builders: shapes for 8 x 8, 16 x 16 and 28 x 28 images, and the
architecture guidelines of Radford et al. (2016)."""

import keras
import numpy as np
import pytest

from gan_lessons import images

SHAPES = [(8, 8, 1), (16, 16, 1), (28, 28, 1), (16, 16, 3)]


@pytest.mark.parametrize("image_shape", SHAPES)
@pytest.mark.parametrize("spectral", [False, True])
def test_generator_maps_noise_to_images_in_tanh_range(image_shape, spectral):
    generator = images.dcgan_generator(image_shape, 8, filters=8, spectral_normalization=spectral)
    real_images = np.asarray(generator(np.random.default_rng(0).normal(size=(5, 8)).astype("float32")))
    assert real_images.shape == (5, *image_shape)
    assert np.all(np.abs(real_images) <= 1.0)


@pytest.mark.parametrize("image_shape", SHAPES)
@pytest.mark.parametrize("builder", ["discriminator", "discriminator_sn", "critic"])
def test_discriminators_give_one_output_per_image(image_shape, builder):
    if builder == "critic":
        model = images.dcgan_critic(image_shape, filters=8)
    else:
        model = images.dcgan_discriminator(image_shape, filters=8, spectral_normalization=builder.endswith("sn"))
    outputs = np.asarray(model(np.zeros((3, *image_shape), "float32")))
    assert outputs.shape == (3, 1)


def test_defaults_take_shape_and_latent_dim_positionally():
    generator = images.dcgan_generator((16, 16, 1), 32)
    discriminator = images.dcgan_discriminator((16, 16, 1))
    assert generator.inputs[0].shape[1:] == (32,)
    assert discriminator.outputs[0].shape[1:] == (1,)


def test_architecture_follows_radford_guidelines():
    generator = images.dcgan_generator((16, 16, 1), 16, filters=8)
    discriminator = images.dcgan_discriminator((16, 16, 1), filters=8)
    g_layers, d_layers = generator.layers, discriminator.layers
    # No BatchNorm right before G's tanh output; none right after D's input convolution.
    assert isinstance(g_layers[-2], keras.layers.Conv2DTranspose)
    assert g_layers[-1].get_config()["activation"] == "tanh"
    assert isinstance(d_layers[1], keras.layers.Conv2D) and isinstance(d_layers[2], keras.layers.LeakyReLU)
    assert d_layers[2].get_config()["negative_slope"] == pytest.approx(0.2)
    assert any(isinstance(layer, keras.layers.ReLU) for layer in g_layers)
    # Strided convolutions, no pooling.
    assert not any("pool" in layer.name for layer in g_layers + d_layers)
    assert all(layer.strides == (2, 2) for layer in d_layers if isinstance(layer, keras.layers.Conv2D))
    # N(0, 0.02) initialisation.
    kernel = np.asarray(discriminator.layers[3].kernel)
    assert abs(kernel.std() - 0.02) < 0.002


def test_critic_has_no_batch_norm_and_sn_discriminator_is_wrapped():
    critic = images.dcgan_critic((16, 16, 1), filters=8)
    assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in critic.layers)
    sn = images.dcgan_discriminator((16, 16, 1), filters=8, spectral_normalization=True)
    assert any(isinstance(layer, keras.layers.SpectralNormalization) for layer in sn.layers)
    assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in sn.layers)


@pytest.mark.parametrize(
    "image_shape, match",
    [
        ((16, 16), "must be \\(height, width, channels\\), got \\(16, 16\\)"),
        ((2, 2, 1), "at least 4 x 4, got 2 x 2"),
        ((9, 9, 1), "even and at least 8 for a DCGAN, got 9 x 9"),
        ((16, 16, 0), "must be >= 1, got 0"),
    ],
)
def test_bad_image_shapes_are_rejected(image_shape, match):
    with pytest.raises(ValueError, match=match):
        images.dcgan_discriminator(image_shape)


def test_bad_latent_dim_is_rejected():
    with pytest.raises(ValueError, match="latent_dim must be >= 1, got 0"):
        images.dcgan_generator((16, 16, 1), 0)


def test_discriminator_dropout_is_opt_in_and_follows_every_leaky_relu():
    plain = images.dcgan_discriminator((16, 16, 1), filters=8)
    assert not any(isinstance(layer, keras.layers.Dropout) for layer in plain.layers)
    dropped = images.dcgan_discriminator((16, 16, 1), filters=8, dropout=0.3)
    leaky = [i for i, layer in enumerate(dropped.layers) if isinstance(layer, keras.layers.LeakyReLU)]
    assert len(leaky) == 2
    for index in leaky:
        follower = dropped.layers[index + 1]
        assert isinstance(follower, keras.layers.Dropout) and follower.rate == pytest.approx(0.3)
    assert dropped.count_params() == plain.count_params()
    # Dropout acts in training only: inference is deterministic, training is not.
    x = np.random.default_rng(0).uniform(-1, 1, (4, 16, 16, 1)).astype(np.float32)
    np.testing.assert_array_equal(dropped(x, training=False), dropped(x, training=False))
    assert not np.allclose(dropped(x, training=True), dropped(x, training=True))


@pytest.mark.parametrize("dropout", [1.0, -0.1, "0.3"])
def test_bad_dropout_is_rejected(dropout):
    with pytest.raises(ValueError, match=r"dropout must be a number in \[0, 1\)"):
        images.dcgan_discriminator((16, 16, 1), filters=8, dropout=dropout)


def _stride_one_convolutions(model):
    return [layer for layer in model.layers
            if isinstance(layer, keras.layers.Conv2D) and not isinstance(layer, keras.layers.Conv2DTranspose)
            and layer.strides == (1, 1)]


@pytest.mark.parametrize("image_shape, steps", [((8, 8, 1), 1), ((16, 16, 1), 2), ((28, 28, 1), 2)])
@pytest.mark.parametrize("extra_layers", [1, 2])
def test_extra_layers_keep_shapes_and_add_stride_one_convolutions(image_shape, steps, extra_layers):
    generator = images.dcgan_generator(image_shape, 8, filters=8, extra_layers=extra_layers)
    discriminator = images.dcgan_discriminator(image_shape, filters=8, extra_layers=extra_layers)
    assert tuple(generator.output.shape[1:]) == image_shape
    assert tuple(discriminator.output.shape[1:]) == (1,)
    for model in (generator, discriminator):
        extra = _stride_one_convolutions(model)
        assert len(extra) == steps * extra_layers
        # Each keeps its map's size and channel count: kernel 3 over c channels to c channels.
        for layer in extra:
            channels = int(layer.input.shape[-1])
            assert layer.filters == channels and layer.kernel_size == (3, 3)
            assert tuple(layer.output.shape[1:]) == tuple(layer.input.shape[1:])


def test_extra_layers_add_exactly_their_parameters():
    # One 3 x 3 convolution c -> c without bias (BatchNorm follows) plus its BatchNorm's 4c values.
    def added(c):
        return 9 * c * c + 4 * c

    plain_g = images.dcgan_generator((16, 16, 1), 8, filters=8)
    deep_g = images.dcgan_generator((16, 16, 1), 8, filters=8, extra_layers=1)
    assert deep_g.count_params() - plain_g.count_params() == added(16) + added(8)  # at 4 x 4 and 8 x 8
    plain_d = images.dcgan_discriminator((16, 16, 1), filters=8)
    deep_d = images.dcgan_discriminator((16, 16, 1), filters=8, extra_layers=1)
    assert deep_d.count_params() - plain_d.count_params() == added(8) + added(16)
    # The critic has no BatchNorm, so each extra convolution has a bias instead.
    plain_c = images.dcgan_critic((16, 16, 1), filters=8)
    deep_c = images.dcgan_critic((16, 16, 1), filters=8, extra_layers=1)
    assert deep_c.count_params() - plain_c.count_params() == (9 * 8 * 8 + 8) + (9 * 16 * 16 + 16)


def test_extra_layers_with_spectral_normalization_have_no_batch_norm():
    for model in (images.dcgan_generator((16, 16, 1), 8, filters=8, spectral_normalization=True, extra_layers=1),
                  images.dcgan_discriminator((16, 16, 1), filters=8, spectral_normalization=True, extra_layers=1)):
        assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in model.layers)
        wrapped = [layer.layer for layer in model.layers if isinstance(layer, keras.layers.SpectralNormalization)]
        assert sum(isinstance(layer, keras.layers.Conv2D) and layer.strides == (1, 1)
                   and not isinstance(layer, keras.layers.Conv2DTranspose) for layer in wrapped) == 2


@pytest.mark.parametrize("extra_layers, error, match", [
    (-1, ValueError, "extra_layers must be >= 0, got -1"),
    (1.5, TypeError, "extra_layers must be an int, got float: 1.5"),
    (True, TypeError, "extra_layers must be an int, got bool: True"),
])
def test_bad_extra_layers_are_rejected(extra_layers, error, match):
    for build in (lambda: images.dcgan_generator((16, 16, 1), 8, extra_layers=extra_layers),
                  lambda: images.dcgan_discriminator((16, 16, 1), extra_layers=extra_layers),
                  lambda: images.dcgan_critic((16, 16, 1), extra_layers=extra_layers)):
        with pytest.raises(error, match=match):
            build()


@pytest.mark.parametrize("image_shape", SHAPES)
@pytest.mark.parametrize("extra_layers", [0, 1])
def test_generator_without_batch_norm_keeps_shapes_and_range(image_shape, extra_layers):
    generator = images.dcgan_generator(image_shape, 8, filters=8, extra_layers=extra_layers, batch_norm=False)
    assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in generator.layers)
    # Every weight layer carries a bias once no BatchNorm shift replaces it.
    weighted = [layer for layer in generator.layers if isinstance(layer, (keras.layers.Dense, keras.layers.Conv2D))]
    assert weighted and all(layer.use_bias for layer in weighted)
    outputs = np.asarray(generator(np.random.default_rng(0).normal(size=(5, 8)).astype("float32") * 10))
    assert outputs.shape == (5, *image_shape)
    assert np.all(np.abs(outputs) <= 1.0) and outputs.std() > 0


def test_batch_norm_switch_leaves_the_default_unchanged_and_swaps_batch_norm_for_biases():
    # Counts of the generator before the switch existed (16 x 16 x 1, latent 8, 8 filters).
    assert images.dcgan_generator((16, 16, 1), 8, filters=8).count_params() == 4321
    assert images.dcgan_generator((16, 16, 1), 8, filters=8, batch_norm=True).count_params() == 4321
    assert images.dcgan_generator((16, 16, 1), 8, filters=8, extra_layers=1).count_params() == 7297
    default = images.dcgan_generator((16, 16, 1), 8, filters=8)
    assert sum(isinstance(layer, keras.layers.BatchNormalization) for layer in default.layers) == 2
    # Without BatchNorm: the Dense layer gains a bias per unit (4 * 4 * 16), the 16 -> 8 transposed
    # convolution one per filter (8), and the two BatchNorms' 4c values (c = 16, 8) are gone.
    no_bn = images.dcgan_generator((16, 16, 1), 8, filters=8, batch_norm=False)
    assert no_bn.count_params() == 4321 + 4 * 4 * 16 + 8 - 4 * 16 - 4 * 8
    # Spectral normalisation already drops BatchNorm, so the switch changes nothing there.
    sn = images.dcgan_generator((16, 16, 1), 8, filters=8, spectral_normalization=True)
    sn_no_bn = images.dcgan_generator((16, 16, 1), 8, filters=8, spectral_normalization=True, batch_norm=False)
    assert sn.count_params() == sn_no_bn.count_params()


@pytest.mark.parametrize("batch_norm", [1, 0, "False", None, np.bool_(True)])
def test_bad_batch_norm_is_rejected(batch_norm):
    with pytest.raises(TypeError, match=rf"batch_norm must be True or False, got .* of type {type(batch_norm).__name__}"):
        images.dcgan_generator((16, 16, 1), 8, batch_norm=batch_norm)
