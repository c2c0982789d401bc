"""Temporal-convolution builders for return sequences (lesson 06).

Causal dilated 1-D convolutions with skip connections, as in the TCN of Bai et al.
(2018) and the Quant GANs of Wiese et al. (2020); the generator maps a noise
sequence to a sequence of returns of any length.
"""

from __future__ import annotations

from typing import Any, Sequence

import keras
from keras import layers

from gan_lessons._checks import positive_int as _positive_int
from gan_lessons._checks import positive_ints


@keras.saving.register_keras_serializable(package="gan_lessons")
class Magnitude(layers.Layer):
    """|x|, elementwise: a layer rather than a ``Lambda``, so that a model using it
    can be saved and loaded (``keras.saving.load_model`` refuses Lambda code by default)."""

    def call(self, inputs: Any) -> Any:
        return keras.ops.abs(inputs)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape


def _dilations(dilations: Sequence[int]) -> list[int]:
    return positive_ints(dilations, "dilations", "(1, 2, 4, 8)", "layer")


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
        past = layers.Concatenate()([past, Magnitude(name="magnitude")(past)])
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
    h = layers.Concatenate()([x_in, Magnitude(name="magnitude")(x_in)]) if magnitude_channel else x_in
    h = layers.Conv1D(hidden_channels, 1, name="lift")(h)
    h = _tcn_stack(h, hidden_channels, dilations, kernel_size, "d")
    h = layers.GlobalAveragePooling1D()(h)
    h = layers.Dense(hidden_channels, activation="leaky_relu")(h)
    return keras.Model(x_in, layers.Dense(1, name="logit")(h), name=name)
