"""The course's one training loop: :class:`GAN`, a ``keras.Model`` overriding ``train_step``.

Lesson 02 writes the alternating loop out by hand once with ``tf.GradientTape``;
every later lesson trains through this class, changing arguments (the loss pair,
``d_steps``, a gradient penalty, a condition), never the code.

Resuming after an interruption::

    gan.fit(make_dataset(x, 64, seed=0), epochs=20, steps_per_epoch=100,
            callbacks=[resume.BackupAndRestore("backups/ring")])

Run the same cell again after an interruption (in the same or a fresh kernel) and
training continues from the last finished epoch as if it had never stopped: same
weights, optimizer state, random draws, data order and ``loss_history``
(:mod:`gan_lessons.resume` lists what is saved). ``GAN`` also round-trips through
``gan.save("gan.keras")`` and ``keras.saving.load_model``.

What ``GAN`` refuses before training (networks that do not fit together, data that
is empty, not finite or out of the generator's range) is in
:mod:`gan_lessons.fit_checks`. The callbacks that go with the class
(:class:`LossHistory`, :class:`SampleSnapshots`) live in :mod:`gan_lessons.callbacks`
and are re-exported here.
"""

from __future__ import annotations

from typing import Any, Sequence

import keras
import numpy as np
import tensorflow as tf
from numpy.typing import ArrayLike, NDArray

from gan_lessons import fit_checks, resume
from gan_lessons._checks import finite_array, non_negative_float, positive_int
from gan_lessons.callbacks import LossHistory, SampleSnapshots
from gan_lessons.config import stream_seed
from gan_lessons.losses import LossPair, get_loss_pair, gradient_penalty
from gan_lessons.noise import normal_noise
from gan_lessons.pipeline import make_dataset
from gan_lessons.progress import ProgressBar, show_progress

if keras.backend.backend() != "tensorflow":  # pragma: no cover - depends on the user's setup
    raise ImportError(
        "gan_lessons trains with TensorFlow; expected KERAS_BACKEND=tensorflow, "
        f"got {keras.backend.backend()!r}"
    )


def _default_optimizer() -> keras.optimizers.Optimizer:
    # Radford et al. (2016): Adam with learning rate 2e-4 and beta_1 = 0.5.
    return keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5)


@keras.saving.register_keras_serializable(package="gan_lessons")
class GAN(resume.SavedGAN):
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
            training and in :meth:`sample`); the generator is seeded with
            :func:`gan_lessons.config.stream_seed` ``(seed, "gan noise")``, so it never
            replays the draws of another generator or of ``sample(n, seed=seed)``.
        ema_decay: if given, in [0, 1): keep an exponential moving average of the
            generator's weights (Yazici et al. 2019), updated after every generator
            step as ``ema = ema_decay * ema + (1 - ema_decay) * weights`` and started
            from the initial weights; :meth:`sample` and
            :class:`SampleSnapshots` then use the averaged copy,
            ``ema_generator``. BatchNorm's moving statistics are averaged the same
            way. ``None`` (default): no average, samples come from ``generator``.
        data_range: the range real samples must lie in, ``(low, high)``;
            ``"auto"`` (default): the range of the generator's output activation
            (tanh: [-1, 1]; none for other outputs); ``None``: no range check.

    Data: ``fit`` takes batches of real samples ``x`` or pairs ``(x, condition)``,
    and refuses data that is empty, not finite or outside ``data_range`` (see
    :mod:`gan_lessons.fit_checks`). After ``fit``, ``loss_history`` holds the
    losses of every generator step, recorded by a
    :class:`~gan_lessons.callbacks.LossHistory` callback that ``fit`` adds unless
    one is passed, and ``steps_trained`` counts the steps. Saving and loading (weights
    files that carry the training state, ``gan.save("gan.keras")``) come from
    :class:`gan_lessons.resume.SavedGAN`.
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
        data_range: str | tuple[float, float] | None = "auto",
        name: str = "gan",
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name, **kwargs)
        self.loss_pair = get_loss_pair(loss)
        self.d_steps = positive_int(d_steps, "d_steps")
        self.gradient_penalty_weight = non_negative_float(gradient_penalty_weight, "gradient_penalty_weight")
        fit_checks.check_networks(generator, discriminator, self.gradient_penalty_weight)
        self.generator = generator
        self.discriminator = discriminator
        self.conditional = len(generator.inputs) == 2
        self.data_range = fit_checks.data_range(data_range, generator)
        self.checked_data = fit_checks.CheckedData(self.data_range)
        # The arguments, for get_config (saving with gan.save).
        self._config = {"d_steps": d_steps, "seed": seed,
                        "gradient_penalty_weight": self.gradient_penalty_weight, "ema_decay": ema_decay,
                        "data_range": data_range, "latent_shape": latent_shape}
        if latent_shape is None:
            latent_shape = tuple(generator.inputs[0].shape[1:])
        self.latent_shape = tuple(latent_shape)
        if any(dim is None or int(dim) < 1 for dim in self.latent_shape):
            raise ValueError(
                "latent_shape must be fully known positive sizes; the generator's input is "
                f"{tuple(generator.inputs[0].shape[1:])}, so pass latent_shape=... explicitly"
            )
        self.sample_shape = tuple(generator.outputs[0].shape[1:])
        self.seed_generator = keras.random.SeedGenerator(stream_seed(seed, "gan noise"))
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
        # Training steps taken; saved with the weights, and where make_dataset's stream starts.
        self.steps_trained = keras.Variable(0, dtype="int64", trainable=False, name="steps_trained")
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

    #: Whether ``compile`` turns XLA on unless told otherwise. Measured by
    #: tools/bench_levers.py (reports/levers.md): per step on the 2-core CPU measured,
    #: XLA made the DCGAN 1.5-2 times and the temporal-convolution GAN 2-3 times faster
    #: (two runs), the ring MLP no faster, the tabular GAN 0.6 and 1.2 times (its lesson:
    #: no faster, 430 MB more), PrivateGAN's per-example gradients many times slower. Each compiled GAN keeps its XLA programs in memory until
    #: the process ends (tensorflow/tensorflow#64170), so a lesson that builds a GAN
    #: per seed grows by each one's programs unless it reuses one GAN
    #: (:meth:`restart_from`). Off here; a subclass turns it on where it pays
    #: (:class:`gan_lessons.returns.SequenceGAN`), ``compile(jit_compile=True)`` for one GAN.
    jit_compile_default: bool = False

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
        ``BackupAndRestore`` callback restores it. ``jit_compile`` (a Keras option)
        defaults to the class's :attr:`jit_compile_default`, on CPU as on GPU.
        """
        # Keras' own single optimizer is not used: GAN keeps one per network. Passing
        # None stops Keras from creating an RMSprop that would be saved and restored.
        # XLA: Keras' "auto" turns it off on every CPU-only machine; the course decides per
        # class by measurement instead (see jit_compile_default).
        if kwargs.get("jit_compile", "auto") == "auto":
            kwargs["jit_compile"] = self.jit_compile_default
        super().compile(optimizer=None, **kwargs)
        self._compile_options = dict(kwargs)
        self.d_optimizer = d_optimizer or _default_optimizer()
        self.g_optimizer = g_optimizer or _default_optimizer()
        if self.d_optimizer is self.g_optimizer:
            raise ValueError(
                "d_optimizer and g_optimizer must be two optimizer objects, got the same one twice"
            )
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.g_optimizer.build(self.generator.trainable_variables)

    def restart_from(self, fresh: GAN) -> GAN:
        """Start this GAN again from ``fresh``'s starting point and return it.

        ``fresh`` is a compiled GAN of the same class and arguments (another seed
        allowed); its weights, optimizers' state, random-number generators and
        history are copied in (:func:`gan_lessons.resume.copy_training_state`),
        and training then gives the numbers ``fresh`` would give. What is kept is
        this GAN's compiled training step. With XLA that matters: TensorFlow keeps
        every XLA program it has compiled until the process ends (tensorflow/
        tensorflow#64170), so a new GAN per seed adds its programs each time, while
        one GAN restarted per seed compiles once.
        """
        if not isinstance(fresh, GAN):
            raise TypeError(f"fresh must be a GAN, got {type(fresh).__name__}")
        resume.copy_training_state(fresh, self)
        self._config["seed"] = fresh._config["seed"]
        return self

    def call(self, inputs: Any, training: bool = False) -> Any:
        """Generate samples from noise ``z`` (or ``[z, condition]``)."""
        return self.generator(inputs, training=training)

    def noise(self, batch_size: Any, seed: int | None = None, truncation: float | None = None) -> Any:
        """Standard normal noise of shape ``(batch_size, *latent_shape)``, from the GAN's
        own seed generator unless ``seed`` is given; ``truncation`` t draws it truncated
        to [-t, t] (:func:`gan_lessons.noise.truncated_normal`), which is *not* the
        distribution G was trained on. ``None`` (default): untruncated, as in training."""
        return normal_noise((batch_size, *self.latent_shape), self.seed_generator if seed is None else seed, truncation)

    def _generate(self, z: Any, condition: Any, training: bool, network: keras.Model | None = None) -> Any:
        inputs = z if condition is None else [z, condition]
        return (network or self.generator)(inputs, training=training)

    def _discriminate(self, x: Any, condition: Any, training: bool) -> Any:
        inputs = x if condition is None else [x, condition]
        return self.discriminator(inputs, training=training)

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
        real, condition = fit_checks.unpack_batch(data, self.conditional, self.data_range)
        # Nothing in the step runs before its batch has arrived: otherwise the parts that
        # do not read it (noise draws, the generator's update) could run even when the
        # input pipeline refuses the batch (fit_checks.check_batches).
        with tf.control_dependencies(tf.nest.flatten(data)):
            for _ in range(self.d_steps):
                d_loss = self.discriminator_step(real, condition)
            g_loss = self.generator_step(tf.shape(real)[0], condition)
            self.update_ema()
            self.d_loss_tracker.update_state(d_loss)
            self.g_loss_tracker.update_state(g_loss)
            self.steps_trained.assign_add(1)
        # This step's losses. The keys are the trackers' names, so Keras reports the
        # trackers' running means at the end of each epoch and these values at each
        # step, where LossHistory reads them.
        return {"d_loss": d_loss, "g_loss": g_loss}

    def fit(self, *args: Any, callbacks: list[keras.callbacks.Callback] | None = None, **kwargs: Any) -> Any:
        """``keras.Model.fit`` after the checks of :mod:`gan_lessons.fit_checks`.

        A dataset's batches are checked as they arrive; at a refused one ``fit``
        stops with a ``ValueError`` (the steps before it are trained and recorded).
        A :func:`make_dataset` stream starts at ``steps_trained`` (read after a
        backup is restored). A :class:`LossHistory` is added unless one is passed,
        and placed first, so that a backup taken at the end of an epoch holds the
        epoch's losses; a :class:`~gan_lessons.progress.ProgressBar` too, unless one is
        passed or ``GAN_LESSONS_QUIET=1``.
        """
        if getattr(self, "d_optimizer", None) is None:
            raise ValueError("call gan.compile() before gan.fit()")
        x, args = (args[0], args[1:]) if args else (kwargs.pop("x", None), ())
        fit_checks.check_data(x, self.data_range)
        rank = 2
        if isinstance(x, tf.data.Dataset):
            # make_dataset shuffles already; Keras warns if asked to shuffle again.
            kwargs.setdefault("shuffle", False)
            rank = len(tf.nest.flatten(x.element_spec)[0].shape)
            x = self.checked_data.stream(x, self.steps_trained)
        callbacks = list(callbacks or [])
        histories = [callback for callback in callbacks if isinstance(callback, LossHistory)] or [LossHistory()]
        others = [callback for callback in callbacks if not isinstance(callback, LossHistory)]
        if show_progress() and not any(isinstance(callback, ProgressBar) for callback in others):
            others.append(ProgressBar())  # one line that updates; GAN_LESSONS_QUIET=1 turns it off
        # Keras keeps the epoch a backup restored for every later fit call; each call starts afresh.
        self._initial_epoch = None
        try:
            return super().fit(x, *args, callbacks=[*histories, fit_checks.EmptyEpochCheck(), *others], **kwargs)
        except tf.errors.InvalidArgumentError as error:
            message = fit_checks.refusal_message(error, self.data_range, rank)
            if message is None:
                raise
            for history in histories:
                history.keep_pending()
            raise ValueError(message) from None

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


__all__ = ["GAN", "LossHistory", "SampleSnapshots", "make_dataset"]
