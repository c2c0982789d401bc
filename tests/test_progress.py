"""The training progress bar: one bar over all steps, quiet when GAN_LESSONS_QUIET=1."""

import numpy as np
import pytest

from gan_lessons import models, progress, training


def test_quiet_switch(monkeypatch):
    monkeypatch.setenv("GAN_LESSONS_QUIET", "1")
    assert not progress.show_progress()
    monkeypatch.setenv("GAN_LESSONS_QUIET", "0")
    assert progress.show_progress()
    monkeypatch.setenv("GAN_LESSONS_QUIET", "yes")
    with pytest.raises(ValueError, match="GAN_LESSONS_QUIET must be '0' or '1', got 'yes'"):
        progress.show_progress()


def test_the_bar_counts_every_step_and_shows_the_epoch_losses():
    gan = training.GAN(models.mlp_generator(2, 2, (8,)), models.mlp_discriminator(2, (8,)), seed=0)
    gan.compile()
    x = np.random.default_rng(0).normal(size=(64, 2)).astype("float32")
    bar = progress.ProgressBar(update_every=4)
    gan.fit(training.make_dataset(x, 16, seed=0), epochs=3, steps_per_epoch=5, verbose=0, callbacks=[bar])
    assert bar.bar.total == 15 and bar.bar.n == 15
    assert set(bar.bar.postfix.replace(" ", "").split(",")) >= {
        f"d_loss={np.mean(gan.loss_history['d_loss'][-5:]):.3f}", f"g_loss={np.mean(gan.loss_history['g_loss'][-5:]):.3f}"}


def test_update_every_must_be_a_positive_int():
    with pytest.raises(ValueError, match="update_every must be >= 1, got 0"):
        progress.ProgressBar(update_every=0)
