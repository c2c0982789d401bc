"""Plots of returns: a stylised-facts panel.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from numpy.typing import ArrayLike


def plot_stylized_facts(
    series: dict[str, ArrayLike], max_lag: int = 20, bins: int = 80
) -> plt.Figure:
    """Five panels comparing return generators on the stylised facts (Cont 2001).

    ``series``: name -> daily returns, (days,) or (paths, days); the first entry
    is drawn in black as the reference (the real data). Panels: histogram of the
    returns standardised by the reference's std (log density, so the tails show);
    normal QQ plot; ACF of r; ACF of |r| (volatility clustering); leverage
    corr(r_t, r_{t+k}^2). ACFs and leverage are averaged over paths
    (:mod:`gan_lessons.returns.stylized_facts`). The grey band on those three
    panels is +-2/sqrt(n) for n the days of the shortest path: where one path's
    ACF of i.i.d. returns falls at about 95 % of lags.
    """
    from scipy import stats

    from gan_lessons.returns.stylized_facts import (
        as_paths,
        autocorrelation,
        leverage_effect,
    )

    if not series:
        raise ValueError("series must name at least one set of returns, got an empty dict")
    fig, axes = plt.subplots(1, 5, figsize=(17, 3.2))
    reference_std = None
    shortest = min(as_paths(returns, name=name, min_days=max_lag + 2).shape[1] for name, returns in series.items())
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
    band = 2 / np.sqrt(shortest)
    for ax in axes[2:]:
        ax.axhline(0, color="grey", linewidth=0.8)
        ax.axhspan(-band, band, color="grey", alpha=0.2, linewidth=0, label=f"±2/√n, n = {shortest}")
    axes[2].legend(fontsize=7, loc="lower right")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_paths(
    real: ArrayLike, generated: dict[str, ArrayLike], num_paths: int = 3, dates: Any = None
) -> plt.Figure:
    """Return paths over time (top row) and the price paths they imply (bottom row).

    ``real``: (days,) daily log returns; ``generated``: name -> (paths, days) with the
    same number of days; ``num_paths`` of each are drawn. Prices start at 100 and
    follow P_t = 100 exp(r_1 + ... + r_t). One column for the real series, one per
    generator, on shared axes, so calm and wild stretches can be compared by eye.
    """
    from gan_lessons.returns.stylized_facts import as_paths

    real_path = as_paths(real, name="real")
    columns = {"real": real_path, **{name: as_paths(paths, name=name)[:num_paths] for name, paths in generated.items()}}
    fig, axes = plt.subplots(2, len(columns), figsize=(4.2 * len(columns), 5.2), sharey="row", sharex=True)
    axes = np.asarray(axes).reshape(2, -1)
    for column, (name, paths) in enumerate(columns.items()):
        x = np.arange(paths.shape[1]) if dates is None or paths.shape[1] != len(dates) else dates
        for index, path in enumerate(paths):
            style = {"color": "black"} if name == "real" else {"alpha": 0.8}
            if index == 0:
                axes[0, column].plot(x, 100 * path, linewidth=0.5, **style)
            axes[1, column].plot(x, 100 * np.exp(np.cumsum(path)), linewidth=0.9, **style)
        axes[0, column].set_title(f"{name}: daily return (%)" if column == 0 else f"{name}: path 1")
        axes[1, column].set_title(f"{name}: price, start 100" + ("" if name == "real" else f" ({len(paths)} paths)"))
        axes[1, column].set_yscale("log")
    fig.tight_layout()
    return fig
