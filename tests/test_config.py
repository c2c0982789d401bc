import numpy as np
import pytest

from gan_lessons import config


def test_fast_profile_from_environment(monkeypatch):
    monkeypatch.delenv("GAN_LESSONS_PROFILE", raising=False)
    monkeypatch.setenv("GAN_LESSONS_FAST", "1")
    assert config.profile() == "fast"
    assert config.pick(fast=1, cpu=2, gpu=3) == 1


def test_cpu_profile_without_gpu(monkeypatch):
    monkeypatch.delenv("GAN_LESSONS_PROFILE", raising=False)
    monkeypatch.setenv("GAN_LESSONS_FAST", "0")
    monkeypatch.setattr(config, "_visible_gpus", lambda: [])
    assert config.profile() == "cpu"
    assert config.pick(fast=1, cpu=2, gpu=3) == 2


def test_gpu_profile_when_a_gpu_is_visible(monkeypatch):
    monkeypatch.delenv("GAN_LESSONS_PROFILE", raising=False)
    monkeypatch.delenv("GAN_LESSONS_FAST", raising=False)
    monkeypatch.setattr(config, "_visible_gpus", lambda: ["fake GPU"])
    assert config.profile() == "gpu"
    assert config.pick(fast=1, cpu=2, gpu=3) == 3
    assert config.pick(fast=1, cpu=2) == 2  # gpu falls back to the cpu value


def test_forced_profile_wins(monkeypatch):
    monkeypatch.setenv("GAN_LESSONS_FAST", "1")
    monkeypatch.setenv("GAN_LESSONS_PROFILE", "cpu")
    assert config.profile() == "cpu"


@pytest.mark.parametrize("variable, value, match", [
    ("GAN_LESSONS_PROFILE", "turbo", "GAN_LESSONS_PROFILE must be one of"),
    ("GAN_LESSONS_FAST", "yes", "GAN_LESSONS_FAST must be '0' or '1'"),
])
def test_bad_profile_settings_are_refused(monkeypatch, variable, value, match):
    monkeypatch.delenv("GAN_LESSONS_PROFILE", raising=False)
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=match):
        config.profile()


def test_set_seed_makes_numpy_and_keras_repeatable():
    import keras

    config.set_seed(3)
    first = (np.random.rand(3), keras.random.normal((3,)).numpy())
    config.set_seed(3)
    second = (np.random.rand(3), keras.random.normal((3,)).numpy())
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


def test_set_seed_takes_a_numpy_integer_like_an_int():
    import keras

    config.set_seed(np.int64(3))
    first = keras.random.normal((3,)).numpy()
    config.set_seed(3)
    np.testing.assert_array_equal(first, keras.random.normal((3,)).numpy())


@pytest.mark.parametrize("seed, error", [(1.5, TypeError), ("1", TypeError), (True, TypeError), (-1, ValueError)])
def test_set_seed_rejects_bad_seeds(seed, error):
    with pytest.raises(error, match="seed must be"):
        config.set_seed(seed)


def test_describe_environment_names_versions_devices_and_profile(monkeypatch):
    monkeypatch.setenv("GAN_LESSONS_PROFILE", "fast")
    line = config.describe_environment()
    assert "TensorFlow" in line and "Keras 3." in line and "profile: fast" in line
    assert "\n" not in line


def test_importing_the_package_seeds_nothing_and_sets_no_style():
    import json
    import random
    import subprocess
    import sys

    # Draws after seeding 123 must be the same whether or not gan_lessons (every module of
    # every subpackage, plotting included) was imported in between: importing neither reseeds nor consumes the global RNGs.
    # TensorFlow itself draws from Python's RNG when first imported, so the
    # third-party libraries are imported before seeding.
    code = (
        "import importlib, json, pkgutil, random, numpy as np, matplotlib as mpl, matplotlib.pyplot,"
        " tensorflow, keras, pandas, scipy.stats, sklearn.mixture, sklearn.ensemble, arch;"
        "before = {k: str(v) for k, v in mpl.rcParams.items()};"
        "np.random.seed(123); random.seed(123);"
        "import gan_lessons;"
        "names = [m.name for m in pkgutil.walk_packages(gan_lessons.__path__, 'gan_lessons.')"
        " if not m.name.startswith('gan_lessons.datasets')];"  # data: lesson 10's scripts are text, not modules
        "[importlib.import_module(name) for name in names];"
        "assert {'gan_lessons.images.plotting', 'gan_lessons.privacy.dp_sgd', 'gan_lessons.toy'} <= set(names), names;"
        "after = {k: str(v) for k, v in mpl.rcParams.items()};"
        "print(json.dumps([np.random.rand(), random.random(), before == after]))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    numpy_draw, python_draw, style_unchanged = json.loads(result.stdout.strip().splitlines()[-1])
    np.random.seed(123)
    random.seed(123)
    assert numpy_draw == np.random.rand()
    assert python_draw == random.random()
    assert style_unchanged
