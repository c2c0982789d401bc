"""Tests of the speed-lever benchmark (tools/bench_levers.py) at a tiny size."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parents[2] / "tools"
sys.path.insert(0, str(TOOLS))

levers = pytest.importorskip("bench_levers")  # imports TensorFlow when the set-ups are built


def test_every_lever_is_a_pair_of_runners_and_one_row_measures():
    table = levers.setups()
    assert {"xla_mlp", "xla_dcgan", "dcgan_8_vs_16", "dcgan_resize_vs_transposed"} <= set(table)
    for what, factory_a, factory_b, *calls in table.values():
        assert what and callable(factory_a) and callable(factory_b)
        assert calls == [] or (len(calls) in (1, 2) and calls[0] >= 1 and (len(calls) == 1 or calls[1] >= 0))
    _, factory_a, factory_b = table["dcgan_resize_vs_transposed"]
    row = levers.measure(factory_a, factory_b, steps=1, rounds=2, warmup=1)
    assert row["a_steps_per_s"] > 0 and row["b_steps_per_s"] > 0
    assert len(row["ratio_range"]) == 2 and row["ratio_range"][0] <= row["ratio_b_over_a"] <= row["ratio_range"][1]


def test_a_variant_that_fails_is_reported_not_raised():
    def broken():
        raise RuntimeError("XLA cannot compile this")

    row = levers.measure(lambda: (lambda steps: None), broken, steps=1, rounds=1, warmup=1)
    assert row["b_error"].startswith("RuntimeError: XLA cannot compile this") and "ratio_b_over_a" not in row


def test_an_evaluation_row_reports_what_the_cheaper_variant_costs():
    """eval_samples: half the images scores faster, and its real-vs-real Fréchet
    distance is noisier (larger spread over draws) and biased upwards, as a smaller
    sample must be; the row carries both outcomes next to the speed."""
    _, factory_a, factory_b, calls = levers.setups()["eval_samples"]
    row = levers.measure(factory_a, factory_b, steps=calls, rounds=1, warmup=0)
    full, half = row["a_outcome"], row["b_outcome"]
    assert half["floor_frechet_distance_std"] > full["floor_frechet_distance_std"] > 0
    assert half["floor_frechet_distance_mean"] > full["floor_frechet_distance_mean"] > 0
    assert row["b_steps_per_s"] > 0 and row["a_steps_per_s"] > 0
    text = levers.render_markdown({"command": "test", "date": "today", "calibration_text": "", "steps": 1,
                                   "rounds": 1, "rows": {"eval_samples": {"what": "w", **row}}})
    assert "floor_frechet_distance_std" in text
