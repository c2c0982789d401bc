"""How close is a synthetic table to the real one? Column fidelity and pairwise dependence.

* fidelity of each column: 1 - Kolmogorov-Smirnov statistic (numbers), 1 - total
  variation distance (categories) -- the "KSComplement" / "TVComplement" of SDMetrics;
* pairwise dependence: bias-corrected Cramer's V of every pair of columns
  (Bergsma 2013), numbers cut into quantile bins of the real table, and the
  similarity 1 - mean |V_real - V_synthetic|.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from gan_lessons.tables._columns import _check_table, _is_numeric, _same_columns


def column_fidelity(real: pd.DataFrame, synthetic: pd.DataFrame) -> pd.Series:
    """Per column: 1 - KS statistic sup_x |F_real(x) - F_syn(x)| for numbers,
    1 - TV = 1 - 1/2 sum_c |p_real(c) - p_syn(c)| for categories. 1 = same marginal."""
    _same_columns(real, synthetic)
    scores = {}
    for column in real.columns:
        if _is_numeric(real[column]):
            # method="asymp": the exact small-sample p-value is not needed, only the statistic.
            scores[column] = 1.0 - stats.ks_2samp(real[column], synthetic[column], method="asymp").statistic
        else:
            p_real = real[column].astype(object).value_counts(normalize=True)
            p_syn = synthetic[column].astype(object).value_counts(normalize=True)
            p_real, p_syn = p_real.align(p_syn, fill_value=0.0)
            scores[column] = 1.0 - 0.5 * float(np.abs(p_real - p_syn).sum())
    return pd.Series(scores, name="fidelity")


def _discretise(table: pd.DataFrame, reference: pd.DataFrame, bins: int) -> dict[Any, NDArray[np.int64]]:
    """Each column as integer codes: quantile bins of ``reference`` for numbers, one code per
    category (as text) for the others. Only which rows share a code matters to Cramer's V."""
    codes = {}
    for column in reference.columns:
        if _is_numeric(reference[column]):
            edges = np.unique(np.quantile(reference[column].to_numpy(dtype=float), np.linspace(0, 1, bins + 1)[1:-1]))
            codes[column] = np.searchsorted(edges, table[column].to_numpy(dtype=float), side="right").astype(np.int64)
        else:
            codes[column] = pd.factorize(table[column].astype(object).astype(str).to_numpy())[0].astype(np.int64)
    return codes


def _contingency(a: NDArray[np.int64], b: NDArray[np.int64]) -> NDArray[np.float64]:
    """Counts of every (code of a, code of b) pair, without empty rows or columns (as ``pd.crosstab``)."""
    width = int(b.max()) + 1
    counts = np.bincount(a * width + b, minlength=(int(a.max()) + 1) * width).reshape(-1, width)
    return counts[counts.sum(axis=1) > 0][:, counts.sum(axis=0) > 0].astype(np.float64)


def _cramers_v(a: NDArray[np.int64], b: NDArray[np.int64]) -> float:
    table = _contingency(a, b)
    n = table.sum()
    rows, cols = table.shape
    if rows < 2 or cols < 2:
        return 0.0
    # Pearson's chi-squared without continuity correction (scipy's chi2_contingency with
    # correction=False), written out: a pandas crosstab per pair made this function the
    # slowest part of lesson 07.
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    chi2 = float(((table - expected) ** 2 / expected).sum())
    # Bergsma (2013) bias correction: independent columns score near 0, not ~sqrt(k/n).
    phi2 = max(0.0, chi2 / n - (rows - 1) * (cols - 1) / (n - 1))
    rows_c = rows - (rows - 1) ** 2 / (n - 1)
    cols_c = cols - (cols - 1) ** 2 / (n - 1)
    denominator = min(rows_c - 1, cols_c - 1)
    return float(np.sqrt(phi2 / denominator)) if denominator > 0 else 0.0


def association_matrix(table: pd.DataFrame, reference: pd.DataFrame | None = None, bins: int = 5) -> pd.DataFrame:
    """Bias-corrected Cramer's V in [0, 1] for every pair of columns (1 on the diagonal).

    Numeric columns are cut into ``bins`` quantile bins of ``reference`` (default:
    ``table`` itself), so two tables are compared on the same bins. 0 = independent.
    """
    table = _check_table(table)
    reference = table if reference is None else reference
    _same_columns(reference, table)
    codes = _discretise(table, reference, bins)
    columns = list(table.columns)
    matrix = np.eye(len(columns))
    for (i, first), (j, second) in combinations(enumerate(columns), 2):
        matrix[i, j] = matrix[j, i] = _cramers_v(codes[first], codes[second])
    return pd.DataFrame(matrix, index=table.columns, columns=table.columns)


def pairwise_dependence_similarity(real: pd.DataFrame, synthetic: pd.DataFrame, bins: int = 5) -> float:
    """1 - mean over column pairs of |V_real - V_syn| (Cramer's V, :func:`association_matrix`).
    1 = every pair as strongly associated as in the real table."""
    _same_columns(real, synthetic)
    v_real = association_matrix(real, bins=bins).to_numpy()
    v_syn = association_matrix(synthetic, reference=real, bins=bins).to_numpy()
    upper = np.triu_indices(len(v_real), k=1)
    return float(1.0 - np.abs(v_real[upper] - v_syn[upper]).mean())
