"""GAN losses, each a scalar tensor, and the named discriminator/generator pairs.

Input conventions, stated once:

* The cross-entropy losses (``cross_entropy_d_loss``, ``minimax_g_loss``,
  ``non_saturating_g_loss``) take **logits**: the discriminator's raw output
  before the sigmoid, D(x) = sigmoid(logit). Working with logits keeps log D and
  log(1 - D) finite when D saturates at 0 or 1.
* The least-squares and Wasserstein losses take the discriminator's (critic's)
  **raw output** too: there is no sigmoid in those models at all.

Every loss takes tensors of shape ``(batch, 1)`` or ``(batch,)`` (one score per
example, batch >= 1) and averages over the batch; a discriminator loss takes its
real and fake scores with the same shape. Anything else is refused with a
``ValueError``, and so are NaN or infinite scores when the loss is called eagerly
(inside a compiled training step only the shapes are checked: the values are the
networks' outputs, and the data they come from is checked by ``GAN.fit``). A :class:`LossPair` bundles a discriminator loss with its generator loss
under a name, so a :class:`gan_lessons.training.GAN` can be built from
``loss="least_squares"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import keras
import numpy as np
from keras import ops

from gan_lessons._checks import non_negative_float

Tensor = Any  # a backend tensor or array-like of shape (batch, 1)


def _scores(values: Tensor, name: str) -> Tensor:
    """``values`` as a float32 tensor of one score per example, shape (batch, 1) or (batch,)."""
    import tensorflow as tf

    tensor = ops.convert_to_tensor(values, dtype="float32")
    shape = tuple(tensor.shape)
    if len(shape) not in (1, 2) or (len(shape) == 2 and shape[1] not in (1, None)):
        raise ValueError(f"{name} must hold one score per example, shape (batch, 1) or (batch,); got shape {shape}")
    if shape[0] == 0:
        raise ValueError(f"{name} must hold at least one example, got shape {shape}")
    if tf.executing_eagerly():
        array = ops.convert_to_numpy(tensor)
        if not np.isfinite(array).all():
            raise ValueError(f"{name} must be finite, got {int((~np.isfinite(array)).sum())} NaN or infinite values")
    return tensor


def _score_pair(real: Tensor, fake: Tensor, names: tuple[str, str]) -> tuple[Tensor, Tensor]:
    """Both inputs of a discriminator loss, checked by :func:`_scores` and for equal shapes."""
    real, fake = _scores(real, names[0]), _scores(fake, names[1])
    known = all(size is not None for size in (*real.shape, *fake.shape))
    if len(real.shape) != len(fake.shape) or (known and tuple(real.shape) != tuple(fake.shape)):
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same shape (one score per example of a real and a "
            f"fake batch), got {tuple(real.shape)} and {tuple(fake.shape)}"
        )
    return real, fake


def cross_entropy_d_loss(real_logits: Tensor, fake_logits: Tensor, real_target: float = 1.0) -> Tensor:
    """Standard discriminator loss, the negated value function (Goodfellow et al. 2014, eq. 1).

    -E[log D(x)] - E[log(1 - D(G(z)))] with D = sigmoid(logit); inputs are logits.
    Written with softplus: -log sigmoid(t) = softplus(-t), -log(1 - sigmoid(t)) = softplus(t).

    ``real_target`` in (0, 1] is the label of real data. Below 1 it gives one-sided
    label smoothing (Salimans et al. 2016, section 3.4; they use 0.9): the real term
    becomes the cross-entropy -E[r log D(x) + (1 - r) log(1 - D(x))], so D is no
    longer pushed towards ever larger logits on real data; fake labels stay 0.
    The default 1 is the loss above.
    """
    _real_target(real_target)
    real_logits, fake_logits = _score_pair(real_logits, fake_logits, ("real_logits", "fake_logits"))
    real_term = real_target * ops.softplus(-real_logits)
    if real_target < 1:
        real_term = real_term + (1.0 - real_target) * ops.softplus(real_logits)
    return ops.mean(real_term) + ops.mean(ops.softplus(fake_logits))


def _real_target(real_target: object) -> float:
    if isinstance(real_target, bool) or not isinstance(real_target, (int, float)) or not 0 < real_target <= 1:
        raise ValueError(f"real_target must be a number in (0, 1], got {real_target!r}")
    return float(real_target)


def minimax_g_loss(fake_logits: Tensor) -> Tensor:
    """Saturating (minimax) generator loss: E[log(1 - D(G(z)))], minimised by G.

    Its gradient with respect to the logit is -sigmoid(t) = -D(G(z)), which vanishes
    when D confidently rejects the fakes (D(G(z)) near 0), early in training. Inputs
    are logits.
    """
    fake_logits = _scores(fake_logits, "fake_logits")
    return -ops.mean(ops.softplus(fake_logits))


def non_saturating_g_loss(fake_logits: Tensor) -> Tensor:
    """Non-saturating generator loss: -E[log D(G(z))] (Goodfellow et al. 2014, section 3).

    Its gradient with respect to the logit is sigmoid(t) - 1 = -(1 - D(G(z))), which
    is largest exactly when D rejects the fakes. Inputs are logits.
    """
    fake_logits = _scores(fake_logits, "fake_logits")
    return ops.mean(ops.softplus(-fake_logits))


def least_squares_d_loss(
    d_real: Tensor, d_fake: Tensor, a: float = 0.0, b: float = 1.0
) -> Tensor:
    """Discriminator loss of LSGAN (Mao et al. 2017, eq. 2).

    1/2 E[(D(x) - b)^2] + 1/2 E[(D(G(z)) - a)^2]; ``a`` codes fake, ``b`` codes real.
    Inputs are raw discriminator outputs (no sigmoid), shape (batch, 1).
    """
    d_real, d_fake = _score_pair(d_real, d_fake, ("d_real", "d_fake"))
    return 0.5 * ops.mean(ops.square(d_real - b)) + 0.5 * ops.mean(ops.square(d_fake - a))


def least_squares_g_loss(d_fake: Tensor, c: float = 1.0) -> Tensor:
    """Generator loss of LSGAN (Mao et al. 2017, eq. 2): 1/2 E[(D(G(z)) - c)^2].

    ``c`` is the value G wants D to believe for fake data. Inputs are raw outputs.
    """
    d_fake = _scores(d_fake, "d_fake")
    return 0.5 * ops.mean(ops.square(d_fake - c))


def wasserstein_d_loss(critic_real: Tensor, critic_fake: Tensor) -> Tensor:
    """Critic loss of WGAN (Arjovsky et al. 2017): E[f(G(z))] - E[f(x)].

    Minimising it maximises the critic's estimate of the Wasserstein-1 distance.
    Inputs are raw critic outputs. Pair it with a gradient penalty (WGAN-GP).
    """
    critic_real, critic_fake = _score_pair(critic_real, critic_fake, ("critic_real", "critic_fake"))
    return ops.mean(critic_fake) - ops.mean(critic_real)


def wasserstein_g_loss(critic_fake: Tensor) -> Tensor:
    """Generator loss of WGAN: -E[f(G(z))]. Inputs are raw critic outputs."""
    critic_fake = _scores(critic_fake, "critic_fake")
    return -ops.mean(critic_fake)


def gradient_penalty(
    critic: Callable[[Tensor], Tensor],
    real: Tensor,
    fake: Tensor,
    weight: float = 10.0,
    epsilon: Tensor | None = None,
    seed: int | keras.random.SeedGenerator | None = None,
    per_example: bool = False,
) -> Tensor:
    """WGAN-GP penalty (Gulrajani et al. 2017, eq. 3): lambda E[(||grad f(x_hat)||_2 - 1)^2].

    x_hat = eps * x + (1 - eps) * G(z) with eps ~ U[0, 1], one eps per example.
    ``real`` and ``fake`` share a shape ``(batch, ...)``; ``epsilon`` (shape
    ``(batch,)``) may be given to fix the interpolation, else it is drawn with
    ``seed``. TensorFlow backend only (it takes the gradient with ``tf.GradientTape``).
    ``per_example=True`` returns each example's term, shape ``(batch,)``, instead of
    their mean (DP-SGD needs one loss per example; the critic must not mix examples).
    ``weight`` lambda is a finite number >= 0 (Gulrajani et al. use 10).
    """
    import tensorflow as tf

    weight = non_negative_float(weight, "weight")
    real = tf.convert_to_tensor(real, dtype=tf.float32)
    fake = tf.convert_to_tensor(fake, dtype=tf.float32)
    known = real.shape.is_fully_defined() and fake.shape.is_fully_defined()
    if real.shape.rank != fake.shape.rank or real.shape[1:] != fake.shape[1:] or (known and real.shape != fake.shape):
        raise ValueError(
            f"real and fake must have the same shape (batch, ...), got {tuple(real.shape)} and {tuple(fake.shape)}"
        )
    if real.shape.rank == 0 or real.shape[0] == 0:
        raise ValueError(f"real and fake must hold at least one example each, got shape {tuple(real.shape)}")
    if tf.executing_eagerly():
        for name, values in (("real", real), ("fake", fake)):
            if not bool(tf.reduce_all(tf.math.is_finite(values))):
                raise ValueError(f"{name} must be finite, got NaN or infinite values")
    batch = tf.shape(real)[0]
    if epsilon is None:
        epsilon = keras.random.uniform((batch,), seed=seed)
    epsilon = tf.reshape(tf.cast(epsilon, tf.float32), [-1] + [1] * (len(real.shape) - 1))
    interpolated = epsilon * real + (1.0 - epsilon) * fake
    with tf.GradientTape() as tape:
        tape.watch(interpolated)
        scores = critic(interpolated)
    gradients = tape.gradient(scores, interpolated)
    norms = tf.sqrt(tf.reduce_sum(tf.square(tf.reshape(gradients, [batch, -1])), axis=1) + 1e-12)
    terms = weight * tf.square(norms - 1.0)
    return terms if per_example else tf.reduce_mean(terms)


@dataclass(frozen=True)
class LossPair:
    """A discriminator loss and its generator loss, as used by ``GAN``.

    ``d_loss(d_real_output, d_fake_output)`` and ``g_loss(d_fake_output)`` both take
    the discriminator's raw output (logits for the cross-entropy pairs).
    """

    name: str
    d_loss: Callable[[Tensor, Tensor], Tensor]
    g_loss: Callable[[Tensor], Tensor]


LOSS_PAIRS: dict[str, LossPair] = {
    pair.name: pair
    for pair in [
        # The original saturating game: G minimises E[log(1 - D(G(z)))].
        LossPair("minimax", cross_entropy_d_loss, minimax_g_loss),
        # The standard GAN: G minimises -E[log D(G(z))].
        LossPair("non_saturating", cross_entropy_d_loss, non_saturating_g_loss),
        # LSGAN with the 0-1 coding: a = 0, b = c = 1 (Mao et al. 2017, eq. 9).
        LossPair(
            "least_squares",
            lambda real, fake: least_squares_d_loss(real, fake, a=0.0, b=1.0),
            lambda fake: least_squares_g_loss(fake, c=1.0),
        ),
        # LSGAN with the -1/1/0 coding (b - c = 1, b - a = 2), which minimises the
        # Pearson chi-squared divergence (Mao et al. 2017, eq. 8).
        LossPair(
            "least_squares_pearson",
            lambda real, fake: least_squares_d_loss(real, fake, a=-1.0, b=1.0),
            lambda fake: least_squares_g_loss(fake, c=0.0),
        ),
        # The WGAN critic and generator losses; use them with a gradient penalty.
        LossPair("wasserstein", wasserstein_d_loss, wasserstein_g_loss),
    ]
}


def label_smoothed_non_saturating(real_target: float = 0.9) -> LossPair:
    """The non-saturating pair with one-sided label smoothing: D's real label is
    ``real_target`` (Salimans et al. 2016 use 0.9), see :func:`cross_entropy_d_loss`;
    G's loss is unchanged."""
    real_target = _real_target(real_target)
    return LossPair(
        f"non_saturating_smoothed_{real_target:g}",
        lambda real, fake: cross_entropy_d_loss(real, fake, real_target=real_target),
        non_saturating_g_loss,
    )


_SMOOTHED = "non_saturating_smoothed_"


def get_loss_pair(name: str | LossPair) -> LossPair:
    """The :class:`LossPair` called ``name`` (a ``LossPair`` is returned as it is).

    Besides the names of ``LOSS_PAIRS``, ``"non_saturating_smoothed_<r>"`` gives
    :func:`label_smoothed_non_saturating` ``(r)``, so that every pair the package
    builds can be saved and loaded by name.
    """
    if isinstance(name, LossPair):
        return name
    if not isinstance(name, str):
        raise TypeError(f"loss must be a name or a LossPair, got {type(name).__name__}: {name!r}")
    if name.startswith(_SMOOTHED):
        try:
            target = float(name[len(_SMOOTHED):])
        except ValueError:
            target = None
        if target is not None:
            return label_smoothed_non_saturating(target)
    if name not in LOSS_PAIRS:
        raise ValueError(
            f"unknown loss {name!r}; expected one of {sorted(LOSS_PAIRS)} or '{_SMOOTHED}<r>'"
        )
    return LOSS_PAIRS[name]


def loss_pair_name(pair: LossPair) -> str:
    """The name that :func:`get_loss_pair` turns back into ``pair``; ``ValueError`` for
    a pair it cannot rebuild (one made by hand), which cannot be saved by name."""
    if pair.name in LOSS_PAIRS and LOSS_PAIRS[pair.name] is pair:
        return pair.name
    if pair.name.startswith(_SMOOTHED):
        return pair.name
    raise ValueError(
        f"a GAN with the hand-made loss pair {pair.name!r} cannot be saved with its loss: expected one of "
        f"{sorted(LOSS_PAIRS)} or label_smoothed_non_saturating(r); save its weights with save_weights instead"
    )
