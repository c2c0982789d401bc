"""Keys of risk_measures: the level in percent, with the decimals it has."""

import numpy as np
import pytest
from scipy import stats

from gan_lessons import returns

RETURNS = np.random.default_rng(0).standard_t(df=4, size=5_000) * 0.01


@pytest.mark.parametrize("levels, keys", [
    ((0.975,), ["var_97.5", "es_97.5"]),
    ((0.99, 0.995), ["var_99", "es_99", "var_99.5", "es_99.5"]),
    ((0.991, 0.994), ["var_99.1", "es_99.1", "var_99.4", "es_99.4"]),
    ((0.95, 0.99), ["var_95", "es_95", "var_99", "es_99"]),
])
def test_each_level_gets_a_key_of_its_own(levels, keys):
    figures = returns.risk_measures(RETURNS, levels=levels)
    assert list(figures) == keys
    for level in levels:
        tag = keys[levels.index(level) * 2][len("var_"):]
        # One-day horizon returns are the returns themselves, up to float round-off.
        assert figures[f"var_{tag}"] == pytest.approx(returns.value_at_risk(RETURNS, level), rel=1e-12)
        assert figures[f"es_{tag}"] == pytest.approx(returns.expected_shortfall(RETURNS, level), rel=1e-12)


@pytest.mark.parametrize("levels, error, match", [
    ((0.99, 0.99), ValueError, r"levels must be distinct, got \(0.99, 0.99\) \(99% twice\)"),
    ((1.0,), ValueError, r"level must be in \(0, 1\), e.g. 0.99, got 1.0"),
    (("0.99",), TypeError, "level must be a number, got str: '0.99'"),
])
def test_bad_levels_are_refused(levels, error, match):
    with pytest.raises(error, match=match):
        returns.risk_measures(RETURNS, levels=levels)


def test_kupiec_against_the_closed_form():
    # Worked example: 10 exceedances of a 99 % VaR in 500 days (2 % against 1 %).
    # LR = 2 [490 log(0.98 / 0.99) + 10 log 2] = 3.9136..., p = 0.048: rejected at 5 %.
    result = returns.kupiec_pof(10, 500, 0.99)
    by_hand = -2 * (490 * np.log(0.99) + 10 * np.log(0.01)) + 2 * (490 * np.log(0.98) + 10 * np.log(0.02))
    assert result["lr"] == pytest.approx(by_hand, rel=1e-10)
    assert result["lr"] == pytest.approx(3.9136, abs=1e-4)
    assert result["p_value"] == pytest.approx(stats.chi2.sf(by_hand, 1), rel=1e-10)
    assert result["rate"] == 0.02 and result["expected_rate"] == pytest.approx(0.01)
    exact = returns.kupiec_pof(5, 500, 0.99)
    assert exact["lr"] == pytest.approx(0.0, abs=1e-12) and exact["p_value"] == pytest.approx(1.0)
    # No exceedance at all: 0 log 0 = 0, LR = -2 T log(1 - p).
    assert returns.kupiec_pof(0, 500, 0.99)["lr"] == pytest.approx(-2 * 500 * np.log(0.99))


@pytest.mark.parametrize("args, error, match", [
    ((11, 10), ValueError, r"exceedances must be in \[0, observations=10\], got 11"),
    ((1, 0), ValueError, "observations must be >= 1, got 0"),
    ((1.5, 10), TypeError, "exceedances must be an integer count, got float"),
])
def test_kupiec_refuses_bad_counts(args, error, match):
    with pytest.raises(error, match=match):
        returns.kupiec_pof(*args)


def test_var_backtest_counts_losses_beyond_the_var():
    realised = np.array([-0.05, -0.02, 0.01, -0.031, 0.0])
    result = returns.var_backtest(realised, 0.03, level=0.99)
    assert result["exceedances"] == 2 and result["days"] == 5
    simple = returns.var_backtest(realised, 0.03, level=0.99, simple=True)
    assert simple["exceedances"] == 2  # 1 - exp(-0.031) = 0.0305 > 0.03


def test_simple_returns_are_fractions_of_the_portfolio():
    log_var = returns.risk_measures(RETURNS, levels=(0.99,))["var_99"]
    simple_var = returns.risk_measures(RETURNS, levels=(0.99,), simple=True)["var_99"]
    assert simple_var == pytest.approx(-np.expm1(-log_var), rel=1e-12)
    with pytest.raises(TypeError, match="simple must be True or False, got 'yes'"):
        returns.risk_measures(RETURNS, simple="yes")


def test_risk_interval_covers_the_figure_and_shrinks_with_more_paths():
    rng = np.random.default_rng(1)
    few = rng.standard_t(5, size=(10, 500)) * 0.01
    many = rng.standard_t(5, size=(80, 500)) * 0.01
    low, high = returns.risk_interval(few, "var", 0.99, num_resamples=100, seed=0)
    assert low < returns.value_at_risk(few, 0.99) < high
    low_many, high_many = returns.risk_interval(many, "var", 0.99, num_resamples=100, seed=0)
    assert high_many - low_many < high - low
    one_low, one_high = returns.risk_interval(few[0], "es", 0.95, num_resamples=100, seed=0)
    assert one_low < returns.expected_shortfall(few[0], 0.95) < one_high
    with pytest.raises(ValueError, match="measure must be 'var' or 'es', got 'cvar'"):
        returns.risk_interval(few, "cvar")
