"""Lesson 08's pipelines: resampling inside the pipeline, tuning, and a test fold at a chosen rate."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import average_precision_score

from gan_lessons import tables


@pytest.fixture(scope="module")
def rare():
    credit = tables.load_german_credit()
    negatives = credit[credit.credit_risk == "good"].iloc[:300]
    positives = credit[credit.credit_risk == "bad"].iloc[:30]
    rows = pd.concat([negatives, positives]).sample(frac=1, random_state=0).reset_index(drop=True)
    return rows.drop(columns="credit_risk"), (rows.credit_risk == "bad").to_numpy(dtype=int), credit


@pytest.mark.parametrize("method,balanced", [("random oversampling", True), ("SMOTE-NC", True), ("conditional GAN", True),
                                             ("no augmentation", False), ("class weights", False)])
def test_resampling_balances_the_training_rows_only(rare, method, balanced):
    x, y, credit = rare
    pool = credit[credit.credit_risk == "bad"].iloc[30:].drop(columns="credit_risk")
    pipeline = tables.augmentation_pipeline(x, method, seed=0, synthetic_positives=pool)
    assert [name for name, _ in pipeline.steps][-2:] == ["prepare", "model"]
    if balanced:
        resampled = x, y
        for _, step in pipeline.steps[:-2]:
            if hasattr(step, "fit_resample"):
                resampled = step.fit_resample(*resampled)
            else:
                resampled = step.fit_transform(resampled[0]), resampled[1]
        assert int(resampled[1].sum()) == int((resampled[1] == 0).sum()) == 300
        assert len(resampled[0]) == 600
    pipeline.fit(x, y)
    # Predicting does not resample: one score per row.
    assert pipeline.predict_proba(x).shape == (len(x), 2)


def test_smote_nc_keeps_real_categories_and_the_gan_adds_its_pool(rare):
    x, y, credit = rare
    pipeline = tables.augmentation_pipeline(x, "SMOTE-NC", seed=0)
    scaled = pipeline.named_steps["scale"].fit_transform(x)
    new_x, _ = pipeline.named_steps["smote_nc"].fit_resample(scaled, y)
    for column in ["purpose", "housing"]:
        assert set(new_x[column].astype(str)) <= set(x[column].astype(str))
    pool = credit[credit.credit_risk == "bad"].iloc[30:].drop(columns="credit_risk")
    gan_x, gan_y = tables.augmentation_pipeline(x, "conditional GAN", synthetic_positives=pool).steps[0][1].fit_resample(x, y)
    pd.testing.assert_frame_equal(gan_x.iloc[len(x):].reset_index(drop=True), pool.iloc[:270].reset_index(drop=True))
    assert int(gan_y.sum()) == 300


def test_tune_and_fit_picks_c_from_the_grid(rare):
    x, y, _ = rare
    search = tables.tune_and_fit(tables.augmentation_pipeline(x, "no augmentation"), x, y, (0.01, 1.0), folds=3, seed=0)
    assert search.best_params_["model__C"] in (0.01, 1.0)
    assert len(search.cv_results_["mean_test_score"]) == 2


def test_prevalence_weights_give_the_share_and_score_like_subsampling():
    y = np.r_[np.zeros(140, int), np.ones(60, int)]
    weights = tables.prevalence_weights(y, 0.05)
    assert abs(weights[y == 1].sum() / weights.sum() - 0.05) < 1e-12
    scores = np.random.default_rng(0).normal(size=200) + 1.0 * y
    weighted = tables.rare_average_precision(y, scores, 0.05)
    rng = np.random.default_rng(1)
    subsampled = []
    for _ in range(400):
        keep = np.r_[np.arange(140), 140 + rng.choice(60, 7, replace=False)]
        subsampled.append(average_precision_score(y[keep], scores[keep]))
    assert abs(np.mean(subsampled) - weighted) < 0.03
    # A random ranking scores about the positive rate.
    random_scores = [tables.rare_average_precision(y, np.random.default_rng(s).normal(size=200), 0.05) for s in range(200)]
    assert abs(np.mean(random_scores) - 0.05) < 0.02


def test_recall_at_precision_with_weights():
    y = np.array([1, 0, 1, 0])
    scores = np.array([0.9, 0.8, 0.7, 0.1])
    assert tables.recall_at_precision(y, scores, 0.6) == 1.0                 # precision 2/3 at recall 1
    assert tables.recall_at_precision(y, scores, 0.6, sample_weight=[1, 3, 1, 3]) == 0.5


def test_augmentation_bad_input(rare):
    x, y, _ = rare
    with pytest.raises(ValueError, match="method must be one of"):
        tables.augmentation_pipeline(x, "SMOTE")
    with pytest.raises(ValueError, match="needs synthetic_positives"):
        tables.augmentation_pipeline(x, "conditional GAN")
    with pytest.raises(ValueError, match="lacks the feature columns"):
        tables.augmentation_pipeline(x, "conditional GAN", synthetic_positives=x[["purpose"]])
    with pytest.raises(ValueError, match="prevalence must be in"):
        tables.prevalence_weights(y, 1.0)
    with pytest.raises(ValueError, match="needs both classes"):
        tables.prevalence_weights(np.zeros(5, int), 0.1)
    with pytest.raises(ValueError, match="c_grid must hold positive values"):
        tables.tune_and_fit(tables.augmentation_pipeline(x, "no augmentation"), x, y, (0.0,))
    small_pool = x.iloc[:3]
    with pytest.raises(ValueError, match="pool of synthetic positives has 3 rows"):
        tables.augmentation_pipeline(x, "conditional GAN", synthetic_positives=small_pool).fit(x, y)
