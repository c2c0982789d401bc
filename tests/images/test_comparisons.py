"""Seeded method comparisons: shapes of the history and the summary."""

import numpy as np
import pandas as pd
import pytest

from gan_lessons import images, training


@pytest.fixture(scope="module")
def small():
    real_images, labels = images.load_digits(size=8)
    return real_images, images.ImageQuality(real_images, labels, seed=0, epochs=2)


def build(seed):
    gan = training.GAN(images.dcgan_generator((8, 8, 1), 4, filters=4),
                       images.dcgan_discriminator((8, 8, 1), filters=4), seed=seed)
    gan.compile()
    return gan


def test_compare_methods_and_summary(small):
    real_images, quality = small
    history, gans = images.compare_methods({"b": build, "a": build}, real_images, quality,
                                                seeds=[0, 1], num_steps=4, num_checkpoints=2, batch_size=16)
    assert len(history) == 2 * 2 * 2 and set(gans) == {("a", 0), ("a", 1), ("b", 0), ("b", 1)}
    assert history["step"].tolist()[:2] == [2, 4]
    summary = images.summarise(history, targets={"precision": (">=", 0.0)})
    assert list(summary.index) == ["b", "a"]  # the order the methods were given
    assert summary["seeds_on_target"].tolist() == [2, 2]
    final = history[history.step == 4]
    np.testing.assert_allclose(summary.loc["a", "recall_mean"], final[final.method == "a"].recall.mean())
    table = images.mean_std_table(summary)
    assert "±" in table.loc["a", "frechet_distance"]
    assert set(images.results_dict(summary)) == {"a", "b"}


def test_bad_arguments_are_rejected(small):
    real_images, quality = small
    with pytest.raises(ValueError, match="num_checkpoints must be at most num_steps \\(2\\), got 3"):
        images.train_and_score(build, real_images, quality, 0, num_steps=2, num_checkpoints=3)
    with pytest.raises(ValueError, match="expected training images with image shape \\(8, 8, 1\\)"):
        images.train_and_score(build, np.zeros((20, 16, 16, 1)), quality, 0, num_steps=2, num_checkpoints=1)
    with pytest.raises(TypeError, match="build\\(seed\\) must return a gan_lessons.training.GAN, got str"):
        images.train_and_score(lambda seed: "gan", real_images, quality, 0, num_steps=2, num_checkpoints=1)
    with pytest.raises(ValueError, match="missing \\['mmd'"):
        images.summarise(pd.DataFrame(columns=["method", "seed", "step", "frechet_distance", "precision", "recall", "smallest_class_share"]))
