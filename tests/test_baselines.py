"""GARCH(1,1)-t and bootstrap paths."""

import numpy as np
import pytest

from gan_lessons import baselines, data, metrics


@pytest.fixture(scope="module")
def returns() -> np.ndarray:
    return data.sp500_log_returns()


def test_garch_paths_shape_units_and_seed(returns):
    paths = baselines.garch_paths(returns, num_paths=3, length=2000, seed=0)
    assert paths.shape == (3, 2000)
    assert 0.5 * returns.std() < paths.std() < 3 * returns.std()
    np.testing.assert_array_equal(paths, baselines.garch_paths(returns, 3, 2000, seed=0))
    assert metrics.stylized_facts(paths)["mean_acf_abs_returns"] > 0.1


def test_gjr_garch_has_a_leverage_term(returns):
    fitted = baselines.fit_garch_t(returns, asymmetric=True)
    assert fitted.params["gamma[1]"] > 0


def test_bootstrap_draws_real_days(returns):
    paths = baselines.bootstrap_paths(returns, 4, 100, seed=1)
    assert paths.shape == (4, 100)
    assert np.isin(paths, returns).all()


def test_garch_needs_enough_returns():
    with pytest.raises(ValueError, match="need at least 100 returns, got 50"):
        baselines.garch_paths(np.random.default_rng(0).standard_normal(50), 1, 10, seed=0)
