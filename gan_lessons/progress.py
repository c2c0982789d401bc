"""A progress bar for training: one line that updates, in a notebook or a terminal.

``GAN.fit`` adds a :class:`ProgressBar` unless progress is switched off, so a learner
sees how far a long training cell has come instead of a silent cell. It uses
``tqdm.auto``: a widget in Jupyter, a text line elsewhere; either way one line that
updates, not one line per step. ``GAN_LESSONS_QUIET=1`` switches it off: the course
report, the tests and CI set it, so stored outputs hold no bars.
"""

from __future__ import annotations

import os
from typing import Any

import keras

from gan_lessons._checks import positive_int


def show_progress() -> bool:
    """``False`` when the environment variable ``GAN_LESSONS_QUIET`` is ``1``, else ``True``."""
    quiet = os.environ.get("GAN_LESSONS_QUIET", "").strip()
    if quiet not in ("", "0", "1"):
        raise ValueError(f"GAN_LESSONS_QUIET must be '0' or '1', got {quiet!r}")
    return quiet != "1"


class ProgressBar(keras.callbacks.Callback):
    """One bar over all the steps of a ``fit`` call, with the epoch's mean losses.

    The bar moves every ``update_every`` steps and reads no loss values during an
    epoch, so it adds no wait between steps; at the end of each epoch it shows the
    epoch's mean ``d_loss`` and ``g_loss``.
    """

    def __init__(self, update_every: int = 10) -> None:
        super().__init__()
        self.update_every = positive_int(update_every, "update_every")
        self.bar: Any = None
        self._unreported = 0

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        from tqdm.auto import tqdm

        epochs, steps = self.params.get("epochs"), self.params.get("steps")
        total = epochs * steps if epochs and steps else None
        self.bar = tqdm(total=total, unit="step", desc="training", mininterval=0.5, leave=True)
        self._unreported = 0

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        # A run resumed by BackupAndRestore starts at a later epoch: count the done ones.
        steps = self.params.get("steps")
        if self.bar is not None and self.bar.n == 0 and epoch > 0 and steps:
            self.bar.update(epoch * steps)

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._unreported += 1
        if self._unreported >= self.update_every:
            self.bar.update(self._unreported)
            self._unreported = 0

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self.bar.update(self._unreported)
        self._unreported = 0
        if logs and "d_loss" in logs and "g_loss" in logs:
            self.bar.set_postfix(d_loss=f"{float(logs['d_loss']):.3f}", g_loss=f"{float(logs['g_loss']):.3f}")

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        if self.bar is not None:
            self.bar.close()
