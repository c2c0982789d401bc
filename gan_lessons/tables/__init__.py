"""Mixed-type tables (lessons 07-09): German credit, the CTGAN-style encoder, tabular builders,
the conditional-GAN recipe, fidelity and utility metrics, copula and marginal baselines.

Re-exports its modules' public names (``tables.<name>``); ``tables.plotting`` loads on first use.
"""

from __future__ import annotations

from gan_lessons._checks import plotting_on_first_use
from gan_lessons.tables.augmentation import (
    AUGMENTATION_METHODS,
    augmentation_pipeline,
    prevalence_weights,
    rare_average_precision,
    tune_and_fit,
)
from gan_lessons.tables.baselines import (
    GaussianCopula,
    IndependentMarginals,
)
from gan_lessons.tables.conditional import (
    CONDITION_SAMPLING,
    build_conditional_gan,
    condition_probabilities,
    fit_conditional_gan,
    sample_rows_by_condition,
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
    "AUGMENTATION_METHODS",
    "CONDITION_SAMPLING",
    "GERMAN_CREDIT_FILE",
    "GERMAN_CREDIT_LABEL",
    "MODEL_FAMILIES",
    "ColumnSpan",
    "GaussianCopula",
    "IndependentMarginals",
    "TabularEncoder",
    "TabularHeads",
    "association_matrix",
    "augmentation_pipeline",
    "build_conditional_gan",
    "column_fidelity",
    "condition_probabilities",
    "detection_auc",
    "fit_conditional_gan",
    "load_german_credit",
    "make_classifier",
    "ml_utility",
    "pairwise_dependence_similarity",
    "prevalence_weights",
    "rare_average_precision",
    "recall_at_precision",
    "sample_rows_by_condition",
    "sample_table",
    "tabular_discriminator",
    "tabular_generator",
    "tune_and_fit",
]

__getattr__ = plotting_on_first_use(__name__)
