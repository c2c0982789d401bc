"""Images (lessons 03-05): digits and MNIST, DCGAN builders, image quality, seeded comparisons.

Re-exports its modules' public names (``images.<name>``); ``images.plotting`` loads on first use.
"""

from __future__ import annotations

from gan_lessons._checks import plotting_on_first_use
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

__getattr__ = plotting_on_first_use(__name__)
