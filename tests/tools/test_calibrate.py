"""Tests of the speed calibration (tools/calibrate.py) at a tiny size."""

from __future__ import annotations

import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parents[2] / "tools"
sys.path.insert(0, str(TOOLS))

import calibrate  # noqa: E402


def test_the_calibration_takes_medians_over_alternating_rounds_and_projects_from_the_median():
    result = calibrate.calibrate(steps=2, warmup=1, rounds=3)
    assert result["rounds"] == 3 and result["steps"] == 2
    low, high = result["steps_per_s_range"]
    assert 0 < low <= result["steps_per_s"] <= high
    if result["steps_per_s_xla"] is not None:
        low, high = result["steps_per_s_xla_range"]
        assert 0 < low <= result["steps_per_s_xla"] <= high
    assert abs(result["projection_factor"] - result["steps_per_s"] / calibrate.REFERENCE_STEPS_PER_S) < 1e-2
    text = calibrate.describe(result)
    assert "medians of 3 alternating rounds of 2 steps" in text and f"x {result['projection_factor']:.2f}" in text


def test_describe_reads_a_calibration_written_before_it_had_rounds():
    old = {"workload": "DCGAN", "steps": 300, "steps_per_s": 42.0, "steps_per_s_xla": 41.1, "xla_error": None,
           "reference_steps_per_s": 8.0, "reference_machine": "a 2-vCPU machine", "projection_factor": 5.25}
    text = calibrate.describe(old)
    assert "runs at 42.0 steps/s here (with XLA 41.1)" in text and "range" not in text and "x 5.25" in text
