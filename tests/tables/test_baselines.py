"""Class-conditional independent marginals and Gaussian copula."""

import pandas as pd
import pytest

from gan_lessons import tables


@pytest.fixture(scope="module")
def credit():
    return tables.load_german_credit()


@pytest.mark.parametrize("synthesizer", [tables.IndependentMarginals, tables.GaussianCopula])
def test_samples_keep_columns_dtypes_labels_and_seed(credit, synthesizer):
    model = synthesizer("credit_risk").fit(credit)
    labels = ["bad"] * 30 + ["good"] * 70
    sample = model.sample(labels, seed=4)
    assert list(sample.columns) == list(credit.columns)
    assert (sample.dtypes == credit.dtypes).all()
    assert sample["credit_risk"].tolist() == labels
    pd.testing.assert_frame_equal(sample, model.sample(labels, seed=4))
    for column in ("credit_amount", "age_in_years"):
        assert sample[column].between(credit[column].min(), credit[column].max()).all()


def test_copula_keeps_a_rank_correlation_that_marginals_lose(credit):
    labels = credit["credit_risk"]
    rho = credit[["duration_in_month", "credit_amount"]].corr("spearman").iloc[0, 1]
    copula = tables.GaussianCopula("credit_risk").fit(credit).sample(labels, seed=0)
    marginals = tables.IndependentMarginals("credit_risk").fit(credit).sample(labels, seed=0)
    assert abs(copula[["duration_in_month", "credit_amount"]].corr("spearman").iloc[0, 1] - rho) < 0.1
    assert abs(marginals[["duration_in_month", "credit_amount"]].corr("spearman").iloc[0, 1]) < 0.1


def test_class_conditional_marginals_are_close(credit):
    bad = credit[credit.credit_risk == "bad"]
    sample = tables.IndependentMarginals("credit_risk").fit(credit).sample(["bad"] * 3000, seed=1)
    assert tables.column_fidelity(bad, sample).min() > 0.9


def test_bad_inputs(credit):
    with pytest.raises(ValueError, match="not fitted yet"):
        tables.GaussianCopula("credit_risk").sample(["bad"], seed=0)
    with pytest.raises(ValueError, match="must contain the label column 'risk'"):
        tables.IndependentMarginals("risk").fit(credit)
    model = tables.IndependentMarginals("credit_risk").fit(credit)
    with pytest.raises(ValueError, match=r"unknown \['maybe'\]"):
        model.sample(["bad", "maybe"], seed=0)
    with pytest.raises(ValueError, match="non-empty list"):
        model.sample([], seed=0)
