"""Training that is interrupted resumes exactly: what a GAN saves, and the backup callback.

A new module rather than more of ``training``: resuming is a concept of its own
(what state a run has beyond its weights, how backups survive a crash), and
``training`` stays about the training loop.

What a run needs to continue as if it had never stopped, and where it lives:

* the weights, both optimizers' state, the weight average: Keras saves them;
* every random-number generator's state (the GAN's noise, dropout, Gumbel heads):
  Keras does not save these, :func:`save_training_state` does;
* ``loss_history``, every step's losses: saved by :func:`save_training_state`;
* the position in the data: ``GAN.steps_trained``, a variable Keras saves, from
  which :func:`gan_lessons.training.make_dataset` streams resume;
* the epoch: the backup's file name (:class:`BackupAndRestore`).

Usage::

    gan.fit(make_dataset(x, 64, seed=0), epochs=20, steps_per_epoch=100,
            callbacks=[resume.BackupAndRestore("backups/ring")])

Run the same cell again after an interruption (an exception, a restarted kernel,
a killed process) and training continues from the last finished epoch.

Not restored: the steps of the unfinished epoch (they are trained again); the
order of batches from any data other than a ``make_dataset`` stream (NumPy arrays
given to ``fit``, your own ``tf.data`` pipeline); the state of other callbacks
(snapshots taken before a restart live in the old kernel's callback object);
anything random outside the model (NumPy generators in your cells). A change that
keeps every weight's shape (a learning rate, the loss, ``d_steps``) is not
detected. Bit-for-bit equality holds on the machine and build that wrote the
backup; GPU kernels are not all deterministic.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from typing import Any

import h5py
import keras
import numpy as np

SEED_STATE_PREFIX = "seed_generator_state_"
HISTORY_PREFIX = "loss_history_"
_BACKUP_NAME = re.compile(r"^epoch-(\d+)\.weights\.h5$")


def seed_states(model: keras.Model) -> list[Any]:
    """The state of every ``SeedGenerator`` in ``model`` and its networks (its noise,
    dropout layers, Gumbel heads), in a fixed order: Keras saves layer weights but
    not these, and a resumed run must draw the same random numbers."""
    return [v for v in model.variables if v.name == "seed_generator_state"]


def save_training_state(model: keras.Model, store: Any) -> None:
    """Write the random-number generators' states and ``loss_history`` into ``store``
    (the part of a Keras weights file that belongs to ``model``)."""
    for index, state in enumerate(seed_states(model)):
        store[f"{SEED_STATE_PREFIX}{index}"] = keras.ops.convert_to_numpy(state)
    for key, values in getattr(model, "loss_history", {}).items():
        store[f"{HISTORY_PREFIX}{key}"] = np.asarray(values, dtype=np.float64)


def load_training_state(model: keras.Model, store: Any) -> dict[str, Any]:
    """Read what :func:`save_training_state` wrote; returns the rest of ``store`` (Keras' own variables).

    A file without a saved history leaves ``loss_history`` as it is; a file whose
    number of random-number generators differs from the model's is refused, since
    the model that wrote it had other random layers.
    """
    keys = list(store.keys())
    seed_keys = [key for key in keys if key.startswith(SEED_STATE_PREFIX)]
    history_keys = [key for key in keys if key.startswith(HISTORY_PREFIX)]
    states = seed_states(model)
    if seed_keys and len(seed_keys) != len(states):
        raise ValueError(
            f"the file holds {len(seed_keys)} random-number generator states, this model has {len(states)} "
            "(a dropout layer, Gumbel head or noise source was added or removed)"
        )
    for index, state in enumerate(states if seed_keys else []):
        state.assign(np.asarray(store[f"{SEED_STATE_PREFIX}{index}"]))
    history = getattr(model, "loss_history", None)
    for key in history_keys:
        if isinstance(history, dict):
            history[key[len(HISTORY_PREFIX):]] = [float(value) for value in np.asarray(store[key])]
    return {key: store[key] for key in keys if key not in seed_keys and key not in history_keys}


def copy_training_state(source: keras.Model, target: keras.Model) -> None:
    """Give ``target`` every part of ``source``'s training state: the variables of the
    model and its networks (weights, weight average, random-number generators,
    ``steps_trained``), both optimizers' variables and ``loss_history``.

    Both must be GANs of one class, built with the same arguments apart from the seed
    and compiled with the same options: the compiled training step of ``target``
    runs on, with ``source``'s numbers in its variables. Raises ``TypeError`` for
    another class and ``ValueError`` naming what differs otherwise.
    """
    if type(source) is not type(target):
        raise TypeError(f"both GANs must be of one class, got {type(target).__name__} and {type(source).__name__}")
    def settings(gan: keras.Model) -> tuple[dict[str, Any], dict[str, Any]]:
        # The arguments other than the networks and the seed, and the compile settings.
        skipped = ("name", "seed", "generator", "discriminator")
        return {k: v for k, v in gan.get_config().items() if k not in skipped}, gan.get_compile_config()

    (mine, mine_compiled), (theirs, theirs_compiled) = settings(target), settings(source)
    if not mine_compiled or not theirs_compiled:
        raise ValueError("both GANs must be compiled before one takes the other's state")
    for label, this, new in (("arguments", mine, theirs),
                             ("compile settings (optimizers and their options)", mine_compiled, theirs_compiled)):
        if _without_names(this) != _without_names(new):
            raise ValueError(f"the GANs differ in their {label}: this GAN {this}, the new one {new}")
    pairs = [(target.variables, source.variables, "model")]
    pairs += [(getattr(target, role).variables, getattr(source, role).variables, role)
              for role in ("d_optimizer", "g_optimizer")]
    for to, from_, label in pairs:
        shapes = [[tuple(v.shape) for v in variables] for variables in (to, from_)]
        if shapes[0] != shapes[1]:
            raise ValueError(f"the GANs' {label} variables differ: this GAN has {len(to)} of shapes {shapes[0]}, "
                             f"the new one {len(from_)} of shapes {shapes[1]} (other networks?)")
    for to, from_, _ in pairs:
        for variable, value in zip(to, from_):
            variable.assign(value)
    target.loss_history = {key: list(values) for key, values in source.loss_history.items()}


def _without_names(value: Any) -> Any:
    """A config without the ``name`` entries Keras numbers per object (``adam``, ``adam_1``)."""
    if isinstance(value, dict):
        return {k: _without_names(v) for k, v in value.items() if k != "name"}
    if isinstance(value, list):
        return [_without_names(v) for v in value]
    return value


def _weight_shapes(path: str) -> dict[str, tuple[int, ...]]:
    """Every array in a Keras weights file with its shape, leaving out the loss history."""
    shapes: dict[str, tuple[int, ...]] = {}
    with h5py.File(path, "r") as file:
        file.visititems(lambda name, item: shapes.__setitem__(name, item.shape) if isinstance(item, h5py.Dataset) else None)
    return {name: shape for name, shape in shapes.items() if HISTORY_PREFIX not in name}


def describe_difference(model: keras.Model, path: str) -> str:
    """What differs between the weights in the file ``path`` and those ``model`` has
    (empty when they match): arrays only in one of them, and arrays of another shape."""
    with tempfile.TemporaryDirectory() as folder:
        own = os.path.join(folder, "model.weights.h5")
        keras.Model.save_weights(model, own)
        expected = _weight_shapes(own)
    found = _weight_shapes(path)

    def listed(names: list[str], shapes: dict[str, tuple[int, ...]]) -> str:
        shown = ", ".join(f"{name} {shapes[name]}" for name in names[:3])
        return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")

    def ordered(names: set[str]) -> list[str]:
        # The networks' own arrays first: the optimizers' follow from them.
        return sorted(names, key=lambda name: ("optimizer" in name, name))

    parts = []
    extra = ordered(set(found) - set(expected))
    missing = ordered(set(expected) - set(found))
    reshaped = ordered({name for name in set(found) & set(expected) if found[name] != expected[name]})
    if extra:
        parts.append(f"the file has {len(extra)} array(s) the model lacks: {listed(extra, found)}")
    if missing:
        parts.append(f"the model has {len(missing)} array(s) the file lacks: {listed(missing, expected)}")
    if reshaped:
        parts.append(f"{len(reshaped)} array(s) differ in shape: "
                     + ", ".join(f"{name} file {found[name]} vs model {expected[name]}" for name in reshaped[:3]))
    return "; ".join(parts)


def load_weights_checked(model: keras.Model, path: str, **kwargs: Any) -> None:
    """``keras.Model.load_weights`` that first checks the file fits the model.

    ``OSError`` naming the file if it cannot be read (damaged, cut short by a kill
    during a save); ``ValueError`` saying what differs if it was written by another
    model (Keras would load part of it, or only warn for the optimizers).
    """
    try:
        difference = describe_difference(model, str(path))
    except OSError as error:
        raise OSError(f"cannot read the weights file {str(path)!r}: it is damaged or incomplete ({error})") from error
    if difference:
        raise ValueError(f"the weights file {str(path)!r} was saved from a different model: {difference}")
    try:
        keras.Model.load_weights(model, path, **kwargs)
    except OSError as error:
        raise OSError(f"cannot read the weights file {str(path)!r}: it is damaged or incomplete ({error})") from error


class SavedGAN(keras.Model):
    """The saving and loading of :class:`gan_lessons.training.GAN`, its base class.

    * Weights files (``save_weights``, backups, ``.keras`` files) carry the training
      state of this module's docstring, and loading one written by another model is
      refused with what differs (:func:`load_weights_checked`).
    * ``gan.save("gan.keras")`` and ``keras.saving.load_model`` round-trip: the
      config holds the networks (serialised) and the GAN's arguments, the loss pair
      by name; the compile config holds both optimizers.

    Keras finds the classes by their registered names, so import the modules that
    define them before ``load_model`` (``gan_lessons.training``, and
    ``gan_lessons.returns``, ``.tables`` or ``.privacy`` for their GANs and layers).

    A subclass sets ``generator``, ``discriminator``, ``loss_pair``, ``loss_history``
    and ``_config`` (its other arguments) in ``__init__``, and ``d_optimizer``,
    ``g_optimizer`` and ``_compile_options`` in ``compile``.
    """

    def get_config(self) -> dict[str, Any]:
        """The arguments that rebuild this GAN (the networks serialised, the loss pair by name)."""
        from gan_lessons.losses import loss_pair_name

        return {"name": self.name, "generator": keras.saving.serialize_keras_object(self.generator),
                "discriminator": keras.saving.serialize_keras_object(self.discriminator),
                "loss": loss_pair_name(self.loss_pair), **self._config}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> SavedGAN:
        """The GAN that :meth:`get_config` describes, with fresh weights."""
        config = dict(config)
        networks = [keras.saving.deserialize_keras_object(config.pop(role)) for role in ("generator", "discriminator")]
        return cls(*networks, **config)

    def get_compile_config(self) -> dict[str, Any]:
        """Both optimizers, serialised, and the other ``compile`` arguments."""
        if getattr(self, "d_optimizer", None) is None:
            return {}
        return {"d_optimizer": keras.optimizers.serialize(self.d_optimizer),
                "g_optimizer": keras.optimizers.serialize(self.g_optimizer), "options": self._compile_options}

    def compile_from_config(self, config: dict[str, Any]) -> None:
        """``compile`` with what :meth:`get_compile_config` saved."""
        self.compile(keras.optimizers.deserialize(config["d_optimizer"]),
                     keras.optimizers.deserialize(config["g_optimizer"]), **config.get("options", {}))

    def save_own_variables(self, store: Any) -> None:
        """Keras' own weights, plus the random-number generators' states and ``loss_history``."""
        super().save_own_variables(store)
        save_training_state(self, store)

    def load_own_variables(self, store: Any) -> None:
        """Load what :meth:`save_own_variables` saved."""
        super().load_own_variables(load_training_state(self, store))

    def load_weights(self, filepath: Any, **kwargs: Any) -> None:
        """``keras.Model.load_weights`` with clear errors: ``OSError`` naming a damaged
        file, ``ValueError`` saying how a file from a different model differs."""
        if str(filepath).endswith(".weights.h5"):
            load_weights_checked(self, filepath, **kwargs)
        else:
            super().load_weights(filepath, **kwargs)


class BackupAndRestore(keras.callbacks.BackupAndRestore):
    """Keras' ``BackupAndRestore``, made safe against a crash at any moment.

    At the end of every epoch the model's weights (with the state listed in this
    module's docstring) go to ``backup_dir/epoch-N.weights.h5``, N the number of
    finished epochs: written under another name first and then renamed, so a kill
    during a save leaves the previous backups whole. The two newest are kept. At the
    start of ``fit`` the newest readable one is restored, and training continues
    after its epoch; a damaged one is skipped with a printed line. A backup written
    by a different model is refused with a ``ValueError`` that names the folder,
    says what differs and how to start over. As in Keras, the folder is deleted
    when ``fit`` ends normally (``delete_checkpoint=False`` keeps it).
    """

    def __init__(self, backup_dir: str | os.PathLike[str], delete_checkpoint: bool = True) -> None:
        super().__init__(os.fspath(backup_dir), save_freq="epoch", double_checkpoint=True,
                         delete_checkpoint=delete_checkpoint)

    def backups(self) -> list[tuple[int, str]]:
        """``(finished epochs, path)`` of every complete backup in the folder, newest first."""
        if not os.path.isdir(self.backup_dir):
            return []
        found = [(int(match.group(1)), os.path.join(self.backup_dir, name))
                 for name in os.listdir(self.backup_dir) if (match := _BACKUP_NAME.match(name))]
        return sorted(found, reverse=True)

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        backups = self.backups()
        for epochs_done, path in backups:
            try:
                self.model.load_weights(path)
            except OSError as error:
                print(f"The backup of epoch {epochs_done} in {self.backup_dir!r} is damaged ({error}); "
                      "trying the one before it.")
                continue
            except ValueError as error:
                raise ValueError(
                    f"cannot resume from the backup in {self.backup_dir!r}: {error}. To start over, delete "
                    f"that folder (shutil.rmtree({self.backup_dir!r})) or pass another backup_dir"
                ) from error
            self.model._initial_epoch = epochs_done  # Keras' own resume mechanism (as its BackupAndRestore)
            print(f"Resuming after epoch {epochs_done} from the backup in {self.backup_dir!r}.")
            return
        if backups:
            raise OSError(
                f"every backup in {self.backup_dir!r} is damaged; delete that folder "
                f"(shutil.rmtree({self.backup_dir!r})) to start over"
            )

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        os.makedirs(self.backup_dir, exist_ok=True)
        final = os.path.join(self.backup_dir, f"epoch-{epoch + 1}.weights.h5")
        partial = os.path.join(self.backup_dir, f"saving-epoch-{epoch + 1}.weights.h5")
        self.model.save_weights(partial, overwrite=True)
        os.replace(partial, final)  # atomic: a backup is either whole or absent
        for _, older in self.backups()[2:]:
            os.remove(older)

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        pass  # backups are taken at the end of each epoch only

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        if self.delete_checkpoint and os.path.isdir(self.backup_dir):
            shutil.rmtree(self.backup_dir)
