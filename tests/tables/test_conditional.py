"""Training-by-sampling, sampled modes and the conditional-GAN builder."""

import numpy as np
import pandas as pd
import pytest

from gan_lessons import config, tables


def test_condition_probabilities_log_frequency_uniform_empirical():
    labels = ["a"] * 90 + ["b"] * 10
    log_freq = tables.condition_probabilities(labels, "log_frequency")
    expected = np.log1p([90, 10]) / np.log1p([90, 10]).sum()
    np.testing.assert_allclose(log_freq.to_numpy(), expected)
    assert list(log_freq.index) == ["a", "b"]
    np.testing.assert_allclose(tables.condition_probabilities(labels, "uniform").to_numpy(), [0.5, 0.5])
    np.testing.assert_allclose(tables.condition_probabilities(labels, "empirical").to_numpy(), [0.9, 0.1])


def test_sample_rows_by_condition_follows_the_rule_and_stays_within_the_class():
    labels = np.array(["a"] * 90 + ["b"] * 10, dtype=object)
    rows = tables.sample_rows_by_condition(labels, 20_000, seed=0, rule="uniform")
    assert rows.shape == (20_000,)
    share_b = np.mean(labels[rows] == "b")
    assert abs(share_b - 0.5) < 0.02
    # Within a class every row is drawn about equally often.
    counts = np.bincount(rows[labels[rows] == "b"], minlength=100)[90:]
    assert counts.min() > 0.7 * counts.mean()
    log_rows = tables.sample_rows_by_condition(labels, 20_000, seed=1)
    expected_b = np.log1p(10) / (np.log1p(10) + np.log1p(90))
    assert abs(np.mean(labels[log_rows] == "b") - expected_b) < 0.02
    np.testing.assert_array_equal(rows, tables.sample_rows_by_condition(labels, 20_000, seed=0, rule="uniform"))


def test_condition_sampling_bad_input():
    with pytest.raises(ValueError, match="rule must be one of"):
        tables.condition_probabilities(["a", "b"], "balanced")
    with pytest.raises(ValueError, match="size must be"):
        tables.sample_rows_by_condition(["a", "b"], 0, seed=0)
    with pytest.raises(ValueError, match="at least one value"):
        tables.condition_probabilities([], "uniform")


@pytest.fixture(scope="module")
def credit():
    return tables.load_german_credit()


def test_sampled_modes_follow_the_posterior_and_invert_exactly(credit):
    features = credit.drop(columns="credit_risk")
    encoder = tables.TabularEncoder().fit(features)
    span = next(s for s in encoder.spans if s.column == "credit_amount")
    posterior = encoder.mode_posterior("credit_amount", features["credit_amount"])
    np.testing.assert_allclose(posterior.sum(axis=1), 1.0)
    np.testing.assert_array_equal(posterior.argmax(axis=1),
                                  encoder.transform(features)[:, span.start + 1 : span.start + span.width].argmax(axis=1))
    draws = np.stack([encoder.transform(features, seed=s)[:, span.start + 1 : span.start + span.width] for s in range(100)])
    np.testing.assert_allclose(draws.mean(axis=0).mean(axis=0), posterior.mean(axis=0), atol=0.01)
    sampled = encoder.transform(features, seed=3)
    np.testing.assert_array_equal(sampled, encoder.transform(features, seed=3))
    pd.testing.assert_frame_equal(encoder.inverse_transform(sampled), features)


def test_transform_and_posterior_bad_input(credit):
    features = credit.drop(columns="credit_risk")
    encoder = tables.TabularEncoder().fit(features)
    with pytest.raises(TypeError, match="seed must be None or an int >= 0, got 1.5"):
        encoder.transform(features, seed=1.5)
    with pytest.raises(ValueError, match="expected one of the numeric columns"):
        encoder.mode_posterior("purpose", [1.0])


def test_build_conditional_gan_resamples_by_condition(credit):
    small = credit.sample(120, random_state=0).reset_index(drop=True)
    gan, encoder, label_encoder, dataset = tables.build_conditional_gan(
        small, "credit_risk", batch_size=64, hidden_units=(16,), latent_dim=8, seed=0,
        condition_sampling="uniform", sample_modes=True, resampled_rows=2000)
    conditions = np.concatenate([c.numpy() for _, c in dataset.take(20)])
    bad = label_encoder.categories("credit_risk").index("bad")
    assert abs(conditions[:, bad].mean() - 0.5) < 0.06   # 30 % bad in the rows, half in the batches
    gan.fit(dataset, epochs=1, steps_per_epoch=2, verbose=0)
    assert np.isfinite(gan.loss_history["d_loss"]).all()
    rows = tables.sample_table(gan, encoder, label_encoder, ["bad"] * 5, seed=0)
    assert list(rows.columns) == list(small.columns) and (rows["credit_risk"] == "bad").all()


def test_steps_per_execution_gives_the_same_training(credit):
    """k steps per call into TensorFlow train exactly as one step per call; only
    loss_history thins out to every k-th step."""
    small = credit.sample(120, random_state=1).reset_index(drop=True)
    options = {"steps": 12, "batch_size": 32, "hidden_units": (16,), "latent_dim": 8, "seed": 3,
               "condition_sampling": "uniform", "sample_modes": True, "resampled_rows": 500}
    config.set_seed(0)  # the same initial weights for both
    one, _, _ = tables.fit_conditional_gan(small, "credit_risk", **options)
    config.set_seed(0)
    four, _, _ = tables.fit_conditional_gan(small, "credit_risk", steps_per_execution=4, **options)
    for a, b in zip(one.generator.get_weights(), four.generator.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert len(one.loss_history["g_loss"]) == 12 and len(four.loss_history["g_loss"]) == 3
    np.testing.assert_allclose(four.loss_history["g_loss"], one.loss_history["g_loss"][3::4], rtol=1e-5, atol=1e-6)


def test_build_conditional_gan_bad_input(credit):
    with pytest.raises(ValueError, match="condition_sampling must be one of"):
        tables.build_conditional_gan(credit, "credit_risk", condition_sampling="balanced")
    with pytest.raises(TypeError, match="sample_modes and jit_compile must be True or False"):
        tables.build_conditional_gan(credit, "credit_risk", sample_modes=1)
    with pytest.raises(ValueError, match="label column 'risk'"):
        tables.build_conditional_gan(credit, "risk")
    with pytest.raises(ValueError, match="steps_per_execution must be"):
        tables.build_conditional_gan(credit, "credit_risk", steps_per_execution=0)
