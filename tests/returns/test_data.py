"""S&P 500 loading, returns checks, windows and the Lambert W transform."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from gan_lessons import returns


def test_sp500_returns_cover_1999_to_2018():
    prices = returns.load_sp500_prices()
    daily_returns = returns.sp500_log_returns()
    assert str(prices.index[0].date()) == "1999-01-04" and str(prices.index[-1].date()) == "2018-12-31"
    assert daily_returns.shape == (len(prices) - 1,) == (5030,)
    np.testing.assert_allclose(daily_returns[0], np.log(prices.iloc[1] / prices.iloc[0]))
    assert 7 < stats.kurtosis(daily_returns) < 10


def _prices(values):
    return pd.Series(values, index=pd.bdate_range("2020-01-06", periods=len(values)))


def test_log_returns_of_a_clean_series():
    np.testing.assert_allclose(returns.log_returns(_prices([1.0, np.e, 1.0])), [1.0, -1.0])
    np.testing.assert_allclose(returns.log_returns([100.0, 110.0]), [np.log(1.1)])


def test_prices_with_nan_are_rejected_with_the_date():
    with pytest.raises(ValueError, match=r"NaN or infinite values, first at position 2 \(2020-01-08\)"):
        returns.log_returns(_prices([1.0, 2.0, np.nan, 3.0]))


def test_non_positive_prices_are_rejected_with_the_position():
    with pytest.raises(ValueError, match=r"must be > 0 to take logs, got 0.0 at position 1"):
        returns.log_returns([5.0, 0.0, 4.0])
    with pytest.raises(ValueError, match=r"got -1.0 at position 2 \(2020-01-08\)"):
        returns.log_returns(_prices([5.0, 4.0, -1.0]))


def test_gaps_in_the_dates_are_rejected_with_the_date():
    dates = pd.to_datetime(["2020-01-06", "2020-01-07", "2020-03-02", "2020-03-03"])
    with pytest.raises(ValueError, match=r"gap of 55 days .* before position 2 \(2020-03-02\)"):
        returns.log_returns(pd.Series([1.0, 1.1, 1.2, 1.3], index=dates))
    backwards = pd.to_datetime(["2020-01-07", "2020-01-06"])
    with pytest.raises(ValueError, match="dates must increase"):
        returns.log_returns(pd.Series([1.0, 1.1], index=backwards))


def test_too_few_or_misshapen_prices_are_rejected():
    with pytest.raises(ValueError, match="at least 2 values"):
        returns.log_returns([1.0])
    with pytest.raises(ValueError, match="must be 1-D"):
        returns.log_returns(np.ones((3, 2)))


def test_standardize_round_trip():
    values = np.random.default_rng(0).normal(3.0, 2.0, 1000)
    standardized, mean, std = returns.standardize(values)
    assert standardized.mean() == pytest.approx(0.0, abs=1e-6) and standardized.std() == pytest.approx(1.0)
    np.testing.assert_allclose(returns.unstandardize(standardized, mean, std), values, rtol=1e-6)
    with pytest.raises(ValueError, match="must not be constant"):
        returns.standardize(np.ones(5))
    with pytest.raises(ValueError, match="std must be a finite number > 0, got 0"):
        returns.unstandardize(standardized, 0.0, 0.0)


def test_rolling_windows_shape_and_content():
    windows = returns.rolling_windows(np.arange(10.0), window=4, stride=2)
    assert windows.shape == (4, 4, 1)
    np.testing.assert_array_equal(windows[1, :, 0], [2, 3, 4, 5])
    assert returns.rolling_windows(np.arange(100.0), 30).shape == (71, 30, 1)


def test_too_few_observations_for_the_window():
    with pytest.raises(ValueError, match="too few observations for the window: need at least window=64 values, got 10"):
        returns.rolling_windows(np.ones(10), 64)
    with pytest.raises(ValueError, match="must be finite"):
        returns.rolling_windows(np.array([1.0, np.nan, 2.0]), 2)


def test_lambert_w_round_trip():
    u = np.linspace(-6, 6, 1001)
    for delta in (0.0, 0.1, 0.5):
        y = returns.lambert_w_heavy_tail(u, delta)
        np.testing.assert_allclose(returns.inverse_lambert_w_heavy_tail(y, delta), u, atol=1e-9)
    with pytest.raises(ValueError, match="delta must be a finite number >= 0, got -0.1"):
        returns.lambert_w_heavy_tail(u, -0.1)


def test_igmm_recovers_location_scale_and_tail():
    u = np.random.default_rng(1).standard_normal(200_000)
    location, scale, delta = returns.fit_lambert_w(1.0 + 2.0 * returns.lambert_w_heavy_tail(u, 0.2))
    assert location == pytest.approx(1.0, abs=0.02)
    assert scale == pytest.approx(2.0, rel=0.02)
    assert delta == pytest.approx(0.2, abs=0.01)
    assert returns.fit_lambert_w_delta(np.random.default_rng(2).uniform(-1, 1, 1000)) == 0.0
    with pytest.raises(ValueError, match="too few observations to fit the tails: need at least 10, got 3"):
        returns.fit_lambert_w([0.1, 0.2, 0.3])


def test_gaussianizer_removes_the_tails_and_inverts_exactly():
    daily_returns = returns.sp500_log_returns()
    transform = returns.LambertWGaussianizer.fit(daily_returns)
    gaussian = transform.transform(daily_returns)
    assert transform.delta > 0
    assert abs(stats.kurtosis(gaussian)) < 1e-3
    assert gaussian.mean() == pytest.approx(0.0, abs=1e-9) and gaussian.std() == pytest.approx(1.0)
    np.testing.assert_allclose(transform.inverse_transform(gaussian), daily_returns, atol=1e-9)
    assert transform.inverse_transform(gaussian.reshape(10, 503)).shape == (10, 503)
