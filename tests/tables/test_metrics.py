"""Metrics for synthetic tables on cases with known answers."""

import numpy as np
import pandas as pd
import pytest

from gan_lessons import privacy, tables


@pytest.fixture(scope="module")
def credit():
    return tables.load_german_credit()


def _dependent_table(n=600, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return pd.DataFrame(
        {
            "x": x,
            "y": x + 0.1 * rng.normal(size=n),
            "c": pd.Categorical(np.where(x > 0, "high", "low")),
        }
    )


def test_identical_tables_score_perfect_fidelity_and_copies_equal_length(credit):
    fidelity = tables.column_fidelity(credit, credit)
    np.testing.assert_allclose(fidelity.to_numpy(), 1.0)
    assert privacy.exact_copies(credit, credit) == len(credit)
    assert tables.pairwise_dependence_similarity(credit, credit) == pytest.approx(1.0)
    np.testing.assert_array_equal(privacy.distance_to_closest_record(credit.head(50), credit), 0.0)


def test_fidelity_matches_ks_and_tv_by_hand():
    real = pd.DataFrame({"n": [1.0, 2.0, 3.0, 4.0], "c": ["a", "a", "b", "b"]})
    synthetic = pd.DataFrame({"n": [3.0, 4.0, 5.0, 6.0], "c": ["a", "b", "b", "b"]})
    fidelity = tables.column_fidelity(real, synthetic)
    assert fidelity["n"] == pytest.approx(0.5)  # KS = sup |F - G| = 0.5 at x in [2, 3)
    assert fidelity["c"] == pytest.approx(0.75)  # TV = 1/2 (|0.5 - 0.25| + |0.5 - 0.75|)


def test_independent_columns_score_low_dependence():
    rng = np.random.default_rng(1)
    independent = pd.DataFrame(
        {"x": rng.normal(size=2000), "y": rng.normal(size=2000), "c": pd.Categorical(rng.choice(["a", "b", "c"], 2000))}
    )
    matrix = tables.association_matrix(independent)
    off_diagonal = matrix.to_numpy()[~np.eye(3, dtype=bool)]
    assert off_diagonal.max() < 0.05
    dependent = tables.association_matrix(_dependent_table())
    assert dependent.loc["x", "y"] > 0.8 and dependent.loc["x", "c"] > 0.8


def test_association_matrix_matches_scipy_chi_squared_on_crosstabs(credit):
    """Cramer's V (Bergsma's bias correction) from scipy's chi-squared of pandas crosstabs,
    including a synthetic table whose values leave some of the real table's bins empty."""
    from itertools import combinations

    from scipy import stats

    real = credit.iloc[:300]
    narrow = credit.iloc[300:500].copy()
    narrow["credit_amount"] = narrow["credit_amount"].clip(upper=narrow["credit_amount"].median())
    for table in (real, narrow):
        matrix = tables.association_matrix(table, reference=real)
        for first, second in combinations(["credit_amount", "age_in_years", "purpose", "housing", "credit_risk"], 2):
            codes = []
            for column in (first, second):
                if pd.api.types.is_numeric_dtype(real[column]):
                    edges = np.unique(np.quantile(real[column], np.linspace(0, 1, 6)[1:-1]))
                    codes.append(np.searchsorted(edges, table[column], side="right"))
                else:
                    codes.append(table[column].astype(str).to_numpy())
            counts = pd.crosstab(*codes).to_numpy(dtype=float)
            n, (rows, cols) = counts.sum(), counts.shape
            chi2 = stats.chi2_contingency(counts, correction=False)[0]
            phi2 = max(0.0, chi2 / n - (rows - 1) * (cols - 1) / (n - 1))
            denominator = min(rows - (rows - 1) ** 2 / (n - 1), cols - (cols - 1) ** 2 / (n - 1)) - 1
            assert matrix.loc[first, second] == pytest.approx(np.sqrt(phi2 / denominator), abs=1e-12)
            assert matrix.loc[second, first] == matrix.loc[first, second]


def test_breaking_dependence_lowers_similarity_and_is_detected():
    real = _dependent_table(seed=0)
    rng = np.random.default_rng(2)
    shuffled = real.apply(lambda column: column.sample(frac=1, random_state=rng.integers(1 << 30)).to_numpy())
    shuffled["c"] = pd.Categorical(shuffled["c"], categories=real["c"].cat.categories)
    assert tables.column_fidelity(real, shuffled).min() == pytest.approx(1.0)  # same marginals
    assert tables.pairwise_dependence_similarity(real, shuffled) < 0.3
    assert tables.detection_auc(real, shuffled) > 0.9
    fresh = _dependent_table(seed=5)
    assert tables.detection_auc(real, fresh) < 0.6


def test_ml_utility_of_real_rows_is_ratio_one(credit):
    train, test = credit.iloc[:700], credit.iloc[700:]
    utility = tables.ml_utility(train, train, test, "credit_risk", "bad", families=("logistic", "boosting"))
    assert list(utility.index) == ["logistic", "boosting"]
    np.testing.assert_allclose(utility["ratio"], 1.0)
    assert (utility["trtr_auc"] > 0.65).all()


def test_closer_to_train_share_detects_copies(credit):
    train, holdout = credit.iloc[:800], credit.iloc[800:]
    assert privacy.closer_to_train_share(train.iloc[:200], train, holdout) > 0.55
    copies = train.sample(200, random_state=0)
    assert privacy.closer_to_train_share(copies, train, holdout, seed=1) > 0.55
    assert 0.3 < privacy.closer_to_train_share(credit.iloc[:100], credit.iloc[100:900], credit.iloc[900:]) < 0.7


def test_gower_distance_by_hand():
    a = pd.DataFrame({"n": [0.0, 10.0], "c": ["x", "y"]})
    distances = privacy.gower_distances(a, a, a)
    np.testing.assert_allclose(distances, [[0.0, 1.0], [1.0, 0.0]])
    half = pd.DataFrame({"n": [5.0], "c": ["x"]})
    np.testing.assert_allclose(privacy.gower_distances(half, a, a), [[0.25, 0.75]])


def test_recall_at_precision_by_hand():
    y = np.array([1, 1, 0, 1, 0, 0])
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    assert tables.recall_at_precision(y, scores, precision=1.0) == pytest.approx(2 / 3)
    assert tables.recall_at_precision(y, scores, precision=0.75) == pytest.approx(1.0)
    with pytest.raises(ValueError, match=r"precision must be in \(0, 1\], got 0"):
        tables.recall_at_precision(y, scores, precision=0)


def test_bad_inputs_are_refused(credit):
    with pytest.raises(ValueError, match="same columns in the same order"):
        tables.column_fidelity(credit, credit.drop(columns="purpose"))
    with pytest.raises(ValueError, match="family must be one of"):
        tables.make_classifier(credit, "svm")
    with pytest.raises(ValueError, match="must contain the label column 'risk'"):
        tables.ml_utility(credit, credit, credit, "risk", "bad")
    with pytest.raises(ValueError, match="must contain both classes"):
        tables.ml_utility(credit[credit.credit_risk == "good"], credit, credit, "credit_risk", "bad")
    with pytest.raises(ValueError, match="holdout must not have more rows than real_train"):
        privacy.closer_to_train_share(credit.head(5), credit.head(5), credit.head(10))
    with pytest.raises(ValueError, match="must not contain NaN"):
        tables.column_fidelity(credit, credit.assign(age_in_years=np.nan))
