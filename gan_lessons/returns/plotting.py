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
    (:mod:`gan_lessons.returns.stylized_facts`).
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
