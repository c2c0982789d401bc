"""Does a synthetic table copy its training rows? Copies and distances to real rows.

Exact copies of training rows, the distance to the closest record (Gower distance),
the share of synthetic rows closer to the training rows than to a real holdout of
the same size (0.5 when the generator did not memorise), and the nearest-neighbour
distance ratio of each synthetic row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from gan_lessons.tables._columns import _is_numeric, _same_columns


def exact_copies(synthetic: pd.DataFrame, real: pd.DataFrame) -> int:
    """Number of synthetic rows identical, in every column, to some real row."""
    _same_columns(real, synthetic)
    real_rows = set(real.astype(object).itertuples(index=False, name=None))
    return int(sum(row in real_rows for row in synthetic.astype(object).itertuples(index=False, name=None)))


def gower_distances(rows: pd.DataFrame, others: pd.DataFrame, ranges_from: pd.DataFrame) -> NDArray[np.float64]:
    """Gower (1971) distance matrix (len(rows), len(others)), each entry in [0, 1]:
    the mean over columns of |a - b| / range (numbers, range from ``ranges_from``)
    and [a != b] (categories)."""
    _same_columns(ranges_from, rows)
    _same_columns(ranges_from, others)
    total = np.zeros((len(rows), len(others)))
    for column in ranges_from.columns:
        if _is_numeric(ranges_from[column]):
            span = float(np.ptp(ranges_from[column].to_numpy(dtype=float))) or 1.0
            a = rows[column].to_numpy(dtype=float)[:, None] / span
            b = others[column].to_numpy(dtype=float)[None, :] / span
            total += np.minimum(np.abs(a - b), 1.0)
        else:
            total += rows[column].astype(object).to_numpy()[:, None] != others[column].astype(object).to_numpy()[None, :]
    return total / ranges_from.shape[1]


def distance_to_closest_record(synthetic: pd.DataFrame, real: pd.DataFrame) -> NDArray[np.float64]:
    """For each synthetic row, the Gower distance to its nearest real row, shape (n,).
    0 = an exact copy."""
    return gower_distances(synthetic, real, real).min(axis=1)


def closer_to_train_share(synthetic: pd.DataFrame, real_train: pd.DataFrame, holdout: pd.DataFrame, seed: int = 0) -> float:
    """Share of synthetic rows whose nearest neighbour among a random subset of
    ``real_train`` (as many rows as ``holdout``) is nearer than their nearest holdout
    row; ties count one half. About 0.5 if the generator did not memorise its
    training rows, towards 1 if it copies them."""
    if len(holdout) > len(real_train):
        raise ValueError(f"holdout must not have more rows than real_train; got {len(holdout)} > {len(real_train)}")
    rng = np.random.default_rng(seed)
    subset = real_train.iloc[rng.choice(len(real_train), size=len(holdout), replace=False)]
    to_train = gower_distances(synthetic, subset, real_train).min(axis=1)
    to_holdout = gower_distances(synthetic, holdout, real_train).min(axis=1)
    return float(np.mean((to_train < to_holdout) + 0.5 * (to_train == to_holdout)))


def nearest_neighbour_distance_ratio(synthetic: pd.DataFrame, real: pd.DataFrame) -> NDArray[np.float64]:
    """Per synthetic row: Gower distance to its nearest real row / to its second nearest, shape (n,).

    Near 0: the row sits on one real row, far from the others (a likely copy of it);
    near 1: it is about as close to several real rows (it generalises). 0/0 (a row
    with two identical real neighbours) counts as 1. ``real`` needs at least 2 rows.
    """
    if len(real) < 2:
        raise ValueError(f"real must have at least 2 rows for a second neighbour, got {len(real)}")
    distances = np.sort(gower_distances(synthetic, real, real), axis=1)
    first, second = distances[:, 0], distances[:, 1]
    return np.divide(first, second, out=np.ones_like(first), where=second > 0)
