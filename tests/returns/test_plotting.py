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
