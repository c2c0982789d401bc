"""Column checks shared by the table modules: a DataFrame, which columns are numbers.
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def _check_table(table: Any, name: str = "table") -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(table).__name__}")
    if len(table) == 0 or table.shape[1] == 0:
        raise ValueError(f"{name} must have at least one row and one column, got shape {table.shape}")
    missing = {column: int(count) for column, count in table.isna().sum().items() if count}
    if missing:
        raise ValueError(f"{name} must not contain NaN/missing values; found missing counts {missing}")
    return table


def _is_numeric(series: pd.Series) -> bool:
    """Numbers, not booleans: the columns the tabular metrics and baselines treat as continuous."""
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _is_categorical(series: pd.Series, max_integer_levels: int) -> bool:
    if isinstance(series.dtype, pd.CategoricalDtype) or pd.api.types.is_bool_dtype(series):
        return True
    if pd.api.types.is_integer_dtype(series):
        return series.nunique() <= max_integer_levels
    return not pd.api.types.is_float_dtype(series)


def _same_columns(real: pd.DataFrame, synthetic: pd.DataFrame) -> None:
    _check_table(real, "real")
    _check_table(synthetic, "synthetic")
    if list(real.columns) != list(synthetic.columns):
        raise ValueError(
            f"real and synthetic must have the same columns in the same order; got {list(real.columns)} "
            f"and {list(synthetic.columns)}"
        )
