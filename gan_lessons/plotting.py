"""Plots of the course. The only module that imports matplotlib.

Each function draws on a given ``ax`` (or makes a figure) and returns the axes or
figure, so a notebook can add titles or save it. Nothing here changes matplotlib's
global style.
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


def plot_losses(
    loss_history: dict[str, Sequence[float]],
    ax: plt.Axes | None = None,
    smooth: int = 50,
    reference: dict[str, float] | None = None,
) -> plt.Axes:
    """Loss curves per step, with a moving average over ``smooth`` steps.

    ``loss_history``: e.g. ``GAN.loss_history`` ({"d_loss": [...], "g_loss": [...]}).
    ``reference``: horizontal lines to draw, e.g. {"log 4 (D at equilibrium)": np.log(4)}.
    """
    ax = ax or plt.subplots(figsize=(6, 3))[1]
    for name, values in loss_history.items():
        values_arr = np.asarray(values, dtype=np.float64)
        if values_arr.size == 0:
            raise ValueError(f"loss history {name!r} is empty; train before plotting")
        line = ax.plot(values_arr, alpha=0.25)[0]
        window = max(1, min(smooth, values_arr.size))
        averaged = np.convolve(values_arr, np.ones(window) / window, mode="valid")
        ax.plot(np.arange(window - 1, values_arr.size), averaged, color=line.get_color(), label=name)
    for label, value in (reference or {}).items():
        ax.axhline(value, color="grey", linestyle="--", linewidth=1, label=label)
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


# --- Images (lessons 03-05) ----------------------------------------------------------------


def _image_batch(images: ArrayLike, name: str = "images") -> NDArray[np.float32]:
    # Imported here so that the 2-D plots above do not pull in Keras.
    from gan_lessons.image_quality import check_images

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
    (:func:`gan_lessons.image_quality.interpolate_latents`).
    """
    from gan_lessons.image_quality import check_latent, interpolate_latents

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


# --- Returns: a stylised-facts panel (lesson 06) --------------------------------------


def plot_stylized_facts(
    series: dict[str, ArrayLike], max_lag: int = 20, bins: int = 80
) -> plt.Figure:
    """Five panels comparing return generators on the stylised facts (Cont 2001).

    ``series``: name -> daily returns, (days,) or (paths, days); the first entry
    is drawn in black as the reference (the real data). Panels: histogram of the
    returns standardised by the reference's std (log density, so the tails show);
    normal QQ plot; ACF of r; ACF of |r| (volatility clustering); leverage
    corr(r_t, r_{t+k}^2). ACFs and leverage are averaged over paths
    (:mod:`gan_lessons.stylized_facts`).
    """
    from scipy import stats

    from gan_lessons.stylized_facts import as_paths, autocorrelation, leverage_effect

    if not series:
        raise ValueError("series must name at least one set of returns, got an empty dict")
    fig, axes = plt.subplots(1, 5, figsize=(17, 3.2))
    reference_std = None
    lags = np.arange(1, max_lag + 1)
    for index, (name, returns) in enumerate(series.items()):
        paths = as_paths(returns, name=name, min_days=max_lag + 2)
        reference_std = reference_std or float(paths.std())
        pooled = paths.ravel() / reference_std
        style: dict[str, Any] = {"color": "black", "linewidth": 2} if index == 0 else {"alpha": 0.85}
        density, edges = np.histogram(pooled, bins=bins, range=(-10, 10), density=True)
        centres = 0.5 * (edges[:-1] + edges[1:])
        axes[0].semilogy(centres[density > 0], density[density > 0], label=name, **style)
        probabilities = (np.arange(1, 200) - 0.5) / 199
        axes[1].plot(stats.norm.ppf(probabilities), np.quantile(pooled / pooled.std(), probabilities), **style)
        axes[2].plot(lags, autocorrelation(paths, max_lag), marker=".", **style)
        axes[3].plot(lags, autocorrelation(np.abs(paths), max_lag), marker=".", **style)
        axes[4].plot(lags, leverage_effect(paths, max_lag), marker=".", **style)
    axes[1].plot([-3.5, 3.5], [-3.5, 3.5], color="grey", linestyle="--", linewidth=1)
    titles = ["density (log scale)", "normal QQ", "ACF of r", "ACF of |r|", "leverage corr(r_t, r²_t+k)"]
    xlabels = ["return / real std", "normal quantile", "lag (days)", "lag (days)", "lag k (days)"]
    for ax, title, xlabel in zip(axes, titles, xlabels):
        ax.set_title(title)
        ax.set_xlabel(xlabel)
    for ax in axes[2:]:
        ax.axhline(0, color="grey", linewidth=0.8)
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    return fig


# --- Privacy: the privacy-utility trade-off (lesson 09) -------------------------------


def plot_privacy_utility(
    epsilons: Sequence[float],
    utility: Sequence[float],
    attack: Sequence[float] | None = None,
    references: dict[str, float] | None = None,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Utility (and attack AUC) against epsilon on a log axis; infinity is drawn at the right edge.

    ``epsilons``: the runs' epsilon (``float("inf")`` for a non-private run); ``utility``:
    e.g. TSTR ROC AUC per run; ``attack``: membership-attack AUC per run; ``references``:
    horizontal lines, e.g. {"TRTR": 0.83, "chance": 0.5}.
    """
    eps = np.asarray(epsilons, dtype=np.float64)
    if eps.ndim != 1 or eps.size == 0 or (eps <= 0).any() or np.isnan(eps).any():
        raise ValueError(f"epsilons must be a non-empty list of numbers > 0 (inf allowed), got {epsilons}")
    finite = eps[np.isfinite(eps)]
    right = (finite.max() if finite.size else 1.0) * 4
    x = np.where(np.isfinite(eps), eps, right)
    ax = ax or plt.subplots(figsize=(6, 3.2))[1]
    series = {"utility (TSTR ROC AUC)": utility} if attack is None else {"utility (TSTR ROC AUC)": utility, "attack AUC": attack}
    for (label, values), marker in zip(series.items(), ("o", "s")):
        values_arr = finite_array(values, label, ndim=1)
        if len(values_arr) != len(eps):
            raise ValueError(f"{label} must have one value per epsilon ({len(eps)}), got {len(values_arr)}")
        order = np.argsort(x)
        ax.plot(x[order], values_arr[order], marker=marker, label=label)
    for (label, value), style in zip((references or {}).items(), ("--", ":", "-.", "--")):
        ax.axhline(value, color="grey", linestyle=style, linewidth=1, label=label)
    ax.set_xscale("log")
    ticks = sorted(set(x.tolist()))
    ax.set_xticks(ticks)
    ax.set_xticklabels(["∞" if t == right and not np.isin(right, finite) else f"{t:g}" for t in ticks])
    ax.set_xlabel("ε (smaller = more private)")
    ax.set_ylabel("ROC AUC")
    ax.legend(fontsize=8)
    return ax
