"""Plots of privacy: the privacy-utility trade-off.
"""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np

from gan_lessons._checks import finite_array


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
