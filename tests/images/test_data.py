"""Image loaders: scikit-learn digits (offline) and MNIST (optional, falls back clearly)."""

import keras
import numpy as np
import pytest

from gan_lessons import images


@pytest.mark.parametrize("size", [8, 16, 28])
def test_digits_are_scaled_to_tanh_range(size):
    real_images, labels = images.load_digits(size=size)
    assert real_images.shape == (1797, size, size, 1) and real_images.dtype == np.float32
    assert real_images.min() == -1.0 and real_images.max() == 1.0
    assert labels.shape == (1797,) and set(labels.tolist()) == set(range(10))


def test_native_digits_are_sklearn_pixels_over_8_minus_1():
    from sklearn.datasets import load_digits as sklearn_digits

    real_images, _ = images.load_digits(size=8)
    np.testing.assert_allclose(real_images[..., 0], sklearn_digits().images / 8.0 - 1.0, atol=1e-6)


def test_bad_size_is_rejected():
    with pytest.raises(ValueError, match="size must be >= 8 \\(the native digits are 8 x 8\\), got 4"):
        images.load_digits(size=4)


def test_mnist_offline_raises_a_clear_error(monkeypatch):
    def offline():
        raise OSError("URL fetch failure: no network")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    with pytest.raises(images.DatasetUnavailableError, match="expected MNIST in the Keras cache or downloadable, got OSError"):
        images.load_mnist()


def test_mnist_is_scaled_when_available(monkeypatch):
    pixels = np.tile(np.array([0, 255], dtype=np.uint8), (3, 28, 14))
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: ((pixels, np.array([1, 2, 3])), (None, None)))
    real_images, labels = images.load_mnist(max_images=2)
    assert real_images.shape == (2, 28, 28, 1) and real_images.min() == -1.0 and real_images.max() == 1.0
    assert labels.tolist() == [1, 2]
