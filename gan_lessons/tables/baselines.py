"""Simple synthesizers for tables, the baselines a tabular GAN must beat (lessons 07-08).

Both are class-conditional: fitted separately within each value of the label
column and sampled for a given list of labels, like the conditional GAN.

* :class:`IndependentMarginals` draws every column independently from its empirical
  distribution within the class: the marginals are right by construction and every
  dependence between features (beyond what the label explains) is lost.
* :class:`GaussianCopula` keeps the marginals and adds the rank correlations
  (Sklar 1959; the "Gaussian copula" synthesizer of Patki et al. 2016, SDV). Written
  here with numpy/scipy in a few lines rather than taken from ``sdv``, whose
  dependency tree is large for what is a normal-scores transform and a correlation
  matrix.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from gan_lessons.tables._columns import _check_table, _is_numeric


class _ClassConditional:
    """Fit within each label value; sample rows for a given list of labels."""

    def __init__(self, label_column: str) -> None:
        self.label_column = label_column
        self._groups: dict[Any, pd.DataFrame] = {}
        self._template: pd.DataFrame | None = None

    def fit(self, table: pd.DataFrame) -> "_ClassConditional":
        """Learn the per-class model from ``table`` (with the label column, no NaN)."""
        table = _check_table(table)
        if self.label_column not in table.columns:
            raise ValueError(f"table must contain the label column {self.label_column!r}; got {list(table.columns)}")
        self._template = table.iloc[:0]
        self._groups = {
            label: group.reset_index(drop=True)
            for label, group in table.groupby(self.label_column, observed=True)
        }
        for label, group in self._groups.items():
            self._fit_group(label, group.drop(columns=self.label_column))
        return self

    def _fit_group(self, label: Any, features: pd.DataFrame) -> None:
        """Per-class fitting; the empirical rows kept in ``_groups`` are enough by default."""

    def sample(self, labels: Sequence[Any] | pd.Series, seed: int) -> pd.DataFrame:
        """One synthetic row per entry of ``labels``, same columns and dtypes as the fitted table."""
        if self._template is None:
            raise ValueError(f"this {type(self).__name__} is not fitted yet; call fit(table) first")
        labels = list(labels)
        unknown = sorted({str(label) for label in labels if label not in self._groups})
        if not labels or unknown:
            raise ValueError(
                f"labels must be a non-empty list of fitted labels {sorted(map(str, self._groups))}; "
                f"got {len(labels)} labels, unknown {unknown}"
            )
        rng = np.random.default_rng(seed)
        labels_arr = np.asarray(labels, dtype=object)
        pieces = []
        for label in self._groups:
            rows = np.flatnonzero(labels_arr == label)
            if len(rows):
                part = self._sample_group(label, len(rows), rng)
                part.index = rows
                pieces.append(part)
        table = pd.concat(pieces).sort_index()
        table[self.label_column] = labels_arr
        table = table[list(self._template.columns)].reset_index(drop=True)
        return table.astype(self._template.dtypes.to_dict())

    def _sample_group(self, label: Any, n: int, rng: np.random.Generator) -> pd.DataFrame:
        raise NotImplementedError


class IndependentMarginals(_ClassConditional):
    """Each column drawn independently from its empirical distribution within the class:
    p(x | y) = prod_j p_hat(x_j | y)."""

    def _sample_group(self, label: Any, n: int, rng: np.random.Generator) -> pd.DataFrame:
        features = self._groups[label].drop(columns=self.label_column)
        return pd.DataFrame({column: features[column].to_numpy()[rng.integers(len(features), size=n)] for column in features.columns})


class GaussianCopula(_ClassConditional):
    """Gaussian copula within each class: normal scores z_j = Phi^-1(F_j(x_j)),
    correlation R = corr(z), samples x_j = F_j^-1(Phi(z_j)) with z ~ N(0, R).

    Numeric columns use mid-ranks for F_j and linear interpolation between order
    statistics for F_j^-1 (rounded for integer columns); a categorical column is
    mapped to the middle of its category's interval of the empirical CDF, and back by
    the interval a uniform falls in.
    """

    def __init__(self, label_column: str) -> None:
        super().__init__(label_column)
        self._correlations: dict[Any, NDArray[np.float64]] = {}

    def _fit_group(self, label: Any, features: pd.DataFrame) -> None:
        scores = np.column_stack([self._normal_scores(features[column]) for column in features.columns])
        correlation = np.corrcoef(scores, rowvar=False) if scores.shape[1] > 1 else np.ones((1, 1))
        # A constant column has no correlation (NaN); shrink slightly towards the
        # identity so the matrix is positive definite with few rows per class.
        correlation = np.nan_to_num(correlation, nan=0.0)
        np.fill_diagonal(correlation, 1.0)
        self._correlations[label] = 0.98 * correlation + 0.02 * np.eye(len(correlation))

    @staticmethod
    def _normal_scores(series: pd.Series) -> NDArray[np.float64]:
        if _is_numeric(series):
            uniform = stats.rankdata(series.to_numpy()) / (len(series) + 1)
        else:
            codes, categories = pd.factorize(series, sort=True)
            shares = np.bincount(codes, minlength=len(categories)) / len(series)
            upper = np.cumsum(shares)
            uniform = (upper - shares / 2)[codes]
        return stats.norm.ppf(np.clip(uniform, 1e-6, 1 - 1e-6))

    def _sample_group(self, label: Any, n: int, rng: np.random.Generator) -> pd.DataFrame:
        features = self._groups[label].drop(columns=self.label_column)
        correlation = self._correlations[label]
        z = rng.multivariate_normal(np.zeros(len(correlation)), correlation, size=n, method="cholesky")
        uniform = stats.norm.cdf(z)
        columns = {}
        for index, column in enumerate(features.columns):
            series = features[column]
            if _is_numeric(series):
                values = np.quantile(series.to_numpy(dtype=np.float64), uniform[:, index])
                if pd.api.types.is_integer_dtype(series):
                    values = np.rint(values)
                columns[column] = values
            else:
                codes, categories = pd.factorize(series, sort=True)
                upper = np.cumsum(np.bincount(codes, minlength=len(categories)) / len(series))
                chosen = np.minimum(np.searchsorted(upper, uniform[:, index]), len(categories) - 1)
                columns[column] = np.asarray(categories, dtype=object)[chosen]
        return pd.DataFrame(columns)
