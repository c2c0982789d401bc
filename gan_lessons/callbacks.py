"""Callbacks that go with :class:`gan_lessons.training.GAN`: per-step losses and fixed-noise snapshots."""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
from numpy.typing import ArrayLike, NDArray

from gan_lessons._checks import finite_array, positive_int


class LossHistory(keras.callbacks.Callback):
    """Records the discriminator and generator loss of every training step.

    The losses go to the model's ``loss_history`` dict (``{"d_loss": [...],
    "g_loss": [...]}``), which ``GAN`` owns, so they accumulate over several
    ``fit`` calls; ``GAN.fit`` adds one of these unless one is passed. Each step's
    loss tensors are kept as they are and turned into floats at the end of the
    epoch: converting them at every step would make Python wait for each step to
    finish before queueing the next (the course benchmark measured that wait at
    several percent of a DCGAN step). The steps of an epoch cut short by an
    exception are not kept, which matches ``keras.callbacks.BackupAndRestore``: it
    resumes from the last finished epoch.
    """

    def __init__(self) -> None:
        super().__init__()
        self._pending: list[tuple[Any, Any]] = []

    @property
    def history(self) -> dict[str, list[float]]:
        """The model's ``loss_history``."""
        history = getattr(self.model, "loss_history", None)
        if not isinstance(history, dict):
            raise TypeError(
                "LossHistory needs a model with a loss_history dict (a gan_lessons GAN), "
                f"got {type(self.model).__name__}"
            )
        return history

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        self.history  # fails early, with the message above, on a model without loss_history
        self._pending.clear()

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        if logs:
            self._pending.append((logs["d_loss"], logs["g_loss"]))

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self.keep_pending()

    def keep_pending(self) -> None:
        """Move the losses of the steps recorded since the last epoch ended into ``loss_history``
        (``GAN.fit`` calls it when it stops at a refused batch: those steps did train)."""
        history = self.history
        for d_loss, g_loss in self._pending:
            history["d_loss"].append(float(d_loss))
            history["g_loss"].append(float(g_loss))
        self._pending.clear()


class SampleSnapshots(keras.callbacks.Callback):
    """Keeps samples from a fixed noise batch every ``every`` epochs, for plotting.

    Reusing the same ``fixed_noise`` makes the snapshots comparable: changes
    between them come from training, not from new noise. ``snapshots`` is a list of
    ``(epoch, samples)``, epoch e being the state after e finished epochs: e = 0 is
    taken before training starts, then every ``every`` epochs. A run resumed from a
    backup after epoch 3 starts with a snapshot labelled 3 (when 3 is a multiple of
    ``every``), and snapshots from later epochs that the interrupted run took are
    dropped, since training redoes those epochs. Samples come from
    ``gan.sampling_generator`` (the weight average when the GAN keeps one).
    """

    def __init__(self, fixed_noise: ArrayLike, every: int = 1, conditions: ArrayLike | None = None) -> None:
        super().__init__()
        self.fixed_noise = finite_array(fixed_noise, "fixed_noise")
        self.conditions = None if conditions is None else finite_array(conditions, "conditions", ndim=2)
        self.every = positive_int(every, "every")
        self.snapshots: list[tuple[int, NDArray[np.float32]]] = []
        self._first_epoch = True

    def _take(self, epoch: int) -> None:
        noise = keras.ops.convert_to_tensor(self.fixed_noise)
        inputs: Any = noise if self.conditions is None else [noise, keras.ops.convert_to_tensor(self.conditions)]
        samples = keras.ops.convert_to_numpy(self.model.sampling_generator(inputs, training=False))
        self.snapshots.append((epoch, samples))

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        self._first_epoch = True

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        # The first epoch of a fit call is where training starts: 0, or the epoch a
        # backup restored. Keras gives its true number here, not in on_train_begin.
        if not self._first_epoch:
            return
        self._first_epoch = False
        if epoch > 0:
            self.snapshots = [(label, samples) for label, samples in self.snapshots if label <= epoch]
        if epoch % self.every == 0 and all(label != epoch for label, _ in self.snapshots):
            self._take(epoch)

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        if (epoch + 1) % self.every == 0:
            self._take(epoch + 1)

