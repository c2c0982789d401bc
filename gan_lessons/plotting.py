"""Plots of the core: 2-D samples, loss curves, snapshots over training.

Each function draws on a given ``ax`` (or makes a figure) and returns the axes or
figure, so a notebook can add titles or save it. Nothing here changes matplotlib's
global style. Each subpackage has a ``plotting`` module of its own for its domain's
plots; only plotting modules import matplotlib.
"""

from __future__ import annotations

from typing import Any, Sequence

import matplotlib.pyplot as plt
import numpy as np
from numpy.typing import ArrayLike, NDArray

from gan_lessons._checks import finite_array


def _sigmoid(values: NDArray[np.float32]) -> NDArray[np.float32]:
    return 1.0 / (1.0 + np.exp(-values))


def plot_samples_2d(
    samples: ArrayLike,
    real: ArrayLike | None = None,
    discriminator: Any = None,
    extent: float | None = None,
    ax: plt.Axes | None = None,
    title: str | None = None,
    logits: bool = True,
) -> plt.Axes:
    """Scatter of 2-D generated samples over real ones, optionally on D's surface.

    ``samples``, ``real``: (n, 2). ``discriminator``: a model mapping (m, 2) to
    (m, 1) outputs; drawn as a filled contour of D(x) (through a sigmoid when
    ``logits``). ``extent``: half-width of the square shown (default: fits the data).
    """
    samples = finite_array(samples, "samples", ndim=2, last_dim=2)
    ax = ax or plt.subplots(figsize=(4, 4))[1]
    points = samples if real is None else np.concatenate([samples, finite_array(real, "real", ndim=2, last_dim=2)])
    extent = extent or float(np.abs(points).max() * 1.1)
    if discriminator is not None:
        axis = np.linspace(-extent, extent, 120, dtype=np.float32)
        grid_x, grid_y = np.meshgrid(axis, axis)
        grid = np.stack([grid_x.ravel(), grid_y.ravel()], axis=1)
        outputs = np.asarray(discriminator(grid, training=False)).reshape(grid_x.shape)
        surface = _sigmoid(outputs) if logits else outputs
        contour = ax.contourf(grid_x, grid_y, surface, levels=20, cmap="RdBu_r", alpha=0.6)
        plt.colorbar(contour, ax=ax, fraction=0.046, label="D(x)" if logits else "D output")
    if real is not None:
        real_arr = finite_array(real, "real", ndim=2, last_dim=2)
        ax.scatter(real_arr[:, 0], real_arr[:, 1], s=3, c="black", alpha=0.3, label="real")
    ax.scatter(samples[:, 0], samples[:, 1], s=3, c="tab:orange", alpha=0.5, label="generated")
    ax.set_xlim(-extent, extent)
    ax.set_ylim(-extent, extent)
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)
    return ax


_REFERENCE_STYLES = ("--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)))


def plot_losses(
    loss_history: dict[str, Sequence[float]],
    ax: plt.Axes | None = None,
    smooth: int = 50,
    reference: dict[str, float | tuple[float, str]] | None = None,
) -> plt.Axes:
    """Loss curves per step, with a moving average over ``smooth`` steps.

    ``loss_history``: e.g. ``GAN.loss_history`` ({"d_loss": [...], "g_loss": [...]}).
    ``reference``: horizontal lines, each with a line style of its own, {label: value}
    or {label: (value, curve)}, where ``curve`` names the loss the line belongs to and
    the line takes that curve's colour, e.g.
    {"log 4: d_loss at equilibrium": (np.log(4), "d_loss")}. Lines without a curve are grey.
    """
    ax = ax or plt.subplots(figsize=(6, 3))[1]
    colours = {}
    for name, values in loss_history.items():
        values_arr = np.asarray(values, dtype=np.float64)
        if values_arr.size == 0:
            raise ValueError(f"loss history {name!r} is empty; train before plotting")
        line = ax.plot(values_arr, alpha=0.25)[0]
        colours[name] = line.get_color()
        window = max(1, min(smooth, values_arr.size))
        averaged = np.convolve(values_arr, np.ones(window) / window, mode="valid")
        ax.plot(np.arange(window - 1, values_arr.size), averaged, color=line.get_color(), label=name)
    for index, (label, spec) in enumerate((reference or {}).items()):
        value, curve = spec if isinstance(spec, tuple) else (spec, None)
        if curve is not None and curve not in colours:
            raise ValueError(
                f"reference {label!r} names the curve {curve!r}, but the loss history holds {sorted(colours)}"
            )
        ax.axhline(float(value), color=colours.get(curve, "grey"), linestyle=_REFERENCE_STYLES[index % len(_REFERENCE_STYLES)],
                   linewidth=1.2, label=label)
    ax.set_xlabel("generator step")
    ax.set_ylabel("loss")
    ax.legend()
    return ax


def plot_snapshots(
    snapshots: Sequence[tuple[int, ArrayLike]],
    real: ArrayLike | None = None,
    max_panels: int = 6,
    extent: float | None = None,
) -> plt.Figure:
    """Generated samples at several points of training, one panel each.

    ``snapshots``: ``SampleSnapshots.snapshots``, a list of (epoch, samples). 1-D
    samples (n, 1) are drawn as histograms over the real histogram, 2-D samples as
    scatters over the real points. At most ``max_panels`` evenly spaced snapshots.
    """
    fig, panels = _snapshot_panels(snapshots, max_panels, (2.6, 2.6))
    for ax, epoch, samples in panels:
        samples = finite_array(samples, "samples", ndim=2)
        if samples.shape[1] == 1:
            bins = np.linspace(*_range_1d(samples, real), 50)
            if real is not None:
                ax.hist(np.asarray(real).ravel(), bins=bins, density=True, color="black", alpha=0.3, label="real")
            ax.hist(samples.ravel(), bins=bins, density=True, color="tab:orange", alpha=0.6, label="generated")
            ax.set_yticks([])
        elif samples.shape[1] == 2:
            plot_samples_2d(samples, real=real, extent=extent, ax=ax)
        else:
            raise ValueError(f"snapshots must hold 1-D or 2-D samples, got shape {samples.shape}")
        ax.set_title(f"epoch {epoch}")
    fig.tight_layout()
    return fig


def _snapshot_panels(
    snapshots: Sequence[tuple[int, Any]], max_panels: int, panel_size: tuple[float, float]
) -> tuple[plt.Figure, list[tuple[plt.Axes, int, Any]]]:
    """A row of panels for at most ``max_panels`` evenly spaced snapshots: the figure and
    (axes, epoch, samples) per panel."""
    if not snapshots:
        raise ValueError("snapshots is empty; pass SampleSnapshots(...).snapshots after fit")
    chosen = np.unique(np.linspace(0, len(snapshots) - 1, min(max_panels, len(snapshots))).astype(int))
    width, height = panel_size
    fig, axes = plt.subplots(1, len(chosen), figsize=(width * len(chosen), height), squeeze=False)
    return fig, [(ax, *snapshots[index]) for ax, index in zip(axes[0], chosen)]


def _range_1d(samples: NDArray[np.float32], real: ArrayLike | None) -> tuple[float, float]:
    values = samples.ravel() if real is None else np.concatenate([samples.ravel(), np.asarray(real, dtype=np.float32).ravel()])
    low, high = np.percentile(values, [0.5, 99.5])
    return float(low), float(high)
