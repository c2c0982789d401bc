"""GARCH(1,1)-t and bootstrap paths."""

import numpy as np
import pandas as pd
import pytest

from gan_lessons import returns


@pytest.fixture(scope="module")
def daily_returns() -> np.ndarray:
    return returns.sp500_log_returns()


def test_garch_paths_shape_units_and_seed(daily_returns):
    paths = returns.garch_paths(daily_returns, num_paths=3, length=2000, seed=0)
    assert paths.shape == (3, 2000)
    assert 0.5 * daily_returns.std() < paths.std() < 3 * daily_returns.std()
    np.testing.assert_array_equal(paths, returns.garch_paths(daily_returns, 3, 2000, seed=0))
    assert returns.stylized_facts(paths)["mean_acf_abs_returns"] > 0.1


def test_paths_start_from_the_fitted_conditional_variance_not_the_unconditional_one(daily_returns):
    # The claim of the docstring: day 1 of every path has the variance arch forecasts for
    # the day after the last observation. Over 4,000 one-day paths the sample variance of
    # that day estimates it to within a few per cent (t innovations, nu about 8).
    fitted = returns.fit_garch_t(daily_returns)
    start = returns.garch_start_variance(fitted)
    params = fitted.params
    mu, r_last = params["mu"], 100 * daily_returns[-1]
    by_hand = params["omega"] + params["alpha[1]"] * (r_last - mu) ** 2 + params["beta[1]"] * fitted.conditional_volatility[-1] ** 2
    assert start == pytest.approx(by_hand, rel=1e-6)
    first_days = returns.garch_paths(daily_returns, num_paths=4000, length=1, seed=3)[:, 0] * 100
    assert first_days.var() == pytest.approx(start, rel=0.12)
    unconditional = params["omega"] / (1 - params["alpha[1]"] - params["beta[1]"])
    assert abs(start - unconditional) > 0.3 * unconditional  # so the test can tell them apart
    assert returns.garch_start_variance(fitted, 0) == pytest.approx(fitted.conditional_volatility[0] ** 2)


def test_garch_start_must_be_a_day_of_the_sample(daily_returns):
    fitted = returns.fit_garch_t(daily_returns[:500])
    with pytest.raises(ValueError, match=r"start must be None or a day index in \[0, 500\), got 500"):
        returns.garch_start_variance(fitted, 500)


def test_garch_diagnostics_against_hand_figures():
    params = pd.Series({"mu": 0.05, "omega": 0.02, "alpha[1]": 0.1, "beta[1]": 0.85, "nu": 8.0})
    figures = returns.garch_diagnostics(params)
    kappa = 3 * 6 / 4
    assert figures["innovation_kurtosis"] == pytest.approx(kappa)
    assert figures["persistence"] == pytest.approx(0.95)
    assert figures["stationary"]
    assert figures["half_life"] == pytest.approx(np.log(0.5) / np.log(0.95))
    assert figures["fourth_moment"] == pytest.approx(0.85**2 + 2 * 0.1 * 0.85 + kappa * 0.01)
    assert figures["finite_kurtosis"]
    near_integrated = returns.garch_diagnostics(params.replace(0.85, 0.8996))
    assert near_integrated["stationary"] and not near_integrated["finite_kurtosis"]
    heavy = returns.garch_diagnostics(params.replace(8.0, 4.0))
    assert heavy["innovation_kurtosis"] == np.inf and not heavy["finite_kurtosis"]
    gjr = returns.garch_diagnostics(pd.Series({"alpha[1]": 0.02, "gamma[1]": 0.1, "beta[1]": 0.9, "nu": 8.0}))
    assert gjr["persistence"] == pytest.approx(0.97)
    assert gjr["fourth_moment"] == pytest.approx(0.81 + 2 * 0.9 * 0.07 + kappa * (0.0004 + 0.002 + 0.005))


def test_garch_diagnostics_needs_fitted_params():
    with pytest.raises(ValueError, match="alpha\\[1\\], beta\\[1\\] and nu"):
        returns.garch_diagnostics({"omega": 0.1})


def test_gjr_garch_has_a_leverage_term(daily_returns):
    fitted = returns.fit_garch_t(daily_returns, asymmetric=True)
    assert fitted.params["gamma[1]"] > 0


def test_bootstrap_draws_real_days(daily_returns):
    paths = returns.bootstrap_paths(daily_returns, 4, 100, seed=1)
    assert paths.shape == (4, 100)
    assert np.isin(paths, daily_returns).all()


def test_garch_needs_enough_returns():
    with pytest.raises(ValueError, match="need at least 100 returns, got 50"):
        returns.garch_paths(np.random.default_rng(0).standard_normal(50), 1, 10, seed=0)
