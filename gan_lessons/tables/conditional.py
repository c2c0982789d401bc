"""The conditional-GAN recipe for tables (lessons 07-09): build it, fit it, sample a table.

The recipe is a conditional WGAN-GP on the label column with CTGAN's encoding
(Xu et al. 2019, "Modeling Tabular Data using Conditional GAN"): mode-specific
normalisation of numbers, one-hot categories, Gumbel-softmax heads. Two more of
CTGAN's parts are options of :func:`build_conditional_gan`:

* ``sample_modes=True``: each numeric value's mode is *drawn* from its posterior
  (:meth:`TabularEncoder.transform` with a seed), not its most probable mode;
* ``condition_sampling``: training-by-sampling on the label column
  (:func:`sample_rows_by_condition`): a label value is drawn first, by its
  log-frequency (``"log_frequency"``, CTGAN) or uniformly (``"uniform"``,
  class-balanced), then a real row with that value; ``"empirical"`` (the default)
  takes rows as they come.

It is not CTGAN: the condition is the label only (CTGAN draws a categorical column
at random at every step and adds a cross-entropy term to G's loss), and D does not
pack several rows (PacGAN).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from gan_lessons._checks import positive_int
from gan_lessons.tables._columns import _check_table
from gan_lessons.tables.encoder import TabularEncoder

CONDITION_SAMPLING = ("empirical", "log_frequency", "uniform")


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


def condition_probabilities(labels: ArrayLike, rule: str = "log_frequency") -> pd.Series:
    """How often training-by-sampling draws each label value, indexed by value (sorted).

    ``"log_frequency"`` (CTGAN, Xu et al. 2019, sec. 4.3): p(v) proportional to
    log(1 + n_v), with n_v the rows of value v; ``"uniform"``: 1 / (number of values);
    ``"empirical"``: n_v / n, the rows as they come.
    """
    if rule not in CONDITION_SAMPLING:
        raise ValueError(f"rule must be one of {CONDITION_SAMPLING}, got {rule!r}")
    counts = pd.Series(np.asarray(labels, dtype=object)).value_counts().sort_index()
    if counts.empty:
        raise ValueError("labels must hold at least one value, got none")
    if rule == "log_frequency":
        weights = np.log1p(counts.to_numpy(dtype=float))
    elif rule == "uniform":
        weights = np.ones(len(counts))
    else:
        weights = counts.to_numpy(dtype=float)
    return pd.Series(weights / weights.sum(), index=counts.index, name="probability")


def sample_rows_by_condition(labels: ArrayLike, size: int, seed: int, rule: str = "log_frequency") -> NDArray[np.int64]:
    """Training-by-sampling: ``size`` row indices, each drawn by picking a label value
    with :func:`condition_probabilities` ``(labels, rule)``, then a row with that value
    uniformly at random (with replacement). ``labels``: (n,) one value per row."""
    size = positive_int(size, "size")
    values = np.asarray(labels, dtype=object).reshape(-1)
    probabilities = condition_probabilities(values, rule)
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(probabilities), size=size, p=probabilities.to_numpy())
    indices = np.empty(size, dtype=np.int64)
    for k, value in enumerate(probabilities.index):
        rows = np.flatnonzero(values == value)
        where = np.flatnonzero(chosen == k)
        indices[where] = rows[rng.integers(len(rows), size=len(where))]
    return indices


def build_conditional_gan(
    table: pd.DataFrame,
    label_column: str,
    batch_size: int = 200,
    hidden_units: Sequence[int] = (256, 256),
    latent_dim: int = 128,
    gradient_penalty_weight: float = 10.0,
    temperature: float = 0.2,
    seed: int = 0,
    condition_sampling: str = "empirical",
    sample_modes: bool = False,
    jit_compile: bool = False,
    resampled_rows: int = 20_000,
    steps_per_execution: int = 1,
) -> tuple[Any, TabularEncoder, TabularEncoder, Any]:
    """Encode ``table`` and build the compiled conditional tabular WGAN-GP and its data.

    Returns ``(gan, encoder, label_encoder, dataset)``; train with
    ``gan.fit(dataset, epochs=..., steps_per_epoch=...)``. Adam(2e-4, betas 0.5, 0.9)
    as in CTGAN. With ``condition_sampling`` other than ``"empirical"`` the rows are
    first resampled by :func:`sample_rows_by_condition` into ``resampled_rows`` rows
    (drawn once, then shuffled in every pass), and with ``sample_modes=True`` each
    row's modes are drawn (:meth:`TabularEncoder.transform` with a seed).
    ``jit_compile=True`` compiles the training step with XLA (faster on CPU; the
    compiled programs stay in memory while the GAN lives). ``steps_per_execution`` k
    runs k training steps per call into TensorFlow: the same updates with less Python
    overhead, but ``loss_history`` then keeps the losses of every k-th step only.
    """
    import keras

    from gan_lessons import training
    from gan_lessons.config import stream_seed
    from gan_lessons.tables import models

    table = _check_table(table)
    if label_column not in table.columns:
        raise ValueError(f"table must contain the label column {label_column!r}; got {list(table.columns)}")
    if condition_sampling not in CONDITION_SAMPLING:
        raise ValueError(f"condition_sampling must be one of {CONDITION_SAMPLING}, got {condition_sampling!r}")
    if not isinstance(sample_modes, bool) or not isinstance(jit_compile, bool):
        raise TypeError(f"sample_modes and jit_compile must be True or False, got {sample_modes!r}, {jit_compile!r}")
    resampled_rows = positive_int(resampled_rows, "resampled_rows")
    steps_per_execution = positive_int(steps_per_execution, "steps_per_execution")
    features = table.drop(columns=label_column)
    encoder = TabularEncoder(seed=seed).fit(features)
    label_encoder = TabularEncoder().fit(table[[label_column]])
    rows = np.arange(len(table))
    if condition_sampling != "empirical":
        rows = sample_rows_by_condition(table[label_column], resampled_rows, stream_seed(seed, "condition sampling"),
                                        condition_sampling)
    mode_seed = stream_seed(seed, "mode sampling") if sample_modes else None
    x = encoder.transform(features.iloc[rows], seed=mode_seed).astype(np.float32)
    conditions = label_encoder.transform(table[[label_column]].iloc[rows]).astype(np.float32)
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
        jit_compile=jit_compile,
        steps_per_execution=steps_per_execution,
    )
    dataset = training.make_dataset(x, min(batch_size, len(x)), seed=seed, conditions=conditions)
    return gan, encoder, label_encoder, dataset


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
    **options: Any,
) -> tuple[Any, TabularEncoder, TabularEncoder]:
    """Encode ``table``, build and train a conditional tabular WGAN-GP as lesson 07 does.

    Returns ``(gan, encoder, label_encoder)`` ready for :func:`sample_table`. The
    generator gets :func:`gan_lessons.tables.tabular_generator` heads; Adam(2e-4, betas 0.5, 0.9) as
    in CTGAN; ``steps`` generator updates on batches of ``batch_size`` rows (at most
    the number of rows). ``options`` (``condition_sampling``, ``sample_modes``,
    ``jit_compile``, ``resampled_rows``, ``steps_per_execution``) go to
    :func:`build_conditional_gan`; their defaults train on the rows as they come with the most probable modes.
    """
    steps = positive_int(steps, "steps")
    gan, encoder, label_encoder, dataset = build_conditional_gan(
        table, label_column, batch_size=batch_size, hidden_units=hidden_units, latent_dim=latent_dim,
        gradient_penalty_weight=gradient_penalty_weight, temperature=temperature, seed=seed, **options,
    )
    gan.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0)
    return gan, encoder, label_encoder
