"""Speed calibration: how fast this machine trains the course's reference DCGAN step.

Every course report and benchmark starts with it, so a run time measured here can be
projected onto the machine a learner is likely to get. The reference workload is the
benchmark's DCGAN (16 x 16 x 1 images, latent 64, batch 64, ``GAN.fit``, Adam), timed
without and with XLA (``compile(jit_compile=True)``) after a warm-up, in alternating
rounds: the figure is the median over rounds, and the report gives the range. Its input
pipeline keeps tf.data's autotuner on, as it was when the reference machine was timed
(``GAN.fit`` now turns it off for pipelines that do not choose). One
short timing is not enough: on a shared 2-vCPU machine single runs of 300 steps gave
29, 51 and 49 steps/s within a few minutes of each other.

The reference machine is a 2-vCPU AMD EPYC of the class that Colab's free tier and
Binder hand out, where this step ran at 7.3-8.7 steps per second without XLA (three
runs, measured while planning this calibration); ``REFERENCE_STEPS_PER_S`` = 8 is that
figure. A time measured here projects onto it as
``wall x (steps/s here) / REFERENCE_STEPS_PER_S``.

    python tools/calibrate.py            # prints a line, then the JSON on the last line
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

REFERENCE_STEPS_PER_S = 8.0
REFERENCE_MACHINE = "2-vCPU AMD EPYC (the class of CPU Colab's free tier and Binder hand out)"

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def alternating_rates(runners: dict[str, Callable[[int], Any]], steps: int,
                      rounds: int) -> tuple[dict[str, list[float]], dict[str, Any]]:
    """Run every runner ``steps`` steps per round, in the order of ``runners`` in even
    rounds and the reverse in odd ones, so neither always goes first. Returns each
    runner's steps per second per round, and the last dict each runner returned (what
    its setting costs, for the runners that report it)."""
    rates: dict[str, list[float]] = {name: [] for name in runners}
    outcomes: dict[str, Any] = {}
    names = list(runners)
    for round_index in range(rounds):
        for name in (names if round_index % 2 == 0 else names[::-1]):
            start = time.perf_counter()
            outcome = runners[name](steps)
            rates[name].append(steps / (time.perf_counter() - start))
            if isinstance(outcome, dict):
                outcomes[name] = outcome
    return rates, outcomes


def error_text(error: Exception) -> str:
    """An exception on one line of at most 200 characters, for a report's table."""
    return " ".join(f"{type(error).__name__}: {error}".split())[:200]


def _runner(jit_compile: bool, warmup: int, seed: int = 0) -> Callable[[int], None]:
    """A warmed-up reference DCGAN; the returned function trains it ``steps`` steps
    through ``GAN.fit``."""
    import keras
    import numpy as np
    import tensorflow as tf

    from gan_lessons import images, training

    keras.utils.set_random_seed(seed)
    gan = training.GAN(images.dcgan_generator((16, 16, 1), 64), images.dcgan_discriminator((16, 16, 1)), seed=seed)
    gan.compile(jit_compile=jit_compile)
    real = np.random.default_rng(seed).uniform(-1, 1, size=(64, 16, 16, 1)).astype("float32")
    # tf.data's autotuner on, as when the reference machine was timed (GAN.fit turns it
    # off for pipelines that do not choose; this one chooses, so both machines run one workload).
    options = tf.data.Options()
    options.autotune.enabled = True
    dataset = tf.data.Dataset.from_tensors(real).repeat().with_options(options)
    gan.fit(dataset, epochs=1, steps_per_epoch=warmup, verbose=0)  # tracing, XLA compilation

    def run(steps: int) -> None:
        gan.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0)

    return run


def calibrate(steps: int = 150, warmup: int = 20, rounds: int = 5) -> dict[str, Any]:
    """The calibration as a JSON-ready dict: both variants' median steps per second
    over ``rounds`` alternating rounds of ``steps`` steps, their ranges, the reference
    and the projection factor (from the median without XLA)."""
    runners = {"plain": _runner(False, warmup)}
    xla_error = None
    try:
        runners["xla"] = _runner(True, warmup)
    except Exception as error:  # XLA may not compile on every machine; the report says so
        xla_error = error_text(error)
    rates, _ = alternating_rates(runners, steps, rounds)
    plain = statistics.median(rates["plain"])
    xla = statistics.median(rates["xla"]) if "xla" in rates else None
    return {
        "workload": "DCGAN 16x16x1, latent 64, batch 64, GAN.fit",
        "steps": steps,
        "rounds": rounds,
        "steps_per_s": round(plain, 2),
        "steps_per_s_range": [round(min(rates["plain"]), 2), round(max(rates["plain"]), 2)],
        "steps_per_s_xla": None if xla is None else round(xla, 2),
        "steps_per_s_xla_range": [round(min(rates["xla"]), 2), round(max(rates["xla"]), 2)] if "xla" in rates else None,
        "xla_error": xla_error,
        "reference_steps_per_s": REFERENCE_STEPS_PER_S,
        "reference_machine": REFERENCE_MACHINE,
        # Wall time on the reference machine = wall time here x this factor.
        "projection_factor": round(plain / REFERENCE_STEPS_PER_S, 3),
    }


def describe(calibration: dict[str, Any]) -> str:
    """One sentence for a report's header."""
    def figure(key: str) -> str:
        # Reports written before the calibration had rounds hold one figure, no range.
        low_high = calibration.get(f"{key}_range")
        return f"{calibration[key]:.1f}" + (f" (range {low_high[0]:.1f}-{low_high[1]:.1f})" if low_high else "")

    how = (f", medians of {calibration['rounds']} alternating rounds of {calibration['steps']} steps"
           if calibration.get("rounds") else "")
    xla = (f"with XLA {figure('steps_per_s_xla')}" if calibration["steps_per_s_xla"]
           else f"XLA failed ({calibration['xla_error']})")
    return (f"Calibration: the reference step ({calibration['workload']}) runs at "
            f"{figure('steps_per_s')} steps/s here ({xla}{how}); the reference machine, a "
            f"{calibration['reference_machine']}, runs it at {calibration['reference_steps_per_s']:.0f} steps/s, "
            f"so a time measured here projects onto it as time x {calibration['projection_factor']:.2f}.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=150, help="steps per round and variant")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    if args.steps < 1 or args.warmup < 1 or args.rounds < 1:
        parser.error("--steps, --warmup and --rounds must be >= 1")
    calibration = calibrate(args.steps, args.warmup, args.rounds)
    print(describe(calibration))
    print(json.dumps(calibration))
    return 0


if __name__ == "__main__":
    sys.exit(main())
