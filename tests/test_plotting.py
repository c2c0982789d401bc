import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from gan_lessons import models, plotting  # noqa: E402


def test_plots_draw_without_error():
    rng = np.random.default_rng(0)
    ax = plotting.plot_samples_2d(rng.normal(size=(50, 2)), real=rng.normal(size=(50, 2)),
                                  discriminator=models.mlp_discriminator(2, (4,)))
    assert len(ax.collections) >= 3  # contour, real and generated points
    ax = plotting.plot_losses({"d_loss": rng.normal(size=100), "g_loss": rng.normal(size=100)}, smooth=10)
    assert len(ax.lines) == 4
    fig = plotting.plot_snapshots([(0, rng.normal(size=(30, 1))), (5, rng.normal(size=(30, 1)))], real=rng.normal(size=(30, 1)))
    assert len(fig.axes) == 2
    plt.close("all")


def test_plot_errors():
    with pytest.raises(ValueError, match="snapshots is empty"):
        plotting.plot_snapshots([])
    with pytest.raises(ValueError, match="loss history 'd_loss' is empty"):
        plotting.plot_losses({"d_loss": []})
    with pytest.raises(ValueError, match=r"samples must have 2 features on its last axis, got shape \(5, 3\)"):
        plotting.plot_samples_2d(np.zeros((5, 3)))
