"""Tests of the README course map (tools/course_map.py) on made-up reports."""

from __future__ import annotations

import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parents[2] / "tools"
sys.path.insert(0, str(TOOLS))

import course_map  # noqa: E402

HEADLINE = {"claim": "LS is steadier", "metric": "modes_covered", "lower_is_better": False, "baseline": "NS",
            "method": "LS", "seeds": 5, "method_wins": 4, "method_mean": 7.6, "baseline_mean": 5.2}


def _report(results: dict, wall: float = 100.0) -> dict:
    return {"notebooks": [{"notebook": "04_lsgan", "status": "ok", "wall_s": wall, "peak_mb": 900.0,
                           "results": results}],
            "calibration": {"steps_per_s": 20.0, "reference_steps_per_s": 8.0, "projection_factor": 2.5,
                            "reference_machine": "2-vCPU AMD EPYC"},
            "machine": {"cpu": "test CPU", "logical_cores": 2}}


def test_a_headline_is_shown_with_its_wins_out_of_seeds():
    text = course_map._key_results("04", {"results": {"headline": HEADLINE}})
    assert text == "LS vs NS, modes_covered: 7.6 vs 5.2, better on 4/5 seeds"


def test_an_incomplete_headline_says_so_and_missing_results_show_a_dash():
    assert course_map._key_results("04", {"results": {"headline": {"method": "LS"}}}) == "headline incomplete"
    assert course_map._key_results("04", {"results": {}}) == "–"


def test_key_results_follow_the_headline_when_present():
    run = {"results": {"headline": HEADLINE, "d_star_max_abs_error": 0.0123}}
    assert course_map._key_results("01", run).endswith("; max abs error of trained D vs D* 0.012")


def test_course_map_gives_measured_and_projected_times(monkeypatch):
    reports = {"cpu": _report({"headline": HEADLINE}), "fast": _report({}, wall=20.0)}
    monkeypatch.setattr(course_map, "_load", lambda profile: reports[profile])
    monkeypatch.setattr(course_map, "read_address", lambda repo: "owner/repo")
    table = course_map.course_map()
    row = next(line for line in table.splitlines() if line.startswith("| 04 |"))
    assert "| 20 | 100 | ~250 | 900 |" in row and "better on 4/5 seeds" in row
    assert "x 2.50" in table


def test_the_solution_sentence_matches_the_pattern_it_is_found_by():
    sentence = course_map.solution_sentence({"wall_s": 61.4, "peak_mb": 819.2}, 2.5)
    assert sentence == ("Run time: about 61 s in the `cpu` profile (about 154 s projected onto the reference "
                        "machine of the README), peak memory 0.8 GB")
    assert course_map.SOLUTION_RUN_TIME.fullmatch(sentence)
    assert course_map.SOLUTION_RUN_TIME.fullmatch(course_map.solution_sentence({"wall_s": 5, "peak_mb": 512}, None))
