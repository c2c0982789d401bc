"""What is a synthetic table good for? Detection, machine-learning utility, rare positives.

* detection: ROC AUC of a cross-validated classifier telling synthetic rows from real
  ones (0.5: indistinguishable, 1: every row told apart);
* machine-learning utility: train on synthetic, test on real (TSTR) against train on
  real, test on real (TRTR) (Esteban et al. 2017; Xu et al. 2019, sec. 5);
* recall at a given precision, for rare positives (lesson 08).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_curve, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from gan_lessons.tables._columns import _is_numeric, _same_columns

MODEL_FAMILIES = ("logistic", "forest", "boosting")


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


def detection_auc(
    real: pd.DataFrame, synthetic: pd.DataFrame, family: str = "forest", folds: int = 5, seed: int = 0, **params: Any
) -> float:
    """Cross-validated ROC AUC of a classifier telling synthetic from real rows.

    0.5 = the classifier cannot tell them apart. A linear model only sees differences
    in the marginals, hence the non-linear random forest by default: it also sees
    broken dependence between columns. ``params`` go to the model (e.g.
    ``n_estimators=100`` for a cheaper forest).
    """
    _same_columns(real, synthetic)
    both = pd.concat([real, synthetic], ignore_index=True)
    is_synthetic = np.r_[np.zeros(len(real)), np.ones(len(synthetic))]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    scores = cross_val_predict(make_classifier(both, family, seed, **params), both, is_synthetic, cv=splitter, method="predict_proba")[:, 1]
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


def recall_at_precision(
    y_true: ArrayLike, scores: ArrayLike, precision: float = 0.5, sample_weight: ArrayLike | None = None
) -> float:
    """Largest recall among thresholds whose precision is at least ``precision`` (0 if none).

    ``y_true``: (n,) 0/1 labels; ``scores``: (n,) higher = more likely positive;
    ``sample_weight``: (n,) row weights, e.g. :func:`gan_lessons.tables.prevalence_weights`.
    """
    if not 0 < precision <= 1:
        raise ValueError(f"precision must be in (0, 1], got {precision}")
    precisions, recalls, _ = precision_recall_curve(np.asarray(y_true), np.asarray(scores), sample_weight=sample_weight)
    reachable = recalls[precisions >= precision]
    return float(reachable.max()) if reachable.size else 0.0
