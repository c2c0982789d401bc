"""How good are generated images? Checks on image batches and classifier-based scores.

This module owns a trained model: it trains a small convolutional classifier on the
real images (the course's stand-in for the Inception network of FID, which knows
nothing about 8 x 8 digits) and feeds its penultimate features to the distances of
:mod:`gan_lessons.images.distances`. Every score comes with its *floor*, the same
score between two disjoint halves of the real data: a generator cannot be expected
to beat real data, so a score means something only next to its floor.
"""

from __future__ import annotations

from typing import Any, Sequence

import keras
import numpy as np
from numpy.typing import ArrayLike, NDArray

from gan_lessons._checks import finite_array, positive_int
from gan_lessons.config import stream_seed
from gan_lessons.images import distances

# tanh outputs are exactly inside [-1, 1]; a little slack allows float round-off.
_RANGE_TOLERANCE = 1e-4


def check_images(
    images: ArrayLike, name: str = "images", image_shape: Sequence[int] | None = None
) -> NDArray[np.float32]:
    """``images`` as float32 (n, height, width, channels) in [-1, 1], else ``ValueError``.

    ``image_shape`` (height, width, channels), if given, must match each image.
    The range check catches the usual slip of feeding [0, 255] or [0, 1] pixels to
    a tanh generator's comparison.
    """
    array = finite_array(images, name)
    if array.ndim != 4:
        raise ValueError(
            f"expected {name} of rank 4 (n, height, width, channels), got shape {array.shape}"
            + (" (add a channel axis with x[..., None])" if array.ndim == 3 else "")
        )
    if image_shape is not None and tuple(array.shape[1:]) != tuple(image_shape):
        expected = tuple(image_shape)
        what = "channels" if array.shape[1:3] == expected[:2] else "image shape"
        raise ValueError(f"expected {name} with {what} {expected}, got images of shape {tuple(array.shape[1:])}")
    low, high = float(array.min()), float(array.max())
    if low < -1 - _RANGE_TOLERANCE or high > 1 + _RANGE_TOLERANCE:
        raise ValueError(
            f"expected {name} in [-1, 1], got values in [{low:.4g}, {high:.4g}] "
            "(scale pixels with x / 127.5 - 1 for 0..255 data)"
        )
    return np.clip(array, -1.0, 1.0)


def build_feature_classifier(
    image_shape: Sequence[int], num_classes: int, feature_dim: int = 64, seed: int | None = None
) -> keras.Model:
    """A small CNN classifier whose layer ``"features"`` gives the feature vectors.

    Conv(32, 3) -> MaxPool -> Conv(64, 3) -> MaxPool -> Dense(feature_dim, ReLU,
    named "features") -> Dense(num_classes) logits. Input (batch, *image_shape).
    With ``seed`` the initial weights and the dropout masks are reproducible.
    """
    num_classes = positive_int(num_classes, "num_classes")
    feature_dim = positive_int(feature_dim, "feature_dim")
    # Each layer's initial weights and the dropout mask come from seeds of their own,
    # so the classifier does not depend on (or change) the global random state.
    seeds = iter([stream_seed(seed, f"classifier layer {index}") for index in range(4)])

    def init() -> keras.initializers.Initializer:
        return keras.initializers.GlorotUniform(seed=next(seeds))

    images = keras.Input(shape=tuple(image_shape), name="images")
    x = keras.layers.Conv2D(32, 3, padding="same", activation="relu", kernel_initializer=init())(images)
    x = keras.layers.MaxPooling2D()(x)
    x = keras.layers.Conv2D(64, 3, padding="same", activation="relu", kernel_initializer=init())(x)
    x = keras.layers.MaxPooling2D()(x)
    x = keras.layers.Flatten()(x)
    features = keras.layers.Dense(feature_dim, activation="relu", name="features", kernel_initializer=init())(x)
    dropout = keras.layers.Dropout(0.3, seed=stream_seed(seed, "classifier dropout"))
    logits = keras.layers.Dense(num_classes, name="logits", kernel_initializer=init())(dropout(features))
    return keras.Model(images, logits, name="feature_classifier")


class ImageQuality:
    """Scores generated images against real ones in a classifier's feature space.

    On construction: shuffle the real ``images`` (n, h, w, c) in [-1, 1] and their
    ``labels`` (n,) with ``seed``; train :func:`build_feature_classifier` on 80% and
    measure its accuracy on the other 20% (``classifier_accuracy``); split all real
    images into two disjoint halves, ``reference`` and ``holdout``, and compute every
    score between them (``floor``). :meth:`score` then compares generated images
    with ``reference`` exactly as the floor compares ``holdout`` with it, using as
    many generated images as ``holdout`` holds. Everything random in the construction
    (splits, initial weights, dropout, the order of training batches) is drawn from
    ``seed``, so the classifier is the same whatever ran before, and the global random
    state is left as it was.
    """

    def __init__(
        self,
        images: ArrayLike,
        labels: ArrayLike,
        seed: int = 0,
        epochs: int = 15,
        feature_dim: int = 64,
        k: int = 3,
    ) -> None:
        self.images = check_images(images, "real images")
        self.image_shape = tuple(self.images.shape[1:])
        labels_arr = np.asarray(labels)
        if labels_arr.shape != (len(self.images),) or not np.issubdtype(labels_arr.dtype, np.integer):
            raise ValueError(
                f"expected integer labels of shape ({len(self.images)},), got {labels_arr.dtype} "
                f"array of shape {labels_arr.shape}"
            )
        self.labels = labels_arr.astype(np.int64)
        self.num_classes = int(self.labels.max()) + 1
        self.k = positive_int(k, "k")
        rng = np.random.default_rng(seed)
        order = rng.permutation(len(self.images))
        cut = int(0.8 * len(order))
        train, test = order[:cut], order[cut:]
        self.classifier = build_feature_classifier(self.image_shape, self.num_classes, feature_dim, seed=seed)
        self.classifier.compile(
            optimizer=keras.optimizers.Adam(1e-3),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
        )
        # The epochs' shuffled orders drawn here and fed as one pass, so that Keras'
        # own shuffling (from the global generator) is not used.
        epochs = positive_int(epochs, "epochs")
        order_rng = np.random.default_rng(stream_seed(seed, "classifier batches"))
        batches = np.concatenate([order_rng.permutation(train) for _ in range(epochs)])
        self.classifier.fit(self.images[batches], self.labels[batches], epochs=1, batch_size=64,
                            shuffle=False, verbose=0)
        self.classifier_accuracy = float(
            np.mean(self.predict_classes(self.images[test]) == self.labels[test])
        )
        self._feature_model = keras.Model(
            self.classifier.input, self.classifier.get_layer("features").output
        )
        half = rng.permutation(len(self.images))
        self.reference_index = half[: len(half) // 2]
        self.holdout_index = half[len(half) // 2 :]
        self.reference_features = self.features(self.images[self.reference_index])
        self.bandwidth = distances.median_bandwidth(self.reference_features)
        self.floor = self._scores(self.features(self.images[self.holdout_index]),
                                  self.predict_classes(self.images[self.holdout_index]))

    @property
    def num_samples(self) -> int:
        """How many generated images :meth:`score` compares (the size of ``holdout``)."""
        return len(self.holdout_index)

    def features(self, images: ArrayLike) -> NDArray[np.float64]:
        """Penultimate-layer features, (n, feature_dim), of images (n, *image_shape) in [-1, 1]."""
        array = check_images(images, image_shape=self.image_shape)
        return np.asarray(self._predict(self._feature_model, array), dtype=np.float64)

    def predict_classes(self, images: ArrayLike) -> NDArray[np.int64]:
        """The classifier's class for each image, (n,)."""
        array = check_images(images, image_shape=self.image_shape)
        return np.argmax(self._predict(self.classifier, array), axis=1).astype(np.int64)

    def class_shares(self, images: ArrayLike) -> NDArray[np.float64]:
        """Share of ``images`` the classifier puts in each class, (num_classes,), summing to 1."""
        counts = np.bincount(self.predict_classes(images), minlength=self.num_classes)
        return counts / counts.sum()

    @staticmethod
    def _predict(model: keras.Model, images: NDArray[np.float32]) -> NDArray[np.float32]:
        # Calling the model batch by batch avoids predict()'s per-call set-up cost.
        pieces = [keras.ops.convert_to_numpy(model(images[i : i + 512], training=False))
                  for i in range(0, len(images), 512)]
        return np.concatenate(pieces)

    def _scores(self, features: NDArray[np.float64], classes: NDArray[np.int64]) -> dict[str, Any]:
        shares = np.bincount(classes, minlength=self.num_classes) / len(classes)
        pr = distances.precision_recall(self.reference_features, features, k=self.k)
        return {
            "frechet_distance": distances.frechet_distance(self.reference_features, features),
            "precision": pr["precision"],
            "recall": pr["recall"],
            "mmd": distances.maximum_mean_discrepancy(self.reference_features, features, self.bandwidth),
            "smallest_class_share": float(shares.min()),
            "class_shares": shares.round(4).tolist(),
        }

    def score(self, images: ArrayLike) -> dict[str, Any]:
        """Fréchet distance, precision, recall (k-NN, Kynkäänniemi et al. 2019), MMD^2
        (Gaussian kernel, median-heuristic bandwidth of the reference features) and
        class shares of ``images`` against the reference half.

        ``images``: (n, *image_shape) in [-1, 1] with n >= :attr:`num_samples`; the
        first ``num_samples`` are used so every score is comparable with ``floor``.
        """
        array = check_images(images, "generated images", image_shape=self.image_shape)
        if len(array) < self.num_samples:
            raise ValueError(
                f"expected at least {self.num_samples} generated images (the holdout size), "
                f"got {len(array)}"
            )
        array = array[: self.num_samples]
        return self._scores(self.features(array), self.predict_classes(array))

    def score_generator(self, gan: Any, seed: int = 0) -> dict[str, Any]:
        """:meth:`score` of ``gan.sample(num_samples, seed=seed)`` (a ``training.GAN``)."""
        return self.score(gan.sample(self.num_samples, seed=seed))
