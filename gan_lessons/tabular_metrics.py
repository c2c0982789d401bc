"""How good, useful and private is a synthetic table? Metrics of lessons 07-09.

A module of its own, next to :mod:`gan_lessons.metrics` (which measures samples of
toy mixtures and images): these metrics compare two *tables* with mixed numeric and
categorical columns, and most of them train scikit-learn models.

* fidelity of each column: 1 - Kolmogorov-Smirnov statistic (numbers), 1 - total
  variation distance (categories) -- the "KSComplement" / "TVComplement" of SDMetrics;
* pairwise dependence: bias-corrected Cramer's V of every pair of columns
  (Bergsma 2013), numbers cut into quantile bins of the real table, and the
  similarity 1 - mean |V_real - V_synthetic|;
* detection: ROC AUC of a cross-validated classifier telling synthetic rows from real
  ones (0.5: indistinguishable, 1: every row told apart);
* machine-learning utility: train on synthetic, test on real (TSTR) against train on
  real, test on real (TRTR) (Esteban et al. 2017; Xu et al. 2019, sec. 5);
* privacy: exact copies of training rows, distance to the closest record (Gower
  distance) and the share of synthetic rows closer to the training rows than to a
  real holdout of the same size (0.5 when the generator did not memorise).
"""

from __future__ import annotations

from itertools import combinations
from typing import Any, Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_curve, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from gan_lessons.tabular import _check_table, _is_numeric

MODEL_FAMILIES = ("logistic", "forest", "boosting")


def _same_columns(real: pd.DataFrame, synthetic: pd.DataFrame) -> None:
    _check_table(real, "real")
    _check_table(synthetic, "synthetic")
    if list(real.columns) != list(synthetic.columns):
        raise ValueError(
            f"real and synthetic must have the same columns in the same order; got {list(real.columns)} "
            f"and {list(synthetic.columns)}"
        )


# --- Fidelity ------------------------------------------------------------------------------


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


# --- Pairwise dependence -------------------------------------------------------------------


def _discretise(table: pd.DataFrame, reference: pd.DataFrame, bins: int) -> pd.DataFrame:
    codes = {}
    for column in reference.columns:
        if _is_numeric(reference[column]):
            edges = np.unique(np.quantile(reference[column].to_numpy(dtype=float), np.linspace(0, 1, bins + 1)[1:-1]))
            codes[column] = np.searchsorted(edges, table[column].to_numpy(dtype=float), side="right")
        else:
            codes[column] = table[column].astype(object).astype(str).to_numpy()
    return pd.DataFrame(codes)


def _cramers_v(a: NDArray[Any], b: NDArray[Any]) -> float:
    table = pd.crosstab(a, b).to_numpy(dtype=float)
    n = table.sum()
    rows, cols = table.shape
    if rows < 2 or cols < 2:
        return 0.0
    chi2 = stats.chi2_contingency(table, correction=False)[0]
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
    matrix = pd.DataFrame(np.eye(table.shape[1]), index=table.columns, columns=table.columns)
    for first, second in combinations(table.columns, 2):
        matrix.loc[first, second] = matrix.loc[second, first] = _cramers_v(codes[first].to_numpy(), codes[second].to_numpy())
    return matrix


def pairwise_dependence_similarity(real: pd.DataFrame, synthetic: pd.DataFrame, bins: int = 5) -> float:
    """1 - mean over column pairs of |V_real - V_syn| (Cramer's V, :func:`association_matrix`).
    1 = every pair as strongly associated as in the real table."""
    _same_columns(real, synthetic)
    v_real = association_matrix(real, bins=bins).to_numpy()
    v_syn = association_matrix(synthetic, reference=real, bins=bins).to_numpy()
    upper = np.triu_indices(len(v_real), k=1)
    return float(1.0 - np.abs(v_real[upper] - v_syn[upper]).mean())


# --- Classifiers on tables -----------------------------------------------------------------


def make_classifier(table: pd.DataFrame, family: str = "logistic", seed: int = 0, **params: Any) -> Pipeline:
    """A scikit-learn pipeline for a table: one-hot categories, standardised numbers, then
    ``family``: ``"logistic"`` (L2 logistic regression), ``"forest"`` (random forest,
    300 trees) or ``"boosting"`` (histogram gradient boosting). ``params`` go to the model."""
    if family not in MODEL_FAMILIES:
        raise ValueError(f"family must be one of {MODEL_FAMILIES}, got {family!r}")
    numeric = [column for column in table.columns if _is_numeric(table[column])]
    categorical = [column for column in table.columns if column not in numeric]
    prepare = ColumnTransformer(
        [("numbers", StandardScaler(), numeric), ("categories", OneHotEncoder(handle_unknown="ignore"), categorical)],
        sparse_threshold=0.0,
    )
    if family == "logistic":
        model: Any = LogisticRegression(max_iter=2000, **params)
    elif family == "forest":
        model = RandomForestClassifier(**{"n_estimators": 300, "min_samples_leaf": 2, "n_jobs": 1, "random_state": seed, **params})
    else:
        model = HistGradientBoostingClassifier(**{"random_state": seed, **params})
    return make_pipeline(prepare, model)


def detection_auc(real: pd.DataFrame, synthetic: pd.DataFrame, family: str = "forest", folds: int = 5, seed: int = 0) -> float:
    """Cross-validated ROC AUC of a classifier telling synthetic from real rows.

    0.5 = the classifier cannot tell them apart. A linear model only sees differences
    in the marginals, hence the non-linear random forest by default: it also sees
    broken dependence between columns.
    """
    _same_columns(real, synthetic)
    both = pd.concat([real, synthetic], ignore_index=True)
    is_synthetic = np.r_[np.zeros(len(real)), np.ones(len(synthetic))]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    scores = cross_val_predict(make_classifier(both, family, seed), both, is_synthetic, cv=splitter, method="predict_proba")[:, 1]
    return float(roc_auc_score(is_synthetic, scores))


def _label_target(table: pd.DataFrame, label: str, positive: Any) -> tuple[pd.DataFrame, NDArray[np.int64]]:
    if label not in table.columns:
        raise ValueError(f"table must contain the label column {label!r}; got {list(table.columns)}")
    target = (table[label] == positive).to_numpy(dtype=np.int64)
    return table.drop(columns=label), target


def ml_utility(
    synthetic: pd.DataFrame,
    real_train: pd.DataFrame,
    real_test: pd.DataFrame,
    label: str,
    positive: Any,
    families: Sequence[str] = ("logistic", "forest"),
    seed: int = 0,
) -> pd.DataFrame:
    """ROC AUC on ``real_test`` of models trained on real rows (TRTR) and on synthetic
    rows (TSTR), one row per model family, with the ratio TSTR / TRTR (1 = as useful)."""
    _same_columns(real_train, synthetic)
    _same_columns(real_train, real_test)
    x_test, y_test = _label_target(real_test, label, positive)
    rows = {}
    for family in families:
        aucs = {}
        for name, train in (("trtr_auc", real_train), ("tstr_auc", synthetic)):
            x_train, y_train = _label_target(train, label, positive)
            if len(np.unique(y_train)) < 2:
                raise ValueError(f"{name[:4].upper()} training rows must contain both classes of {label!r}")
            model = make_classifier(x_train, family, seed).fit(x_train, y_train)
            aucs[name] = float(roc_auc_score(y_test, model.predict_proba(x_test)[:, 1]))
        rows[family] = {**aucs, "ratio": aucs["tstr_auc"] / aucs["trtr_auc"]}
    return pd.DataFrame(rows).T


# --- Privacy: copies and distances ---------------------------------------------------------


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


# --- Rare positives (lesson 08) ------------------------------------------------------------


def recall_at_precision(y_true: ArrayLike, scores: ArrayLike, precision: float = 0.5) -> float:
    """Largest recall among thresholds whose precision is at least ``precision`` (0 if none).

    ``y_true``: (n,) 0/1 labels; ``scores``: (n,) higher = more likely positive.
    """
    if not 0 < precision <= 1:
        raise ValueError(f"precision must be in (0, 1], got {precision}")
    precisions, recalls, _ = precision_recall_curve(np.asarray(y_true), np.asarray(scores))
    reachable = recalls[precisions >= precision]
    return float(reachable.max()) if reachable.size else 0.0
