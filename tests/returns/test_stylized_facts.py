"""Stylised facts, W1 distances and VaR/ES against known answers."""

import numpy as np
import pytest
from scipy import stats

from gan_lessons import returns


@pytest.fixture(scope="module")
def gaussian() -> np.ndarray:
    return np.random.default_rng(0).standard_normal(50_000)


def test_iid_gaussian_has_no_excess_kurtosis_and_no_autocorrelation(gaussian):
    facts = returns.stylized_facts(gaussian)
    # Standard errors: sqrt(24/n) = 0.022 for kurtosis, 1/sqrt(n) = 0.0045 for an ACF.
    assert abs(facts["excess_kurtosis"]) < 0.1
    assert abs(facts["skewness"]) < 0.05
    assert facts["max_abs_acf_returns"] < 0.02
    assert np.all(np.abs(facts["acf_abs_returns"]) < 0.02)
    assert np.all(np.abs(facts["leverage"]) < 0.02)
    assert facts["acf_returns"].shape == (20,)


def test_facts_name_every_figure(gaussian):
    facts = returns.stylized_facts(gaussian[:1000], max_lag=5)
    assert {"excess_kurtosis", "skewness", "acf_returns", "acf_abs_returns", "max_abs_acf_returns",
            "mean_acf_abs_returns", "leverage", "leverage_lag1", "mean_leverage", "mean", "std"} <= set(facts)
    assert facts["leverage"].shape == (5,)


def test_autocorrelation_matches_an_ar1_process():
    rng = np.random.default_rng(1)
    phi, x = 0.6, np.zeros(40_000)
    noise = rng.standard_normal(x.size)
    for t in range(1, x.size):
        x[t] = phi * x[t - 1] + noise[t]
    np.testing.assert_allclose(returns.autocorrelation(x, 3), phi ** np.arange(1, 4), atol=0.02)


def test_simulated_garch_shows_volatility_clustering():
    from arch.univariate import GARCH, ConstantMean, Normal

    model = ConstantMean(volatility=GARCH(p=1, q=1), distribution=Normal(seed=np.random.default_rng(2)))
    simulated = model.simulate([0.0, 0.05, 0.10, 0.85], nobs=20_000, burn=500)["data"].to_numpy()
    facts = returns.stylized_facts(simulated)
    assert facts["mean_acf_abs_returns"] > 0.1
    assert np.all(facts["acf_abs_returns"][:5] > 0.1)
    assert facts["max_abs_acf_returns"] < 0.05
    assert facts["excess_kurtosis"] > 0.5


def test_known_negative_leverage_is_found():
    # sigma_{t+1} rises after a fall: sigma_{t+1} = 1 + 0.8 * max(-e_t, 0), so
    # corr(r_t, r_{t+1}^2) < 0 while r_t stays uncorrelated.
    rng = np.random.default_rng(3)
    shocks = rng.standard_normal(50_000)
    sigma = np.ones_like(shocks)
    sigma[1:] += 0.8 * np.maximum(-shocks[:-1], 0)
    daily_returns = sigma * shocks
    facts = returns.stylized_facts(daily_returns)
    assert facts["leverage_lag1"] < -0.1
    assert abs(facts["leverage"][5]) < 0.03
    assert facts["max_abs_acf_returns"] < 0.03


def test_paths_average_per_path_figures(gaussian):
    paths = gaussian[:40_000].reshape(4, 10_000)
    facts = returns.stylized_facts(paths)
    kurtosis = np.mean([stats.kurtosis(path) for path in paths])
    assert facts["excess_kurtosis"] == pytest.approx(kurtosis)


def test_horizon_returns_are_rolling_sums():
    daily = np.arange(1.0, 7.0)
    np.testing.assert_allclose(returns.horizon_returns(daily, 3), [[6.0, 9.0, 12.0, 15.0]])


def test_wasserstein_of_a_shift_is_the_shift_in_std_units(gaussian):
    real = gaussian[:20_000]
    assert returns.standardized_wasserstein(real, real) == pytest.approx(0.0)
    shifted = real + 0.3 * real.std()
    assert returns.standardized_wasserstein(real, shifted) == pytest.approx(0.3, rel=1e-6)
    assert set(returns.wasserstein_distances(real, shifted)) == {"w1_1d", "w1_5d", "w1_20d"}


def test_distances_are_zero_for_identical_samples(gaussian):
    distances = returns.stylized_fact_distances(gaussian[:5000], gaussian[:5000])
    assert all(value == pytest.approx(0.0, abs=1e-12) for value in distances.values())


def test_var_and_es_match_the_normal_quantiles(gaussian):
    sample = np.random.default_rng(4).normal(0.0, 2.0, 400_000)
    for level in (0.95, 0.99):
        z = stats.norm.ppf(level)
        assert returns.value_at_risk(sample, level) == pytest.approx(2.0 * z, rel=0.02)
        # ES of N(0, s^2) at level a: s * phi(z_a) / (1 - a).
        assert returns.expected_shortfall(sample, level) == pytest.approx(2.0 * stats.norm.pdf(z) / (1 - level), rel=0.02)


def test_risk_measures_of_a_student_t_at_ten_days():
    sample = stats.t.rvs(df=5, size=(10, 50_000), random_state=5)
    figures = returns.risk_measures(sample, levels=(0.99,), horizon=1)
    assert figures["var_99"] == pytest.approx(stats.t.ppf(0.99, df=5), rel=0.03)
    ten_day = returns.risk_measures(sample, horizon=10)
    assert set(ten_day) == {"var_95", "es_95", "var_99", "es_99"}
    assert ten_day["es_99"] > ten_day["var_99"] > ten_day["var_95"]


@pytest.mark.parametrize("level", [0.0, 1.0, 1.5, -0.1])
def test_risk_level_outside_unit_interval_is_rejected(level):
    with pytest.raises(ValueError, match=r"level must be in \(0, 1\)"):
        returns.value_at_risk([0.1, -0.2, 0.3], level)


def test_bad_returns_are_rejected():
    with pytest.raises(ValueError, match="must be finite"):
        returns.stylized_facts([0.1, np.nan] * 20)
    with pytest.raises(ValueError, match="too few observations: need at least 22 days, got 10"):
        returns.stylized_facts(np.ones(10))
    with pytest.raises(ValueError, match=r"1-D \(days,\) or 2-D \(paths, days\)"):
        returns.stylized_facts(np.ones((2, 3, 30)))
    with pytest.raises(ValueError, match="must not be constant"):
        returns.stylized_facts(np.ones(100))
    with pytest.raises(ValueError, match="too few observations: need at least 20 days, got 5"):
        returns.horizon_returns(np.ones(5), 20)


def test_ljung_box_matches_the_formula_and_flags_an_ar1(gaussian):
    paths = gaussian[:4000].reshape(4, 1000)
    result = returns.ljung_box(paths, max_lag=10)
    rho = returns.autocorrelation(paths[0], 10)
    q = 1000 * 1002 * np.sum(rho**2 / (1000 - np.arange(1, 11)))
    assert result["q"][0] == pytest.approx(q, rel=1e-12)
    assert result["p_value"][0] == pytest.approx(stats.chi2.sf(q, 10), rel=1e-12)
    assert result["q"].shape == (4,)
    ar = np.zeros(2000)
    for t in range(1, 2000):
        ar[t] = -0.2 * ar[t - 1] + gaussian[t]
    flagged = returns.ljung_box(ar, 10)
    assert flagged["p_value"][0] < 1e-6 and flagged["fraction_outside"][0] >= 0.1


def test_ljung_box_agrees_with_statsmodels(gaussian):
    diagnostic = pytest.importorskip("statsmodels.stats.diagnostic")
    ours = returns.ljung_box(gaussian[:3000], 20)
    theirs = diagnostic.acorr_ljungbox(gaussian[:3000], lags=[20])
    assert ours["q"][0] == pytest.approx(float(theirs["lb_stat"].iloc[0]), rel=1e-8)


def test_acf_band_is_two_over_root_n():
    assert returns.acf_band(10_000) == pytest.approx(0.02)
    with pytest.raises(ValueError, match="days"):
        returns.acf_band(0)


def test_path_facts_one_row_per_path_and_window_facts_cover_the_series(gaussian):
    paths = gaussian[:3000].reshape(3, 1000)
    table = returns.path_facts(paths)
    assert table.shape == (3, 7)
    assert table["excess_kurtosis"].iloc[1] == pytest.approx(stats.kurtosis(paths[1]))
    windows = returns.window_facts(gaussian[:4000], 1000)
    assert len(windows) == (4000 - 1000) // 250 + 1
    with pytest.raises(ValueError, match="fewer than length=5000"):
        returns.window_facts(gaussian[:4000], 5000)
