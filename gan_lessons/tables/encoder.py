"""Mixed-type tables as GAN inputs: the CTGAN encoding and its exact inverse.

A new module rather than more of ``data``: the encoder is a concept of its own
(fit / transform / inverse, about 250 lines with its checks), used by lessons 07,
08 and 09, and ``data`` stays about where files come from.

Encoding of Xu et al. (2019, "Modeling Tabular Data using Conditional GAN", sec. 4.2),
column by column, concatenated in the table's column order:

* a **numeric** column c is fitted with a variational (Dirichlet-process) Gaussian
  mixture, scikit-learn's ``BayesianGaussianMixture``; the modes with weight above
  ``weight_threshold`` are kept. A value c_ij is encoded as a one-hot indicator
  beta_ij of its mode k and a scalar within that mode,

      alpha_ij = (c_ij - eta_k) / (4 phi_k)                                  (1)

  with eta_k, phi_k the mode's mean and standard deviation. The generator emits
  alpha through tanh and beta through a softmax. CTGAN *samples* the mode k from the
  posterior p(k | c_ij) proportional to w_k N(c_ij; eta_k, phi_k^2):
  ``transform(table, seed=s)`` does so; ``transform(table)`` takes the most probable
  mode, so that it is a function. Either way the inverse is exact, since it reads the
  mode from beta. |alpha| exceeds 1 only for values more than 4 standard deviations
  from their mode.
* a **categorical** column (pandas ``category``, text, ``bool``, or an integer
  column with at most ``max_integer_levels`` distinct values) is one-hot encoded.

The inverse maps alpha back through (1) with the arg-max mode, clips to the range
seen in ``fit`` and rounds integer columns; categories come back as the arg-max of
their block. Round trip: ``inverse_transform(transform(t))`` equals ``t`` with its
dtypes and categories (float columns to float64 rounding).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import BayesianGaussianMixture

from gan_lessons._checks import finite_float64, positive_int, real_number
from gan_lessons.tables._columns import _check_table, _is_categorical


@dataclass(frozen=True)
class ColumnSpan:
    """Where one column lives in the encoded matrix.

    ``kind`` is ``"numeric"`` (one alpha value at ``start``, then ``width - 1`` mode
    indicators) or ``"categorical"`` (``width`` one-hot indicators from ``start``).
    """

    column: Any  # the table's column label: usually a string, may be an int
    kind: str
    start: int
    width: int


@dataclass
class _NumericColumn:
    means: NDArray[np.float64]
    stds: NDArray[np.float64]
    log_weights: NDArray[np.float64]
    low: float
    high: float
    is_integer: bool


class TabularEncoder:
    """Mode-specific normalisation + one-hot encoding of a table (CTGAN, eq. 1 above).

    Args:
        max_modes: largest number of mixture modes per numeric column (CTGAN: 10).
        weight_threshold: modes with a smaller mixture weight are dropped (CTGAN: 0.005).
        max_integer_levels: integer columns with at most this many distinct values
            are treated as categories.
        seed: seed of the mixtures' initialisation.
    """

    def __init__(
        self,
        max_modes: int = 10,
        weight_threshold: float = 0.005,
        max_integer_levels: int = 10,
        seed: int = 0,
    ) -> None:
        self.max_modes = positive_int(max_modes, "max_modes")
        weight_threshold = real_number(weight_threshold, "weight_threshold")
        if not 0 <= weight_threshold < 1:
            raise ValueError(f"weight_threshold must be in [0, 1), got {weight_threshold}")
        self.weight_threshold = float(weight_threshold)
        self.max_integer_levels = positive_int(max_integer_levels, "max_integer_levels")
        self.seed = seed
        self.columns: list[Any] = []
        self.spans: list[ColumnSpan] = []
        self._dtypes: dict[str, Any] = {}
        self._categories: dict[str, list[Any]] = {}
        self._numeric: dict[str, _NumericColumn] = {}

    # -- fitting ---------------------------------------------------------------------------

    def fit(self, table: pd.DataFrame) -> TabularEncoder:
        """Learn each column's kind, categories or mixture modes from ``table`` (no NaN or
        infinite values). Column labels are kept as they are (strings, ints)."""
        table = _check_table(table)
        self.columns = list(table.columns)
        if len(set(self.columns)) != len(self.columns):
            raise ValueError(f"table must have unique column names, got {self.columns}")
        self.spans, self._dtypes, self._categories, self._numeric = [], {}, {}, {}
        start = 0
        for column in table.columns:
            series = table[column]
            self._dtypes[column] = series.dtype
            if _is_categorical(series, self.max_integer_levels):
                if isinstance(series.dtype, pd.CategoricalDtype):
                    categories = list(series.dtype.categories)
                else:
                    categories = sorted(series.unique().tolist())
                self._categories[column] = categories
                self.spans.append(ColumnSpan(column, "categorical", start, len(categories)))
            else:
                self._numeric[column] = self._fit_numeric(series)
                width = 1 + len(self._numeric[column].means)
                self.spans.append(ColumnSpan(column, "numeric", start, width))
            start += self.spans[-1].width
        return self

    def _fit_numeric(self, series: pd.Series) -> _NumericColumn:
        values = finite_float64(series.to_numpy(dtype=np.float64), f"column {series.name!r}")
        components = min(self.max_modes, len(np.unique(values)))
        mixture = BayesianGaussianMixture(
            n_components=components,
            weight_concentration_prior_type="dirichlet_process",
            weight_concentration_prior=1e-3,
            max_iter=200,
            random_state=self.seed,
        )
        # A Dirichlet-process mixture on few or repeated values may stop before its
        # convergence test; the encoding stays exact, because transform and inverse use
        # the same fitted means and standard deviations whatever they are.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            mixture.fit(values[:, None])
        keep = mixture.weights_ > self.weight_threshold
        if not keep.any():
            keep = mixture.weights_ == mixture.weights_.max()
        means = mixture.means_[keep, 0]
        stds = np.sqrt(mixture.covariances_[keep].reshape(-1))
        weights = mixture.weights_[keep] / mixture.weights_[keep].sum()
        return _NumericColumn(
            means=means,
            stds=stds,
            log_weights=np.log(weights),
            low=float(values.min()),
            high=float(values.max()),
            is_integer=bool(pd.api.types.is_integer_dtype(series)),
        )

    def _check_fitted(self) -> None:
        if not self.spans:
            raise ValueError("this TabularEncoder is not fitted yet; call fit(table) first")

    @property
    def output_dim(self) -> int:
        """Width of the encoded matrix."""
        self._check_fitted()
        return self.spans[-1].start + self.spans[-1].width

    @property
    def heads(self) -> list[tuple[str, int]]:
        """Generator output blocks in order: ``("tanh", 1)`` for each alpha,
        ``("softmax", k)`` for each mode indicator or one-hot block."""
        self._check_fitted()
        blocks: list[tuple[str, int]] = []
        for span in self.spans:
            if span.kind == "numeric":
                blocks += [("tanh", 1), ("softmax", span.width - 1)]
            else:
                blocks.append(("softmax", span.width))
        return blocks

    def categories(self, column: str) -> list[Any]:
        """The categories of a categorical column, in one-hot order."""
        self._check_fitted()
        if column not in self._categories:
            raise ValueError(f"expected one of the categorical columns {sorted(self._categories)}, got {column!r}")
        return list(self._categories[column])

    # -- encoding --------------------------------------------------------------------------

    def transform(self, table: pd.DataFrame, seed: int | None = None) -> NDArray[np.float64]:
        """Encode ``table`` (the fitted columns, no NaN, no unseen category): (n, output_dim).

        ``seed=None``: each numeric value takes its most probable mode. With an int
        ``seed`` the mode is drawn from its posterior, as CTGAN does (Xu et al. 2019,
        sec. 4.2); the same seed gives the same matrix.
        """
        self._check_fitted()
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
            raise TypeError(f"seed must be None or an int >= 0, got {seed!r}")
        rng = None if seed is None else np.random.default_rng(seed)
        table = _check_table(table)
        missing = [column for column in self.columns if column not in table.columns]
        extra = [column for column in table.columns if column not in self.columns]
        if missing or extra:
            raise ValueError(
                f"table must have exactly the fitted columns; missing {missing}, unexpected {extra}"
            )
        encoded = np.zeros((len(table), self.output_dim), dtype=np.float64)
        rows = np.arange(len(table))
        for span in self.spans:
            series = table[span.column]
            if span.kind == "categorical":
                lookup = {value: index for index, value in enumerate(self._categories[span.column])}
                unseen = sorted({str(value) for value in series if value not in lookup})
                if unseen:
                    raise ValueError(
                        f"column {span.column!r} has categories not seen in fit: {unseen[:5]}; "
                        f"expected one of {self._categories[span.column][:10]}"
                    )
                encoded[rows, span.start + series.map(lookup).to_numpy(dtype=np.int64)] = 1.0
            else:
                if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
                    raise ValueError(f"column {span.column!r} must be numeric, got dtype {series.dtype}")
                values = finite_float64(series.to_numpy(dtype=np.float64), f"column {span.column!r}")
                alpha, mode = self._encode_numeric(span.column, values, rng)
                encoded[:, span.start] = alpha
                encoded[rows, span.start + 1 + mode] = 1.0
        return encoded

    def mode_posterior(self, column: Any, values: ArrayLike) -> NDArray[np.float64]:
        """p(k | c) of each value of a numeric column over its modes, shape (n, modes);
        rows sum to 1. p(k | c) is proportional to w_k N(c; eta_k, phi_k^2)."""
        self._check_fitted()
        if column not in self._numeric:
            raise ValueError(f"expected one of the numeric columns {sorted(self._numeric)}, got {column!r}")
        values = finite_float64(np.asarray(values, dtype=np.float64).reshape(-1), f"values of {column!r}")
        log_posterior = self._log_posterior(column, values)
        posterior = np.exp(log_posterior - log_posterior.max(axis=1, keepdims=True))
        return posterior / posterior.sum(axis=1, keepdims=True)

    def _log_posterior(self, column: Any, values: NDArray[np.float64]) -> NDArray[np.float64]:
        fitted = self._numeric[column]
        # log w_k + log N(c; eta_k, phi_k^2), up to a constant.
        z = (values[:, None] - fitted.means[None, :]) / fitted.stds[None, :]
        return fitted.log_weights[None, :] - np.log(fitted.stds)[None, :] - 0.5 * z**2

    def _encode_numeric(
        self, column: str, values: NDArray[np.float64], rng: np.random.Generator | None = None
    ) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
        fitted = self._numeric[column]
        log_posterior = self._log_posterior(column, values)
        if rng is None:
            mode = log_posterior.argmax(axis=1)
        else:
            # The Gumbel-max trick: argmax(log p + Gumbel noise) is a draw from p.
            mode = (log_posterior + rng.gumbel(size=log_posterior.shape)).argmax(axis=1)
        alpha = (values - fitted.means[mode]) / (4.0 * fitted.stds[mode])  # equation (1)
        return alpha, mode

    def _encoded_matrix(self, encoded: ArrayLike) -> NDArray[np.float64]:
        # float64, not the package's usual float32: the inverse of equation (1) must
        # give back integers and floats exactly.
        self._check_fitted()
        try:
            matrix = np.asarray(encoded, dtype=np.float64)
        except (TypeError, ValueError) as error:
            raise TypeError(f"encoded must be a numeric array, got {type(encoded).__name__}") from error
        if matrix.ndim != 2 or matrix.shape[1] != self.output_dim or len(matrix) == 0:
            raise ValueError(f"encoded must have shape (n >= 1, {self.output_dim}), got {matrix.shape}")
        if not np.isfinite(matrix).all():
            raise ValueError(f"encoded must be finite, got {int((~np.isfinite(matrix)).sum())} NaN or infinite values")
        return matrix

    def inverse_transform(self, encoded: ArrayLike) -> pd.DataFrame:
        """Decode an (n, output_dim) matrix back to a table with the fitted columns and dtypes.

        Soft blocks (softmax outputs) are read by their arg-max; numeric values are
        clipped to the range seen in ``fit``; integer columns are rounded.
        """
        encoded = self._encoded_matrix(encoded)
        decoded: dict[str, Any] = {}
        for span in self.spans:
            dtype = self._dtypes[span.column]
            if span.kind == "categorical":
                index = encoded[:, span.start : span.start + span.width].argmax(axis=1)
                if isinstance(dtype, pd.CategoricalDtype):
                    decoded[span.column] = pd.Categorical.from_codes(index, dtype=dtype)
                else:
                    values = np.asarray(self._categories[span.column], dtype=object)[index]
                    decoded[span.column] = pd.Series(values).astype(dtype)
            else:
                fitted = self._numeric[span.column]
                mode = encoded[:, span.start + 1 : span.start + span.width].argmax(axis=1)
                values = encoded[:, span.start] * 4.0 * fitted.stds[mode] + fitted.means[mode]
                values = np.clip(values, fitted.low, fitted.high)
                if fitted.is_integer:
                    values = np.rint(values)
                decoded[span.column] = pd.Series(values).astype(dtype)
        return pd.DataFrame(decoded, columns=self.columns)

    def harden(self, encoded: ArrayLike, seed: int | None = None) -> NDArray[np.float64]:
        """Replace each softmax block by a one-hot vector: its arg-max, or with ``seed``
        a category drawn from the block's probabilities (the Gumbel-max trick's result).

        ``encoded``: (n, output_dim) with non-negative blocks (generator outputs).
        """
        hard = self._encoded_matrix(encoded).copy()
        rng = None if seed is None else np.random.default_rng(seed)
        rows = np.arange(len(hard))
        start = 0
        for activation, width in self.heads:
            if activation == "softmax":
                block = np.clip(hard[:, start : start + width], 0.0, None)
                if rng is None:
                    index = block.argmax(axis=1)
                else:
                    cumulative = np.cumsum(block, axis=1)
                    draws = rng.random(len(block)) * cumulative[:, -1]
                    index = np.minimum((cumulative < draws[:, None]).sum(axis=1), width - 1)
                hard[:, start : start + width] = 0.0
                hard[rows, start + index] = 1.0
            start += width
        return hard
