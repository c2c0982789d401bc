"""GARCH(1,1)-t and bootstrap paths."""

import numpy as np
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
