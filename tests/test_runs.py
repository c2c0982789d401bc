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
