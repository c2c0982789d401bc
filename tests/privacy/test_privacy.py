"""Tests of gan_lessons.privacy: DP-SGD pieces, the accountant, distances and attacks."""

from __future__ import annotations

import keras
import numpy as np
import pandas as pd
import pytest
import tensorflow as tf

from gan_lessons import privacy, tables
from gan_lessons.training import GAN


# --- Clipping and noise ---------------------------------------------------------------------


def test_clipping_bounds_every_example_and_keeps_small_ones():
    rng = np.random.default_rng(0)
    big = [rng.normal(size=(6, 4, 3)) * 50, rng.normal(size=(6, 3)) * 50]
    small = [np.full((2, 4, 3), 0.01), np.full((2, 3), 0.01)]
    grads = [np.concatenate([b, s]) for b, s in zip(big, small)]
    clipped, norms = privacy.clip_per_example(grads, l2_norm_clip=1.5)
    joint = np.sqrt(sum((np.asarray(g) ** 2).reshape(8, -1).sum(axis=1) for g in clipped))
    assert (joint[:6] <= 1.5 + 1e-5).all()
    np.testing.assert_allclose(joint[:6], 1.5, rtol=1e-5)  # large ones land on the bound
    expected_norms = np.sqrt(sum((g.reshape(8, -1) ** 2).sum(axis=1) for g in grads))
    np.testing.assert_allclose(norms, expected_norms, rtol=1e-5)
    for clipped_g, g in zip(clipped, grads):  # small examples unchanged
        np.testing.assert_allclose(np.asarray(clipped_g)[6:], g[6:], rtol=1e-6)
    # Direction is kept: the clipped gradient is a positive multiple of the original.
    ratio = np.asarray(clipped[1])[0] / grads[1][0]
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-4)


def test_noise_has_the_configured_scale():
    batch, clip, sigma = 10, 2.0, 1.5
    zeros = [np.zeros((batch, 200, 50), np.float32)]
    noise = np.asarray(privacy.noisy_average(zeros, clip, sigma, seed=3)[0])
    expected = sigma * clip / batch  # 0.3
    assert noise.shape == (200, 50)
    # 10,000 draws: the sample std is within 2% of 0.3; a wrong scale (2x, or not
    # divided by the batch) would be far outside.
    assert abs(noise.std() - expected) < 0.02 * expected
    assert abs(noise.mean()) < 0.02


def test_noisy_average_without_noise_is_the_mean():
    grads = [np.arange(12, dtype=np.float32).reshape(4, 3)]
    np.testing.assert_allclose(privacy.noisy_average(grads, 1.0, 0.0)[0], grads[0].mean(axis=0))


# --- The accountant -------------------------------------------------------------------------


def test_epsilon_matches_reference_gaussian_mechanism():
    # dp-accounting's own test (rdp_privacy_accountant_test.test_compute_epsilon_delta_gaussian):
    # one Gaussian mechanism on all rows (q = 1) with noise multiplier 4.530877117 is
    # exactly (1, 1e-6)-DP by RDP.
    assert privacy.epsilon(4.530877117, sample_rate=1.0, steps=1, delta=1e-6) == pytest.approx(1.0, abs=1e-3)


def test_epsilon_grows_with_steps_and_shrinks_with_noise():
    base = privacy.epsilon(1.1, 0.01, 1000, 1e-5)
    assert privacy.epsilon(1.1, 0.01, 4000, 1e-5) > base > privacy.epsilon(2.0, 0.01, 1000, 1e-5)
    assert privacy.epsilon(0.0, 0.01, 10, 1e-5) == float("inf")


def test_noise_multiplier_for_epsilon_inverts_epsilon():
    sigma = privacy.noise_multiplier_for_epsilon(3.0, 0.1, 500, 1e-5)
    assert privacy.epsilon(sigma, 0.1, 500, 1e-5) == pytest.approx(3.0, rel=2e-3)
    assert privacy.epsilon(sigma * 0.9, 0.1, 500, 1e-5) > 3.0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"noise_multiplier": -1.0}, "noise_multiplier must be a finite number >= 0"),
        ({"sample_rate": 1.5}, "sample_rate must be in"),
        ({"delta": 1.0}, "delta must be in"),
        ({"steps": 0}, "steps must be >= 1"),
    ],
)
def test_accountant_rejects_bad_input(kwargs, message):
    arguments = {"noise_multiplier": 1.0, "sample_rate": 0.1, "steps": 10, "delta": 1e-5, **kwargs}
    with pytest.raises(ValueError, match=message):
        privacy.epsilon(**arguments)


def test_clipping_rejects_bad_clip():
    with pytest.raises(ValueError, match="l2_norm_clip must be a finite number > 0"):
        privacy.clip_per_example([np.ones((2, 3))], 0.0)


# --- Distances and attacks ------------------------------------------------------------------


def _table(n, seed):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"amount": rng.integers(100, 10000, n), "age": rng.integers(18, 80, n),
                         "purpose": pd.Categorical(rng.choice(["car", "tv", "education"], n))})


def test_copies_have_zero_dcr_and_nndr():
    real = _table(50, 0)
    copies = real.iloc[:20].reset_index(drop=True)
    np.testing.assert_array_equal(privacy.distance_to_closest_record(copies, real), 0.0)
    np.testing.assert_array_equal(privacy.nearest_neighbour_distance_ratio(copies, real), 0.0)
    others = _table(20, 1)
    ratio = privacy.nearest_neighbour_distance_ratio(others, real)
    assert ((ratio > 0) & (ratio <= 1)).all()


def test_distance_attack_has_auc_one_on_a_memorised_set():
    members, non_members = _table(40, 0), _table(40, 1)
    synthetic = members.copy()  # a generator that memorised its training rows
    scores_in = privacy.distance_attack_scores(members, synthetic, members)
    scores_out = privacy.distance_attack_scores(non_members, synthetic, members)
    assert privacy.attack_auc(scores_in, scores_out) == 1.0
    assert privacy.attack_auc(np.zeros(5), np.zeros(5)) == 0.5


def test_nndr_needs_two_real_rows():
    with pytest.raises(ValueError, match="at least 2 rows"):
        privacy.nearest_neighbour_distance_ratio(_table(3, 0), _table(1, 1))


def test_attack_rejects_mismatched_columns():
    with pytest.raises(ValueError, match="same columns"):
        privacy.distance_attack_scores(_table(3, 0)[["age", "amount", "purpose"]], _table(3, 1), _table(3, 1))


def test_tpr_at_fpr_on_a_hand_made_roc():
    # Thresholds from high to low: 0.99 (TPR 1/5, FPR 0), 0.95 (FPR 1/10), 0.8 (TPR 3/5,
    # FPR 1/10), 0.6 (FPR 2/10), 0.55 (TPR 4/5, FPR 2/10), ...
    members = [0.99, 0.9, 0.8, 0.55, 0.1]
    non_members = [0.95, 0.6, 0.5, 0.4, 0.35, 0.3, 0.2, 0.1, 0.05, 0.0]
    assert privacy.tpr_at_fpr(members, non_members, fpr=0.0) == pytest.approx(0.2)
    # Between the ROC points FPR 0 and 0.1 a linear interpolation would give 0.4; the
    # conservative rule keeps the TPR of the last threshold within the FPR bound.
    assert privacy.tpr_at_fpr(members, non_members, fpr=0.05) == pytest.approx(0.2)
    assert privacy.tpr_at_fpr(members, non_members, fpr=0.1) == pytest.approx(0.6)
    assert privacy.tpr_at_fpr(members, non_members, fpr=0.2) == pytest.approx(0.8)
    assert privacy.tpr_at_fpr(members, non_members, fpr=1.0) == pytest.approx(1.0)


def test_tpr_at_fpr_of_a_guessing_attack_is_about_the_fpr():
    rng = np.random.default_rng(0)
    members, non_members = rng.normal(size=20000), rng.normal(size=20000)
    # Binomial standard error of the TPR at 1 %: sqrt(0.01 * 0.99 / 20000) = 0.0007.
    assert privacy.tpr_at_fpr(members, non_members, fpr=0.01) == pytest.approx(0.01, abs=0.004)
    assert privacy.tpr_at_fpr(members + 10.0, non_members, fpr=0.01) == 1.0  # separable: every member found


@pytest.mark.parametrize("fpr", [-0.1, 1.5, "0.01", True])
def test_tpr_at_fpr_rejects_a_bad_rate(fpr):
    with pytest.raises(ValueError, match="fpr must be a false-positive rate in \\[0, 1\\]"):
        privacy.tpr_at_fpr([1.0, 2.0], [0.0, 1.0], fpr=fpr)


def test_tpr_at_fpr_rejects_scores_that_are_not_finite():
    with pytest.raises(ValueError, match="member_scores must be finite"):
        privacy.tpr_at_fpr([1.0, float("nan")], [0.0, 1.0])


# --- The private GAN ------------------------------------------------------------------------


def _private_gan(seed=0, noise_multiplier=1.0, **kwargs):
    keras.utils.set_random_seed(seed)
    generator = tables.tabular_generator(4, [("tanh", 1), ("softmax", 3)], condition_dim=2, hidden_units=(8,), seed=seed)
    discriminator = tables.tabular_discriminator(4, condition_dim=2, hidden_units=(8,))
    gan = privacy.PrivateGAN(generator, discriminator, loss="wasserstein", gradient_penalty_weight=10.0,
                             l2_norm_clip=0.5, noise_multiplier=noise_multiplier, seed=seed, **kwargs)
    gan.compile()
    return gan


def _batch():
    rng = np.random.default_rng(0)
    x = np.c_[rng.uniform(-1, 1, (6, 1)), np.eye(3)[rng.integers(0, 3, 6)]].astype(np.float32)
    condition = np.eye(2, dtype=np.float32)[rng.integers(0, 2, 6)]
    return x, condition


def test_private_train_step_is_finite_and_reproducible():
    x, condition = _batch()
    losses = []
    for _ in range(2):
        gan = _private_gan(seed=1, record_real_d_loss=True)
        out = gan.train_step((tf.constant(x), tf.constant(condition)))
        weights = [w.numpy() for w in gan.discriminator.weights]
        losses.append((float(out["d_loss"]), float(out["g_loss"]), weights))
    assert np.isfinite(losses[0][:2]).all()
    assert losses[0][:2] == losses[1][:2]
    for a, b in zip(losses[0][2], losses[1][2]):
        np.testing.assert_array_equal(a, b)


def test_per_example_losses_average_to_the_batch_loss():
    # A discriminator without dropout, so that two forward passes agree.
    gan = _private_gan(noise_multiplier=0.0)
    gan.gradient_penalty_weight = 0.0
    gan.discriminator = tables.tabular_discriminator(4, condition_dim=2, hidden_units=(8,), dropout=0.0)
    x, condition = _batch()
    fake = gan.sample(6, seed=2, conditions=condition)
    per_example = gan.per_example_d_loss(tf.constant(x), tf.constant(fake), tf.constant(condition))
    assert per_example.shape == (6,)
    d_real, d_fake = gan.discriminator([x, condition]), gan.discriminator([fake, condition])
    np.testing.assert_allclose(float(tf.reduce_mean(per_example)), float(gan.loss_pair.d_loss(d_real, d_fake)), rtol=1e-5)


def test_private_gan_rejects_bad_settings():
    generator = tables.tabular_generator(4, [("tanh", 1)], hidden_units=(8,))
    discriminator = tables.tabular_discriminator(1, hidden_units=(8,))
    with pytest.raises(ValueError, match="l2_norm_clip must be a finite number > 0"):
        privacy.PrivateGAN(generator, discriminator, l2_norm_clip=0.0)
    with pytest.raises(ValueError, match="noise_multiplier must be a finite number >= 0"):
        privacy.PrivateGAN(generator, discriminator, noise_multiplier=-0.5)


def _small_models(seed, kernel_regularizer=None, activity_regularizer=None):
    """A 2 -> 3 generator and a 3 -> 1 discriminator without dropout or BatchNorm."""
    keras.utils.set_random_seed(seed)
    z = keras.Input((2,))
    generator = keras.Model(z, keras.layers.Dense(3, activation="tanh")(z))
    x = keras.Input((3,))
    hidden = keras.layers.Dense(8, activation="tanh", kernel_regularizer=kernel_regularizer,
                                activity_regularizer=activity_regularizer)(x)
    return generator, keras.Model(x, keras.layers.Dense(1)(hidden))


@pytest.mark.parametrize("regularizer", [None, keras.regularizers.L2(0.5)])
def test_private_step_without_noise_or_clipping_is_the_plain_step(regularizer):
    # With sigma = 0 and a clip no example reaches, DP-SGD is the ordinary gradient step,
    # weight regularizer included (it is data-independent, so it is added after the noise).
    x = tf.constant(np.random.default_rng(0).uniform(-1, 1, (6, 3)), tf.float32)
    after = {}
    for name, cls, extra in (("plain", GAN, {}), ("private", privacy.PrivateGAN,
                                                 {"l2_norm_clip": 1e6, "noise_multiplier": 0.0,
                                                  "record_real_d_loss": True})):
        generator, discriminator = _small_models(4, kernel_regularizer=regularizer)
        gan = cls(generator, discriminator, seed=5, **extra)
        gan.compile(d_optimizer=keras.optimizers.SGD(0.5), g_optimizer=keras.optimizers.SGD(0.5))
        loss = gan.discriminator_step(x, None)
        after[name] = (float(loss), [w.numpy() for w in discriminator.weights])
    assert after["private"][0] == pytest.approx(after["plain"][0], rel=1e-5)
    for private_w, plain_w in zip(after["private"][1], after["plain"][1]):
        np.testing.assert_allclose(private_w, plain_w, rtol=1e-5, atol=1e-6)
    if regularizer is not None:  # the regularizer moved the weights, so the check above could fail
        generator, discriminator = _small_models(4)
        gan = GAN(generator, discriminator, seed=5)
        gan.compile(d_optimizer=keras.optimizers.SGD(0.5), g_optimizer=keras.optimizers.SGD(0.5))
        gan.discriminator_step(x, None)
        assert np.abs(discriminator.weights[0].numpy() - after["private"][1][0]).max() > 1e-3


def test_private_gan_refuses_data_dependent_regularizers():
    generator, discriminator = _small_models(0, activity_regularizer=keras.regularizers.L1(0.1))
    with pytest.raises(ValueError, match="activity regularizers.*escape the per-example clipping"):
        privacy.PrivateGAN(generator, discriminator)


class _MeanActivationLoss(keras.layers.Layer):
    """Adds the mean of its input as a loss: a loss computed from the data."""

    def call(self, x):
        self.add_loss(keras.ops.mean(x))
        return x


def test_private_gan_refuses_losses_added_from_the_data():
    keras.utils.set_random_seed(0)
    z = keras.Input((2,))
    generator = keras.Model(z, keras.layers.Dense(3, activation="tanh")(z))
    x = keras.Input((3,))
    discriminator = keras.Model(x, keras.layers.Dense(1)(_MeanActivationLoss()(x)))
    gan = privacy.PrivateGAN(generator, discriminator, seed=0)
    gan.compile()
    with pytest.raises(ValueError, match=r"add_loss.*got 1 such loss"):
        gan.discriminator_step(tf.zeros((4, 3)), None)


def test_private_loss_history_holds_no_real_data_loss():
    # The discriminator's loss on a real batch is not private; a PrivateGAN must not keep
    # it in loss_history, which a saved model carries (resume.save_training_state).
    from gan_lessons import resume

    x, condition = _batch()
    histories = {}
    for record in (False, True):
        gan = _private_gan(seed=3, noise_multiplier=1.0, num_examples=6, record_real_d_loss=record)
        gan.fit(tf.data.Dataset.from_tensor_slices((x, condition)).batch(3).repeat(), epochs=1,
                steps_per_epoch=4, verbose=0)
        histories[record] = gan.loss_history
        store = {}
        resume.save_training_state(gan, store)
        assert len(store[f"{resume.HISTORY_PREFIX}d_loss"]) == 4
        assert np.isnan(store[f"{resume.HISTORY_PREFIX}d_loss"]).all() != record
    assert len(histories[False]["g_loss"]) == 4 and np.isfinite(histories[False]["g_loss"]).all()
    # The generator's losses are private (post-processing) and identical either way.
    np.testing.assert_allclose(histories[False]["g_loss"], histories[True]["g_loss"], rtol=1e-6)
    assert np.isfinite(histories[True]["d_loss"]).all()


# --- The trade-off plot ---------------------------------------------------------------------


def test_trade_off_plot_draws_utility_and_both_attacks_with_spreads():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from gan_lessons.privacy import plotting

    epsilons = [1.0, 10.0, float("inf")]
    ax = plotting.plot_privacy_utility(
        epsilons, [0.55, 0.6, 0.7], {"white box": [0.5, 0.52, 0.6], "black box": [0.5, 0.5, 0.51]},
        references={"chance": 0.5}, spreads={"white box": [0.01, 0.02, 0.03]})
    assert len(ax.containers) == 3  # one errorbar container per series
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "10", "∞"]
    white = next(c for c in ax.containers if c.get_label() == "white box")
    np.testing.assert_allclose(white.lines[0].get_ydata(), [0.5, 0.52, 0.6])
    plt.close(ax.figure)
    ax = plotting.plot_privacy_utility(epsilons, None, {"white box": [0.02, 0.01, 0.05]}, ylabel="TPR at 1 % FPR")
    assert len(ax.containers) == 1 and ax.get_ylabel() == "TPR at 1 % FPR"
    plt.close(ax.figure)
    # An accountant's eps is a float near its target (9.99997 for 10): ticks show 3 significant digits.
    ax = plotting.plot_privacy_utility([0.999995, 9.99997, float("inf")], None, {"white box": [0.02, 0.01, 0.05]})
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "10", "∞"]
    plt.close(ax.figure)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"utility": [0.5, 0.6]}, r"utility \(TSTR ROC AUC\) must have one value per epsilon \(3\), got 2"),
        ({"spreads": {"grey box": [0.1, 0.1, 0.1]}}, r"spreads names \['grey box'\]"),
        ({"utility": None, "attacks": None}, "nothing to draw"),
        ({"epsilons": [0.0, 1.0, 2.0]}, "epsilons must be a non-empty list of numbers > 0"),
    ],
)
def test_trade_off_plot_rejects_bad_input(kwargs, message):
    import matplotlib

    matplotlib.use("Agg")
    from gan_lessons.privacy import plotting

    arguments = {"epsilons": [1.0, 10.0, float("inf")], "utility": [0.5, 0.6, 0.7], "attacks": {"white box": [0.5, 0.5, 0.5]},
                 **kwargs}
    with pytest.raises(ValueError, match=message):
        plotting.plot_privacy_utility(**arguments)
