"""The course's one training loop: :class:`GAN`, a ``keras.Model`` overriding ``train_step``.

Lesson 02 writes the alternating loop out by hand once with ``tf.GradientTape``;
every later lesson trains through this class, changing arguments (the loss pair,
``d_steps``, a gradient penalty, a condition), never the code.

Resuming after an interruption uses Keras' own callback::

    gan.fit(dataset, epochs=20, steps_per_epoch=100,
            callbacks=[keras.callbacks.BackupAndRestore("backups/ring")])

Run the same cell again after an interruption and training restarts from the
last finished epoch, with the weights, both optimizers' state and the noise
generator's state as they were then.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import keras
import numpy as np
import tensorflow as tf
from numpy.typing import ArrayLike, NDArray

from gan_lessons._checks import finite_array, non_negative_float, positive_float, positive_int
from gan_lessons.losses import LossPair, get_loss_pair, gradient_penalty

if keras.backend.backend() != "tensorflow":  # pragma: no cover - depends on the user's setup
    raise ImportError(
        "gan_lessons trains with TensorFlow; expected KERAS_BACKEND=tensorflow, "
        f"got {keras.backend.backend()!r}"
    )


def _default_optimizer() -> keras.optimizers.Optimizer:
    # Radford et al. (2016): Adam with learning rate 2e-4 and beta_1 = 0.5.
    return keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5)


class GAN(keras.Model):
    """A generator and a discriminator trained by alternating gradient steps.

    Each ``train_step`` on a batch of real data does ``d_steps`` discriminator
    updates (each with fresh noise and the same real batch, as in the Keras WGAN-GP
    example), then one generator update. The losses come from a
    :class:`~gan_lessons.losses.LossPair`, given by name (``"non_saturating"``,
    ``"minimax"``, ``"least_squares"``, ``"least_squares_pearson"``,
    ``"wasserstein"``) or as an object.

    Args:
        generator: maps noise of shape ``(batch, *latent_shape)`` (and a condition,
            if it has two inputs) to samples.
        discriminator: maps samples (and the condition) to ``(batch, 1)`` raw outputs.
        loss: the loss pair.
        d_steps: discriminator updates per generator update, >= 1.
        gradient_penalty_weight: lambda of the WGAN-GP penalty (0 turns it off).
        latent_shape: shape of one noise sample; read from the generator's input
            when omitted.
        seed: seed of the GAN's own ``keras.random.SeedGenerator`` (noise in
            training and in :meth:`sample`).
        ema_decay: if given, in [0, 1): keep an exponential moving average of the
            generator's weights (Yazici et al. 2019), updated after every generator
            step as ``ema = ema_decay * ema + (1 - ema_decay) * weights`` and started
            from the initial weights; :meth:`sample` and
            :class:`SampleSnapshots` then use the averaged copy,
            ``ema_generator``. BatchNorm's moving statistics are averaged the same
            way. ``None`` (default): no average, samples come from ``generator``.

    Data: ``fit`` takes batches of real samples ``x`` or pairs ``(x, condition)``.
    After ``fit``, ``loss_history`` holds the losses of every generator step.
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        loss: str | LossPair = "non_saturating",
        d_steps: int = 1,
        gradient_penalty_weight: float = 0.0,
        latent_shape: Sequence[int] | None = None,
        seed: int | None = None,
        ema_decay: float | None = None,
        name: str = "gan",
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name, **kwargs)
        for role, model in (("generator", generator), ("discriminator", discriminator)):
            if not isinstance(model, keras.Model):
                raise TypeError(f"{role} must be a keras.Model, got {type(model).__name__}")
        self.loss_pair = get_loss_pair(loss)
        self.d_steps = positive_int(d_steps, "d_steps")
        self.gradient_penalty_weight = non_negative_float(gradient_penalty_weight, "gradient_penalty_weight")
        self.generator = generator
        self.discriminator = discriminator
        self.conditional = len(generator.inputs) == 2
        if len(discriminator.inputs) != len(generator.inputs):
            raise ValueError(
                "generator and discriminator must both take a condition or both not; got "
                f"{len(generator.inputs)} generator input(s) and {len(discriminator.inputs)} "
                "discriminator input(s)"
            )
        if latent_shape is None:
            latent_shape = tuple(generator.inputs[0].shape[1:])
        self.latent_shape = tuple(latent_shape)
        if any(dim is None or int(dim) < 1 for dim in self.latent_shape):
            raise ValueError(
                "latent_shape must be fully known positive sizes; the generator's input is "
                f"{tuple(generator.inputs[0].shape[1:])}, so pass latent_shape=... explicitly"
            )
        self.sample_shape = tuple(generator.outputs[0].shape[1:])
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.ema_decay = None if ema_decay is None else non_negative_float(ema_decay, "ema_decay")
        self.ema_generator: keras.Model | None = None
        if self.ema_decay is not None:
            if self.ema_decay >= 1:
                raise ValueError(f"ema_decay must be in [0, 1), got {ema_decay}")
            self.ema_generator = keras.models.clone_model(generator)
            self.ema_generator.set_weights(generator.get_weights())
            self.ema_generator.trainable = False  # changed only by update_ema, never by an optimizer
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.loss_history: dict[str, list[float]] = {"d_loss": [], "g_loss": []}
        self.built = True

    @property
    def latent_dim(self) -> int:
        """Number of noise values per sample (the product of ``latent_shape``)."""
        return int(np.prod(self.latent_shape))

    @property
    def sampling_generator(self) -> keras.Model:
        """The network that :meth:`sample` uses: ``ema_generator`` when ``ema_decay``
        is set, else ``generator``."""
        return self.generator if self.ema_generator is None else self.ema_generator

    @property
    def metrics(self) -> list[keras.metrics.Metric]:
        # Listed here so that Keras resets the running means at each epoch.
        return [self.d_loss_tracker, self.g_loss_tracker]

    def compile(
        self,
        d_optimizer: keras.optimizers.Optimizer | None = None,
        g_optimizer: keras.optimizers.Optimizer | None = None,
        **kwargs: Any,
    ) -> None:
        """Set both optimizers (default: Adam, learning rate 2e-4, beta_1 0.5).

        The optimizers are built here, so that their state exists before a
        ``BackupAndRestore`` callback restores it.
        """
        # Keras' own single optimizer is not used: GAN keeps one per network. Passing
        # None stops Keras from creating an RMSprop that would be saved and restored.
        super().compile(optimizer=None, **kwargs)
        self.d_optimizer = d_optimizer or _default_optimizer()
        self.g_optimizer = g_optimizer or _default_optimizer()
        if self.d_optimizer is self.g_optimizer:
            raise ValueError(
                "d_optimizer and g_optimizer must be two optimizer objects, got the same one twice"
            )
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.g_optimizer.build(self.generator.trainable_variables)

    def call(self, inputs: Any, training: bool = False) -> Any:
        """Generate samples from noise ``z`` (or ``[z, condition]``)."""
        return self.generator(inputs, training=training)

    def noise(self, batch_size: Any, seed: int | None = None, truncation: float | None = None) -> Any:
        """Standard normal noise of shape ``(batch_size, *latent_shape)``.

        ``truncation`` t > 0 gives the truncation trick (Marchesi 2017; Brock et al.
        2019) for sampling: every value comes from the standard normal restricted to
        [-t, t], the distribution one gets by redrawing each |z_i| > t until none is
        left. It is drawn by inverting the normal CDF, |z| = -Phi^-1(Phi(-t) + w (1/2 -
        Phi(-t))) with w ~ U[0, 1) and a random sign. This is *not* the distribution G
        was trained on. ``None`` (default): untruncated noise, as in training.
        """
        seed = self.seed_generator if seed is None else seed
        shape = (batch_size, *self.latent_shape)
        if truncation is None:
            return keras.random.normal(shape, seed=seed)
        t = positive_float(truncation, "truncation")
        lower_tail = 0.5 * math.erfc(t / math.sqrt(2.0))  # Phi(-t)
        # One uniform draw in (-1, 1) gives both the sign and w = |u|: two draws with the
        # same integer seed would not be independent.
        u = keras.random.uniform(shape, minval=-1.0, maxval=1.0, dtype="float64", seed=seed)
        magnitude = -tf.math.ndtri(lower_tail + tf.abs(u) * (0.5 - lower_tail))
        magnitude = tf.minimum(magnitude, t)  # round-off (or Phi(-t) = 0 for huge t) stays inside [-t, t]
        return tf.cast(tf.where(u < 0, -magnitude, magnitude), "float32")

    def _generate(self, z: Any, condition: Any, training: bool, network: keras.Model | None = None) -> Any:
        inputs = z if condition is None else [z, condition]
        return (network or self.generator)(inputs, training=training)

    def _discriminate(self, x: Any, condition: Any, training: bool) -> Any:
        inputs = x if condition is None else [x, condition]
        return self.discriminator(inputs, training=training)

    def _unpack(self, data: Any) -> tuple[Any, Any]:
        if isinstance(data, (tuple, list)):
            if len(data) == 1:
                data = data[0]
            elif len(data) == 2:
                real, condition = data
                if not self.conditional:
                    raise ValueError(
                        "this GAN is unconditional, so batches must be x alone; got (x, condition)"
                    )
                return real, condition
            else:
                raise ValueError(f"expected a batch x or (x, condition), got {len(data)} items")
        if self.conditional:
            raise ValueError(
                "this GAN is conditional, so batches must be (x, condition); got x alone"
            )
        return data, None

    def gradient_penalty(self, real: Any, fake: Any, condition: Any, per_example: bool = False) -> Any:
        """The WGAN-GP term of D on interpolates of ``real`` and ``fake``, weighted by
        ``gradient_penalty_weight`` (see :func:`gan_lessons.losses.gradient_penalty`);
        the mean, or each example's term with ``per_example=True``."""
        return gradient_penalty(
            lambda x: self._discriminate(x, condition, training=True),
            real,
            fake,
            weight=self.gradient_penalty_weight,
            seed=self.seed_generator,
            per_example=per_example,
        )

    def discriminator_step(self, real: Any, condition: Any) -> Any:
        """One discriminator update on a real batch; returns the discriminator loss."""
        batch_size = tf.shape(real)[0]
        fake = self._generate(self.noise(batch_size), condition, training=True)
        with tf.GradientTape() as tape:
            d_real = self._discriminate(real, condition, training=True)
            d_fake = self._discriminate(fake, condition, training=True)
            d_loss = self.loss_pair.d_loss(d_real, d_fake)
            if self.gradient_penalty_weight > 0:
                d_loss += self.gradient_penalty(real, fake, condition)
            if self.discriminator.losses:
                d_loss += tf.add_n(self.discriminator.losses)
        variables = self.discriminator.trainable_variables
        self.d_optimizer.apply_gradients(zip(tape.gradient(d_loss, variables), variables))
        return d_loss

    def generator_step(self, batch_size: Any, condition: Any) -> Any:
        """One generator update; returns the generator loss."""
        z = self.noise(batch_size)
        with tf.GradientTape() as tape:
            fake = self._generate(z, condition, training=True)
            g_loss = self.loss_pair.g_loss(self._discriminate(fake, condition, training=True))
            if self.generator.losses:
                g_loss += tf.add_n(self.generator.losses)
        variables = self.generator.trainable_variables
        self.g_optimizer.apply_gradients(zip(tape.gradient(g_loss, variables), variables))
        return g_loss

    def update_ema(self) -> None:
        """One step of the weight average: ``ema = d * ema + (1 - d) * weights`` for
        every generator variable (trainable or not); nothing without ``ema_decay``."""
        if self.ema_generator is None:
            return
        decay = self.ema_decay
        for averaged, current in zip(self.ema_generator.weights, self.generator.weights):
            averaged.assign(decay * averaged + (1.0 - decay) * current)

    def train_step(self, data: Any) -> dict[str, Any]:
        """``d_steps`` discriminator updates, then one generator update."""
        real, condition = self._unpack(data)
        for _ in range(self.d_steps):
            d_loss = self.discriminator_step(real, condition)
        g_loss = self.generator_step(tf.shape(real)[0], condition)
        self.update_ema()
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {
            "d_loss": self.d_loss_tracker.result(),
            "g_loss": self.g_loss_tracker.result(),
            "d_loss_step": d_loss,
            "g_loss_step": g_loss,
        }

    def fit(self, *args: Any, callbacks: list[keras.callbacks.Callback] | None = None, **kwargs: Any) -> Any:
        """``keras.Model.fit`` that also records every step's losses in ``loss_history``."""
        if getattr(self, "d_optimizer", None) is None:
            raise ValueError("call gan.compile() before gan.fit()")
        x = args[0] if args else kwargs.get("x")
        if isinstance(x, np.ndarray):
            finite_array(x, "training data")
        if isinstance(x, tf.data.Dataset):
            # make_dataset shuffles already; Keras warns if asked to shuffle again.
            kwargs.setdefault("shuffle", False)
        recorder = _StepLossRecorder(self.loss_history)
        return super().fit(*args, callbacks=[recorder, *(callbacks or [])], **kwargs)

    _SEED_STATE_KEY = "seed_generator_state"

    def save_own_variables(self, store: Any) -> None:
        """Save the noise generator's state with the weights, so a resumed run
        draws the same noise as an uninterrupted one."""
        super().save_own_variables(store)
        store[self._SEED_STATE_KEY] = keras.ops.convert_to_numpy(self.seed_generator.state)

    def load_own_variables(self, store: Any) -> None:
        """Load what :meth:`save_own_variables` saved."""
        own_variables = self._trainable_variables + self._non_trainable_variables
        for index, variable in enumerate(own_variables):
            variable.assign(store[f"{index}"])
        if self._SEED_STATE_KEY in store.keys():
            self.seed_generator.state.assign(store[self._SEED_STATE_KEY])

    def sample(
        self,
        n: int,
        seed: int | None = None,
        conditions: ArrayLike | None = None,
        batch_size: int = 1024,
        truncation: float | None = None,
    ) -> NDArray[np.float32]:
        """``n`` generated samples as a NumPy array of shape ``(n, *sample_shape)``.

        With ``seed`` the same samples come back every call; without it the GAN's
        own seed generator advances. A conditional GAN needs ``conditions`` with
        ``n`` rows. ``truncation`` t samples from noise truncated to [-t, t] (see
        :meth:`noise`), a different distribution from the one trained on;
        ``None`` (default) samples the untruncated one.
        """
        n = positive_int(n, "n")
        z = self.noise(n, seed=seed, truncation=truncation)
        if self.conditional:
            if conditions is None:
                raise ValueError("this GAN is conditional: pass conditions with n rows")
            conditions = finite_array(conditions, "conditions", ndim=2)
            if conditions.shape[0] != n:
                raise ValueError(f"conditions must have n={n} rows, got {conditions.shape[0]}")
        elif conditions is not None:
            raise ValueError("this GAN is unconditional; conditions must be None")
        return self._generate_in_batches(z, conditions, batch_size)

    def _generate_in_batches(self, z: Any, conditions: Any, batch_size: int) -> NDArray[np.float32]:
        """The generator's outputs for noise ``z`` (and conditions), ``batch_size`` rows at a time."""
        pieces = []
        for start in range(0, int(z.shape[0]), batch_size):
            stop = start + batch_size
            # A tensor, not a NumPy slice: Keras refuses a list mixing the two as inputs.
            condition = None if conditions is None else keras.ops.convert_to_tensor(conditions[start:stop])
            samples = self._generate(z[start:stop], condition, training=False, network=self.sampling_generator)
            pieces.append(keras.ops.convert_to_numpy(samples))
        return np.concatenate(pieces).astype(np.float32)


class _StepLossRecorder(keras.callbacks.Callback):
    """Appends each step's losses to a dict of lists (``GAN.loss_history``).

    The step's loss tensors are kept as they are and turned into floats at the end
    of each epoch: converting them at every step would make Python wait for each
    step to finish before queueing the next (the course benchmark measured that
    wait at several percent of a DCGAN step).
    """

    def __init__(self, history: dict[str, list[float]]) -> None:
        super().__init__()
        self.history = history
        self._pending: list[tuple[Any, Any]] = []

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        if logs:
            self._pending.append((logs["d_loss_step"], logs["g_loss_step"]))

    def _flush(self) -> None:
        for d_loss, g_loss in self._pending:
            self.history["d_loss"].append(float(d_loss))
            self.history["g_loss"].append(float(g_loss))
        self._pending.clear()

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._flush()

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        # Steps of an epoch cut short by an exception never reach the history, which
        # matches BackupAndRestore: it resumes from the last finished epoch.
        self._flush()


class SampleSnapshots(keras.callbacks.Callback):
    """Keeps samples from a fixed noise batch every ``every`` epochs, for plotting.

    Reusing the same ``fixed_noise`` makes the snapshots comparable: changes
    between them come from training, not from new noise. ``snapshots`` is a list of
    ``(epoch, samples)`` with epoch 0 taken before training starts. Samples come
    from ``gan.sampling_generator`` (the weight average when the GAN keeps one).
    """

    def __init__(self, fixed_noise: ArrayLike, every: int = 1, conditions: ArrayLike | None = None) -> None:
        super().__init__()
        self.fixed_noise = finite_array(fixed_noise, "fixed_noise")
        self.conditions = None if conditions is None else finite_array(conditions, "conditions", ndim=2)
        self.every = positive_int(every, "every")
        self.snapshots: list[tuple[int, NDArray[np.float32]]] = []

    def _take(self, epoch: int) -> None:
        noise = keras.ops.convert_to_tensor(self.fixed_noise)
        inputs: Any = noise if self.conditions is None else [noise, keras.ops.convert_to_tensor(self.conditions)]
        samples = keras.ops.convert_to_numpy(self.model.sampling_generator(inputs, training=False))
        self.snapshots.append((epoch, samples))

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        if not self.snapshots:
            self._take(0)

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        if (epoch + 1) % self.every == 0:
            self._take(epoch + 1)


def make_dataset(
    x: ArrayLike,
    batch_size: int,
    seed: int,
    conditions: ArrayLike | None = None,
) -> tf.data.Dataset:
    """A shuffled, repeating ``tf.data.Dataset`` of batches of ``x`` (and conditions).

    Batches have exactly ``batch_size`` rows (the last partial batch of each pass
    is dropped), so pass ``steps_per_epoch`` to ``fit``. ``x`` is checked for
    NaN/inf; ``batch_size`` may not exceed the number of rows.
    """
    x = finite_array(x, "x")
    batch_size = positive_int(batch_size, "batch_size")
    if x.ndim < 2:
        raise ValueError(f"x must have shape (n, ...features), got shape {x.shape}; use x[:, None]")
    if batch_size > len(x):
        raise ValueError(f"batch_size must be at most the number of rows ({len(x)}), got {batch_size}")
    tensors: Any = x
    if conditions is not None:
        conditions = finite_array(conditions, "conditions", ndim=2)
        if len(conditions) != len(x):
            raise ValueError(
                f"conditions must have one row per sample ({len(x)}), got {len(conditions)}"
            )
        tensors = (x, conditions)
    dataset = tf.data.Dataset.from_tensor_slices(tensors)
    dataset = dataset.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    return dataset.repeat().batch(batch_size, drop_remainder=True).prefetch(tf.data.AUTOTUNE)


# --- Sequences of any length (lesson 06) ----------------------------------------------


class SequenceGAN(GAN):
    """A :class:`GAN` whose generator maps a noise *sequence* to a sample sequence.

    The training loop is :class:`GAN`'s, unchanged. What differs is the noise: a
    temporal-convolution generator (e.g. :func:`gan_lessons.models.tcn_generator`)
    turns noise of length ``length + noise_padding`` into ``length`` outputs, where
    ``noise_padding`` is the receptive field it consumes. Training uses windows of
    ``window_length`` days; :meth:`sample` may ask for any ``length`` (a 20-year
    path from a generator trained on 128-day windows).

    Args:
        generator: input (batch, None, noise_channels), output (batch, None, 1).
        discriminator: input (batch, window_length, 1), output (batch, 1).
        window_length: days per training window, >= 1.
        Other arguments as for :class:`GAN`.
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        window_length: int,
        **kwargs: Any,
    ) -> None:
        window_length = positive_int(window_length, "window_length")
        if not isinstance(generator, keras.Model):
            raise TypeError(f"generator must be a keras.Model, got {type(generator).__name__}")
        noise_shape = generator.inputs[0].shape
        if len(noise_shape) != 3 or noise_shape[-1] is None:
            raise ValueError(
                "generator must take noise of shape (batch, time, channels) with a known "
                f"channel count, got input shape {tuple(noise_shape)}"
            )
        # Probe the generator once: the length it consumes is the same for every input.
        probe_length = 4 * window_length + 1024
        probe = generator(np.zeros((1, probe_length, noise_shape[-1]), np.float32))
        self.noise_padding = probe_length - int(probe.shape[1])
        self.window_length = window_length
        super().__init__(
            generator,
            discriminator,
            latent_shape=(window_length + self.noise_padding, int(noise_shape[-1])),
            **kwargs,
        )
        self.sample_shape = (window_length, int(generator.outputs[0].shape[-1]))

    def noise(self, batch_size: Any, seed: int | None = None, length: int | None = None) -> Any:
        """Standard normal noise of shape ``(batch_size, length + noise_padding, channels)``;
        ``length`` defaults to ``window_length`` (what training uses)."""
        if length is None:
            return super().noise(batch_size, seed=seed)
        length = positive_int(length, "length")
        return keras.random.normal(
            (batch_size, length + self.noise_padding, self.latent_shape[-1]),
            seed=self.seed_generator if seed is None else seed,
        )

    def sample(
        self,
        n: int,
        seed: int | None = None,
        length: int | None = None,
        batch_size: int = 64,
        **kwargs: Any,
    ) -> NDArray[np.float32]:
        """``n`` generated sequences of ``length`` steps (default ``window_length``),
        shape ``(n, length, 1)``. With ``seed`` the same sequences come back every call."""
        if kwargs:
            raise ValueError(f"SequenceGAN.sample takes no {sorted(kwargs)}; it is unconditional")
        n = positive_int(n, "n")
        z = self.noise(n, seed=seed, length=length or self.window_length)
        return self._generate_in_batches(z, None, batch_size)
