import math

import numpy as np
import pandas as pd
import pytest

from gan_lessons import runs as R


def _runs(base, gain, seeds=range(5), metric="fd"):
    out = [{"method": "A", "seed": s, metric: base + s} for s in seeds]
    out += [{"method": "B", "seed": s, metric: base + s + gain(s)} for s in seeds]
    return out


def test_paired_comparison_counts_wins_in_the_right_direction():
    runs = _runs(2.0, lambda s: -0.5 if s < 4 else 0.25)
    lower = R.paired_comparison(runs, "fd", "A", "B", lower_is_better=True)
    higher = R.paired_comparison(runs, "fd", "A", "B", lower_is_better=False)
    assert lower["method_wins"] == 4 and higher["method_wins"] == 1
    assert lower["seeds"] == 5
    assert lower["mean_difference"] == pytest.approx((-0.5 * 4 + 0.25) / 5)
    assert lower["baseline_mean"] == pytest.approx(4.0)
    low, high = lower["interval_95"]
    assert -0.5 <= low <= lower["mean_difference"] <= high <= 0.25


def test_ties_are_not_wins_and_the_interval_of_a_constant_difference_is_a_point():
    runs = _runs(1.0, lambda s: 0.0)
    result = R.paired_comparison(runs, "fd", "A", "B", lower_is_better=True)
    assert result["method_wins"] == 0
    assert result["interval_95"] == [0.0, 0.0]


def test_only_common_seeds_are_paired():
    runs = _runs(1.0, lambda s: -1.0) + [{"method": "B", "seed": 9, "fd": 100.0}]
    result = R.paired_comparison(runs, "fd", "A", "B", lower_is_better=True)
    assert result["seeds"] == 5 and result["method_wins"] == 5


def test_headline_has_the_keys_style_md_names():
    h = R.headline(_runs(1.0, lambda s: -1.0), "B is lower", "fd", True, "A", "B")
    assert {"claim", "metric", "lower_is_better", "baseline", "method", "seeds", "method_wins"} <= set(h)
    sentence = R.describe(h)
    assert "5 of 5 seeds" in sentence and "B vs A" in sentence


@pytest.mark.parametrize(
    "runs, message",
    [
        ([], "empty"),
        ([{"method": "A"}], "lacks"),
        ([{"method": "A", "seed": 0, "fd": 1.0}] * 2, "twice"),
    ],
)
def test_bad_runs_are_refused(runs, message):
    with pytest.raises(ValueError, match=message):
        R.check_runs(runs)


def test_refusals_name_what_arrived():
    runs = _runs(1.0, lambda s: -1.0)
    with pytest.raises(ValueError, match="no run of method 'C'"):
        R.paired_comparison(runs, "fd", "A", "C", True)
    with pytest.raises(ValueError, match="no metric 'mmd'"):
        R.paired_comparison(runs, "mmd", "A", "B", True)
    with pytest.raises(TypeError, match="lower_is_better"):
        R.paired_comparison(runs, "fd", "A", "B", "yes")
    with pytest.raises(TypeError, match="runs\\[0\\]"):
        R.check_runs([3])
    bad = runs + [{"method": "C", "seed": 0, "fd": math.nan}]
    with pytest.raises(ValueError, match="finite"):
        R.paired_comparison(bad, "fd", "A", "C", True)
    with pytest.raises(ValueError, match="claim"):
        R.headline(runs, " ", "fd", True, "A", "B")


def test_runs_from_frame_keeps_the_last_checkpoint_of_each_run():
    frame = pd.DataFrame({
        "method": ["A", "A", "B", "B"], "seed": [0, 0, 0, 0],
        "step": [10, 20, 10, 20], "fd": [5.0, 3.0, 4.0, np.float32(2.5)],
    })
    runs = R.runs_from_frame(frame, ["fd"])
    assert runs == [{"method": "A", "seed": 0, "fd": 3.0}, {"method": "B", "seed": 0, "fd": 2.5}]
    assert type(runs[1]["fd"]) is float


def test_summary_table_gives_mean_and_spread_per_method():
    table = R.summary_table(_runs(1.0, lambda s: -1.0), ["fd"], digits=2)
    assert table.loc["A", "fd"] == "3.00 ± 1.58"
    assert table.loc["B", "seeds"] == 5


def test_compare_methods_trains_every_arm_on_the_same_seeds_and_records_checkpoints():
    import keras

    from gan_lessons import models, toy, training

    data = toy.ring_of_gaussians(256, seed=0).samples

    def build(loss):
        def make(seed):
            gan = training.GAN(models.mlp_generator(4, 2, hidden_units=[8]), models.mlp_discriminator(2, hidden_units=[8]),
                               loss=loss, seed=seed)
            gan.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3))
            return gan
        return make

    calls = []

    def score(gan, seed):
        calls.append(seed)
        return {"mean_x": float(np.mean(gan.sample(64, seed=seed)[:, 0]))}

    history, gans = R.compare_methods({"ns": build("non_saturating"), "ls": build("least_squares")},
                                      data, seeds=[0, 1], num_steps=4, score=score, num_checkpoints=2, batch_size=32)
    assert list(history.columns[:4]) == ["method", "seed", "step", "cpu_seconds"]
    assert len(history) == 2 * 2 * 2 and history["step"].tolist()[:2] == [2, 4]
    assert set(gans) == {("ns", 0), ("ns", 1), ("ls", 0), ("ls", 1)}
    assert all(g.g_optimizer.iterations.numpy() == 4 for g in gans.values())
    runs = R.runs_from_frame(history, ["mean_x"])
    assert len(runs) == 4 and calls == [0, 0, 1, 1, 0, 0, 1, 1]
    with pytest.raises(ValueError, match="num_checkpoints"):
        R.compare_methods({"ns": build("non_saturating")}, data, [0], 2, score, num_checkpoints=3)
    with pytest.raises(TypeError, match="score"):
        R.compare_methods({"ns": build("non_saturating")}, data, [0], 4, "fd")
