"""Training sessions for tests/test_faults.py, each run in a fresh Python process.

``python resume_worker.py interrupt FOLDER``: the first session. Trains the plain,
dropout and conditional GANs with a backup and stops each by an exception at the
end of epoch 2 (the test then damages the plain GAN's newest backup, as a kill
during a save would); finally trains the tabular GAN and kills its own process
with SIGKILL at the end of epoch 2, as a crash or ``kill -9`` would.

``python resume_worker.py resume FOLDER``: the second session, a fresh process.
Resumes every interrupted run, then trains each kind uninterrupted for comparison,
and writes weights, loss histories and snapshot labels to ``FOLDER/results.npz``.
"""

from __future__ import annotations

import os
import signal
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from gan_lessons import config, models, resume, tables, training  # noqa: E402

EPOCHS, STEPS_PER_EPOCH, BATCH_SIZE = 5, 3, 16
KINDS = ("plain", "dropout", "conditional", "tabular")
HEADS = [("tanh", 1), ("softmax", 3), ("softmax", 2)]


def build(kind: str, init_seed: int) -> tuple[training.GAN, object]:
    """A small GAN of one kind with initial weights from ``init_seed``, and its data."""
    config.set_seed(init_seed)
    rng = np.random.default_rng(0)
    conditions = np.eye(2, dtype=np.float32)[rng.integers(0, 2, 64)]
    if kind == "tabular":
        x = np.concatenate([rng.uniform(-1, 1, (64, 1)), np.eye(3)[rng.integers(0, 3, 64)],
                            np.eye(2)[rng.integers(0, 2, 64)]], axis=1).astype(np.float32)
        generator = tables.tabular_generator(4, HEADS, condition_dim=2, hidden_units=(16,), seed=1)
        discriminator = tables.tabular_discriminator(6, condition_dim=2, hidden_units=(16,), dropout=0.5)
        gan = training.GAN(generator, discriminator, loss="wasserstein", gradient_penalty_weight=10.0, seed=1)
    else:
        x = rng.normal(size=(64, 2)).astype(np.float32)
        condition_dim = 2 if kind == "conditional" else 0
        generator = models.mlp_generator(2, 2, (16,), condition_dim=condition_dim)
        discriminator = (tables.tabular_discriminator(2, hidden_units=(16,), dropout=0.3) if kind == "dropout"
                         else models.mlp_discriminator(2, (16,), condition_dim=condition_dim))
        gan = training.GAN(generator, discriminator, seed=1)
    gan.compile(jit_compile=False)
    with_conditions = kind in ("conditional", "tabular")
    dataset = training.make_dataset(x, BATCH_SIZE, seed=3, conditions=conditions if with_conditions else None)
    return gan, dataset


def snapshots_for(gan: training.GAN) -> training.SampleSnapshots:
    noise = np.random.default_rng(5).normal(size=(4, *gan.latent_shape)).astype(np.float32)
    conditions = np.eye(2, dtype=np.float32)[[0, 1, 0, 1]] if gan.conditional else None
    return training.SampleSnapshots(noise, conditions=conditions)


class StopAt(keras.callbacks.Callback):
    """At the end of epoch ``epoch``: raise KeyboardInterrupt, or kill this process."""

    def __init__(self, epoch: int, kill: bool = False) -> None:
        super().__init__()
        self.epoch, self.kill = epoch, kill

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.epoch:
            if self.kill:
                sys.stdout.flush()
                os.kill(os.getpid(), signal.SIGKILL)
            raise KeyboardInterrupt(f"stopped at the end of epoch {epoch}")


def train(kind: str, backup_dir: str | None, init_seed: int = 0, stop: StopAt | None = None):
    gan, dataset = build(kind, init_seed)
    snapshots = snapshots_for(gan)
    callbacks = [snapshots] + ([resume.BackupAndRestore(backup_dir)] if backup_dir else []) + ([stop] if stop else [])
    try:
        gan.fit(dataset, epochs=EPOCHS, steps_per_epoch=STEPS_PER_EPOCH, verbose=0, callbacks=callbacks)
    except KeyboardInterrupt:
        pass
    return gan, snapshots


def interrupt(folder: str) -> None:
    for kind in ("plain", "dropout", "conditional"):
        train(kind, os.path.join(folder, f"{kind}-exception"), stop=StopAt(2))
    print("killing myself", flush=True)
    train("tabular", os.path.join(folder, "tabular-kill"), stop=StopAt(2, kill=True))


def record(results: dict, key: str, gan: training.GAN, snapshots: training.SampleSnapshots) -> None:
    for index, weight in enumerate(gan.get_weights()):
        results[f"{key}/weight{index}"] = weight
    results[f"{key}/d_loss"] = np.asarray(gan.loss_history["d_loss"])
    results[f"{key}/g_loss"] = np.asarray(gan.loss_history["g_loss"])
    results[f"{key}/labels"] = np.asarray([label for label, _ in snapshots.snapshots])
    results[f"{key}/last_snapshot"] = snapshots.snapshots[-1][1]


def resume_all(folder: str) -> None:
    results: dict = {}
    runs = [(kind, f"{kind}-exception") for kind in ("plain", "dropout", "conditional")] + [("tabular", "tabular-kill")]
    for kind, name in runs:
        # Another initial seed: whatever the resumed run ends with comes from the backup.
        record(results, name, *train(kind, os.path.join(folder, name), init_seed=9))
    for kind in KINDS:
        record(results, f"{kind}-uninterrupted", *train(kind, None))
    np.savez(os.path.join(folder, "results.npz"), **results)


if __name__ == "__main__":
    {"interrupt": interrupt, "resume": resume_all}[sys.argv[1]](sys.argv[2])
