"""Mixed-type tables (lessons 07-09): German credit, the CTGAN-style encoder, tabular builders,
the conditional-GAN recipe, fidelity and utility metrics, copula and marginal baselines.

Re-exports its modules' public names (``tables.<name>``); ``tables.plotting`` loads on first use.
"""

from __future__ import annotations

from gan_lessons._checks import plotting_on_first_use
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

__getattr__ = plotting_on_first_use(__name__)
