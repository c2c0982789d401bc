"""Membership inference: does a synthetic table or its GAN reveal who was in the training data?

Score candidate rows, members (training rows) and non-members (a holdout), and report
the ROC AUC of the scores: black box by the distance to the nearest synthetic row,
white box by the trained discriminator's output (LOGAN, Hayes et al. 2019). 0.5 =
the attacker learns nothing. Beside the AUC, the true-positive rate at a low
false-positive rate (Carlini et al. 2022, "Membership Inference Attacks From First
Principles"): an attack that identifies a few members with confidence is a leak even
when its AUC is near 0.5.
"""

from __future__ import annotations

import keras
import numpy as np
import pandas as pd
import tensorflow as tf
from numpy.typing import ArrayLike, NDArray
from sklearn.metrics import roc_auc_score, roc_curve

from gan_lessons._checks import finite_array, positive_int
from gan_lessons.privacy.distances import gower_distances
from gan_lessons.training import GAN


def distance_attack_scores(candidates: pd.DataFrame, synthetic: pd.DataFrame, ranges_from: pd.DataFrame) -> NDArray[np.float64]:
    """Black-box membership score of each candidate row: minus its Gower distance to the
    nearest synthetic row, shape (n,). Higher = more likely a training row (a generator
    that memorised puts synthetic rows on its training rows)."""
    return -gower_distances(candidates, synthetic, ranges_from).min(axis=1)


def discriminator_attack_scores(gan: GAN, encoded: ArrayLike, conditions: ArrayLike | None = None, batch_size: int = 1024) -> NDArray[np.float32]:
    """White-box membership score (LOGAN, Hayes et al. 2019): the trained discriminator's
    raw output for each encoded candidate row (and its condition), shape (n,).
    Higher = more "real" to D; a D that overfitted scores its training rows highest."""
    if not isinstance(gan, GAN):
        raise TypeError(f"gan must be a gan_lessons GAN, got {type(gan).__name__}")
    encoded = finite_array(encoded, "encoded", ndim=2, last_dim=int(gan.discriminator.inputs[0].shape[-1]))
    if gan.conditional:
        if conditions is None:
            raise ValueError("this GAN is conditional: pass the candidates' conditions")
        conditions = finite_array(conditions, "conditions", ndim=2)
        if len(conditions) != len(encoded):
            raise ValueError(f"conditions must have one row per candidate ({len(encoded)}), got {len(conditions)}")
    scores = []
    for start in range(0, len(encoded), positive_int(batch_size, "batch_size")):
        stop = start + batch_size
        condition = None if conditions is None else tf.convert_to_tensor(conditions[start:stop])
        scores.append(keras.ops.convert_to_numpy(gan._discriminate(tf.convert_to_tensor(encoded[start:stop]), condition, training=False)))
    return np.concatenate(scores).reshape(-1)


def attack_auc(member_scores: ArrayLike, non_member_scores: ArrayLike) -> float:
    """ROC AUC of an attack's scores, members (label 1) against non-members (label 0).

    0.5: the attack cannot tell them apart; 1: every member scores above every non-member.
    """
    members = finite_array(member_scores, "member_scores", ndim=1)
    non_members = finite_array(non_member_scores, "non_member_scores", ndim=1)
    labels = np.r_[np.ones(len(members)), np.zeros(len(non_members))]
    return float(roc_auc_score(labels, np.r_[members, non_members]))


def tpr_at_fpr(member_scores: ArrayLike, non_member_scores: ArrayLike, fpr: float = 0.01) -> float:
    """True-positive rate of an attack at a false-positive rate of at most ``fpr``
    (Carlini et al. 2022), members (label 1) against non-members (label 0).

    The ROC curve (``sklearn.metrics.roc_curve``) is a step function over the
    thresholds; this returns the highest TPR of any threshold whose FPR is at most
    ``fpr``, without interpolating between ROC points. So the figure is conservative:
    it is the rate an attacker reaches with one fixed threshold, never more, and with
    ``n`` non-members the FPR moves in steps of 1/n (below 1/n, only FPR 0 counts).
    An attack that guesses at random scores about ``fpr``.
    """
    members = finite_array(member_scores, "member_scores", ndim=1)
    non_members = finite_array(non_member_scores, "non_member_scores", ndim=1)
    if isinstance(fpr, bool) or not isinstance(fpr, (int, float, np.floating, np.integer)) or not 0 <= fpr <= 1:
        raise ValueError(f"fpr must be a false-positive rate in [0, 1], got {fpr!r}")
    labels = np.r_[np.ones(len(members)), np.zeros(len(non_members))]
    false_positive, true_positive, _ = roc_curve(labels, np.r_[members, non_members])
    return float(true_positive[false_positive <= fpr].max())
