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


def test_plot_losses_reference_lines_are_distinguishable_and_coloured_by_their_curve():
    rng = np.random.default_rng(1)
    history = {"d_loss": rng.normal(size=60), "g_loss": rng.normal(size=60)}
    ax = plotting.plot_losses(history, smooth=5, reference={"log 4: d_loss": (np.log(4), "d_loss"),
                                                            "log 2: g_loss": (np.log(2), "g_loss"),
                                                            "zero": 0.0})
    curves = {line.get_label(): line for line in ax.lines}
    d_ref, g_ref, zero = curves["log 4: d_loss"], curves["log 2: g_loss"], curves["zero"]
    assert d_ref.get_ydata()[0] == pytest.approx(np.log(4)) and g_ref.get_ydata()[0] == pytest.approx(np.log(2))
    assert d_ref.get_color() == curves["d_loss"].get_color()
    assert g_ref.get_color() == curves["g_loss"].get_color()
    assert len({d_ref.get_linestyle(), g_ref.get_linestyle(), zero.get_linestyle()}) == 3
    assert {"log 4: d_loss", "log 2: g_loss", "zero"} <= {t.get_text() for t in ax.get_legend().get_texts()}
    plt.close("all")


def test_plot_errors():
    with pytest.raises(ValueError, match="snapshots is empty"):
        plotting.plot_snapshots([])
    with pytest.raises(ValueError, match="loss history 'd_loss' is empty"):
        plotting.plot_losses({"d_loss": []})
    with pytest.raises(ValueError, match="names the curve 'x_loss', but the loss history holds"):
        plotting.plot_losses({"d_loss": [1.0, 2.0]}, reference={"log 4": (np.log(4), "x_loss")})
    with pytest.raises(ValueError, match=r"samples must have 2 features on its last axis, got shape \(5, 3\)"):
        plotting.plot_samples_2d(np.zeros((5, 3)))
