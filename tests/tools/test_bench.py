"""Tests of the training-speed benchmark (tools/bench.py) at a tiny size."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

TOOLS = Path(__file__).resolve().parents[2] / "tools"
sys.path.insert(0, str(TOOLS))

bench = pytest.importorskip("bench")  # imports TensorFlow


def test_summary_ratios_are_paired_by_round() -> None:
    # Round 1: eager 10 s, gan 2 s -> 5x; round 2 (machine busier): 20 s and 5 s -> 4x.
    eager = bench.Variant("eager_loop", "baseline", run=lambda steps: None, wall_s=[10.0, 20.0], cpu_s=[8.0, 8.0])
    gan = bench.Variant("gan_fit", "class", run=lambda steps: None, wall_s=[2.0, 5.0], cpu_s=[2.0, 4.0])
    broken = bench.Variant("gan_fit_xla", "xla", run=lambda steps: None, error="XlaRuntimeError: no")
    table = bench.summarise([eager, gan, broken], steps=10)
    assert table["gan_fit"]["steps_per_s"] == [5.0, 2.0]
    assert table["gan_fit"]["ratio_vs_eager_wall"] == [5.0, 4.0]
    assert table["gan_fit"]["ratio_vs_eager_cpu"] == [4.0, 2.0]
    assert table["gan_fit"]["cpu_ms_per_step"] == [200.0, 400.0]
    assert bench.paired_ratio(table, "gan_fit", "eager_loop", "wall") == {"median": 4.5, "min": 4.0, "max": 5.0}
    assert bench.paired_ratio(table, "gan_fit_xla", "gan_fit", "cpu") is None
    result = {
        "command": "python tools/bench.py", "date": "today", "networks": "dcgan",
        "settings": {"image_shape": (16, 16, 1), "latent_dim": 8, "batch_size": 4, "rounds": 2, "steps": 10,
                     "warmup_steps": 1},
        "variants": table, "targets": [("GAN.fit / eager loop", "gan_fit", "eager_loop", 2.0),
                                       ("XLA / GAN.fit", "gan_fit_xla", "gan_fit", 1.0)],
        "tf_gpus": [], "machine": bench.describe_machine(),
    }
    markdown = bench.render_markdown(result)
    assert "| gan_fit | 3.5 [2.0, 5.0] | 4.50 [4.00, 5.00] | 300.0 [200.0, 400.0] | 3.00 [2.00, 4.00] |" in markdown
    assert "| GAN.fit / eager loop | >= 2.0 | 4.50 [4.00, 5.00] | 3.00 [2.00, 4.00] | met, met |" in markdown
    assert "| gan_fit_xla | did not run: XlaRuntimeError: no |" in markdown
    assert "| XLA / GAN.fit | 1.0 | – | – | not measured" in markdown


def test_bench_end_to_end_writes_markdown_and_json(tmp_path: Path) -> None:
    # Only the baseline and GAN.fit: every traced variant adds seconds of tracing.
    code = bench.main(["--steps", "2", "--rounds", "2", "--warmup", "1", "--batch-size", "8",
                       "--latent-dim", "8", "--only", "gan_fit", "--out", str(tmp_path)])
    assert code == 0
    markdown = (tmp_path / "bench.md").read_text()
    assert "| eager_loop |" in markdown and "| gan_fit |" in markdown and "## Machine" in markdown
    rows = json.loads((tmp_path / "bench.json").read_text())["variants"]
    assert set(rows) == {"eager_loop", "gan_fit"}
    assert all(len(row["steps_per_s"]) == 2 and min(row["steps_per_s"]) > 0 for row in rows.values())
    assert rows["eager_loop"]["ratio_vs_eager_wall"] == [1.0, 1.0]


def test_gan_variant_rejects_an_unknown_mode() -> None:
    real = bench.tf.constant(np.zeros((4, 16, 16, 1), dtype="float32"))
    with pytest.raises(ValueError, match="how must be 'fit', 'fit_unchecked', 'fit_without_recorder' or 'train_step', got 'loop'"):
        bench.gan_variant("bad", "", False, real=real, image_shape=(16, 16, 1), latent_dim=8, seed=0, how="loop")


def test_hand_written_steps_give_finite_losses_and_update_both_networks() -> None:
    real = bench.tf.constant(np.random.default_rng(0).uniform(-1, 1, (4, 16, 16, 1)).astype("float32"))
    for make_step in (bench.tutorial_step, bench.alternating_step, bench.shared_fakes_step):
        generator, discriminator, _ = bench.build_networks((16, 16, 1), latent_dim=8, seed=0)
        g_opt, d_opt = bench.adam(), bench.adam()
        before = [v.numpy().copy() for v in (generator.trainable_variables[0], discriminator.trainable_variables[0])]
        # Eagerly: tracing three tf.functions would make this test slow; the benchmark traces them.
        loss = make_step(generator, discriminator, g_opt, d_opt, 8)(real)
        assert np.isfinite(float(loss))
        after = [generator.trainable_variables[0].numpy(), discriminator.trainable_variables[0].numpy()]
        assert all(not np.array_equal(b, a) for b, a in zip(before, after)), make_step.__name__


def test_the_unchecked_variant_skips_only_the_batch_checks() -> None:
    # A NaN batch: GAN.fit refuses it; the unchecked variant (what the checks cost) trains on it.
    real = bench.tf.constant(np.full((4, 16, 16, 1), np.nan, dtype="float32"))
    checked, _ = bench.gan_variant("gan_fit", "checked", False, real, (16, 16, 1), 8, 0)
    unchecked, gan = bench.gan_variant("gan_fit_unchecked", "unchecked", False, real, (16, 16, 1), 8, 0,
                                       how="fit_unchecked")
    with pytest.raises(ValueError, match="finite"):
        checked.run(1)
    unchecked.run(1)
    assert int(gan.g_optimizer.iterations.numpy()) == 1
