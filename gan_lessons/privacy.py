"""Privacy of synthetic data (lesson 09): DP-SGD for the discriminator, its epsilon,
and membership-inference attacks.

A module of its own: differential privacy is a concept with its own training step,
its own accountant and its own attacks, and ``tabular_metrics`` (the distance
metrics this module builds on) is already about 260 lines.

* **DP-SGD** (Abadi et al. 2016) in :class:`PrivateGAN`, a :class:`~gan_lessons.training.GAN`
  whose discriminator step computes one gradient per real example, clips each to L2
  norm C over all discriminator variables jointly, sums, adds Gaussian noise and
  divides by the batch size:

      g_i  = grad_theta L_i                                                     (1)
      g_i' = g_i / max(1, ||g_i||_2 / C)                                       (2)
      g    = (sum_i g_i' + N(0, sigma^2 C^2 I)) / B                             (3)

  The generator never reads real rows: it only sees the discriminator, so it is
  private by post-processing (DPGAN, Xie et al. 2018; DP-CGAN, Torkzadehmahani et
  al. 2019). Its own conditions are drawn uniformly over the classes, not taken from
  the real batch, so that no real label reaches it either.
* **The accountant**: :func:`epsilon` composes ``steps`` Poisson-subsampled Gaussian
  mechanisms with Google's ``dp-accounting`` (Renyi DP, Mironov 2017), and
  :func:`noise_multiplier_for_epsilon` inverts it.
* **Membership inference**: score candidate rows, members (training rows) and
  non-members (a holdout), and report the ROC AUC of the scores: black box by the
  distance to the nearest synthetic row, white box by the trained discriminator's
  output (LOGAN, Hayes et al. 2019). 0.5 = the attacker learns nothing.
* The **nearest-neighbour distance ratio** of each synthetic row (distance to its
  nearest real row over the distance to its second nearest).
"""

from __future__ import annotations

import logging
from typing import Any

import keras
import numpy as np
import pandas as pd
import tensorflow as tf
from numpy.typing import ArrayLike, NDArray
from sklearn.metrics import roc_auc_score

from gan_lessons._checks import finite_array, non_negative_float, positive_float, positive_int
from gan_lessons.tabular_metrics import gower_distances
from gan_lessons.training import GAN

# --- DP-SGD: the three equations ----------------------------------------------------------


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
        Other arguments as for :class:`GAN`.

    The discriminator must not mix examples (no batch normalisation), or the
    per-example gradients would not be per example. Weight regularisers (say
    ``kernel_regularizer=keras.regularizers.L2(...)``) are applied: their loss
    depends on the weights only, not on any example, so its gradient is added to
    the noisy average unclipped without costing privacy. Losses computed from the
    data outside the per-example terms (activity regularisers, ``add_loss`` in a
    layer's ``call``) would escape the clipping, so they are refused with a
    ``ValueError``.
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        l2_norm_clip: float = 1.0,
        noise_multiplier: float = 1.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(generator, discriminator, **kwargs)
        self.l2_norm_clip = positive_float(l2_norm_clip, "l2_norm_clip")
        self.noise_multiplier = non_negative_float(noise_multiplier, "noise_multiplier")
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
        """One DP-SGD update of the discriminator, equations (1)-(3); returns the mean loss."""
        batch_size = tf.shape(real)[0]
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


# --- The accountant ---------------------------------------------------------------------


def _check_accounting(sample_rate: float, steps: int, delta: float) -> tuple[float, int, float]:
    if not 0 < sample_rate <= 1:
        raise ValueError(f"sample_rate must be in (0, 1] (batch size / rows), got {sample_rate}")
    steps = positive_int(steps, "steps")
    if not 0 < delta < 1:
        raise ValueError(f"delta must be in (0, 1), well below 1/rows, got {delta}")
    return float(sample_rate), steps, float(delta)


class _QuietAbsl:
    """Silences absl's warnings while the accountant runs: at small noise multipliers
    (tried by the calibration's search) some fractional Renyi orders do not converge,
    and the accountant says so once per order before excluding them, which is correct
    and not worth a screen of warnings. The logger's level is restored afterwards."""

    def __enter__(self) -> None:
        self.logger = logging.getLogger("absl")
        self.level = self.logger.level
        self.logger.setLevel(logging.ERROR)

    def __exit__(self, *exc: Any) -> None:
        self.logger.setLevel(self.level)


def _dp_sgd_event(noise_multiplier: float, sample_rate: float, steps: int) -> Any:
    import dp_accounting

    return dp_accounting.SelfComposedDpEvent(
        dp_accounting.PoissonSampledDpEvent(sample_rate, dp_accounting.GaussianDpEvent(noise_multiplier)),
        steps,
    )


def epsilon(noise_multiplier: float, sample_rate: float, steps: int, delta: float) -> float:
    """epsilon of ``steps`` DP-SGD steps at ``delta``, by Renyi DP (``dp_accounting.rdp``).

    Each step is a Gaussian mechanism of noise multiplier sigma applied to a Poisson
    sample of the rows with probability ``sample_rate`` (batch size / rows). Training
    with shuffled fixed-size batches makes the figure an approximation, as in most
    DP-SGD code. ``noise_multiplier`` 0 gives infinity.
    """
    from dp_accounting.rdp import RdpAccountant

    noise_multiplier = non_negative_float(noise_multiplier, "noise_multiplier")
    sample_rate, steps, delta = _check_accounting(sample_rate, steps, delta)
    if noise_multiplier == 0:
        return float("inf")
    accountant = RdpAccountant()
    with _QuietAbsl():  # composing computes the RDP of every order, where the warnings arise
        accountant.compose(_dp_sgd_event(noise_multiplier, sample_rate, steps))
        return float(accountant.get_epsilon(delta))


def noise_multiplier_for_epsilon(target_epsilon: float, sample_rate: float, steps: int, delta: float) -> float:
    """The smallest noise multiplier whose :func:`epsilon` is at most ``target_epsilon``
    (``dp_accounting.calibrate_dp_mechanism``, a bracketed search)."""
    import dp_accounting
    from dp_accounting.rdp import RdpAccountant

    target_epsilon = positive_float(target_epsilon, "target_epsilon")
    sample_rate, steps, delta = _check_accounting(sample_rate, steps, delta)
    with _QuietAbsl():
        sigma = dp_accounting.calibrate_dp_mechanism(
            RdpAccountant,
            lambda sigma: _dp_sgd_event(sigma, sample_rate, steps),
            target_epsilon,
            delta,
            bracket_interval=dp_accounting.LowerEndpointAndGuess(0.0, 1.0),
            tol=1e-4,
        )
    return float(sigma)


# --- Distances and membership inference ---------------------------------------------------


def nearest_neighbour_distance_ratio(synthetic: pd.DataFrame, real: pd.DataFrame) -> NDArray[np.float64]:
    """Per synthetic row: Gower distance to its nearest real row / to its second nearest, shape (n,).

    Near 0: the row sits on one real row, far from the others (a likely copy of it);
    near 1: it is about as close to several real rows (it generalises). 0/0 (a row
    with two identical real neighbours) counts as 1. ``real`` needs at least 2 rows.
    """
    if len(real) < 2:
        raise ValueError(f"real must have at least 2 rows for a second neighbour, got {len(real)}")
    distances = np.sort(gower_distances(synthetic, real, real), axis=1)
    first, second = distances[:, 0], distances[:, 1]
    return np.divide(first, second, out=np.ones_like(first), where=second > 0)


def distance_attack_scores(candidates: pd.DataFrame, synthetic: pd.DataFrame, ranges_from: pd.DataFrame) -> NDArray[np.float64]:
    """Black-box membership score of each candidate row: minus its Gower distance to the
    nearest synthetic row, shape (n,). Higher = more likely a training row (a generator
    that memorised puts synthetic rows on its training rows)."""
    return -gower_distances(candidates, synthetic, ranges_from).min(axis=1)


def discriminator_attack_scores(gan: GAN, encoded: ArrayLike, conditions: ArrayLike | None = None, batch_size: int = 1024) -> NDArray[np.float32]:
    """White-box membership score (LOGAN, Hayes et al. 2019): the trained discriminator's
    raw output for each encoded candidate row (and its condition), shape (n,).
    Higher = more "real" to D; a D that overfitted scores its training rows highest."""
    if not isinstance(gan, GAN):
        raise TypeError(f"gan must be a gan_lessons GAN, got {type(gan).__name__}")
    encoded = finite_array(encoded, "encoded", ndim=2, last_dim=int(gan.discriminator.inputs[0].shape[-1]))
    if gan.conditional:
        if conditions is None:
            raise ValueError("this GAN is conditional: pass the candidates' conditions")
        conditions = finite_array(conditions, "conditions", ndim=2)
        if len(conditions) != len(encoded):
            raise ValueError(f"conditions must have one row per candidate ({len(encoded)}), got {len(conditions)}")
    scores = []
    for start in range(0, len(encoded), positive_int(batch_size, "batch_size")):
        stop = start + batch_size
        condition = None if conditions is None else tf.convert_to_tensor(conditions[start:stop])
        scores.append(keras.ops.convert_to_numpy(gan._discriminate(tf.convert_to_tensor(encoded[start:stop]), condition, training=False)))
    return np.concatenate(scores).reshape(-1)


def attack_auc(member_scores: ArrayLike, non_member_scores: ArrayLike) -> float:
    """ROC AUC of an attack's scores, members (label 1) against non-members (label 0).

    0.5: the attack cannot tell them apart; 1: every member scores above every non-member.
    """
    members = finite_array(member_scores, "member_scores", ndim=1)
    non_members = finite_array(non_member_scores, "non_member_scores", ndim=1)
    labels = np.r_[np.ones(len(members)), np.zeros(len(non_members))]
    return float(roc_auc_score(labels, np.r_[members, non_members]))
