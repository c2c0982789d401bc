"""Plots of privacy: the privacy-utility trade-off.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np

from gan_lessons._checks import finite_array


def _series(values: Sequence[float], label: str, size: int) -> np.ndarray:
    array = finite_array(values, label, ndim=1)
    if len(array) != size:
        raise ValueError(f"{label} must have one value per epsilon ({size}), got {len(array)}")
    return array


def plot_privacy_utility(
    epsilons: Sequence[float],
    utility: Sequence[float] | None,
    attacks: Mapping[str, Sequence[float]] | None = None,
    references: dict[str, float] | None = None,
    spreads: Mapping[str, Sequence[float]] | None = None,
    ax: plt.Axes | None = None,
    ylabel: str = "ROC AUC",
) -> plt.Axes:
    """Utility and attack AUCs against epsilon on a log axis; infinity is drawn at the right edge.

    ``epsilons``: one per arm (``float("inf")`` for an arm without noise); ``utility``:
    e.g. the mean TSTR ROC AUC per arm; ``attacks``: {label: one membership-attack AUC
    per arm}, e.g. the white-box and the black-box attack; ``spreads``: {label: one
    error-bar half-width per arm} for any of those series ("utility (TSTR ROC AUC)" for
    the utility), e.g. the standard deviation over seeds; ``references``: horizontal
    lines, e.g. {"TRTR": 0.83, "chance": 0.5}.
    ``utility=None`` draws the attacks only (say their TPR at 1 % FPR, with ``ylabel``).
    Tick labels show epsilon to 3 significant digits (an accountant's 9.99997 reads 10).
    """
    eps = np.asarray(epsilons, dtype=np.float64)
    if eps.ndim != 1 or eps.size == 0 or (eps <= 0).any() or np.isnan(eps).any():
        raise ValueError(f"epsilons must be a non-empty list of numbers > 0 (inf allowed), got {epsilons}")
    finite = eps[np.isfinite(eps)]
    right = (finite.max() if finite.size else 1.0) * 4
    x = np.where(np.isfinite(eps), eps, right)
    ax = ax or plt.subplots(figsize=(6.5, 3.4))[1]
    series = {} if utility is None else {"utility (TSTR ROC AUC)": utility}
    series.update(attacks or {})
    if not series:
        raise ValueError("nothing to draw: pass utility, attacks or both")
    spreads = dict(spreads or {})
    unknown = set(spreads) - set(series)
    if unknown:
        raise ValueError(f"spreads names {sorted(unknown)}, which are not series; the series are {sorted(series)}")
    order = np.argsort(x, kind="stable")
    for (label, values), marker in zip(series.items(), ("o", "s", "^", "v", "D")):
        values_arr = _series(values, label, len(eps))
        error = None if label not in spreads else _series(spreads[label], f"spreads[{label!r}]", len(eps))
        ax.errorbar(x[order], values_arr[order], yerr=None if error is None else error[order],
                    marker=marker, capsize=3, label=label)
    for (label, value), style in zip((references or {}).items(), ("--", ":", "-.", "--")):
        ax.axhline(value, color="grey", linestyle=style, linewidth=1, label=label)
    ax.set_xscale("log")
    ticks = sorted(set(x.tolist()))
    ax.set_xticks(ticks)
    ax.set_xticklabels(["∞" if t == right and not np.isin(right, finite) else f"{t:.3g}" for t in ticks])
    ax.minorticks_off()
    ax.set_xlabel("ε (smaller = more private)")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8)
    return ax
