"""Tabular builders: a generator with one output head per encoded column, and its discriminator.
"""

from __future__ import annotations

from typing import Any, Sequence

import keras
from keras import layers

from gan_lessons._checks import dropout_rate as _dropout_rate
from gan_lessons._checks import positive_float
from gan_lessons._checks import positive_int as _positive_int
from gan_lessons.config import stream_seed
from gan_lessons.models import _hidden_units, _inputs


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
        self.temperature = positive_float(temperature, "temperature")
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(stream_seed(seed, "gumbel heads"))

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
