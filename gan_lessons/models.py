"""Builders for generators and discriminators.

Every builder returns a functional ``keras.Model``. Discriminators end in one
linear unit (a logit or a raw score): the loss decides how to read it, see
:mod:`gan_lessons.losses`. With ``condition_dim > 0`` a model takes two inputs,
``[z, condition]`` or ``[x, condition]``, and concatenates them; that is how
``GAN`` conditions on a label.
"""

from __future__ import annotations

from typing import Any, Sequence

import keras
from keras import layers

from gan_lessons._checks import non_negative_int as _non_negative_int
from gan_lessons._checks import positive_int as _positive_int


def _dropout_rate(dropout: object) -> float:
    """``dropout`` as a rate in [0, 1), else ``ValueError``."""
    if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0 <= dropout < 1:
        raise ValueError(f"dropout must be a number in [0, 1), got {dropout!r}")
    return float(dropout)


def _hidden_units(hidden_units: Sequence[int]) -> list[int]:
    units = list(hidden_units)
    if not units:
        raise ValueError("hidden_units must name at least one layer width, got an empty list")
    return [_positive_int(width, "each entry of hidden_units") for width in units]


def _inputs(dim: int, condition_dim: int, name: str) -> tuple[list[keras.KerasTensor], keras.KerasTensor]:
    main = keras.Input(shape=(dim,), name=name)
    if condition_dim < 0:
        raise ValueError(f"condition_dim must be >= 0, got {condition_dim}")
    if condition_dim == 0:
        return [main], main
    condition = keras.Input(shape=(condition_dim,), name="condition")
    return [main, condition], layers.Concatenate()([main, condition])


def mlp_generator(
    latent_dim: int,
    output_dim: int,
    hidden_units: Sequence[int] = (128, 128),
    activation: str = "relu",
    output_activation: str | None = None,
    condition_dim: int = 0,
    name: str = "generator",
) -> keras.Model:
    """MLP generator G: R^latent_dim -> R^output_dim.

    Input ``z`` of shape (batch, latent_dim) (plus (batch, condition_dim) if
    conditional); output (batch, output_dim). ``output_activation=None`` gives a
    linear output, right for unbounded toy data; use ``"tanh"`` for data in [-1, 1].
    """
    latent_dim = _positive_int(latent_dim, "latent_dim")
    output_dim = _positive_int(output_dim, "output_dim")
    model_inputs, x = _inputs(latent_dim, condition_dim, "z")
    for width in _hidden_units(hidden_units):
        x = layers.Dense(width, activation=activation)(x)
    outputs = layers.Dense(output_dim, activation=output_activation, name="sample")(x)
    return keras.Model(model_inputs if condition_dim else model_inputs[0], outputs, name=name)


def mlp_discriminator(
    input_dim: int,
    hidden_units: Sequence[int] = (128, 128),
    activation: str = "leaky_relu",
    condition_dim: int = 0,
    name: str = "discriminator",
) -> keras.Model:
    """MLP discriminator D: R^input_dim -> one logit (or raw score).

    Input ``x`` of shape (batch, input_dim); output (batch, 1) with no activation:
    the cross-entropy losses read it as a logit, least squares and WGAN as a score.
    """
    input_dim = _positive_int(input_dim, "input_dim")
    model_inputs, x = _inputs(input_dim, condition_dim, "x")
    for width in _hidden_units(hidden_units):
        x = layers.Dense(width, activation=activation)(x)
    outputs = layers.Dense(1, name="logit")(x)
    return keras.Model(model_inputs if condition_dim else model_inputs[0], outputs, name=name)


# --- DCGAN (Radford et al. 2016) ---------------------------------------------------------


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
    """
    height, width, channels = _image_shape(image_shape)
    latent_dim = _positive_int(latent_dim, "latent_dim")
    extra_layers = _non_negative_int(extra_layers, "extra_layers")
    filters = _positive_int(filters, "filters")
    steps = _num_resolution_steps(height, width)
    start_height, start_width = height // 2**steps, width // 2**steps
    init = _dcgan_initializer()
    z = keras.Input(shape=(latent_dim,), name="z")
    width_now = filters * 2 ** (steps - 1)
    x = _maybe_spectral(
        layers.Dense(start_height * start_width * width_now, use_bias=spectral_normalization, kernel_initializer=init),
        spectral_normalization,
    )(z)
    x = layers.Reshape((start_height, start_width, width_now))(x)
    for step in range(steps):
        if not spectral_normalization:
            # BatchNorm follows a layer without bias: its own shift replaces the bias.
            x = _dcgan_batch_norm()(x)
        x = layers.ReLU()(x)
        for _ in range(extra_layers):
            x = _stride_one_convolution(x, spectral_normalization, init)
            if not spectral_normalization:
                x = _dcgan_batch_norm()(x)
            x = layers.ReLU()(x)
        last = step == steps - 1
        x = _maybe_spectral(
            layers.Conv2DTranspose(
                channels if last else width_now // 2 ** (step + 1),
                kernel_size=4,
                strides=2,
                padding="same",
                use_bias=last or spectral_normalization,
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


# --- Temporal convolutions for return sequences (lesson 06) ---------------------------


def _dilations(dilations: Sequence[int]) -> list[int]:
    values = list(dilations)
    if not values:
        raise ValueError("dilations must name at least one layer, got an empty list")
    return [_positive_int(d, "each entry of dilations") for d in values]


def tcn_receptive_field(dilations: Sequence[int], kernel_size: int = 2) -> int:
    """Receptive field of stacked dilated causal convolutions (Bai et al. 2018).

    RF = 1 + (kernel_size - 1) * sum(dilations): how many consecutive inputs one
    output depends on. For kernel 2 and dilations 1, 2, 4, ..., 32 it is 64.
    """
    kernel_size = _positive_int(kernel_size, "kernel_size")
    return 1 + (kernel_size - 1) * sum(_dilations(dilations))


def _tcn_stack(
    x: keras.KerasTensor, hidden_channels: int, dilations: Sequence[int], kernel_size: int, prefix: str
) -> keras.KerasTensor:
    # 'valid' padding makes each convolution causal without zero padding: output
    # t sees inputs t .. t + RF - 1 of its input window and nothing invented at the
    # start, so every output has a full receptive field of real noise (Quant GANs).
    for index, dilation in enumerate(dilations):
        h = layers.Conv1D(hidden_channels, kernel_size, dilation_rate=dilation, padding="valid",
                          name=f"{prefix}_conv{index}")(x)
        h = layers.LeakyReLU(0.2)(h)
        # A residual connection (cropped to the shorter output) keeps gradients
        # flowing through deep stacks, as in the TCN blocks of Wiese et al. (2020).
        if x.shape[-1] == hidden_channels:
            crop = (kernel_size - 1) * dilation
            h = layers.Add()([h, layers.Cropping1D((crop, 0))(x)])
        x = h
    return x


def tcn_generator(
    noise_channels: int = 3,
    hidden_channels: int = 32,
    dilations: Sequence[int] = (1, 2, 4, 8, 16, 32),
    kernel_size: int = 2,
    magnitude_channel: bool = False,
    name: str = "generator",
) -> keras.Model:
    """Temporal-convolution generator of a return sequence of any length.

    A stochastic-volatility network in the spirit of the SVNN of Quant GANs
    (Wiese et al. 2020, section 5): for noise z_1..z_L (L = length + RF, RF =
    :func:`tcn_receptive_field`), a TCN of the *past* noise z_{t-RF}..z_{t-1} gives
    a drift mu_t and a volatility sigma_t = softplus(.), and the return is

        r_t = mu_t + sigma_t * e_t,    e_t = first noise channel of z_t.

    Because e_t is part of the noise that later volatilities read, the network can
    learn volatility clustering (sigma_t depends on past |e|) and the leverage
    effect (sigma_{t+1} depends on the sign of e_t). With ``magnitude_channel`` the
    TCN also reads |z|, so an ARCH-like sigma_t growing with past |e| is within
    reach of nearly linear weights from the start. Input (batch, L, noise_channels)
    with any L > RF; output (batch, L - RF, 1).
    """
    noise_channels = _positive_int(noise_channels, "noise_channels")
    hidden_channels = _positive_int(hidden_channels, "hidden_channels")
    kernel_size = _positive_int(kernel_size, "kernel_size")
    dilations = _dilations(dilations)
    receptive_field = tcn_receptive_field(dilations, kernel_size)
    z = keras.Input(shape=(None, noise_channels), name="z")
    past = layers.Cropping1D((0, 1), name="drop_last_step")(z)
    if magnitude_channel:
        past = layers.Concatenate()([past, layers.Lambda(keras.ops.abs, name="magnitude")(past)])
    h = layers.Conv1D(hidden_channels, 1, name="lift")(past)
    h = _tcn_stack(h, hidden_channels, dilations, kernel_size, "vol")
    h = layers.Conv1D(hidden_channels, 1, activation="leaky_relu", name="head")(h)
    drift = layers.Conv1D(1, 1, name="drift")(h)
    volatility = layers.Conv1D(1, 1, activation="softplus", name="volatility")(h)
    shock = layers.Cropping1D((receptive_field, 0), name="current_shock")(z[..., :1])
    returns = layers.Add(name="returns")([drift, layers.Multiply()([volatility, shock])])
    return keras.Model(z, returns, name=name)


def tcn_discriminator(
    hidden_channels: int = 32,
    dilations: Sequence[int] = (1, 2, 4, 8, 16),
    kernel_size: int = 2,
    magnitude_channel: bool = False,
    name: str = "discriminator",
) -> keras.Model:
    """Discriminator over windows of returns: dilated causal convolutions, then an
    average over time and one linear unit (a logit or raw score).

    With ``magnitude_channel`` the window enters as two channels, r_t and |r_t|:
    volatility clustering is a pattern in |r|, and handing |r| over saves a small
    network from having to learn the absolute value before it can see it.

    Input (batch, window, 1) with window >= RF (:func:`tcn_receptive_field`);
    output (batch, 1). Each conv feature sees RF consecutive days, so it can
    compare returns at lags up to RF - 1, where volatility clustering and the
    leverage effect live.
    """
    hidden_channels = _positive_int(hidden_channels, "hidden_channels")
    kernel_size = _positive_int(kernel_size, "kernel_size")
    dilations = _dilations(dilations)
    x_in = keras.Input(shape=(None, 1), name="x")
    h = layers.Concatenate()([x_in, layers.Lambda(keras.ops.abs, name="magnitude")(x_in)]) if magnitude_channel else x_in
    h = layers.Conv1D(hidden_channels, 1, name="lift")(h)
    h = _tcn_stack(h, hidden_channels, dilations, kernel_size, "d")
    h = layers.GlobalAveragePooling1D()(h)
    h = layers.Dense(hidden_channels, activation="leaky_relu")(h)
    return keras.Model(x_in, layers.Dense(1, name="logit")(h), name=name)


# --- Tabular generator heads (lessons 07-09) ---------------------------------------------


@keras.saving.register_keras_serializable(package="gan_lessons")
class TabularHeads(layers.Layer):
    """Per-block output activations of a tabular generator (CTGAN, Xu et al. 2019, sec. 4.3).

    The input (batch, sum of widths) is cut into blocks given by ``heads``, a list of
    ``("tanh", width)`` or ``("softmax", width)`` (``TabularEncoder.heads``). ``tanh``
    blocks give the normalised values alpha in (-1, 1); ``softmax`` blocks give the
    mode indicators and one-hot categories. In training a softmax block is a
    Gumbel-softmax (Jang et al. 2017, eq. 1),

        y_i = exp((l_i + g_i) / tau) / sum_j exp((l_j + g_j) / tau),  g_i ~ Gumbel(0, 1),

    so that the discriminator sees nearly one-hot vectors, like the real ones, while
    gradients still flow; at inference it is the plain softmax (the probabilities,
    from which :meth:`TabularEncoder.harden` draws the category).
    """

    def __init__(self, heads: Sequence[Sequence[Any]], temperature: float = 0.2, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.heads = [(str(activation), int(width)) for activation, width in heads]
        if not self.heads:
            raise ValueError("heads must list at least one (activation, width) block, got none")
        for activation, width in self.heads:
            if activation not in ("tanh", "softmax") or width < 1:
                raise ValueError(f"each head must be ('tanh' | 'softmax', width >= 1), got {(activation, width)}")
        if not temperature > 0:
            raise ValueError(f"temperature must be > 0, got {temperature}")
        self.temperature = float(temperature)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, logits: Any, training: bool = False) -> Any:
        pieces, start = [], 0
        for activation, width in self.heads:
            block = logits[:, start : start + width]
            if activation == "tanh":
                pieces.append(keras.ops.tanh(block))
            elif training:
                uniform = keras.random.uniform(keras.ops.shape(block), minval=1e-10, maxval=1.0, seed=self.seed_generator)
                gumbel = -keras.ops.log(-keras.ops.log(uniform))
                pieces.append(keras.ops.softmax((block + gumbel) / self.temperature, axis=-1))
            else:
                pieces.append(keras.ops.softmax(block, axis=-1))
            start += width
        return keras.ops.concatenate(pieces, axis=-1)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "heads": self.heads, "temperature": self.temperature, "seed": self.seed}


def tabular_generator(
    latent_dim: int,
    heads: Sequence[Sequence[Any]],
    condition_dim: int = 0,
    hidden_units: Sequence[int] = (256, 256),
    temperature: float = 0.2,
    seed: int | None = None,
    name: str = "generator",
) -> keras.Model:
    """Generator for encoded tables: MLP (Dense, BatchNorm, ReLU) then :class:`TabularHeads`.

    Input ``z`` (batch, latent_dim) and, if ``condition_dim > 0``, a condition
    (batch, condition_dim); output (batch, sum of head widths) laid out like
    ``TabularEncoder.transform``. CTGAN's generator also uses batch normalisation.
    """
    latent_dim = _positive_int(latent_dim, "latent_dim")
    width = sum(int(block[1]) for block in heads)
    model_inputs, x = _inputs(latent_dim, condition_dim, "z")
    for units in _hidden_units(hidden_units):
        x = layers.Dense(units)(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
    logits = layers.Dense(_positive_int(width, "total width of heads"), name="logits")(x)
    outputs = TabularHeads(heads, temperature=temperature, seed=seed, name="heads")(logits)
    return keras.Model(model_inputs if condition_dim else model_inputs[0], outputs, name=name)


def tabular_discriminator(
    input_dim: int,
    condition_dim: int = 0,
    hidden_units: Sequence[int] = (256, 256),
    dropout: float = 0.5,
    name: str = "discriminator",
) -> keras.Model:
    """Discriminator for encoded tables: MLP with LeakyReLU(0.2) and dropout, one raw output.

    As CTGAN's (without its packing of several rows): input (batch, input_dim) and the
    condition; output (batch, 1), read as a logit or a critic score by the loss.
    """
    input_dim = _positive_int(input_dim, "input_dim")
    dropout = _dropout_rate(dropout)
    model_inputs, x = _inputs(input_dim, condition_dim, "x")
    for units in _hidden_units(hidden_units):
        x = layers.Dense(units)(x)
        x = layers.LeakyReLU(negative_slope=0.2)(x)
        if dropout:
            x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(1, name="logit")(x)
    return keras.Model(model_inputs if condition_dim else model_inputs[0], outputs, name=name)
