"""The German credit data (UCI Statlog), shipped with the package and verified by checksum.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from gan_lessons.files import read_checksum_manifest, shipped_file, verify_checksum

GERMAN_CREDIT_FILE = "german_credit.csv"


GERMAN_CREDIT_LABEL = "credit_risk"


def load_german_credit(path: str | Path | None = None) -> pd.DataFrame:
    """The German credit data (UCI Statlog, Hofmann 1994): 1,000 applicants, 20 features.

    Verifies the file's SHA-256 against ``datasets/SHA256SUMS`` before reading it
    (a damaged or swapped file raises ``ValueError``). ``path`` defaults to
    ``datasets/german_credit.csv`` in the repository.

    Returns a DataFrame of 1,000 rows and 21 columns in the file's order:

    * 13 text columns as unordered pandas ``category`` (categories sorted), including
      the label ``credit_risk`` (last column) with categories ``["bad", "good"]``
      (300 bad, 700 good; "bad" is the positive class of the lessons);
    * 7 integer columns as ``int64``: ``duration_in_month`` (4-72),
      ``credit_amount`` (250-18,424 DM), ``age_in_years`` (19-75) and four small
      ordinal counts (instalment rate, years at residence, existing credits,
      people liable), which :class:`gan_lessons.tables.TabularEncoder` treats as
      categories because they take at most 4 values.
    """
    path = Path(path) if path is not None else shipped_file(GERMAN_CREDIT_FILE)
    # The checksum is looked up by the shipped file's name, so a renamed copy given
    # by path is still checked against the course's file.
    expected = read_checksum_manifest()[GERMAN_CREDIT_FILE]
    verify_checksum(path, expected)
    table = pd.read_csv(path)
    for column in table.columns:
        if pd.api.types.is_numeric_dtype(table[column]):
            table[column] = table[column].astype(np.int64)
        else:
            categories = sorted(table[column].unique())
            table[column] = pd.Categorical(table[column], categories=categories)
    return table
