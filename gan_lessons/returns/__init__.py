"""Market returns (lesson 06): S&P 500 log returns, the Lambert W transform, temporal-convolution
builders and :class:`SequenceGAN`, stylised facts, VaR/ES, GARCH and bootstrap baselines.

Re-exports its modules' public names (``returns.<name>``); ``returns.plotting`` loads on first use.
"""

from __future__ import annotations

from gan_lessons._checks import plotting_on_first_use
from gan_lessons.returns.baselines import (
    bootstrap_paths,
    fit_garch_t,
    garch_diagnostics,
    garch_paths,
    garch_start_variance,
)
from gan_lessons.returns.data import (
    load_sp500_prices,
    log_returns,
    rolling_windows,
    sp500_log_returns,
    standardize,
    unstandardize,
)
from gan_lessons.returns.lambert_w import (
    LambertWGaussianizer,
    fit_lambert_w,
    fit_lambert_w_delta,
    inverse_lambert_w_heavy_tail,
    lambert_w_heavy_tail,
)
from gan_lessons.returns.models import (
    tcn_discriminator,
    tcn_generator,
    tcn_receptive_field,
)
from gan_lessons.returns.risk import (
    expected_shortfall,
    kupiec_pof,
    risk_interval,
    risk_measures,
    var_backtest,
    value_at_risk,
)
from gan_lessons.returns.sequence_gan import (
    SequenceGAN,
)
from gan_lessons.returns.stylized_facts import (
    acf_band,
    as_paths,
    autocorrelation,
    horizon_returns,
    leverage_effect,
    ljung_box,
    path_facts,
    standardized_wasserstein,
    stylized_fact_distances,
    stylized_facts,
    wasserstein_distances,
    window_facts,
)

__all__ = [
    "load_sp500_prices",
    "log_returns",
    "sp500_log_returns",
    "standardize",
    "unstandardize",
    "rolling_windows",
    "lambert_w_heavy_tail",
    "inverse_lambert_w_heavy_tail",
    "fit_lambert_w_delta",
    "fit_lambert_w",
    "LambertWGaussianizer",
    "tcn_receptive_field",
    "tcn_generator",
    "tcn_discriminator",
    "SequenceGAN",
    "as_paths",
    "autocorrelation",
    "leverage_effect",
    "stylized_facts",
    "horizon_returns",
    "standardized_wasserstein",
    "wasserstein_distances",
    "stylized_fact_distances",
    "path_facts",
    "window_facts",
    "acf_band",
    "ljung_box",
    "value_at_risk",
    "expected_shortfall",
    "risk_measures",
    "kupiec_pof",
    "var_backtest",
    "risk_interval",
    "fit_garch_t",
    "garch_diagnostics",
    "garch_start_variance",
    "garch_paths",
    "bootstrap_paths",
]

__getattr__ = plotting_on_first_use(__name__)
