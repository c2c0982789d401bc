"""Rare positives (lesson 08): every way of treating them as one imbalanced-learn pipeline,
tuned the same way, and scores on a test fold at a chosen positive rate.

* :func:`augmentation_pipeline`: the same classifier (one-hot categories, standardised
  numbers, L2 logistic regression) behind no resampling, class weights, random
  oversampling, SMOTE-NC or a pool of synthetic positives. Resampling is a step of an
  ``imblearn`` ``Pipeline``, so it runs on the rows the pipeline is fitted on and
  nowhere else: inside cross-validation, on each training fold only, never on a
  validation or test fold.
* :func:`tune_and_fit`: the regularisation C chosen by cross-validated PR AUC over a
  grid, for every method alike, then refitted on all training rows.
* :func:`prevalence_weights` / :func:`rare_average_precision`: a test fold read at a
  chosen positive rate by weighting its positives, so PR AUC speaks of a rare event.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from imblearn import FunctionSampler
from imblearn.over_sampling import SMOTENC, RandomOverSampler
from imblearn.pipeline import Pipeline
from numpy.typing import ArrayLike, NDArray
from sklearn.compose import ColumnTransformer
from sklearn.metrics import average_precision_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.preprocessing import StandardScaler

from gan_lessons._checks import positive_int
from gan_lessons.tables._columns import _check_table, _is_numeric
from gan_lessons.tables.utility import make_classifier

AUGMENTATION_METHODS = ("no augmentation", "class weights", "random oversampling", "SMOTE-NC", "conditional GAN")


def _add_synthetic_positives(x: pd.DataFrame, y: NDArray[Any], pool: pd.DataFrame) -> tuple[pd.DataFrame, NDArray[Any]]:
    """Append the first (negatives - positives) rows of ``pool`` as positives."""
    y = np.asarray(y)
    missing = int((y == 0).sum() - (y == 1).sum())
    if missing <= 0:
        return x, y
    if missing > len(pool):
        raise ValueError(f"the pool of synthetic positives has {len(pool)} rows; balancing these rows needs {missing}")
    added = pool.iloc[:missing][list(x.columns)]
    return pd.concat([x, added], ignore_index=True), np.r_[y, np.ones(missing, dtype=y.dtype)]


def augmentation_pipeline(
    features: pd.DataFrame,
    method: str,
    seed: int = 0,
    C: float = 1.0,
    synthetic_positives: pd.DataFrame | None = None,
) -> Pipeline:
    """The classifier of lesson 08 with one way of treating rare positives (label 1).

    ``features``: the feature columns (no label), used to tell numbers from
    categories. ``method`` (one of :data:`AUGMENTATION_METHODS`):

    * ``"no augmentation"``: logistic regression on the rows as they are;
    * ``"class weights"``: positives weighted n / (2 n_+) (``class_weight="balanced"``);
    * ``"random oversampling"``: positives duplicated at random until the classes are equal;
    * ``"SMOTE-NC"``: SMOTE for mixed data (Chawla et al. 2002, sec. 6.1): numbers are
      standardised, a new positive is interpolated between a positive and one of its 5
      nearest positive neighbours on the numbers and takes the most frequent category of
      those neighbours on each categorical column, until the classes are equal;
    * ``"conditional GAN"``: the first (negatives - positives) rows of
      ``synthetic_positives`` (feature columns) are appended as positives.

    The pipeline's steps are named ``"prepare"`` and ``"model"`` (the logistic
    regression, so ``model__C`` is its C), after the resampling step if any.
    """
    features = _check_table(features, "features")
    if method not in AUGMENTATION_METHODS:
        raise ValueError(f"method must be one of {AUGMENTATION_METHODS}, got {method!r}")
    classifier = make_classifier(features, "logistic", C=C, class_weight="balanced" if method == "class weights" else None)
    (_, prepare), (_, model) = classifier.steps
    steps: list[tuple[str, Any]] = []
    if method == "random oversampling":
        steps.append(("oversample", RandomOverSampler(random_state=seed)))
    elif method == "SMOTE-NC":
        numeric = [column for column in features.columns if _is_numeric(features[column])]
        categorical = [column for column in features.columns if column not in numeric]
        if not categorical or not numeric:
            raise ValueError("SMOTE-NC needs numeric and categorical columns; use SMOTE or SMOTEN for one kind only")
        scale = ColumnTransformer([("numbers", StandardScaler(), numeric)], remainder="passthrough",
                                  verbose_feature_names_out=False).set_output(transform="pandas")
        steps += [("scale", scale), ("smote_nc", SMOTENC(categorical_features=categorical, random_state=seed))]
    elif method == "conditional GAN":
        if synthetic_positives is None:
            raise ValueError("method 'conditional GAN' needs synthetic_positives, a table of generated positives")
        pool = _check_table(synthetic_positives, "synthetic_positives")
        missing = [column for column in features.columns if column not in pool.columns]
        if missing:
            raise ValueError(f"synthetic_positives lacks the feature columns {missing}")
        steps.append(("add_synthetic", FunctionSampler(func=_add_synthetic_positives, validate=False,
                                                       kw_args={"pool": pool.reset_index(drop=True)})))
    return Pipeline([*steps, ("prepare", prepare), ("model", model)])


def tune_and_fit(
    pipeline: Pipeline,
    x: pd.DataFrame,
    y: ArrayLike,
    c_grid: Sequence[float] = (0.01, 0.1, 1.0, 10.0),
    folds: int = 3,
    seed: int = 0,
) -> GridSearchCV:
    """Choose the logistic regression's C by ``folds``-fold stratified cross-validated PR
    AUC (average precision) over ``c_grid``, then refit on all of ``x``, ``y``.

    Any resampling step of ``pipeline`` runs on each training fold only. Returns the
    fitted ``GridSearchCV`` (``best_params_["model__C"]``, ``predict_proba``).
    """
    folds = positive_int(folds, "folds")
    grid = [float(c) for c in c_grid]
    if not grid or min(grid) <= 0:
        raise ValueError(f"c_grid must hold positive values of C, got {list(c_grid)}")
    search = GridSearchCV(pipeline, {"model__C": grid}, scoring="average_precision",
                          cv=StratifiedKFold(folds, shuffle=True, random_state=seed), refit=True, n_jobs=1)
    return search.fit(x, np.asarray(y))


def prevalence_weights(y_true: ArrayLike, prevalence: float) -> NDArray[np.float64]:
    """Sample weights that give the positives (label 1) a weighted share of ``prevalence``.

    Negatives weigh 1, positives w = prevalence / (1 - prevalence) * n_- / n_+, so that
    w n_+ / (w n_+ + n_-) = prevalence. Every real positive is kept (none discarded to
    make them rare), which steadies the score against subsampling them.
    """
    y = np.asarray(y_true)
    if not 0 < prevalence < 1:
        raise ValueError(f"prevalence must be in (0, 1), got {prevalence}")
    if not np.isin(y, (0, 1)).all():
        raise ValueError(f"y_true must hold 0/1 labels, got values {np.unique(y)[:5]}")
    positives, negatives = int(y.sum()), int((y == 0).sum())
    if positives == 0 or negatives == 0:
        raise ValueError(f"y_true needs both classes, got {positives} positives and {negatives} negatives")
    weight = prevalence / (1 - prevalence) * negatives / positives
    return np.where(y == 1, weight, 1.0)


def rare_average_precision(y_true: ArrayLike, scores: ArrayLike, prevalence: float) -> float:
    """PR AUC (average precision, sum_k (R_k - R_{k-1}) P_k) with the positives weighted
    to a share of ``prevalence`` (:func:`prevalence_weights`). A random ranking scores
    about ``prevalence``."""
    weights = prevalence_weights(y_true, prevalence)
    return float(average_precision_score(np.asarray(y_true), np.asarray(scores), sample_weight=weights))
