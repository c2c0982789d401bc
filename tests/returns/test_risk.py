"""Keys of risk_measures: the level in percent, with the decimals it has."""

import numpy as np
import pytest

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
