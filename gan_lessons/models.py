"""Multilayer-perceptron builders shared by the toy lessons and the others.

Every builder returns a functional ``keras.Model``. Discriminators end in one linear
unit (a logit or a raw score): the loss decides how to read it, see
:mod:`gan_lessons.losses`. With ``condition_dim > 0`` a model takes two inputs,
``[z, condition]`` or ``[x, condition]``, and concatenates them; that is how ``GAN``
conditions on a label. The builders of each domain live in its subpackage
(:mod:`gan_lessons.images.models`, :mod:`gan_lessons.returns.models`,
:mod:`gan_lessons.tables.models`).
"""

from __future__ import annotations

from typing import Sequence

import keras
from keras import layers

from gan_lessons._checks import non_negative_int, positive_ints
from gan_lessons._checks import positive_int as _positive_int


def _hidden_units(hidden_units: Sequence[int]) -> list[int]:
    return positive_ints(hidden_units, "hidden_units", "(128, 128)", "layer width")


def _inputs(dim: int, condition_dim: int, name: str) -> tuple[list[keras.KerasTensor], keras.KerasTensor]:
    main = keras.Input(shape=(dim,), name=name)
    condition_dim = non_negative_int(condition_dim, "condition_dim")
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
    spectral_normalization: bool = False,
    name: str = "discriminator",
) -> keras.Model:
    """MLP discriminator D: R^input_dim -> one logit (or raw score).

    Input ``x`` of shape (batch, input_dim); output (batch, 1) with no activation:
    the cross-entropy losses read it as a logit, least squares and WGAN as a score.
    ``spectral_normalization=True`` wraps every Dense layer in
    ``keras.layers.SpectralNormalization`` (Miyato et al. 2018, eq. 8): in training,
    each kernel W is replaced by W / sigma(W), sigma estimated by one power
    iteration per step, so each layer is 1-Lipschitz and so is D (LeakyReLU and
    ReLU are 1-Lipschitz too).
    """
    input_dim = _positive_int(input_dim, "input_dim")
    if not isinstance(spectral_normalization, bool):
        raise TypeError(f"spectral_normalization must be True or False, got {spectral_normalization!r}")
    wrap = layers.SpectralNormalization if spectral_normalization else (lambda layer: layer)
    model_inputs, x = _inputs(input_dim, condition_dim, "x")
    for width in _hidden_units(hidden_units):
        x = wrap(layers.Dense(width, activation=activation))(x)
    outputs = wrap(layers.Dense(1, name="logit"))(x)
    return keras.Model(model_inputs if condition_dim else model_inputs[0], outputs, name=name)
