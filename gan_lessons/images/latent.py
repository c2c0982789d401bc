"""Walks in the latent space: checked noise vectors and their linear interpolation.
"""

from __future__ import annotations

import keras
import numpy as np
from numpy.typing import ArrayLike, NDArray

from gan_lessons._checks import finite_array, positive_int


def check_latent(z: ArrayLike, generator: keras.Model, name: str = "z") -> NDArray[np.float32]:
    """``z`` as float32 (n, latent_dim) matching ``generator``'s input, else ``ValueError``."""
    latent_dim = int(generator.inputs[0].shape[-1])
    array = finite_array(z, name)
    if array.ndim != 2 or array.shape[1] != latent_dim:
        raise ValueError(
            f"expected {name} of shape (n, {latent_dim}) for generator {generator.name!r}, "
            f"got shape {array.shape}"
        )
    return array


def interpolate_latents(z_start: ArrayLike, z_end: ArrayLike, num_steps: int) -> NDArray[np.float32]:
    """Points on the straight line from ``z_start`` to ``z_end`` (both (latent_dim,)).

    z(t) = (1 - t) z_start + t z_end for ``num_steps`` evenly spaced t in [0, 1];
    shape (num_steps, latent_dim). Radford et al. (2016, section 6.1) walk the latent
    space like this: smooth changes mean the generator did not memorise.
    """
    start = finite_array(z_start, "z_start", ndim=1)
    end = finite_array(z_end, "z_end", ndim=1, last_dim=len(start))
    num_steps = positive_int(num_steps, "num_steps")
    t = np.linspace(0.0, 1.0, num_steps, dtype=np.float32)[:, None]
    return ((1 - t) * start + t * end).astype(np.float32)
