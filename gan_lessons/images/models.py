"""DCGAN builders (Radford et al. 2016): a generator, a discriminator and a WGAN critic.

Strided convolutions instead of pooling, batch normalisation in both networks
(none in the critic, and none under spectral normalisation), ReLU in the generator,
LeakyReLU in the discriminator, tanh output. Discriminators end in one linear unit.
"""

from __future__ import annotations

from typing import Sequence

import keras
from keras import layers

from gan_lessons._checks import dropout_rate as _dropout_rate
from gan_lessons._checks import non_negative_int as _non_negative_int
from gan_lessons._checks import positive_int as _positive_int


def _image_shape(image_shape: Sequence[int]) -> tuple[int, int, int]:
    shape = tuple(image_shape)
    if len(shape) != 3:
        raise ValueError(
            f"image_shape must be (height, width, channels), got {shape} with {len(shape)} entries"
        )
    height, width, channels = (_positive_int(size, "each entry of image_shape") for size in shape)
    if min(height, width) < 4:
        raise ValueError(f"image_shape must be at least 4 x 4, got {height} x {width}")
    return height, width, channels


def _num_resolution_steps(height: int, width: int) -> int:
    """Stride-2 steps between the image and the smallest feature map (at most 3).

    The smallest map must stay at least 4 x 4 and the sizes must divide exactly:
    8 x 8 -> 1 step (from 4 x 4), 16 x 16 -> 2 (4 x 4), 28 x 28 -> 2 (7 x 7), 32 x 32 -> 3.
    """
    steps = 0
    while steps < 3 and all(size % 2 ** (steps + 1) == 0 and size // 2 ** (steps + 1) >= 4 for size in (height, width)):
        steps += 1
    if steps == 0:
        raise ValueError(
            f"image height and width must be even and at least 8 for a DCGAN, got {height} x {width}"
        )
    return steps


def _dcgan_initializer() -> keras.initializers.Initializer:
    # Radford et al. (2016), section 4: all weights from N(0, 0.02).
    return keras.initializers.RandomNormal(mean=0.0, stddev=0.02)


def _dcgan_batch_norm() -> layers.BatchNormalization:
    # Radford et al. (2016): BatchNorm's scale starts near 1, drawn like the weights (sd 0.02).
    return layers.BatchNormalization(gamma_initializer=keras.initializers.RandomNormal(1.0, 0.02))


def _maybe_spectral(layer: layers.Layer, spectral_normalization: bool) -> layers.Layer:
    return layers.SpectralNormalization(layer) if spectral_normalization else layer


def _stride_one_convolution(
    x: keras.KerasTensor, spectral_normalization: bool, init: keras.initializers.Initializer, use_bias: bool | None = None
) -> keras.KerasTensor:
    """A kernel-3, stride-1 convolution keeping ``x``'s size and channels (the extra layers).

    Without a bias when BatchNorm follows (its shift replaces the bias), unless
    ``use_bias`` says otherwise; spectral normalisation has no BatchNorm, so a bias.
    """
    bias = spectral_normalization if use_bias is None else use_bias
    layer = layers.Conv2D(int(x.shape[-1]), kernel_size=3, padding="same", use_bias=bias, kernel_initializer=init)
    return _maybe_spectral(layer, spectral_normalization)(x)


def dcgan_generator(
    image_shape: Sequence[int],
    latent_dim: int,
    filters: int = 64,
    spectral_normalization: bool = False,
    extra_layers: int = 0,
    name: str = "dcgan_generator",
    batch_norm: bool = True,
) -> keras.Model:
    """DCGAN generator (Radford et al. 2016): noise -> image in [-1, 1].

    ``z`` of shape (batch, latent_dim) -> Dense to a small map (height / 2^k,
    width / 2^k, filters * 2^(k-1)), then k transposed convolutions (kernel 4,
    stride 2), each doubling the resolution and halving the filters. BatchNorm and
    ReLU after every layer except the output, which is tanh (no BatchNorm there).
    Weights from N(0, 0.02). Output shape (batch, *image_shape); k is 1 for 8 x 8,
    2 for 16 x 16 and 28 x 28. ``spectral_normalization`` wraps every weight layer
    in ``keras.layers.SpectralNormalization`` (Miyato et al. 2018) and drops its
    BatchNorm; it is usually applied to the discriminator only.
    ``extra_layers`` n >= 0: before each transposed convolution, n convolutions
    (kernel 3, stride 1, as many filters as the map has), each with its BatchNorm
    and ReLU: a deeper network at the same resolutions, as in the "standard CNN"
    of Miyato et al. (2018, appendix B.4). 0 (default) adds none.
    ``batch_norm=False`` builds the same generator with no BatchNormalization layers;
    its layers then carry a bias (the LSGAN stability test of Mao et al. 2017,
    section 4.2, trains a DCGAN generator without BatchNorm). True (default) keeps it.
    """
    if not isinstance(batch_norm, bool):
        raise TypeError(f"batch_norm must be True or False, got {batch_norm!r} of type {type(batch_norm).__name__}")
    height, width, channels = _image_shape(image_shape)
    latent_dim = _positive_int(latent_dim, "latent_dim")
    extra_layers = _non_negative_int(extra_layers, "extra_layers")
    filters = _positive_int(filters, "filters")
    steps = _num_resolution_steps(height, width)
    start_height, start_width = height // 2**steps, width // 2**steps
    init = _dcgan_initializer()
    # BatchNorm follows a layer without bias: its own shift replaces the bias. Without
    # BatchNorm (spectral normalisation, or batch_norm=False) every layer has a bias.
    use_batch_norm = batch_norm and not spectral_normalization
    z = keras.Input(shape=(latent_dim,), name="z")
    width_now = filters * 2 ** (steps - 1)
    x = _maybe_spectral(
        layers.Dense(start_height * start_width * width_now, use_bias=not use_batch_norm, kernel_initializer=init),
        spectral_normalization,
    )(z)
    x = layers.Reshape((start_height, start_width, width_now))(x)
    for step in range(steps):
        if use_batch_norm:
            x = _dcgan_batch_norm()(x)
        x = layers.ReLU()(x)
        for _ in range(extra_layers):
            x = _stride_one_convolution(x, spectral_normalization, init, use_bias=not use_batch_norm)
            if use_batch_norm:
                x = _dcgan_batch_norm()(x)
            x = layers.ReLU()(x)
        last = step == steps - 1
        x = _maybe_spectral(
            layers.Conv2DTranspose(
                channels if last else width_now // 2 ** (step + 1),
                kernel_size=4,
                strides=2,
                padding="same",
                use_bias=last or not use_batch_norm,
                kernel_initializer=init,
            ),
            spectral_normalization,
        )(x)
    outputs = layers.Activation("tanh", name="image")(x)
    return keras.Model(z, outputs, name=name)


def dcgan_discriminator(
    image_shape: Sequence[int],
    filters: int = 64,
    spectral_normalization: bool = False,
    dropout: float = 0.0,
    extra_layers: int = 0,
    name: str = "dcgan_discriminator",
) -> keras.Model:
    """DCGAN discriminator (Radford et al. 2016): image -> one logit (or raw score).

    ``x`` of shape (batch, *image_shape) -> k strided convolutions (kernel 4,
    stride 2; ``filters``, 2 * filters, ...), LeakyReLU(0.2) after each, BatchNorm
    after each but the first (the input layer), then Flatten and Dense(1) with no
    activation. Weights from N(0, 0.02). Output (batch, 1); k as in
    :func:`dcgan_generator`. With ``spectral_normalization`` every weight layer is
    wrapped in ``keras.layers.SpectralNormalization`` (Miyato et al. 2018) and the
    BatchNorm layers are left out, as in that paper: the normalisation of the
    weights replaces the normalisation of the activations. For a WGAN gradient
    penalty use :func:`dcgan_critic`, the same network without BatchNorm.
    ``dropout`` in [0, 1): if above 0, a ``Dropout`` layer with that rate follows
    every LeakyReLU (active only in training); 0 (default) adds none.
    ``extra_layers`` n >= 0: after each strided convolution, n convolutions
    (kernel 3, stride 1, same filters), each with BatchNorm (none with spectral
    normalisation) and LeakyReLU(0.2), as in the "standard CNN" of Miyato et al.
    (2018, appendix B.4); 0 (default) adds none.
    """
    return _dcgan_discriminator(image_shape, filters, spectral_normalization, True, name, dropout, extra_layers)


def dcgan_critic(
    image_shape: Sequence[int],
    filters: int = 64,
    extra_layers: int = 0,
    name: str = "dcgan_critic",
) -> keras.Model:
    """DCGAN discriminator without BatchNorm, the WGAN-GP critic (Gulrajani et al. 2017, section 4).

    The gradient penalty is taken per example; BatchNorm would make each output
    depend on the whole batch, so WGAN-GP leaves it out (layer normalisation is
    their suggested replacement; none is used here). Shapes and ``extra_layers`` as
    :func:`dcgan_discriminator`.
    """
    return _dcgan_discriminator(image_shape, filters, False, False, name, extra_layers=extra_layers)


def _dcgan_discriminator(
    image_shape: Sequence[int],
    filters: int,
    spectral_normalization: bool,
    batch_norm: bool,
    name: str,
    dropout: float = 0.0,
    extra_layers: int = 0,
) -> keras.Model:
    extra_layers = _non_negative_int(extra_layers, "extra_layers")
    dropout = _dropout_rate(dropout)
    height, width, channels = _image_shape(image_shape)
    filters = _positive_int(filters, "filters")
    steps = _num_resolution_steps(height, width)
    init = _dcgan_initializer()
    use_batch_norm = batch_norm and not spectral_normalization
    images = keras.Input(shape=(height, width, channels), name="x")
    x = images
    for step in range(steps):
        for index in range(1 + extra_layers):  # the strided convolution, then the extra layers
            # Every layer but D's input layer (step 0's strided convolution) has BatchNorm.
            normalised = use_batch_norm and (step > 0 or index > 0)
            if index == 0:
                x = _maybe_spectral(
                    layers.Conv2D(
                        filters * 2**step,
                        kernel_size=4,
                        strides=2,
                        padding="same",
                        use_bias=not normalised,
                        kernel_initializer=init,
                    ),
                    spectral_normalization,
                )(x)
            else:
                x = _stride_one_convolution(x, spectral_normalization, init, use_bias=not normalised)
            if normalised:
                x = _dcgan_batch_norm()(x)
            x = layers.LeakyReLU(negative_slope=0.2)(x)
            if dropout > 0:
                x = layers.Dropout(dropout)(x)
    x = layers.Flatten()(x)
    outputs = _maybe_spectral(layers.Dense(1, kernel_initializer=init), spectral_normalization)(x)
    outputs = layers.Identity(name="logit")(outputs)
    return keras.Model(images, outputs, name=name)
