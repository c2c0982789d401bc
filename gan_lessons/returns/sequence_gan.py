""":class:`SequenceGAN`: the course's one training loop on noise sequences.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
from numpy.typing import NDArray

from gan_lessons._checks import non_negative_int, positive_int
from gan_lessons.noise import normal_noise
from gan_lessons.training import GAN


@keras.saving.register_keras_serializable(package="gan_lessons")
class SequenceGAN(GAN):
    """A :class:`GAN` whose generator maps a noise *sequence* to a sample sequence.

    The training loop is :class:`GAN`'s, unchanged. What differs is the noise: a
    temporal-convolution generator (e.g. :func:`gan_lessons.returns.tcn_generator`)
    turns noise of length ``length + noise_padding`` into ``length`` outputs, where
    ``noise_padding`` is the receptive field it consumes. Training uses windows of
    ``window_length`` days; :meth:`sample` may ask for any ``length`` (a 20-year
    path from a generator trained on 128-day windows).

    Args:
        generator: input (batch, None, noise_channels), output (batch, None, 1).
        discriminator: input (batch, window_length, 1), output (batch, 1).
        window_length: days per training window, >= 1.
        noise_padding: how many noise steps the generator consumes beyond its
            output length, >= 0: for :func:`gan_lessons.returns.tcn_generator` its
            receptive field, :func:`gan_lessons.returns.tcn_receptive_field` of its
            dilations. Checked on the networks' shapes, without running them.
        Other arguments as for :class:`GAN`.
    """

    #: XLA on: lesson 06's training step ran about 2 times faster with it on the 2-core
    #: CPU of the course report (2-3 times in two runs of reports/levers.md, row xla_tcn), after
    #: about 8 s of compilation. Train several seeds with one GAN and
    #: :meth:`GAN.restart_from`, so that it compiles once: TensorFlow keeps every XLA
    #: program it compiles, about 200 MB for each new SequenceGAN.
    jit_compile_default = True

    #: Noise steps per batch that :meth:`sample` sends through the generator by default.
    SAMPLE_STEPS_PER_BATCH = 16384

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        window_length: int,
        noise_padding: int,
        **kwargs: Any,
    ) -> None:
        window_length = positive_int(window_length, "window_length")
        noise_padding = non_negative_int(noise_padding, "noise_padding")
        for role, model in (("generator", generator), ("discriminator", discriminator)):
            if not isinstance(model, keras.Model):
                raise TypeError(f"{role} must be a keras.Model, got {type(model).__name__}")
        noise_shape = generator.inputs[0].shape
        if len(noise_shape) != 3 or noise_shape[-1] is None:
            raise ValueError(
                "generator must take noise of shape (batch, time, channels) with a known "
                f"channel count, got input shape {tuple(noise_shape)}"
            )
        channels = int(noise_shape[-1])
        noise_length = window_length + noise_padding
        try:
            output_shape = generator.compute_output_shape((None, noise_length, channels))
        except ValueError as error:
            raise ValueError(
                f"the generator cannot turn {noise_length} noise steps (window_length {window_length} + "
                f"noise_padding {noise_padding}) into a sequence: {error}"
            ) from error
        if output_shape[1] != window_length:
            raise ValueError(
                f"the generator turns window_length + noise_padding = {noise_length} noise steps into "
                f"{output_shape[1]} outputs, expected window_length = {window_length}; noise_padding "
                f"must be its receptive field, {noise_length - output_shape[1]} for this generator "
                "(tcn_receptive_field of its dilations)"
            )
        try:
            discriminator.compute_output_shape((None, window_length, output_shape[-1]))
        except ValueError as error:
            raise ValueError(
                f"the discriminator cannot read windows of window_length = {window_length} steps; is the "
                f"window shorter than its receptive field (tcn_receptive_field of its dilations)? ({error})"
            ) from error
        self.window_length = window_length
        self.noise_padding = noise_padding
        super().__init__(generator, discriminator, latent_shape=(noise_length, channels), **kwargs)
        self.sample_shape = (window_length, int(output_shape[-1]))

    def get_config(self) -> dict[str, Any]:
        """:meth:`GAN.get_config` with the window and padding, from which the noise shape follows."""
        config = super().get_config()
        del config["latent_shape"]
        return {**config, "window_length": self.window_length, "noise_padding": self.noise_padding}

    def noise(
        self, batch_size: Any, seed: int | None = None, length: int | None = None, truncation: float | None = None
    ) -> Any:
        """Standard normal noise of shape ``(batch_size, length + noise_padding, channels)``;
        ``length`` defaults to ``window_length`` (what training uses), ``truncation`` as
        for :meth:`GAN.noise`."""
        length = self.window_length if length is None else positive_int(length, "length")
        shape = (batch_size, length + self.noise_padding, self.latent_shape[-1])
        return normal_noise(shape, self.seed_generator if seed is None else seed, truncation)

    def sample(
        self,
        n: int,
        seed: int | None = None,
        length: int | None = None,
        batch_size: int | None = None,
        truncation: float | None = None,
    ) -> NDArray[np.float32]:
        """``n`` generated sequences of ``length`` steps (default ``window_length``),
        shape ``(n, length, 1)``. With ``seed`` the same sequences come back every call.

        ``batch_size`` sequences go through the generator at a time; by default as many
        as hold about :attr:`SAMPLE_STEPS_PER_BATCH` noise steps (129 of lesson 06's
        64-day windows, 4 paths of 16 years): the generator's working memory grows with the steps in
        a batch, about 200 MB for 20 paths of 16 years at once.
        """
        n = positive_int(n, "n")
        z = self.noise(n, seed=seed, length=length, truncation=truncation)
        if batch_size is None:
            batch_size = max(1, self.SAMPLE_STEPS_PER_BATCH // int(z.shape[1]))
        batch_size = positive_int(batch_size, "batch_size")
        return self._generate_in_batches(z, None, batch_size)
