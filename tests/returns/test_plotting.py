"""The stylised-facts panel of lesson 06."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from gan_lessons import returns  # noqa: E402


def test_stylized_facts_panel_draws_one_line_per_series():
    rng = np.random.default_rng(0)
    fig = returns.plotting.plot_stylized_facts({"real": rng.standard_t(4, 500) * 0.01, "paths": rng.normal(0, 0.01, (3, 400))})
    assert len(fig.axes) == 5
    assert len(fig.axes[2].get_lines()) == 2 + 1  # two ACFs and the zero line
    plt.close(fig)


def test_stylized_facts_panel_rejects_bad_input():
    with pytest.raises(ValueError, match="at least one set of returns"):
        returns.plotting.plot_stylized_facts({})
    with pytest.raises(ValueError, match="short has too few observations"):
        returns.plotting.plot_stylized_facts({"short": np.ones(5)})


def test_acf_panels_carry_the_two_over_root_n_band():
    rng = np.random.default_rng(0)
    fig = returns.plotting.plot_stylized_facts({"real": rng.normal(0, 0.01, 400), "paths": rng.normal(0, 0.01, (2, 100))})
    spans = [patch for patch in fig.axes[2].patches if patch.get_label().startswith("±2/√n")]
    assert len(spans) == 1 and spans[0].get_label() == "±2/√n, n = 100"  # the shortest path sets the band
    plt.close(fig)


def test_paths_figure_has_returns_and_prices_per_generator():
    rng = np.random.default_rng(0)
    fig = returns.plotting.plot_paths(rng.normal(0, 0.01, 300), {"GAN": rng.normal(0, 0.01, (5, 300))}, num_paths=3)
    assert len(fig.axes) == 4
    assert len(fig.axes[3].get_lines()) == 3 and len(fig.axes[2].get_lines()) == 1
    prices = fig.axes[2].get_lines()[0].get_ydata()
    assert prices[-1] == pytest.approx(100 * np.exp(np.sum(fig.axes[0].get_lines()[0].get_ydata()) / 100))
    plt.close(fig)
