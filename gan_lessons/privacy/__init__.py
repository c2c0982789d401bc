"""Privacy of synthetic data (lesson 09): DP-SGD (:class:`PrivateGAN`), the accountant,
copies and distances to real rows, membership inference.

Re-exports its modules' public names (``privacy.<name>``); ``privacy.plotting`` loads on first use.
"""

from __future__ import annotations

from gan_lessons._checks import plotting_on_first_use
from gan_lessons.privacy.accountant import (
    epsilon,
    noise_multiplier_for_epsilon,
)
from gan_lessons.privacy.attacks import (
    attack_auc,
    discriminator_attack_scores,
    distance_attack_scores,
    tpr_at_fpr,
)
from gan_lessons.privacy.distances import (
    closer_to_train_share,
    distance_to_closest_record,
    exact_copies,
    gower_distances,
    nearest_neighbour_distance_ratio,
)
from gan_lessons.privacy.dp_sgd import (
    PrivateGAN,
    clip_per_example,
    noisy_average,
)

__all__ = [
    "clip_per_example",
    "noisy_average",
    "PrivateGAN",
    "epsilon",
    "noise_multiplier_for_epsilon",
    "exact_copies",
    "gower_distances",
    "distance_to_closest_record",
    "closer_to_train_share",
    "nearest_neighbour_distance_ratio",
    "distance_attack_scores",
    "discriminator_attack_scores",
    "attack_auc",
    "tpr_at_fpr",
]

__getattr__ = plotting_on_first_use(__name__)
