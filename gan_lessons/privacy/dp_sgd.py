"""DP-SGD for the discriminator (Abadi et al. 2016): :class:`PrivateGAN`.

A :class:`~gan_lessons.training.GAN` whose discriminator step computes one gradient
per real example, clips each to L2 norm C over all discriminator variables jointly,
sums, adds Gaussian noise and divides by the batch size:

    g_i  = grad_theta L_i                                                     (1)
    g_i' = g_i / max(1, ||g_i||_2 / C)                                       (2)
    g    = (sum_i g_i' + N(0, sigma^2 C^2 I)) / B                             (3)

The generator never reads real rows: it only sees the discriminator, so it is
private by post-processing (DPGAN, Xie et al. 2018; DP-CGAN, Torkzadehmahani et
al. 2019). Its own conditions are drawn uniformly over the classes, not taken from
the real batch, so that no real label reaches it either.
"""

from __future__ import annotations

from typing import Any

import keras
import tensorflow as tf

from gan_lessons._checks import non_negative_float, positive_float, positive_int
from gan_lessons.privacy.accountant import epsilon
from gan_lessons.training import GAN


def clip_per_example(per_example_gradients: list[Any], l2_norm_clip: float) -> tuple[list[Any], Any]:
    """Equation (2): scale each example's gradient to L2 norm at most ``l2_norm_clip``.

    ``per_example_gradients``: one tensor per variable, each of shape ``(batch, *variable_shape)``.
    The norm of example i is taken over all variables jointly. Returns the clipped
    gradients (same shapes) and the norms before clipping, shape ``(batch,)``.
    Gradients already within the bound are left unchanged.
    """
    l2_norm_clip = positive_float(l2_norm_clip, "l2_norm_clip")
    if not per_example_gradients:
        raise ValueError("per_example_gradients must hold at least one tensor, got an empty list")
    tensors = [tf.convert_to_tensor(g, dtype=tf.float32) for g in per_example_gradients]
    batch = tf.shape(tensors[0])[0]
    squares = tf.add_n([tf.reduce_sum(tf.reshape(tf.square(g), [batch, -1]), axis=1) for g in tensors])
    norms = tf.sqrt(squares)
    scale = 1.0 / tf.maximum(1.0, norms / l2_norm_clip)
    clipped = [g * tf.reshape(scale, [-1] + [1] * (len(g.shape) - 1)) for g in tensors]
    return clipped, norms


def noisy_average(
    clipped_gradients: list[Any],
    l2_norm_clip: float,
    noise_multiplier: float,
    seed: int | keras.random.SeedGenerator | None = None,
) -> list[Any]:
    """Equation (3): (sum over the batch + N(0, (noise_multiplier * l2_norm_clip)^2)) / batch.

    ``clipped_gradients``: one tensor per variable of shape ``(batch, *variable_shape)``.
    Returns one tensor per variable of shape ``variable_shape``; the noise on each
    coordinate of the result has standard deviation noise_multiplier * l2_norm_clip / batch.
    """
    l2_norm_clip = positive_float(l2_norm_clip, "l2_norm_clip")
    noise_multiplier = non_negative_float(noise_multiplier, "noise_multiplier")
    averaged = []
    for g in clipped_gradients:
        g = tf.convert_to_tensor(g, dtype=tf.float32)
        batch = tf.cast(tf.shape(g)[0], tf.float32)
        total = tf.reduce_sum(g, axis=0)
        if noise_multiplier > 0:
            total += keras.random.normal(tf.shape(total), stddev=noise_multiplier * l2_norm_clip, seed=seed)
        averaged.append(total / batch)
    return averaged


@keras.saving.register_keras_serializable(package="gan_lessons")
class PrivateGAN(GAN):
    """A :class:`GAN` whose discriminator is trained with DP-SGD, equations (1)-(3).

    Everything else (losses, ``d_steps``, gradient penalty, conditioning, ``fit``,
    ``sample``) is :class:`GAN`'s. Only :meth:`discriminator_step` differs, plus
    :meth:`generator_step`, which draws its conditions uniformly over the classes
    instead of reading the real batch's labels.

    The per-example loss of real example i pairs it with one fake row (same condition):
    L_i = d_loss(D(x_i), D(G(z_i))) (+ its own gradient-penalty term, on the
    interpolate of x_i and G(z_i)), so the batch loss is the mean of the L_i. The
    per-example gradients come from ``tape.jacobian`` (vectorised with pfor); the
    forward pass, dropout included, is shared by the whole batch.

    Args:
        l2_norm_clip: C of equation (2), > 0.
        noise_multiplier: sigma of equation (3), >= 0 (0 = clipping only, no privacy).
        num_examples: rows of the private training set; with the batch size it gives
            the sampling rate q = batch / num_examples that :meth:`epsilon` needs.
        record_real_d_loss: record the discriminator's (non-private) loss in
            ``loss_history``; False (default) records NaN instead (see below).
        Other arguments as for :class:`GAN`.

    ``loss_history``: the generator's losses are private (post-processing: they depend on
    the private discriminator and the GAN's own noise only) and are recorded as in
    :class:`GAN`. The discriminator's loss on a real batch is not: it is an exact
    function of the real rows that no noise protects, and a saved model carries its
    ``loss_history`` (:mod:`gan_lessons.resume`), so recording it would publish
    information outside epsilon. ``loss_history["d_loss"]`` therefore holds NaN, one per
    step, unless the GAN is built with ``record_real_d_loss=True`` (for debugging
    only; the history is then *not* covered by the guarantee).

    After training, ``gan.epsilon(delta)`` is the privacy spent so far: the accountant
    of :mod:`gan_lessons.privacy.accountant` run on the discriminator steps this GAN
    took (``d_optimizer.iterations``) at the batch size it trained with.

    The discriminator must not mix examples (no batch normalisation), or the
    per-example gradients would not be per example. Weight regularisers (say
    ``kernel_regularizer=keras.regularizers.L2(...)``) are applied: their loss
    depends on the weights only, not on any example, so its gradient is added to
    the noisy average unclipped without costing privacy. Losses computed from the
    data outside the per-example terms (activity regularisers, ``add_loss`` in a
    layer's ``call``) would escape the clipping, so they are refused with a
    ``ValueError``.
    """

    # Per-example gradients (tape.jacobian with pfor) ran about 70 times slower per step
    # under XLA than without it on a 2-core CPU (tools/bench_levers.py, xla_private).
    jit_compile_default = False

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        l2_norm_clip: float = 1.0,
        noise_multiplier: float = 1.0,
        num_examples: int | None = None,
        record_real_d_loss: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(generator, discriminator, **kwargs)
        if not isinstance(record_real_d_loss, bool):
            raise TypeError(f"record_real_d_loss must be True or False, got {record_real_d_loss!r}")
        self.record_real_d_loss = record_real_d_loss
        self.l2_norm_clip = positive_float(l2_norm_clip, "l2_norm_clip")
        self.noise_multiplier = non_negative_float(noise_multiplier, "noise_multiplier")
        self.num_examples = None if num_examples is None else positive_int(num_examples, "num_examples")
        # The batch size of the last discriminator step, for the accountant.
        self.private_batch_size = keras.Variable(0, dtype="int64", trainable=False, name="private_batch_size")
        if any(isinstance(layer, keras.layers.BatchNormalization) for layer in discriminator.layers):
            raise ValueError(
                "the discriminator of a PrivateGAN must treat examples independently; "
                "got a BatchNormalization layer, which mixes them"
            )
        for layer in discriminator.layers:
            if getattr(layer, "activity_regularizer", None) is not None:
                raise ValueError(
                    "the discriminator of a PrivateGAN must not have activity regularizers: their "
                    f"loss depends on the batch's data and would escape the per-example clipping; "
                    f"layer {layer.name!r} has one (weight regularizers are fine)"
                )

    def get_config(self) -> dict[str, Any]:
        """:meth:`GAN.get_config` with the DP-SGD settings."""
        return {**super().get_config(), "l2_norm_clip": self.l2_norm_clip,
                "noise_multiplier": self.noise_multiplier, "num_examples": self.num_examples,
                "record_real_d_loss": self.record_real_d_loss}

    def per_example_d_loss(self, real: Any, fake: Any, condition: Any) -> Any:
        """The losses L_i of the docstring above, shape ``(batch,)``; their mean is the batch loss."""
        d_real = tf.reshape(self._discriminate(real, condition, training=True), [-1, 1])
        d_fake = tf.reshape(self._discriminate(fake, condition, training=True), [-1, 1])
        # The package's losses average over the batch; applied to one row at a time
        # (a batch of one) they give that row's term.
        losses = tf.vectorized_map(
            lambda pair: self.loss_pair.d_loss(pair[0][None], pair[1][None]), (d_real, d_fake)
        )
        if self.gradient_penalty_weight > 0:
            losses += self.gradient_penalty(real, fake, condition, per_example=True)
        return losses

    def discriminator_step(self, real: Any, condition: Any) -> Any:
        """One DP-SGD update of the discriminator, equations (1)-(3).

        Returns the mean loss if ``record_real_d_loss``, else NaN (the loss on real rows
        is not private; see the class docstring)."""
        batch_size = tf.shape(real)[0]
        self.private_batch_size.assign(tf.cast(batch_size, "int64"))
        fake = self._generate(self.noise(batch_size), condition, training=True)
        variables = self.discriminator.trainable_variables
        with tf.GradientTape() as tape:
            losses = self.per_example_d_loss(real, fake, condition)
        per_example = tape.jacobian(losses, variables, experimental_use_pfor=True)  # equation (1)
        clipped, _ = clip_per_example(per_example, self.l2_norm_clip)  # equation (2)
        gradients = noisy_average(clipped, self.l2_norm_clip, self.noise_multiplier, seed=self.seed_generator)  # (3)
        d_loss = tf.reduce_mean(losses)
        regularized = [v for v in variables if v.regularizer is not None]
        if len(self.discriminator.losses) > len(regularized):
            raise ValueError(
                "the discriminator of a PrivateGAN must not add losses computed from the data "
                "(add_loss in a layer's call): they would escape the per-example clipping; got "
                f"{len(self.discriminator.losses) - len(regularized)} such loss(es)"
            )
        if regularized:
            with tf.GradientTape() as tape:
                penalty = tf.add_n([v.regularizer(v) for v in regularized])
            # Data-independent, so added after the noise at no privacy cost.
            extra = tape.gradient(penalty, variables)
            gradients = [g if e is None else g + e for g, e in zip(gradients, extra)]
            d_loss += penalty
        self.d_optimizer.apply_gradients(zip(gradients, variables))
        if not self.record_real_d_loss:
            return tf.constant(float("nan"), dtype=d_loss.dtype)
        return d_loss

    def generator_step(self, batch_size: Any, condition: Any) -> Any:
        """One generator update with conditions drawn uniformly over the classes.

        The real batch's labels are not used: the generator then touches no real data.
        """
        if condition is not None:
            classes = tf.shape(condition)[1]
            drawn = keras.random.randint((batch_size,), 0, classes, seed=self.seed_generator)
            condition = tf.one_hot(drawn, classes, dtype=tf.float32)
        return super().generator_step(batch_size, condition)

    def epsilon(self, delta: float) -> float:
        """The epsilon of (epsilon, delta)-DP spent by the discriminator steps taken so far.

        Composes ``d_optimizer.iterations`` DP-SGD steps at sampling rate
        q = batch size / ``num_examples`` and this GAN's ``noise_multiplier`` with
        :func:`gan_lessons.privacy.epsilon`; 0 before any step, ``inf`` without noise.
        """
        if self.num_examples is None:
            raise ValueError(
                "epsilon needs the size of the private training set: build the PrivateGAN "
                "with num_examples=len(training_rows)"
            )
        steps = int(self.d_optimizer.iterations)
        if steps == 0:
            return 0.0
        batch_size = int(self.private_batch_size.numpy())
        if batch_size > self.num_examples:
            raise ValueError(
                f"the GAN trained on batches of {batch_size} rows, more than num_examples = {self.num_examples}"
            )
        return epsilon(self.noise_multiplier, batch_size / self.num_examples, steps, delta)
