"""The privacy accountant: epsilon of DP-SGD, and the noise for a target epsilon.

:func:`epsilon` composes ``steps`` Poisson-subsampled Gaussian mechanisms with
Google's ``dp-accounting`` (Renyi DP, Mironov 2017), and
:func:`noise_multiplier_for_epsilon` inverts it.
"""

from __future__ import annotations

import logging
from typing import Any

from gan_lessons._checks import non_negative_float, positive_float, positive_int


def _check_accounting(sample_rate: float, steps: int, delta: float) -> tuple[float, int, float]:
    if not 0 < sample_rate <= 1:
        raise ValueError(f"sample_rate must be in (0, 1] (batch size / rows), got {sample_rate}")
    steps = positive_int(steps, "steps")
    if not 0 < delta < 1:
        raise ValueError(f"delta must be in (0, 1), well below 1/rows, got {delta}")
    return float(sample_rate), steps, float(delta)


class _QuietAbsl:
    """Silences absl's warnings while the accountant runs: at small noise multipliers
    (tried by the calibration's search) some fractional Renyi orders do not converge,
    and the accountant says so once per order before excluding them, which is correct
    and not worth a screen of warnings. The logger's level is restored afterwards."""

    def __enter__(self) -> None:
        self.logger = logging.getLogger("absl")
        self.level = self.logger.level
        self.logger.setLevel(logging.ERROR)

    def __exit__(self, *exc: Any) -> None:
        self.logger.setLevel(self.level)


def _dp_sgd_event(noise_multiplier: float, sample_rate: float, steps: int) -> Any:
    import dp_accounting

    return dp_accounting.SelfComposedDpEvent(
        dp_accounting.PoissonSampledDpEvent(sample_rate, dp_accounting.GaussianDpEvent(noise_multiplier)),
        steps,
    )


def epsilon(noise_multiplier: float, sample_rate: float, steps: int, delta: float) -> float:
    """epsilon of ``steps`` DP-SGD steps at ``delta``, by Renyi DP (``dp_accounting.rdp``).

    Each step is a Gaussian mechanism of noise multiplier sigma applied to a Poisson
    sample of the rows with probability ``sample_rate`` (batch size / rows). Training
    with shuffled fixed-size batches makes the figure an approximation, as in most
    DP-SGD code. ``noise_multiplier`` 0 gives infinity.
    """
    from dp_accounting.rdp import RdpAccountant

    noise_multiplier = non_negative_float(noise_multiplier, "noise_multiplier")
    sample_rate, steps, delta = _check_accounting(sample_rate, steps, delta)
    if noise_multiplier == 0:
        return float("inf")
    accountant = RdpAccountant()
    with _QuietAbsl():  # composing computes the RDP of every order, where the warnings arise
        accountant.compose(_dp_sgd_event(noise_multiplier, sample_rate, steps))
        return float(accountant.get_epsilon(delta))


def noise_multiplier_for_epsilon(target_epsilon: float, sample_rate: float, steps: int, delta: float) -> float:
    """The smallest noise multiplier whose :func:`epsilon` is at most ``target_epsilon``
    (``dp_accounting.calibrate_dp_mechanism``, a bracketed search)."""
    import dp_accounting
    from dp_accounting.rdp import RdpAccountant

    target_epsilon = positive_float(target_epsilon, "target_epsilon")
    sample_rate, steps, delta = _check_accounting(sample_rate, steps, delta)
    with _QuietAbsl():
        sigma = dp_accounting.calibrate_dp_mechanism(
            RdpAccountant,
            lambda sigma: _dp_sgd_event(sigma, sample_rate, steps),
            target_epsilon,
            delta,
            bracket_interval=dp_accounting.LowerEndpointAndGuess(0.0, 1.0),
            tol=1e-4,
        )
    return float(sigma)
