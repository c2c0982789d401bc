"""The conditional-GAN recipe for tables (lessons 07-09): fit it, and sample a table.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd

from gan_lessons._checks import positive_int
from gan_lessons.tables._columns import _check_table
from gan_lessons.tables.encoder import TabularEncoder


def sample_table(
    gan: Any,
    encoder: TabularEncoder,
    label_encoder: TabularEncoder,
    labels: Sequence[Any] | pd.Series,
    seed: int,
) -> pd.DataFrame:
    """Rows from a conditional tabular GAN, decoded to a table, one row per label.

    The label column (the single column of ``label_encoder``) is appended after the
    features. Categories and modes are drawn from the generator's softmax outputs
    (seeded), as CTGAN does with Gumbel noise at sampling time; the same ``seed``
    gives the same table.
    """
    if len(label_encoder.columns) != 1:
        raise ValueError(f"label_encoder must be fitted on one label column, got {label_encoder.columns}")
    label_column = label_encoder.columns[0]
    label_table = pd.DataFrame({label_column: list(labels)})
    conditions = label_encoder.transform(label_table)
    encoded = gan.sample(len(label_table), seed=seed, conditions=conditions)
    table = encoder.inverse_transform(encoder.harden(encoded, seed=seed))
    table[label_column] = label_encoder.inverse_transform(conditions)[label_column]
    return table


def fit_conditional_gan(
    table: pd.DataFrame,
    label_column: str,
    steps: int,
    batch_size: int = 200,
    hidden_units: Sequence[int] = (256, 256),
    latent_dim: int = 128,
    gradient_penalty_weight: float = 10.0,
    temperature: float = 0.2,
    seed: int = 0,
) -> tuple[Any, TabularEncoder, TabularEncoder]:
    """Encode ``table``, build and train a conditional tabular WGAN-GP as lesson 07 does.

    Returns ``(gan, encoder, label_encoder)`` ready for :func:`sample_table`. The
    generator gets :func:`gan_lessons.tables.tabular_generator` heads; Adam(2e-4, betas 0.5, 0.9) as
    in CTGAN; ``steps`` generator updates on batches of ``batch_size`` rows (at most
    the number of rows).
    """
    import keras

    from gan_lessons import training
    from gan_lessons.tables import models

    table = _check_table(table)
    if label_column not in table.columns:
        raise ValueError(f"table must contain the label column {label_column!r}; got {list(table.columns)}")
    steps = positive_int(steps, "steps")
    features = table.drop(columns=label_column)
    encoder = TabularEncoder(seed=seed).fit(features)
    label_encoder = TabularEncoder().fit(table[[label_column]])
    x = encoder.transform(features).astype(np.float32)
    conditions = label_encoder.transform(table[[label_column]]).astype(np.float32)
    generator = models.tabular_generator(
        latent_dim, encoder.heads, condition_dim=label_encoder.output_dim,
        hidden_units=hidden_units, temperature=temperature, seed=seed,
    )
    discriminator = models.tabular_discriminator(
        encoder.output_dim, condition_dim=label_encoder.output_dim, hidden_units=hidden_units
    )
    gan = training.GAN(generator, discriminator, loss="wasserstein",
                       gradient_penalty_weight=gradient_penalty_weight, seed=seed)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=0.9),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=0.9),
    )
    dataset = training.make_dataset(x, min(batch_size, len(x)), seed=seed, conditions=conditions)
    gan.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0)
    return gan, encoder, label_encoder
