"""Plots of images: grids, snapshots over training, latent walks, class shares.
"""

from __future__ import annotations

from typing import Any, Sequence

import matplotlib.pyplot as plt
import numpy as np
from numpy.typing import ArrayLike, NDArray

from gan_lessons._checks import finite_array
from gan_lessons.plotting import _snapshot_panels


def _image_batch(images: ArrayLike, name: str = "images") -> NDArray[np.float32]:
    # Imported here so that the 2-D plots above do not pull in Keras.
    from gan_lessons.images.quality import check_images

    return check_images(images, name)


def _tile(images: NDArray[np.float32], num_columns: int) -> NDArray[np.float32]:
    n, height, width, channels = images.shape
    num_rows = int(np.ceil(n / num_columns))
    # One pixel of background (-1, drawn white) between images.
    canvas = np.full((num_rows * (height + 1) - 1, num_columns * (width + 1) - 1, channels), -1.0, np.float32)
    for index, image in enumerate(images):
        row, column = divmod(index, num_columns)
        canvas[row * (height + 1) : row * (height + 1) + height, column * (width + 1) : column * (width + 1) + width] = image
    return canvas


def plot_image_grid(
    images: ArrayLike,
    num_columns: int = 10,
    ax: plt.Axes | None = None,
    title: str | None = None,
) -> plt.Axes:
    """Images (n, height, width, channels) in [-1, 1] tiled in rows of ``num_columns``.

    One channel is drawn in grey (ink dark on white), three as RGB.
    """
    batch = _image_batch(images)
    if batch.shape[-1] not in (1, 3):
        raise ValueError(f"expected 1 or 3 channels to draw, got {batch.shape[-1]}")
    if isinstance(num_columns, bool) or not isinstance(num_columns, (int, np.integer)) or num_columns < 1:
        raise ValueError(f"num_columns must be an int >= 1, got {num_columns!r}")
    num_columns = min(int(num_columns), len(batch))
    canvas = _tile(batch, num_columns)
    ax = ax or plt.subplots(figsize=(0.45 * canvas.shape[1] / batch.shape[2] + 0.5,
                                     0.45 * canvas.shape[0] / batch.shape[1] + 0.5))[1]
    if batch.shape[-1] == 1:
        ax.imshow(canvas[..., 0], cmap="gray_r", vmin=-1, vmax=1, interpolation="nearest")
    else:
        ax.imshow((canvas + 1) / 2, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    return ax


def plot_image_snapshots(
    snapshots: Sequence[tuple[int, ArrayLike]],
    max_panels: int = 5,
    num_images: int = 16,
    steps_per_epoch: int | None = None,
) -> plt.Figure:
    """Fixed-noise image grids over training, one panel per snapshot.

    ``snapshots``: ``training.SampleSnapshots(fixed_noise).snapshots``, a list of
    (epoch, images). Each panel shows the first ``num_images`` images from the same
    noise, so the panels differ only by training. With ``steps_per_epoch`` the
    titles count generator steps instead of epochs.
    """
    fig, panels = _snapshot_panels(snapshots, max_panels, (2.3, 2.5))
    for ax, epoch, images in panels:
        batch = _image_batch(images)[:num_images]
        label = f"step {epoch * steps_per_epoch}" if steps_per_epoch else f"epoch {epoch}"
        plot_image_grid(batch, num_columns=int(np.ceil(np.sqrt(len(batch)))), ax=ax, title=label)
    fig.tight_layout()
    return fig


def plot_latent_interpolation(
    generator: Any,
    z_starts: ArrayLike,
    z_ends: ArrayLike,
    num_steps: int = 10,
) -> plt.Figure:
    """Rows of images generated along straight lines in latent space.

    Row i walks from ``z_starts[i]`` to ``z_ends[i]`` (both (rows, latent_dim), the
    generator's latent size) in ``num_steps`` steps
    (:func:`gan_lessons.images.interpolate_latents`).
    """
    from gan_lessons.images.latent import check_latent, interpolate_latents

    starts = check_latent(z_starts, generator, "z_starts")
    ends = check_latent(z_ends, generator, "z_ends")
    if starts.shape != ends.shape:
        raise ValueError(f"z_starts and z_ends must have the same shape, got {starts.shape} and {ends.shape}")
    path = np.concatenate([interpolate_latents(a, b, num_steps) for a, b in zip(starts, ends)])
    images = np.asarray(generator(path, training=False))
    fig, ax = plt.subplots(figsize=(0.7 * num_steps, 0.75 * len(starts)))
    plot_image_grid(images, num_columns=num_steps, ax=ax)
    ax.set_xlabel("t from 0 (left) to 1 (right)")
    fig.tight_layout()
    return fig


def plot_class_shares(
    shares: dict[str, ArrayLike], ax: plt.Axes | None = None, reference: float | None = None
) -> plt.Axes:
    """Grouped bars of class shares, one group per class, one bar per entry of ``shares``.

    ``shares``: e.g. {"real": (num_classes,), "generated": (num_classes,)} shares that
    each sum to 1 (``ImageQuality.class_shares``). ``reference``: a horizontal line,
    e.g. the 4% bar every class must reach.
    """
    if not shares:
        raise ValueError("shares is empty; pass e.g. {'generated': quality.class_shares(images)}")
    arrays = {name: finite_array(values, f"shares[{name!r}]", ndim=1) for name, values in shares.items()}
    num_classes = {len(values) for values in arrays.values()}
    if len(num_classes) != 1:
        raise ValueError(f"every entry of shares must have the same number of classes, got {sorted(num_classes)}")
    count = num_classes.pop()
    ax = ax or plt.subplots(figsize=(6, 2.8))[1]
    width = 0.8 / len(arrays)
    for index, (name, values) in enumerate(arrays.items()):
        ax.bar(np.arange(count) + (index - (len(arrays) - 1) / 2) * width, values, width, label=name)
    if reference is not None:
        ax.axhline(reference, color="grey", linestyle="--", linewidth=1, label=f"{reference:.0%}")
    ax.set_xticks(np.arange(count))
    ax.set_xlabel("class (by the classifier)")
    ax.set_ylabel("share of images")
    ax.legend(fontsize=8)
    return ax
