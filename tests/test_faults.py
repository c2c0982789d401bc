"""Faults (issue 17): interrupted training resumes exactly; bad data and bad models are refused.

The GANs here compile without XLA (jit_compile=False): what is tested does not depend
on it, and an XLA compilation per GAN would multiply the time of these tests; one
test checks the refusal of a bad batch with XLA on.

The resume tests run two fresh Python processes (tests/resume_worker.py): the first
trains four kinds of GAN and is interrupted (by an exception, or by a real SIGKILL
of its own process), and the test damages one backup as a kill during a save
would; the second process resumes each run and trains the same GANs uninterrupted. Resumed and uninterrupted runs are the
same computation on the same machine, so they must agree bit for bit.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_lessons import (
    config,
    images,
    losses,
    models,
    privacy,
    resume,
    returns,
    tables,
    training,
)

WORKER = Path(__file__).with_name("resume_worker.py")
# The run, and the epoch its backup resumes from (the plain GAN's newest backup is damaged).
RESUMED_RUNS = {"plain-exception": 2, "dropout-exception": 3, "conditional-exception": 3, "tabular-kill": 3}


def _run_worker(phase, folder):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "GAN_LESSONS_QUIET": "1"}
    return subprocess.run([sys.executable, str(WORKER), phase, str(folder)], capture_output=True, text=True,
                          env=env, timeout=600, check=False)


@pytest.fixture(scope="module")
def resumed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("resume")
    first = _run_worker("interrupt", folder)
    assert first.returncode == -signal.SIGKILL, first.stderr[-3000:]
    assert "killing myself" in first.stdout
    # What a kill during a save leaves without atomic writes: the newest backup cut
    # short; and what it leaves with them: a half-written file under another name.
    damaged = folder / "plain-exception"
    newest = damaged / "epoch-3.weights.h5"
    whole = newest.read_bytes()
    newest.write_bytes(whole[: len(whole) // 2])
    (damaged / "saving-epoch-4.weights.h5").write_bytes(whole[:100])
    second = _run_worker("resume", folder)
    assert second.returncode == 0, second.stderr[-3000:]
    with np.load(folder / "results.npz") as stored:
        return {key: stored[key] for key in stored.files}, second.stdout


@pytest.mark.parametrize("run", RESUMED_RUNS)
def test_a_resumed_run_ends_bit_for_bit_like_the_uninterrupted_one(resumed, run):
    results, _ = resumed
    reference = f"{run.split('-')[0]}-uninterrupted"
    weights = sorted(key.split("/")[1] for key in results if key.startswith(f"{run}/weight"))
    assert len(weights) > 4
    for name in weights:
        np.testing.assert_array_equal(results[f"{run}/{name}"], results[f"{reference}/{name}"], err_msg=name)
    for losses_of in ("d_loss", "g_loss"):
        assert len(results[f"{run}/{losses_of}"]) == 15  # every step of 5 epochs x 3 steps
        np.testing.assert_array_equal(results[f"{run}/{losses_of}"], results[f"{reference}/{losses_of}"])
    np.testing.assert_array_equal(results[f"{run}/last_snapshot"], results[f"{reference}/last_snapshot"])
    assert results[f"{run}/labels"].tolist() == list(range(RESUMED_RUNS[run], 6))
    assert results[f"{reference}/labels"].tolist() == [0, 1, 2, 3, 4, 5]


def test_a_damaged_backup_falls_back_to_the_previous_one_with_a_printed_line(resumed):
    _, printed = resumed
    assert "The backup of epoch 3 in" in printed and "plain-exception' is damaged" in printed
    assert "plain-exception' is damaged (cannot read the weights file" in printed
    assert "Resuming after epoch 2 from the backup in" in printed and "plain-exception'." in printed
    assert printed.count("Resuming after epoch 3") == 3


# -- resuming, in this process --------------------------------------------------------------------


def small_gan(seed=0, hidden=(16,), **kwargs):
    config.set_seed(seed)
    gan = training.GAN(models.mlp_generator(2, 2, hidden), models.mlp_discriminator(2, hidden), seed=0, **kwargs)
    gan.compile(jit_compile=False)
    return gan


def ring(batch_size=16):
    x = np.random.default_rng(0).normal(size=(64, 2)).astype(np.float32)
    return training.make_dataset(x, batch_size, seed=0)


class _StopAfter(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if epoch == 1:
            raise KeyboardInterrupt


def _interrupted_backup(folder, callback=None):
    backup = callback or resume.BackupAndRestore(folder)
    with pytest.raises(KeyboardInterrupt):
        small_gan().fit(ring(), epochs=4, steps_per_epoch=2, verbose=0, callbacks=[backup, _StopAfter()])


def test_resuming_a_changed_model_or_damaged_backups_names_the_folder_and_how_to_start_over(tmp_path):
    folder = str(tmp_path / "backup")
    _interrupted_backup(folder)
    with pytest.raises(ValueError) as refused:
        small_gan(hidden=(32,)).fit(ring(), epochs=4, steps_per_epoch=2, verbose=0,
                                    callbacks=[resume.BackupAndRestore(folder)])
    message = str(refused.value)
    assert f"cannot resume from the backup in {folder!r}" in message
    assert "array(s) differ in shape: discriminator/layers/dense/vars/0 file (2, 16) vs model (2, 32)" in message
    assert f"shutil.rmtree({folder!r})" in message
    for path in (tmp_path / "backup").iterdir():
        path.write_bytes(path.read_bytes()[:500])
    with pytest.raises(OSError, match=f"every backup in {folder!r} is damaged; delete that folder"):
        small_gan().fit(ring(), epochs=4, steps_per_epoch=2, verbose=0, callbacks=[resume.BackupAndRestore(folder)])


@pytest.mark.parametrize("double_checkpoint", [False, True])
def test_keras_own_backup_of_a_gan_names_a_damaged_file_or_falls_back(tmp_path, double_checkpoint):
    folder = str(tmp_path / "keras")
    _interrupted_backup(folder, keras.callbacks.BackupAndRestore(folder, double_checkpoint=double_checkpoint))
    latest = tmp_path / "keras" / "latest.weights.h5"
    latest.write_bytes(latest.read_bytes()[:1000])
    backup = keras.callbacks.BackupAndRestore(folder, double_checkpoint=double_checkpoint)
    if double_checkpoint:  # Keras' own fallback to the previous backup (after epoch 1) still works
        assert small_gan().fit(ring(), epochs=4, steps_per_epoch=2, verbose=0, callbacks=[backup]).epoch == [1, 2, 3]
    else:
        with pytest.raises(OSError, match=f"cannot read the weights file '{latest}': it is damaged"):
            small_gan().fit(ring(), epochs=4, steps_per_epoch=2, verbose=0, callbacks=[backup])


def test_keras_own_backup_also_resumes_a_dropout_gan_bit_for_bit(tmp_path):
    def dropout_gan():
        config.set_seed(0)
        gan = training.GAN(models.mlp_generator(2, 2, (8,)), tables.tabular_discriminator(2, hidden_units=(8,), dropout=0.3),
                           seed=0)
        gan.compile(jit_compile=False)
        return gan

    uninterrupted = dropout_gan()
    uninterrupted.fit(ring(), epochs=4, steps_per_epoch=2, verbose=0)
    folder = str(tmp_path / "keras")
    with pytest.raises(KeyboardInterrupt):
        dropout_gan().fit(ring(), epochs=4, steps_per_epoch=2, verbose=0,
                          callbacks=[keras.callbacks.BackupAndRestore(folder), _StopAfter()])
    resumed = dropout_gan()  # a new object, as in a new kernel
    resumed.fit(ring(), epochs=4, steps_per_epoch=2, verbose=0, callbacks=[keras.callbacks.BackupAndRestore(folder)])
    for expected, got in zip(uninterrupted.get_weights(), resumed.get_weights()):
        np.testing.assert_array_equal(expected, got)
    assert resumed.loss_history == uninterrupted.loss_history and len(resumed.loss_history["d_loss"]) == 8


def test_loss_history_and_random_states_travel_with_the_weights(tmp_path):
    gan = small_gan(seed=1)
    gan.fit(ring(), epochs=2, steps_per_epoch=3, verbose=0)
    gan.save_weights(str(tmp_path / "gan.weights.h5"))
    restored = small_gan(seed=2)
    assert restored.loss_history == {"d_loss": [], "g_loss": []}
    restored.load_weights(str(tmp_path / "gan.weights.h5"))
    assert restored.loss_history == gan.loss_history and len(restored.loss_history["g_loss"]) == 6
    assert int(restored.steps_trained) == 6
    np.testing.assert_array_equal(restored.seed_generator.state, gan.seed_generator.state)


def test_loading_weights_of_another_model_says_what_differs(tmp_path):
    small_gan().save_weights(str(tmp_path / "gan.weights.h5"))
    dropout = training.GAN(models.mlp_generator(2, 2, (16,)),
                           tables.tabular_discriminator(2, hidden_units=(16,), dropout=0.2), seed=0)
    dropout.compile(jit_compile=False)
    with pytest.raises(ValueError, match="was saved from a different model: the model has 1 array"):
        dropout.load_weights(str(tmp_path / "gan.weights.h5"))


def test_snapshots_of_a_resumed_run_carry_the_true_epochs_and_a_later_fit_starts_afresh(tmp_path):
    folder = str(tmp_path / "backup")
    noise = np.ones((3, 2), np.float32)
    first = training.SampleSnapshots(noise, every=2)
    with pytest.raises(KeyboardInterrupt):
        small_gan().fit(ring(), epochs=6, steps_per_epoch=1, verbose=0,
                        callbacks=[first, resume.BackupAndRestore(folder), _StopAfter()])
    assert [epoch for epoch, _ in first.snapshots] == [0, 2]
    first.snapshots.append((3, noise))  # as if taken by the interrupted run after its last backup
    # The same kernel and callback: the snapshot from the epoch to be redone is dropped.
    gan = small_gan()
    history = gan.fit(ring(), epochs=6, steps_per_epoch=1, verbose=0, callbacks=[first, resume.BackupAndRestore(folder)])
    assert history.epoch == [2, 3, 4, 5] and [epoch for epoch, _ in first.snapshots] == [0, 2, 4, 6]
    # Keras would start a later fit of this model at the restored epoch too; GAN.fit does not.
    assert gan.fit(ring(), epochs=2, steps_per_epoch=1, verbose=0).epoch == [0, 1]
    _interrupted_backup(folder)
    fresh = training.SampleSnapshots(noise)  # a new kernel: a new callback
    small_gan().fit(ring(), epochs=4, steps_per_epoch=2, verbose=0, callbacks=[fresh, resume.BackupAndRestore(folder)])
    assert [epoch for epoch, _ in fresh.snapshots] == [2, 3, 4]


# -- save and load ---------------------------------------------------------------------------------


def _plain():
    return small_gan(ema_decay=0.9, loss=losses.label_smoothed_non_saturating(0.9)), ring(), {}


def _sequence():
    config.set_seed(0)
    windows = np.random.default_rng(0).normal(size=(64, 16, 1)).astype(np.float32)
    gan = returns.SequenceGAN(returns.tcn_generator(2, 8, (1, 2), magnitude_channel=True),
                              returns.tcn_discriminator(8, (1, 2), magnitude_channel=True), window_length=16,
                              noise_padding=returns.tcn_receptive_field((1, 2)), loss="least_squares", seed=0)
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.RMSprop(1e-3), jit_compile=False)
    return gan, training.make_dataset(windows, 16, seed=0), {"length": 30}


def _private_tabular():
    config.set_seed(0)
    heads = [("tanh", 1), ("softmax", 3), ("softmax", 2)]
    rows = np.random.default_rng(0).uniform(-1, 1, (64, 6)).astype(np.float32)
    conditions = np.eye(2, dtype=np.float32)[np.arange(64) % 2]
    gan = privacy.PrivateGAN(tables.tabular_generator(4, heads, condition_dim=2, hidden_units=(8,), seed=1),
                             tables.tabular_discriminator(6, condition_dim=2, hidden_units=(8,)), loss="wasserstein",
                             gradient_penalty_weight=10.0, noise_multiplier=0.5, num_examples=64, seed=0)
    gan.compile(jit_compile=False)
    return gan, training.make_dataset(rows, 16, seed=0, conditions=conditions), {"conditions": conditions[:6]}


@pytest.mark.parametrize("make", [_plain, _sequence, _private_tabular], ids=["gan", "sequence_gan", "private_gan"])
def test_a_gan_round_trips_through_a_keras_file(tmp_path, make):
    gan, dataset, sample_kwargs = make()
    gan.fit(dataset, epochs=1, steps_per_epoch=2, verbose=0)
    gan.save(str(tmp_path / "gan.keras"))
    loaded = keras.saving.load_model(str(tmp_path / "gan.keras"))
    def arguments(model):
        return {key: value for key, value in model.get_config().items() if key not in ("generator", "discriminator")}

    assert type(loaded) is type(gan) and arguments(loaded) == arguments(gan)
    np.testing.assert_array_equal(loaded.sample(6, seed=2, **sample_kwargs), gan.sample(6, seed=2, **sample_kwargs))
    # NaN where nothing is recorded (the private GAN's D loss), equal to NaN here.
    assert loaded.loss_history.keys() == gan.loss_history.keys() and int(loaded.steps_trained) == 2
    for key, values in gan.loss_history.items():
        np.testing.assert_array_equal(loaded.loss_history[key], values)
    assert type(loaded.g_optimizer) is type(gan.g_optimizer) and int(loaded.g_optimizer.iterations) == 2
    for original, copy in zip(resume.seed_states(gan), resume.seed_states(loaded)):
        np.testing.assert_array_equal(original, copy)
    if make is _plain:
        # Optimizers, random states and data position came back whole: one more epoch agrees.
        for model in (gan, loaded):
            model.fit(dataset, epochs=1, steps_per_epoch=2, verbose=0)
        for original, copy in zip(gan.get_weights(), loaded.get_weights()):
            np.testing.assert_array_equal(original, copy)


def test_a_hand_made_loss_pair_cannot_be_saved_by_name(tmp_path):
    pair = losses.LossPair("mine", losses.wasserstein_d_loss, losses.wasserstein_g_loss)
    gan = small_gan(loss=pair)
    with pytest.raises(ValueError, match="hand-made loss pair 'mine' cannot be saved with its loss"):
        gan.save(str(tmp_path / "gan.keras"))


# -- refused before training ---------------------------------------------------------------------


def _weights_finite(gan):
    return all(np.isfinite(w).all() for w in gan.get_weights() if w.dtype.kind == "f")


@pytest.mark.parametrize("where", ["dataset", "tensor", "conditions"])
def test_non_finite_training_data_is_refused_and_trains_nothing_from_it(where):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 2)).astype(np.float32)
    conditions = np.eye(2, dtype=np.float32)[np.arange(64) % 2]
    if where == "conditions":
        conditions[40, 1] = np.nan
        config.set_seed(0)
        gan = training.GAN(models.mlp_generator(2, 2, (8,), condition_dim=2),
                           models.mlp_discriminator(2, (8,), condition_dim=2), seed=0)
        gan.compile(jit_compile=False)
        data = tf.data.Dataset.from_tensor_slices((x, conditions)).batch(16)
    else:
        x[40, 1] = np.nan
        gan = small_gan()
        data = tf.data.Dataset.from_tensor_slices(x).batch(16) if where == "dataset" else tf.constant(x)
    match = (r"training data must be finite, got 1 NaN or infinite values in batch 2 of this fit call"
             if where != "tensor" else r"training data must be finite, got 1 NaN or infinite values \(first at index \[40, 1\]\)")
    with pytest.raises(ValueError, match=match):
        gan.fit(data, epochs=2, verbose=0)
    assert _weights_finite(gan)
    # Batches 0 and 1 trained, batch 2 and later did not; the history has one entry per step trained.
    assert int(gan.steps_trained) == (0 if where == "tensor" else 2)
    assert len(gan.loss_history["d_loss"]) == int(gan.steps_trained)
    assert np.isfinite(gan.loss_history["d_loss"]).all()


def test_a_non_finite_batch_is_refused_with_xla_too():
    config.set_seed(0)
    gan = training.GAN(models.mlp_generator(2, 2, (4,)), models.mlp_discriminator(2, (4,)), seed=0)
    gan.compile(jit_compile=True)
    x = np.random.default_rng(0).normal(size=(48, 2)).astype(np.float32)
    x[40, 0] = np.inf
    with pytest.raises(ValueError, match="got 1 NaN or infinite values in batch 2 of this fit call"):
        gan.fit(tf.data.Dataset.from_tensor_slices(x).batch(16), epochs=1, verbose=0)
    assert int(gan.steps_trained) == 2 and int(gan.g_optimizer.iterations) == 2 and _weights_finite(gan)


def test_a_non_finite_batch_given_to_train_step_directly_is_refused_at_once():
    with pytest.raises(ValueError, match="training data must be finite, got 2 NaN or infinite values in this batch"):
        small_gan().train_step(np.array([[0.0, np.inf], [np.nan, 1.0]], np.float32))


def _tanh_dcgan(**kwargs):
    config.set_seed(0)
    gan = training.GAN(images.dcgan_generator((8, 8, 1), 4, filters=4), images.dcgan_discriminator((8, 8, 1), filters=4),
                       seed=0, **kwargs)
    gan.compile(jit_compile=False)
    return gan


def test_images_outside_the_tanh_range_are_refused_as_arrays_and_as_batches():
    images_0_255 = np.random.default_rng(0).integers(0, 256, (32, 8, 8, 1)).astype(np.float32)
    gan = _tanh_dcgan()
    with pytest.raises(ValueError, match=r"expected images in \[-1, 1\], the GAN's data_range \(by default the range of "
                                         r"the generator's output activation\); got values from 0 to 255 in the data "
                                         r"\(bytes 0..255: x / 127.5 - 1\)"):
        gan.fit(images_0_255, batch_size=8, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"expected images in \[-1, 1\].*got values from \d+ to 255 in batch 0 of this fit call"):
        gan.fit(training.make_dataset(images_0_255, 8, seed=0), epochs=1, steps_per_epoch=2, verbose=0)
    assert int(gan.steps_trained) == 0
    gan.fit(training.make_dataset(images_0_255 / 127.5 - 1, 8, seed=0), epochs=1, steps_per_epoch=2, verbose=0)
    assert int(gan.steps_trained) == 2
    # data_range=None: a lesson may train on such data on purpose, to show what happens.
    unchecked = _tanh_dcgan(data_range=None)
    unchecked.fit(training.make_dataset(images_0_255, 8, seed=0), epochs=1, steps_per_epoch=2, verbose=0)
    assert int(unchecked.steps_trained) == 2


def test_empty_training_data_is_refused():
    gan = small_gan()
    with pytest.raises(ValueError, match=r"the training data is empty: expected a dataset with at least one batch, got 0"):
        gan.fit(tf.data.Dataset.from_tensor_slices(np.zeros((0, 2), np.float32)).batch(4), epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"the training data is empty: expected at least one row, got shape \(0, 2\)"):
        gan.fit(np.zeros((0, 2), np.float32), epochs=1, verbose=0)
    unknown_length = tf.data.Dataset.from_tensor_slices(np.zeros((8, 2), np.float32)).filter(lambda row: False).batch(4)
    with (pytest.raises(ValueError, match="the training data is empty or ran out: expected at least one batch in epoch 0"),
          pytest.warns(UserWarning, match="Your input ran out of data")):
        gan.fit(unknown_length, epochs=1, verbose=0)
    assert int(gan.steps_trained) == 0 and int(gan.d_optimizer.iterations) == 0


@pytest.mark.parametrize("networks, match", [
    (lambda: (models.mlp_generator(2, 3), models.mlp_discriminator(2)),
     (r"the discriminator must read what the generator writes: the generator's samples have shape \(batch, 3\), "
      r"the discriminator expects \(batch, 2\)")),
    (lambda: (images.dcgan_generator((16, 16, 1), 4, filters=4), images.dcgan_discriminator((8, 8, 1), filters=4)),
     r"samples have shape \(batch, 16, 16, 1\), the discriminator expects \(batch, 8, 8, 1\)"),
    (lambda: (models.mlp_generator(2, 2, condition_dim=3), models.mlp_discriminator(2, condition_dim=2)),
     r"must take the same condition; got condition shapes \(3,\) and \(2,\)"),
    (lambda: (models.mlp_generator(2, 2), keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])),
     r"one output per example, shape \(batch, 1\); got \(batch, \(2,\)\)"),
])
def test_networks_that_do_not_fit_together_are_refused_at_construction(networks, match):
    with pytest.raises(ValueError, match=match):
        training.GAN(*networks())


def test_a_gradient_penalty_on_a_batch_normalised_discriminator_is_refused():
    generator = models.mlp_generator(2, 2, (4,))
    normalised = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4), keras.layers.BatchNormalization(name="norm"),
                                   keras.layers.Dense(1)])
    nested = keras.Sequential([keras.Input((2,)), normalised])  # found inside a nested model too
    for discriminator in (normalised, nested):
        with pytest.raises(ValueError, match=r"a gradient penalty needs a discriminator without batch normalisation.*"
                                             r"dcgan_critic.*got BatchNormalization layer 'norm'"):
            training.GAN(generator, discriminator, loss="wasserstein", gradient_penalty_weight=10.0)
    training.GAN(generator, models.mlp_discriminator(2, (4,)), loss="wasserstein", gradient_penalty_weight=10.0)
    training.GAN(generator, normalised)  # no penalty: BatchNorm is fine


@pytest.mark.parametrize("kwargs, error, match", [
    ({"gradient_penalty_weight": "1"}, TypeError, "gradient_penalty_weight must be a number, got str: '1'"),
    ({"gradient_penalty_weight": True}, TypeError, "gradient_penalty_weight must be a number, got bool: True"),
    ({"ema_decay": "0.9"}, TypeError, "ema_decay must be a number, got str"),
    ({"data_range": "tanh"}, TypeError, r"data_range must be 'auto', None or \(low, high\), got str: 'tanh'"),
    ({"data_range": (1, -1)}, ValueError, r"data_range must be \(low, high\) with low < high, got \(1, -1\)"),
])
def test_gan_arguments_of_the_wrong_type_name_the_argument(kwargs, error, match):
    with pytest.raises(error, match=match):
        small_gan(**kwargs)


def test_private_gan_refuses_a_bool_clip():
    with pytest.raises(TypeError, match="l2_norm_clip must be a number, got bool: True"):
        privacy.PrivateGAN(models.mlp_generator(2, 2, (8,)), models.mlp_discriminator(2, (8,)), l2_norm_clip=True)
