"""Value at risk and expected shortfall of a sample of returns (lesson 06).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike

from gan_lessons._checks import finite_float64, real_number
from gan_lessons.returns.stylized_facts import horizon_returns


def _level(level: float) -> float:
    level = real_number(level, "level")
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), e.g. 0.99, got {level}")
    return float(level)


def value_at_risk(returns: ArrayLike, level: float = 0.99) -> float:
    """Value at risk at ``level``, as a positive loss in return units.

    VaR_a = -q_{1-a}(r), minus the (1 - a)-quantile of the returns (McNeil, Frey &
    Embrechts 2015, def. 2.8): the loss exceeded with probability 1 - a.
    ``returns``: any shape, pooled (e.g. all generated scenarios).
    """
    values = finite_float64(returns, "returns").ravel()
    return float(-np.quantile(values, 1 - _level(level)))


def expected_shortfall(returns: ArrayLike, level: float = 0.99) -> float:
    """Expected shortfall at ``level``, as a positive loss in return units.

    ES_a = -E[r | r <= q_{1-a}(r)], the mean loss in the worst 1 - a of cases
    (Acerbi & Tasche 2002); always >= VaR_a. ``returns``: any shape, pooled.
    """
    values = finite_float64(returns, "returns").ravel()
    threshold = np.quantile(values, 1 - _level(level))
    return float(-values[values <= threshold].mean())


def risk_measures(
    returns: ArrayLike, levels: Sequence[float] = (0.95, 0.99), horizon: int = 1
) -> dict[str, float]:
    """VaR and ES at each level of the ``horizon``-day returns, keyed by the level in
    percent: ``"var_99"``, ``"es_95"``, ``"var_97.5"``, ``"es_99.5"``.

    ``returns``: daily log returns, (days,) or (paths, days); the h-day returns are
    the overlapping sums of :func:`horizon_returns`, pooled over paths. ``levels``:
    distinct numbers in (0, 1), at most 10 significant digits apart.
    """
    pooled = horizon_returns(returns, horizon)
    figures: dict[str, float] = {}
    for level in levels:
        tag = _percent_tag(_level(level))
        if f"var_{tag}" in figures:
            raise ValueError(f"levels must be distinct, got {tuple(levels)} ({tag}% twice)")
        figures[f"var_{tag}"] = value_at_risk(pooled, level)
        figures[f"es_{tag}"] = expected_shortfall(pooled, level)
    return figures


def _percent_tag(level: float) -> str:
    """The level in percent with as many decimals as it has: 0.99 -> "99", 0.975 -> "97.5"."""
    return np.format_float_positional(round(100 * level, 10), trim="-")
