"""Tabular generator heads and the conditional tabular GAN end to end."""

import numpy as np
import pandas as pd
import pytest

from gan_lessons import tables, training

HEADS = [("tanh", 1), ("softmax", 3), ("softmax", 2)]


def test_heads_are_tanh_and_simplex_blocks():
    layer = tables.TabularHeads(HEADS, seed=0)
    logits = np.random.default_rng(0).normal(size=(16, 6)).astype("float32") * 5
    for training_flag in (False, True):
        out = np.asarray(layer(logits, training=training_flag))
        assert out.shape == (16, 6)
        assert np.abs(out[:, 0]).max() <= 1
        np.testing.assert_allclose(out[:, 1:4].sum(axis=1), 1.0, rtol=1e-5)
        np.testing.assert_allclose(out[:, 4:].sum(axis=1), 1.0, rtol=1e-5)
    inference = np.asarray(layer(logits, training=False))
    np.testing.assert_allclose(inference[:, 4:], np.exp(logits[:, 4:]) / np.exp(logits[:, 4:]).sum(1, keepdims=True), rtol=1e-5)


def test_gumbel_softmax_is_nearly_one_hot_and_follows_the_probabilities():
    layer = tables.TabularHeads([("softmax", 2)], temperature=0.1, seed=1)
    logits = np.tile(np.log([[0.3, 0.7]]), (4000, 1)).astype("float32")
    out = np.asarray(layer(logits, training=True))
    assert np.mean(out.max(axis=1) > 0.9) > 0.9
    assert abs(out[:, 1].mean() - 0.7) < 0.05


def test_heads_bad_input():
    with pytest.raises(ValueError, match="each head must be"):
        tables.TabularHeads([("relu", 2)])
    with pytest.raises(ValueError, match="temperature must be a finite number > 0, got 0"):
        tables.TabularHeads(HEADS, temperature=0)
    with pytest.raises(ValueError, match=r"dropout must be a number in \[0, 1\)"):
        tables.tabular_discriminator(4, dropout=1.0)


def test_builders_shapes():
    generator = tables.tabular_generator(8, HEADS, condition_dim=2, hidden_units=(16,))
    discriminator = tables.tabular_discriminator(6, condition_dim=2, hidden_units=(16,))
    z, condition = np.zeros((5, 8), "float32"), np.zeros((5, 2), "float32")
    assert tuple(generator([z, condition]).shape) == (5, 6)
    assert tuple(discriminator([np.zeros((5, 6), "float32"), condition]).shape) == (5, 1)


def test_conditional_tabular_gan_trains_and_samples_a_table():
    credit = tables.load_german_credit().head(200)
    features = credit.drop(columns="credit_risk")
    encoder = tables.TabularEncoder().fit(features)
    label_encoder = tables.TabularEncoder().fit(credit[["credit_risk"]])
    x = encoder.transform(features)
    conditions = label_encoder.transform(credit[["credit_risk"]])
    generator = tables.tabular_generator(16, encoder.heads, condition_dim=2, hidden_units=(32,), seed=0)
    discriminator = tables.tabular_discriminator(encoder.output_dim, condition_dim=2, hidden_units=(32,))
    gan = training.GAN(generator, discriminator, loss="wasserstein", gradient_penalty_weight=10.0, seed=0)
    gan.compile()
    gan.fit(training.make_dataset(x, 50, seed=0, conditions=conditions), epochs=1, steps_per_epoch=3, verbose=0)
    assert np.isfinite(gan.loss_history["d_loss"]).all()
    labels = ["bad"] * 7 + ["good"] * 5
    table = tables.sample_table(gan, encoder, label_encoder, labels, seed=2)
    assert list(table.columns) == list(credit.columns)
    assert (table.dtypes == credit.dtypes).all()
    assert table["credit_risk"].tolist() == labels
    pd.testing.assert_frame_equal(table, tables.sample_table(gan, encoder, label_encoder, labels, seed=2))
    with pytest.raises(ValueError, match="column 'credit_risk' has categories not seen in fit"):
        tables.sample_table(gan, encoder, label_encoder, ["unknown"], seed=0)
