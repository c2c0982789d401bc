"""Images (lessons 03-05): digits and MNIST, DCGAN builders, image quality, seeded comparisons.

One module per idea; this file re-exports their public names, so that a lesson writes
``images.<name>``. The plots are in ``images.plotting``, imported on first use because they
load matplotlib.
"""

from __future__ import annotations

import importlib
from typing import Any

from gan_lessons.images.comparisons import (
    SCORE_NAMES,
    compare_methods,
    mean_std_table,
    results_dict,
    summarise,
    train_and_score,
)
from gan_lessons.images.data import (
    DatasetUnavailableError,
    load_digits,
    load_mnist,
)
from gan_lessons.images.distances import (
    frechet_distance,
    frechet_distance_gaussians,
    maximum_mean_discrepancy,
    median_bandwidth,
    precision_recall,
)
from gan_lessons.images.latent import (
    check_latent,
    interpolate_latents,
)
from gan_lessons.images.models import (
    dcgan_critic,
    dcgan_discriminator,
    dcgan_generator,
)
from gan_lessons.images.quality import (
    ImageQuality,
    build_feature_classifier,
    check_images,
)

__all__ = [
    "DatasetUnavailableError",
    "load_digits",
    "load_mnist",
    "dcgan_generator",
    "dcgan_discriminator",
    "dcgan_critic",
    "frechet_distance_gaussians",
    "frechet_distance",
    "precision_recall",
    "median_bandwidth",
    "maximum_mean_discrepancy",
    "check_images",
    "build_feature_classifier",
    "ImageQuality",
    "check_latent",
    "interpolate_latents",
    "SCORE_NAMES",
    "train_and_score",
    "compare_methods",
    "summarise",
    "mean_std_table",
    "results_dict",
]


def __getattr__(name: str) -> Any:
    if name == "plotting":
        return importlib.import_module(f"{__name__}.plotting")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
