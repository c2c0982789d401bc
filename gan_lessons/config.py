"""Profiles, seeding and a description of the environment.

The course runs in one of three profiles:

* ``fast`` when the environment variable ``GAN_LESSONS_FAST=1`` (CI, nbval): every
  notebook finishes in well under a minute, numbers are small.
* ``gpu`` when TensorFlow sees a GPU: longer training, bigger data.
* ``cpu`` otherwise: the classroom setting, a few minutes per notebook on a laptop.

``GAN_LESSONS_PROFILE=fast|cpu|gpu`` forces a profile (the course report uses it to
run the ``cpu`` profile on a machine that has a GPU). Notebooks choose every
tunable number with :func:`pick`.
"""

from __future__ import annotations

import numbers
import os
import platform
import zlib
from typing import Any, TypeVar

PROFILES = ("fast", "cpu", "gpu")

T = TypeVar("T")


def _visible_gpus() -> list[Any]:
    import tensorflow as tf

    return tf.config.list_physical_devices("GPU")


def profile() -> str:
    """Name of the profile in use: ``"fast"``, ``"cpu"`` or ``"gpu"``.

    ``GAN_LESSONS_PROFILE`` wins if set; then ``GAN_LESSONS_FAST=1`` gives ``fast``;
    then ``gpu`` if TensorFlow lists a GPU; else ``cpu``.
    """
    forced = os.environ.get("GAN_LESSONS_PROFILE", "").strip().lower()
    if forced:
        if forced not in PROFILES:
            raise ValueError(
                f"GAN_LESSONS_PROFILE must be one of {PROFILES}, got {forced!r}"
            )
        return forced
    fast = os.environ.get("GAN_LESSONS_FAST", "").strip()
    if fast not in ("", "0", "1"):
        raise ValueError(f"GAN_LESSONS_FAST must be '0' or '1', got {fast!r}")
    if fast == "1":
        return "fast"
    return "gpu" if _visible_gpus() else "cpu"


def pick(fast: T, cpu: T, gpu: T | None = None) -> T:
    """The value for the profile in use; ``gpu`` defaults to the ``cpu`` value.

    >>> STEPS = pick(fast=200, cpu=3000, gpu=20000)  # doctest: +SKIP
    """
    name = profile()
    if name == "fast":
        return fast
    if name == "gpu" and gpu is not None:
        return gpu
    return cpu


def set_seed(seed: int) -> None:
    """Seed Python, NumPy and the backend (wraps ``keras.utils.set_random_seed``).

    Call it once in a notebook's Setup cell. Functions that sample also take a
    ``seed`` of their own, so results do not depend on how many cells ran before.
    On a GPU some kernels are not deterministic, so GPU numbers can differ a little
    from run to run and from the CPU's.
    """
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}: {seed!r}")
    if not 0 <= seed < 2**32:
        raise ValueError(f"seed must be in [0, 2**32), got {seed}")
    import keras

    keras.utils.set_random_seed(int(seed))
    # Unseeded keras.random calls draw from a global SeedGenerator. Keras 3.13 and later
    # drop it in set_random_seed, so it is re-created from the new seed; Keras 3.12 (the
    # last release for Python 3.10) keeps the old one, and draws would then depend on what
    # ran before. Dropping it here gives every supported Keras the same behaviour.
    # The attribute's name is the same in both ("global_seed_generator"; Keras 3.12 has no
    # constant for it).
    try:
        from keras.src.backend.common import global_state
    except ImportError:  # pragma: no cover - a Keras that moved it also resets it itself
        return
    global_state.set_global_attribute("global_seed_generator", None)


def stream_seed(seed: int | None, stream: str) -> int | None:
    """A seed of its own for the random stream ``stream`` (e.g. ``"gan noise"``), derived from ``seed``.

    Two ``keras.random.SeedGenerator`` objects built from the same integer draw the
    same numbers, and so does ``keras.random.normal(..., seed=s)``; deriving each
    stream's seed from ``(seed, stream name)`` with NumPy's ``SeedSequence`` keeps the
    GAN's training noise, a layer's Gumbel noise and a ``sample(n, seed=s)`` call
    apart while staying reproducible. ``None`` stays ``None`` (fresh randomness).
    """
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an int or None, got {type(seed).__name__}: {seed!r}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    import numpy as np

    seed = int(seed)
    key = zlib.crc32(stream.encode("utf-8"))
    # Below 2**31 so that it is a valid seed for every backend.
    return int(np.random.SeedSequence([seed, key]).generate_state(1)[0] % 2**31)


def describe_environment() -> str:
    """One line: Python, TensorFlow, Keras and NumPy versions, devices and profile."""
    import keras
    import numpy as np
    import tensorflow as tf

    gpus = _visible_gpus()
    devices = f"GPU x{len(gpus)}" if gpus else f"CPU only ({os.cpu_count()} cores)"
    return (
        f"Python {platform.python_version()} | TensorFlow {tf.__version__} | "
        f"Keras {keras.__version__} | NumPy {np.__version__} | {devices} | "
        f"profile: {profile()}"
    )
