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
    for what, factory_a, factory_b in table.values():
        assert what and callable(factory_a) and callable(factory_b)
    _, factory_a, factory_b = table["dcgan_resize_vs_transposed"]
    row = levers.measure(factory_a, factory_b, steps=1, rounds=2, warmup=1)
    assert row["a_steps_per_s"] > 0 and row["b_steps_per_s"] > 0
    assert len(row["ratio_range"]) == 2 and row["ratio_range"][0] <= row["ratio_b_over_a"] <= row["ratio_range"][1]


def test_a_variant_that_fails_is_reported_not_raised():
    def broken():
        raise RuntimeError("XLA cannot compile this")

    row = levers.measure(lambda: (lambda steps: None), broken, steps=1, rounds=1, warmup=1)
    assert row["b_error"].startswith("RuntimeError: XLA cannot compile this") and "ratio_b_over_a" not in row
