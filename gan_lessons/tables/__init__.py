"""Mixed-type tables (lessons 07-09): German credit, the CTGAN-style encoder, tabular builders,
the conditional-GAN recipe, fidelity and utility metrics, copula and marginal baselines.

One module per idea; this file re-exports their public names, so that a lesson writes
``tables.<name>``. The plots are in ``tables.plotting``, imported on first use because they
load matplotlib.
"""

from __future__ import annotations

import importlib
from typing import Any

from gan_lessons.tables.baselines import (
    GaussianCopula,
    IndependentMarginals,
)
from gan_lessons.tables.conditional import (
    fit_conditional_gan,
    sample_table,
)
from gan_lessons.tables.credit import (
    GERMAN_CREDIT_FILE,
    GERMAN_CREDIT_LABEL,
    load_german_credit,
)
from gan_lessons.tables.encoder import (
    ColumnSpan,
    TabularEncoder,
)
from gan_lessons.tables.fidelity import (
    association_matrix,
    column_fidelity,
    pairwise_dependence_similarity,
)
from gan_lessons.tables.models import (
    TabularHeads,
    tabular_discriminator,
    tabular_generator,
)
from gan_lessons.tables.utility import (
    MODEL_FAMILIES,
    detection_auc,
    make_classifier,
    ml_utility,
    recall_at_precision,
)

__all__ = [
    "GERMAN_CREDIT_FILE",
    "GERMAN_CREDIT_LABEL",
    "load_german_credit",
    "ColumnSpan",
    "TabularEncoder",
    "TabularHeads",
    "tabular_generator",
    "tabular_discriminator",
    "sample_table",
    "fit_conditional_gan",
    "column_fidelity",
    "association_matrix",
    "pairwise_dependence_similarity",
    "MODEL_FAMILIES",
    "make_classifier",
    "detection_auc",
    "ml_utility",
    "recall_at_precision",
    "IndependentMarginals",
    "GaussianCopula",
]


def __getattr__(name: str) -> Any:
    if name == "plotting":
        return importlib.import_module(f"{__name__}.plotting")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
