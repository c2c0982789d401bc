import keras
import numpy as np
import pytest

from gan_lessons import config, losses, models, tables, training


def small_gan(loss="non_saturating", d_steps=1, seed=0, **kwargs):
    config.set_seed(seed)
    gan = training.GAN(
        models.mlp_generator(2, 2, (16,)), models.mlp_discriminator(2, (16,)),
        loss=loss, d_steps=d_steps, seed=seed, **kwargs,
    )
    gan.compile()
    return gan


def ring_dataset(batch_size=32):
    x = np.random.default_rng(0).normal(size=(256, 2)).astype(np.float32)
    return training.make_dataset(x, batch_size, seed=0)


@pytest.mark.parametrize("loss", sorted(losses.LOSS_PAIRS))
def test_one_train_step_gives_finite_losses(loss):
    gan = small_gan(loss, gradient_penalty_weight=10.0 if loss == "wasserstein" else 0.0)
    batch = next(iter(ring_dataset()))
    logs = gan.train_step(batch)
    assert np.isfinite(float(logs["d_loss"])) and np.isfinite(float(logs["g_loss"]))


def test_train_step_updates_both_networks_and_d_steps_counts_discriminator_updates():
    gan = small_gan(d_steps=3)
    before_g = [w.copy() for w in gan.generator.get_weights()]
    before_d = [w.copy() for w in gan.discriminator.get_weights()]
    gan.fit(ring_dataset(), epochs=1, steps_per_epoch=2, verbose=0)
    assert int(gan.d_optimizer.iterations) == 6
    assert int(gan.g_optimizer.iterations) == 2
    assert any(not np.allclose(a, b) for a, b in zip(before_g, gan.generator.get_weights()))
    assert any(not np.allclose(a, b) for a, b in zip(before_d, gan.discriminator.get_weights()))


def test_loss_history_records_every_step():
    gan = small_gan()
    gan.fit(ring_dataset(), epochs=2, steps_per_epoch=5, verbose=0)
    assert len(gan.loss_history["d_loss"]) == 10 and len(gan.loss_history["g_loss"]) == 10
    assert np.all(np.isfinite(gan.loss_history["d_loss"]))


def test_same_seed_gives_identical_losses():
    histories = []
    for _ in range(2):
        gan = small_gan(seed=7)
        gan.fit(ring_dataset(), epochs=1, steps_per_epoch=5, verbose=0)
        histories.append(gan.loss_history)
    np.testing.assert_array_equal(histories[0]["d_loss"], histories[1]["d_loss"])
    np.testing.assert_array_equal(histories[0]["g_loss"], histories[1]["g_loss"])


def test_sample_shape_and_seed():
    gan = small_gan()
    samples = gan.sample(2500, seed=3, batch_size=1000)
    assert samples.shape == (2500, 2) and samples.dtype == np.float32
    # Another batch size may sum in another order on some CPUs: equal up to round-off.
    np.testing.assert_allclose(samples, gan.sample(2500, seed=3), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(samples, gan.sample(2500, seed=3, batch_size=1000))
    assert not np.array_equal(gan.sample(10), gan.sample(10))


class _Interrupt(keras.callbacks.Callback):
    """Raises at the end of a chosen epoch, like a kernel interrupted mid-run."""

    def __init__(self, at_epoch):
        super().__init__()
        self.at_epoch = at_epoch

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.at_epoch:
            self.weights = [w.copy() for w in self.model.get_weights()]
            self.optimizer_state = [v.numpy().copy() for v in self.model.d_optimizer.variables + self.model.g_optimizer.variables]
            self.noise_state = self.model.seed_generator.state.numpy().copy()
            raise KeyboardInterrupt


class _RecordStart(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        if not hasattr(self, "first_epoch"):
            self.first_epoch = epoch
            self.weights = [w.copy() for w in self.model.get_weights()]
            self.optimizer_state = [v.numpy().copy() for v in self.model.d_optimizer.variables + self.model.g_optimizer.variables]
            self.noise_state = self.model.seed_generator.state.numpy().copy()


def test_interrupted_fit_resumes_at_the_right_epoch_with_all_state(tmp_path):
    backup = keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))
    interrupt = _Interrupt(at_epoch=2)
    with pytest.raises(KeyboardInterrupt):
        small_gan().fit(ring_dataset(), epochs=5, steps_per_epoch=3, verbose=0, callbacks=[backup, interrupt])
    # A new session: a freshly built GAN (different initial weights) resumes.
    resumed = small_gan(seed=99)
    start = _RecordStart()
    history = resumed.fit(
        ring_dataset(), epochs=5, steps_per_epoch=3, verbose=0,
        callbacks=[keras.callbacks.BackupAndRestore(str(tmp_path / "backup")), start],
    )
    assert start.first_epoch == 3
    assert history.epoch == [3, 4]
    for saved, restored in zip(interrupt.weights, start.weights):
        np.testing.assert_array_equal(saved, restored)
    for saved, restored in zip(interrupt.optimizer_state, start.optimizer_state):
        np.testing.assert_array_equal(saved, restored)
    np.testing.assert_array_equal(interrupt.noise_state, start.noise_state)


def test_sample_snapshots_keeps_fixed_noise_samples():
    gan = small_gan()
    fixed_noise = np.random.default_rng(0).normal(size=(16, 2)).astype(np.float32)
    snapshots = training.SampleSnapshots(fixed_noise, every=2)
    gan.fit(ring_dataset(), epochs=4, steps_per_epoch=2, verbose=0, callbacks=[snapshots])
    assert [epoch for epoch, _ in snapshots.snapshots] == [0, 2, 4]
    assert all(samples.shape == (16, 2) for _, samples in snapshots.snapshots)
    np.testing.assert_allclose(snapshots.snapshots[-1][1], gan.generator(fixed_noise).numpy(), rtol=1e-6)


def test_conditional_gan_trains_and_samples():
    config.set_seed(0)
    gan = training.GAN(
        models.mlp_generator(2, 2, (8,), condition_dim=3),
        models.mlp_discriminator(2, (8,), condition_dim=3), seed=0,
    )
    gan.compile()
    x = np.random.default_rng(0).normal(size=(64, 2)).astype(np.float32)
    conditions = np.eye(3, dtype=np.float32)[np.arange(64) % 3]
    gan.fit(training.make_dataset(x, 16, seed=0, conditions=conditions), epochs=1, steps_per_epoch=2, verbose=0)
    assert gan.sample(5, conditions=conditions[:5]).shape == (5, 2)
    with pytest.raises(ValueError, match="this GAN is conditional: pass conditions"):
        gan.sample(5)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"d_steps": 0}, ValueError, "d_steps must be >= 1, got 0"),
    ({"d_steps": 1.5}, TypeError, "d_steps must be an int"),
    ({"loss": "hinge"}, ValueError, "unknown loss 'hinge'"),
    ({"gradient_penalty_weight": -1.0}, ValueError, "gradient_penalty_weight must be a finite number >= 0"),
])
def test_bad_gan_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        small_gan(**kwargs)


def test_mismatched_conditioning_is_refused():
    with pytest.raises(ValueError, match="both take a condition or both not"):
        training.GAN(models.mlp_generator(2, 2, condition_dim=3), models.mlp_discriminator(2))


def test_non_models_are_refused():
    with pytest.raises(TypeError, match="generator must be a keras.Model, got function"):
        training.GAN(lambda z: z, models.mlp_discriminator(2))


@pytest.mark.parametrize("x, match", [
    (np.array([[0.0, np.nan]] * 4), r"x must be finite, got 4 NaN or infinite values \(first at index \[0, 1\]\)"),
    (np.array([[0.0, np.inf]] * 4), "x must be finite"),
    (np.zeros(8), r"x must have shape \(n, ...features\), got shape \(8,\)"),
])
def test_make_dataset_refuses_bad_data(x, match):
    with pytest.raises(ValueError, match=match):
        training.make_dataset(x, 2, seed=0)


def test_make_dataset_refuses_oversized_batch_and_bad_conditions():
    x = np.zeros((4, 2), np.float32)
    with pytest.raises(ValueError, match=r"batch_size must be at most the number of rows \(4\), got 5"):
        training.make_dataset(x, 5, seed=0)
    with pytest.raises(ValueError, match=r"conditions must have one row per sample \(4\), got 3"):
        training.make_dataset(x, 2, seed=0, conditions=np.zeros((3, 1)))


def test_fit_refuses_nan_arrays_and_batches_of_the_wrong_kind():
    gan = small_gan()
    with pytest.raises(ValueError, match="training data must be finite"):
        gan.fit(np.full((8, 2), np.nan, np.float32), epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"unconditional, so batches must be x alone"):
        gan.train_step((np.zeros((4, 2), np.float32), np.zeros((4, 1), np.float32)))


def test_sample_refuses_bad_n():
    gan = small_gan()
    with pytest.raises(ValueError, match="n must be >= 1, got 0"):
        gan.sample(0)


def test_ema_weights_equal_the_closed_form_average_after_known_updates():
    decay = 0.8
    gan = small_gan(seed=5, ema_decay=decay)
    history = [gan.generator.get_weights()]  # w_0: the average starts from the initial weights
    dataset = ring_dataset()
    for _ in range(3):
        gan.fit(dataset, epochs=1, steps_per_epoch=1, verbose=0)
        history.append(gan.generator.get_weights())
    # ema_3 = d^3 w_0 + (1 - d)(d^2 w_1 + d w_2 + w_3)
    for index, averaged in enumerate(gan.ema_generator.get_weights()):
        expected = decay**3 * history[0][index] + (1 - decay) * sum(
            decay ** (3 - step) * history[step][index] for step in (1, 2, 3))
        np.testing.assert_allclose(averaged, expected, rtol=1e-5, atol=1e-6)
    assert any(not np.allclose(a, b) for a, b in zip(gan.ema_generator.get_weights(), history[-1]))


def test_sample_uses_the_ema_generator_only_when_enabled():
    plain = small_gan(seed=2)
    plain.fit(ring_dataset(), epochs=1, steps_per_epoch=5, verbose=0)
    assert plain.ema_generator is None and plain.sampling_generator is plain.generator
    z = plain.noise(50, seed=4)
    np.testing.assert_allclose(plain.sample(50, seed=4), plain.generator(z), rtol=1e-6)

    averaged = small_gan(seed=2, ema_decay=0.9)
    averaged.fit(ring_dataset(), epochs=1, steps_per_epoch=5, verbose=0)
    z = averaged.noise(50, seed=4)
    samples = averaged.sample(50, seed=4)
    np.testing.assert_allclose(samples, averaged.ema_generator(z), rtol=1e-6)
    assert not np.allclose(samples, averaged.generator(z))
    snapshots = training.SampleSnapshots(np.ones((3, 2), np.float32))
    averaged.fit(ring_dataset(), epochs=1, steps_per_epoch=1, verbose=0, callbacks=[snapshots])
    np.testing.assert_allclose(snapshots.snapshots[-1][1], averaged.ema_generator(np.ones((3, 2), np.float32)), rtol=1e-6)


def test_ema_weights_survive_save_and_load(tmp_path):
    gan = small_gan(seed=1, ema_decay=0.9)
    gan.fit(ring_dataset(), epochs=1, steps_per_epoch=4, verbose=0)
    gan.save_weights(str(tmp_path / "gan.weights.h5"))
    restored = small_gan(seed=8, ema_decay=0.9)
    assert not np.allclose(restored.ema_generator.get_weights()[0], gan.ema_generator.get_weights()[0])
    restored.load_weights(str(tmp_path / "gan.weights.h5"))
    for saved, loaded in zip(gan.ema_generator.get_weights(), restored.ema_generator.get_weights()):
        np.testing.assert_array_equal(saved, loaded)
    np.testing.assert_array_equal(gan.sample(20, seed=0), restored.sample(20, seed=0))


@pytest.mark.parametrize("decay", [1.0, -0.1, 1.5])
def test_ema_decay_outside_zero_one_is_rejected(decay):
    with pytest.raises(ValueError, match="ema_decay"):
        small_gan(ema_decay=decay)


def test_truncated_noise_stays_inside_the_bound_with_the_truncated_normal_variance():
    gan = small_gan()
    z = np.asarray(gan.noise(50_000, seed=7, truncation=1.0))
    assert z.shape == (50_000, 2) and z.dtype == np.float32
    assert np.abs(z).max() <= 1.0
    # Variance of N(0, 1) truncated to [-1, 1]: 1 - 2 phi(1) / (2 Phi(1) - 1) = 0.29113.
    assert z.var() == pytest.approx(0.29113, abs=0.006)
    assert abs(z.mean()) < 0.01
    assert np.abs(np.asarray(gan.noise(1000, seed=7, truncation=0.5))).max() <= 0.5
    # A huge bound leaves the standard normal (variance 1).
    assert np.asarray(gan.noise(50_000, seed=7, truncation=40.0)).var() == pytest.approx(1.0, abs=0.03)


def test_truncation_none_leaves_sampling_unchanged():
    gan = small_gan(seed=4)
    np.testing.assert_array_equal(gan.noise(30, seed=2, truncation=None), gan.noise(30, seed=2))
    np.testing.assert_array_equal(gan.sample(30, seed=2, truncation=None), gan.sample(30, seed=2))
    truncated = gan.sample(30, seed=2, truncation=0.5)
    np.testing.assert_allclose(truncated, gan.generator(gan.noise(30, seed=2, truncation=0.5)), rtol=1e-6)
    assert not np.allclose(truncated, gan.sample(30, seed=2))


@pytest.mark.parametrize("truncation", [0.0, -1.0, float("nan"), float("inf")])
def test_bad_truncation_is_rejected(truncation):
    gan = small_gan()
    with pytest.raises(ValueError, match="truncation must be a finite number > 0"):
        gan.sample(10, seed=0, truncation=truncation)

def _conditional_gan():
    generator = models.mlp_generator(4, 3, hidden_units=(8,), condition_dim=2)
    discriminator = models.mlp_discriminator(3, hidden_units=(8,), condition_dim=2)
    return training.GAN(generator, discriminator, seed=0)


def test_conditional_sample_returns_numpy_with_one_row_per_condition():
    gan = _conditional_gan()
    conditions = np.tile(np.eye(2, dtype=np.float32), (5, 1))
    samples = gan.sample(10, seed=3, conditions=conditions, batch_size=4)
    assert isinstance(samples, np.ndarray) and samples.shape == (10, 3)
    np.testing.assert_array_equal(samples, gan.sample(10, seed=3, conditions=conditions, batch_size=4))


def test_conditional_sample_needs_conditions_with_n_rows():
    gan = _conditional_gan()
    with pytest.raises(ValueError, match="this GAN is conditional: pass conditions with n rows"):
        gan.sample(3)
    with pytest.raises(ValueError, match="conditions must have n=3 rows, got 2"):
        gan.sample(3, conditions=np.eye(2))


def test_loss_history_callback_fills_gan_loss_history_across_fits():
    gan = small_gan()
    history = training.LossHistory()
    gan.fit(ring_dataset(), epochs=1, steps_per_epoch=3, verbose=0, callbacks=[history])
    gan.fit(ring_dataset(), epochs=2, steps_per_epoch=2, verbose=0)  # GAN.fit adds its own
    assert history.history is gan.loss_history
    assert len(gan.loss_history["d_loss"]) == 7 and len(gan.loss_history["g_loss"]) == 7


def test_loss_history_refuses_a_model_without_loss_history():
    model = models.mlp_discriminator(2, (4,))
    model.compile(optimizer="adam", loss="mse")
    with pytest.raises(TypeError, match="LossHistory needs a model with a loss_history dict"):
        model.fit(np.zeros((4, 2)), np.zeros((4, 1)), epochs=1, verbose=0, callbacks=[training.LossHistory()])


def test_epoch_logs_are_means_and_step_logs_are_this_steps_losses():
    gan = small_gan()
    fit = gan.fit(ring_dataset(), epochs=1, steps_per_epoch=4, verbose=0)
    np.testing.assert_allclose(fit.history["d_loss"][0], np.mean(gan.loss_history["d_loss"]), rtol=1e-5)


def test_the_gan_noise_stream_differs_from_sampling_with_the_same_seed():
    # A GAN built with seed s must not draw, in training, the noise that sample(n, seed=s) draws.
    gan = small_gan(seed=5)
    training_noise = np.asarray(gan.noise(8))
    np.testing.assert_array_equal(training_noise, np.asarray(small_gan(seed=5).noise(8)))  # reproducible
    assert not np.allclose(training_noise, np.asarray(gan.noise(8, seed=5)))


def test_stream_seeds_are_distinct_and_reproducible():
    seeds = {config.stream_seed(3, name) for name in ("gan noise", "gumbel heads", "classifier dropout")}
    assert len(seeds) == 3 and config.stream_seed(3, "gan noise") == config.stream_seed(3, "gan noise")
    assert config.stream_seed(None, "gan noise") is None
    with pytest.raises(TypeError, match="seed must be an int or None, got str"):
        config.stream_seed("3", "gan noise")


def test_resume_restores_dropout_random_state(tmp_path):
    def dropout_gan(seed):
        config.set_seed(seed)
        gan = training.GAN(models.mlp_generator(2, 2, (16,)), tables.tabular_discriminator(2, hidden_units=(16,), dropout=0.3),
                           seed=0)
        gan.compile()
        return gan

    gan = dropout_gan(0)
    gan.fit(ring_dataset(), epochs=1, steps_per_epoch=3, verbose=0)
    gan.save_weights(str(tmp_path / "gan.weights.h5"))
    states = [np.asarray(v) for v in gan.variables if v.name == "seed_generator_state"]
    assert len(states) >= 2  # the GAN's noise and the dropout layer's
    restored = dropout_gan(1)
    restored.load_weights(str(tmp_path / "gan.weights.h5"))
    for saved, loaded in zip(states, [np.asarray(v) for v in restored.variables if v.name == "seed_generator_state"]):
        np.testing.assert_array_equal(saved, loaded)
